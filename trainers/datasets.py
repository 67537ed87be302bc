"""The worker's dataset cache: a job's dataset version is downloaded from the API once per host (a tar stream
over the trainer protocol), checked against its content hash, and kept read-only under
``<scratch>/datasets/<hash>``. Concurrent jobs on one host wait on a file lock instead of downloading twice."""

from __future__ import annotations

import fcntl
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from qlp_core.protocol import DatasetRef
from qlp_core.qlib_data import content_hash, extract_tar, make_read_only, make_writable
from trainers.api_client import TrainerAPI


class DatasetFetchError(RuntimeError):
    """The dataset could not be fetched, or what arrived does not match its content hash."""


class _ResponseReader:
    """A file-like view of a streamed HTTP body, for tarfile's stream mode."""

    def __init__(self, chunks: Any) -> None:
        self.chunks, self.buf, self.bytes = chunks, b"", 0

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self.buf) < n:
            try:
                block = next(self.chunks)
            except StopIteration:
                break
            self.buf += block
            self.bytes += len(block)
        if n < 0:
            out, self.buf = self.buf, b""
        else:
            out, self.buf = self.buf[:n], self.buf[n:]
        return out


def fetch_upload(api: TrainerAPI, job_id: int, worker: str, into: Path) -> str:
    """An ingest job's upload, fetched into ``into`` (a tar stream from the API, for the worker running the job);
    returns a note for the job log."""
    t0 = time.monotonic()
    with api.client.stream("GET", f"/api/internal/jobs/{job_id}/upload", params={"worker": worker},
                           timeout=300) as r:
        if r.status_code != 200:
            raise DatasetFetchError(f"the upload of job {job_id} could not be fetched: HTTP {r.status_code}")
        body = _ResponseReader(r.iter_bytes(1 << 20))
        extract_tar(body, into)
    return f"fetched the upload ({body.bytes / 1e6:.1f} MB, {time.monotonic() - t0:.1f} s)"


def local_copy(api: TrainerAPI, dataset: DatasetRef, cache: Path) -> tuple[Path, str | None]:
    """The folder to give Qlib for ``dataset`` (its DatasetRef), and a note for the job log when it was fetched."""
    digest = dataset.hash  # a hex digest: the protocol model checks its shape
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / digest
    with (cache / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another job on this host may be fetching the same version
        if target.is_dir():
            return target, None
        t0 = time.monotonic()
        tmp = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=cache))
        try:
            with api.client.stream("GET", f"/api/internal/datasets/{dataset.id}/archive", timeout=300) as r:
                if r.status_code != 200:
                    raise DatasetFetchError(f"dataset {dataset.id} download failed: HTTP {r.status_code}")
                body = _ResponseReader(r.iter_bytes(1 << 20))
                extract_tar(body, tmp)
            got = content_hash(tmp)
            if got != digest:
                raise DatasetFetchError(
                    f"dataset {dataset.id} arrived with hash {got[:12]}…, expected {digest[:12]}…")
            make_read_only(tmp)
            tmp.rename(target)
        except BaseException:
            make_writable(tmp)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        took, mb = time.monotonic() - t0, body.bytes / 1e6
        return target, f"fetched dataset {dataset.name}@v{dataset.version} ({mb:.1f} MB, {took:.1f} s)"
