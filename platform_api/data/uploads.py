"""Market-data uploads: streamed to disk within the size limit, checked, safely unpacked under their content hash."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

from platform_api.domain_errors import Refused, TooLarge
from qlp_core.archive import ARCHIVES, ArchiveError, UnpackLimits, unpack, upload_suffix
from qlp_core.settings import Settings

PARQUET_MAGIC = b"PAR1"
SNIFF_BYTES = 64 * 1024


@dataclass
class Received:
    """An upload on disk, not yet checked: where, the sha256 of its bytes, and its size."""

    path: Path
    digest: str
    size: int


def uploads_dir(settings: Settings) -> Path:
    base = settings.storage.uploads_dir
    assert base is not None
    base.mkdir(parents=True, exist_ok=True)
    return base


async def receive(request: Request, settings: Settings, limit: int | None = None) -> Received:
    """Stream the body to a file beside the uploads, hashing it; past ``limit`` (default ``max_upload_bytes``) it is
    refused (413) at once and nothing is kept."""
    limit = settings.storage.max_upload_bytes if limit is None else limit
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"an upload may be at most {limit:,} bytes; this one says it has {int(declared):,}")
    tmp = uploads_dir(settings) / f".incoming-{uuid.uuid4().hex}"
    digest, size = hashlib.sha256(), 0
    try:
        with tmp.open("wb") as fh:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"an upload may be at most {limit:,} bytes: refused at byte {size:,}")
                digest.update(chunk)
                fh.write(chunk)
        if size == 0:
            raise Refused("the upload is empty")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Received(tmp, digest.hexdigest(), size)


def _sniff(path: Path, filename: str, suffix: str) -> None:
    """Refuse a single file that cannot be what its name says (the worker reads it fully later)."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
        if suffix == ".parquet":
            fh.seek(-min(4, path.stat().st_size), 2)
            tail = fh.read(4)
            if not head.startswith(PARQUET_MAGIC) or tail != PARQUET_MAGIC:
                raise Refused(f"{filename!r} is not a Parquet file (no PAR1 magic)")
        elif suffix == ".csv":
            try:
                head.decode("utf-8") if len(head) < SNIFF_BYTES else head[:-4].decode("utf-8", errors="strict")
            except UnicodeDecodeError as exc:
                raise Refused(f"{filename!r} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        elif suffix == ".csv.gz" and not head.startswith(b"\x1f\x8b"):
            raise Refused(f"{filename!r} is not gzip-compressed")


def store(settings: Settings, received: Received, filename: str) -> tuple[str, Path]:
    """Check and unpack the upload into ``<uploads>/<key>/``; returns (key, folder). The key is the sha256 of the bytes
    for an archive, and of the bytes' hash and the file name for a single file (its name is part of what it means: a
    per-instrument file's symbol). The same upload again finds its folder. Refusals are 422s that say why."""
    st = settings.storage
    try:
        suffix = upload_suffix(filename)
        if suffix is None:
            raise Refused(f"{filename!r} must end in .csv, .csv.gz, .parquet, .zip, .tar, .tar.gz or .tgz")
        if ".." in filename or "/" in filename or "\\" in filename:
            raise Refused(f"the file name {filename!r} holds '..' or a path separator")
        key = received.digest if suffix in ARCHIVES else hashlib.sha256(
            f"{received.digest}:{filename}".encode()).hexdigest()
        base = uploads_dir(settings)
        final = base / key
        if final.is_dir():
            os.utime(final)  # fresh again: the sweep leaves it its grace period
            return key, final
        if suffix not in ARCHIVES:
            _sniff(received.path, filename, suffix)
        work = base / f".tmp-{uuid.uuid4().hex}"
        try:
            unpack(received.path, filename, work,
                   UnpackLimits(st.max_archive_members, st.max_unpacked_bytes, st.max_unpack_ratio))
        except ArchiveError as exc:
            raise Refused(f"upload refused ({exc.code}): {exc}") from None
        try:
            work.rename(final)
        except OSError:
            if not final.is_dir():  # not the same upload arriving twice at once
                raise
            shutil.rmtree(work, ignore_errors=True)
        return key, final
    finally:
        received.path.unlink(missing_ok=True)


#: An upload no job still needs is removed this long after it was last stored (time for its job to be queued).
UPLOAD_GRACE_S = 600.0


def sweep(settings: Settings, in_use: set[str], grace_s: float = UPLOAD_GRACE_S) -> list[str]:
    """Remove the unpacked uploads no queued or running ingest job names (``in_use``: their keys) once their grace
    period is over, and half-received or half-unpacked leftovers a day old; returns what was removed."""
    base = settings.storage.uploads_dir
    if base is None or not base.is_dir():
        return []
    now, gone = time.time(), []
    for entry in base.iterdir():
        try:
            age = now - entry.lstat().st_mtime
        except FileNotFoundError:
            continue
        leftover = entry.name.startswith((".incoming-", ".tmp-"))
        if (leftover and age > 86400) or (not leftover and entry.name not in in_use and age > grace_s):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            gone.append(entry.name)
    return gone
