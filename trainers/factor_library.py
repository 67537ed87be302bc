"""The factor library shared between hosts: before an evaluation the worker brings this host's library folder up to
date with the platform's (each factor's newest ranks on the dataset, each store object fetched once per host), and
after it puts the new factor's ranks in the store, so every host's redundancy check sees the same library."""

from __future__ import annotations

import fcntl
import io
import os
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

from trainers import transfer
from trainers.api_client import TrainerAPI
from trainers.factors.redundancy import FactorLibrary, RankMatrix

ENTRY_FILES = ("z.npy", "mask.npy", "dates.npy", "instruments.npy")
#: beside an entry's arrays: the store object they came from (or were put in)
SOURCE = "source"
MAX_MEMBER_BYTES = 2 * 1024**3


class LibraryError(RuntimeError):
    """A library object that is not a factor's ranks."""


def library_root(scratch: Path) -> Path:
    """This host's library folder: beside its feature cache (the worker's absolute folder), else in its scratch."""
    cache = os.environ.get("QLP_WORKER__FEATURE_CACHE_DIR")
    if cache and Path(cache).is_absolute():
        return Path(cache).parent / "factor-library"
    return scratch / "factor-library"


def pack(folder: Path, into: Path) -> None:
    """An entry's arrays as one tar."""
    with tarfile.open(into, "w") as tar:
        for name in ENTRY_FILES:
            tar.add(folder / name, arcname=name, recursive=False)


def unpack(tar_path: Path) -> RankMatrix:
    """The ranks in a library tar: exactly the entry's four arrays, plain (no pickles), of matching shapes."""
    arrays: dict[str, np.ndarray] = {}
    with tarfile.open(tar_path, "r:") as tar:
        for member in tar:
            if not member.isfile() or member.name not in ENTRY_FILES or member.name in arrays:
                raise LibraryError(f"unexpected member {member.name!r}")
            if member.size > MAX_MEMBER_BYTES:
                raise LibraryError(f"{member.name} is too large")
            fh = tar.extractfile(member)
            assert fh is not None
            try:
                arrays[member.name] = np.load(io.BytesIO(fh.read()), allow_pickle=False)
            except ValueError as exc:
                raise LibraryError(f"{member.name}: {exc}") from None
    if set(arrays) != set(ENTRY_FILES):
        raise LibraryError(f"missing {sorted(set(ENTRY_FILES) - set(arrays))}")
    z, packed, dates, instruments = (arrays[n] for n in ENTRY_FILES)
    days, names = len(dates), len(instruments)
    if z.shape != (days, names) or packed.shape != (days, (names + 7) // 8) or z.dtype != np.float32:
        raise LibraryError("the arrays' shapes do not match")
    mask = np.unpackbits(packed, axis=1, count=names).astype(bool)
    return RankMatrix(z, mask, dates.astype("datetime64[D]"), instruments.astype(str))


def sync(api: TrainerAPI, root: Path, dataset_hash: str, factor_id: int) -> tuple[list[str], str]:
    """This host's library on ``dataset_hash`` brought up to date with the platform's (the factor itself left out):
    the keys to compare with, and a note for the job log."""
    r = api.client.get(f"/api/internal/factor-library/{dataset_hash}", params={"exclude": factor_id}, timeout=60)
    if r.status_code != 200:
        raise LibraryError(f"the API answered HTTP {r.status_code} for the library")
    entries = r.json()["entries"]
    library = FactorLibrary(root)
    folder = root / dataset_hash
    folder.mkdir(parents=True, exist_ok=True)
    fetched, got, t0 = 0, 0, time.monotonic()
    with (folder / ".lock").open("w") as lock, transfer.plain_client() as plain:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another job on this host may be syncing the same library
        for entry in entries:
            key, obj = entry["key"], entry["object"]
            source = library.path(key, dataset_hash) / SOURCE
            if source.is_file() and source.read_text() == obj:
                continue
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}-", suffix=".tar")
            os.close(fd)
            try:
                got += transfer.download(api.client, plain, entry["url"], Path(tmp))
                final = library.put(key, dataset_hash, unpack(Path(tmp)))
                (final / SOURCE).write_text(obj)
                fetched += 1
            finally:
                Path(tmp).unlink(missing_ok=True)
    note = (f"factor library on this dataset: {len(entries)} factors, {fetched} fetched from the store "
            f"({got / 1e6:.1f} MB, {time.monotonic() - t0:.1f}s)")
    return [e["key"] for e in entries], note


def publish(api: TrainerAPI, root: Path, dataset_hash: str, factor_id: int, job_id: int, worker: str) -> str | None:
    """The evaluated factor's ranks (stored in this host's library by the job) put in the store; the object, or None
    when the job stored none."""
    final = FactorLibrary(root).path(f"f{factor_id}", dataset_hash)
    if not all((final / name).is_file() for name in ENTRY_FILES):
        return None
    r = api.client.post(f"/api/internal/jobs/{job_id}/factor-ranks", json={"worker": worker}, timeout=60)
    if r.status_code != 200:
        raise LibraryError(f"the API answered HTTP {r.status_code} for where to put the ranks")
    where = r.json()
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".f{factor_id}-", suffix=".tar")
    os.close(fd)
    try:
        pack(final, Path(tmp))
        with transfer.plain_client() as plain:
            transfer.upload(api.client, plain, where["url"], Path(tmp), "application/x-tar")
    finally:
        Path(tmp).unlink(missing_ok=True)
    (final / SOURCE).write_text(where["object"])
    return str(where["object"])
