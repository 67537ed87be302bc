"""The worker's dataset cache: a job's dataset version is assembled once per host from the store's packs (fetched
straight from the store, each verified and kept once per host), checked against its content hash, and kept
read-only under ``<scratch>/datasets/<hash>``. Concurrent jobs on one host wait on a file lock instead of fetching
twice. An ingest job's upload comes from the API as a tar stream."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from qlp_core.packs import Manifest, PackError, assemble, verify_pack
from qlp_core.protocol import DatasetRef
from qlp_core.qlib_data import content_hash, extract_tar, make_read_only, make_writable
from trainers.api_client import TrainerAPI
from trainers.transfer import TransferError, download


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


def _download(api: TrainerAPI, store: httpx.Client, url: str, into: Path) -> int:
    """One store object into ``into`` (:func:`trainers.transfer.download`); returns its bytes."""
    try:
        return download(api.client, store, url, into, timeout=300)
    except TransferError as exc:
        raise DatasetFetchError(str(exc)) from None


def _pack(api: TrainerAPI, store: httpx.Client, packs: Path, sha: str, url: str) -> int:
    """The pack ``sha`` in this host's pack folder (verified; downloaded unless a job fetched it before); returns the
    bytes downloaded."""
    target = packs / sha
    with (packs / f"{sha}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_file():
            return 0
        tmp = packs / f".{sha}-{os.getpid()}-{threading.get_ident()}"
        try:
            got = _download(api, store, url, tmp)
            verify_pack(tmp, sha)
            os.chmod(tmp, 0o444)
            tmp.rename(target)
        except PackError as exc:
            raise DatasetFetchError(str(exc)) from None
        finally:
            tmp.unlink(missing_ok=True)
        return got


def local_copy(api: TrainerAPI, dataset: DatasetRef, cache: Path) -> tuple[Path, str | None]:
    """The folder to give Qlib for ``dataset`` (its DatasetRef), and a note for the job log when it was fetched.

    The API answers where the version's manifest and packs are (presigned URLs of the S3 store); the packs come
    straight from the store into ``<cache>/../packs`` (one verified copy per pack on this host: a pack that several
    versions share is fetched once), and the folder is assembled from them and checked against its content hash."""
    digest = dataset.hash  # a hex digest: the protocol model checks its shape
    cache.mkdir(parents=True, exist_ok=True)
    packs = cache.parent / "packs"
    packs.mkdir(parents=True, exist_ok=True)
    target = cache / digest
    with (cache / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another job on this host may be fetching the same version
        if target.is_dir():
            return target, None
        t0 = time.monotonic()
        r = api.client.get(f"/api/internal/datasets/{dataset.id}/locations", timeout=120)
        if r.status_code != 200:
            raise DatasetFetchError(f"dataset {dataset.id}: the API answered HTTP {r.status_code} for its locations")
        where = r.json()
        if where.get("content_hash") != digest:
            raise DatasetFetchError(f"dataset {dataset.id} is not the version {digest[:12]}… the job names")
        tmp = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=cache))
        try:
            with httpx.Client(timeout=60, follow_redirects=False) as store:
                _download(api, store, where["manifest"], tmp / ".manifest")
                manifest = Manifest.model_validate_json((tmp / ".manifest").read_bytes())
                (tmp / ".manifest").unlink()
                if manifest.content_hash != digest or manifest.packs() - set(where["packs"]):
                    raise DatasetFetchError(f"the manifest of dataset {dataset.id} does not describe version "
                                            f"{digest[:12]}…")
                needed = sorted(manifest.packs())
                had = sum((packs / sha).is_file() for sha in needed)
                with ThreadPoolExecutor(max_workers=4) as pool:
                    fetched = sum(pool.map(lambda sha: _pack(api, store, packs, sha, where["packs"][sha]), needed))
            try:
                assemble(manifest, lambda sha: packs / sha, tmp)
            except PackError as exc:
                raise DatasetFetchError(str(exc)) from None
            got = content_hash(tmp)
            if got != digest:
                raise DatasetFetchError(
                    f"dataset {dataset.id} assembled with hash {got[:12]}…, expected {digest[:12]}…")
            make_read_only(tmp)
            tmp.rename(target)
        except BaseException:
            make_writable(tmp)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        took = time.monotonic() - t0
        return target, (f"fetched dataset {dataset.name}@v{dataset.version} from the store: {len(needed)} packs "
                        f"({had} already on this host), {fetched / 1e6:.1f} MB downloaded, "
                        f"{manifest.size() / 1e6:.1f} MB assembled, {took:.1f} s")
