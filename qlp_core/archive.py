"""Safe unpacking of uploads (.zip, .tar, .tar.gz, .csv.gz): plain files inside the target, within size limits."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

#: Upload names we take: the kind is read from the ending.
UPLOAD_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".zip", ".tar", ".tar.gz", ".tgz")
ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz")
#: Below this many unpacked bytes the ratio is not held against an upload (small files compress well).
RATIO_FLOOR = 64 << 20
CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveError(ValueError):
    """An upload refused: ``code`` is ``path_refused``, ``symlink``, ``hardlink``, ``device``, ``too_many_members``,
    ``too_large``, ``zip_bomb``, ``duplicate_member`` or ``bad_archive``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UnpackLimits:
    max_members: int = 100_000
    max_bytes: int = 16 << 30
    max_ratio: float = 200.0


def upload_suffix(name: str) -> str | None:
    low = name.lower()
    return max((s for s in UPLOAD_SUFFIXES if low.endswith(s)), key=len, default=None)


def member_path(name: str) -> PurePosixPath:
    """The relative path of an archive member, or ArchiveError: no absolute path, drive, ``..``, backslash, NUL or
    control character."""
    shown = name[:120]
    if not name or "\0" in name or "\\" in name or not name.isprintable():
        raise ArchiveError(f"member {shown!r} has an empty name, a backslash or a control character", "path_refused")
    if name.startswith("/") or _DRIVE.match(name):
        raise ArchiveError(f"member {shown!r} has an absolute path", "path_refused")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveError(f"member {shown!r} climbs out of the archive with '..' (zip-slip)", "path_refused")
    if not parts or len(name) > 1024 or any(len(p) > 255 for p in parts):
        raise ArchiveError(f"member {shown!r} has no name or a name too long", "path_refused")
    return PurePosixPath(*parts)


class _Budget:
    def __init__(self, limits: UnpackLimits, packed: int) -> None:
        self.limits, self.packed, self.members, self.bytes = limits, max(packed, 1), 0, 0

    def member(self, name: str) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise ArchiveError(f"the archive has more than {self.limits.max_members:,} members", "too_many_members")

    def take(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_bytes:
            raise ArchiveError(f"the upload unpacks to more than {self.limits.max_bytes:,} bytes (zip bomb?)",
                               "zip_bomb")
        if self.bytes > RATIO_FLOOR and self.bytes > self.limits.max_ratio * self.packed:
            raise ArchiveError(f"the upload unpacks to more than {self.limits.max_ratio:g} times its size "
                               f"({self.packed:,} bytes): a zip bomb", "zip_bomb")


def _new_file(into: Path, rel: PurePosixPath) -> IO[bytes]:
    target = into.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(into.resolve()):
        raise ArchiveError(f"member {str(rel)!r} lands outside the target", "path_refused")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        raise ArchiveError(f"member {str(rel)!r} appears twice (or is also a folder)", "duplicate_member") from None
    except (IsADirectoryError, NotADirectoryError):
        raise ArchiveError(f"member {str(rel)!r} is both a file and a folder", "duplicate_member") from None
    return os.fdopen(fd, "wb")


def _copy(src: IO[bytes], dst: IO[bytes], budget: _Budget) -> None:
    while block := src.read(CHUNK):
        budget.take(len(block))
        dst.write(block)


def _unzip(path: Path, into: Path, budget: _Budget) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(f"not a readable zip archive ({exc})", "bad_archive") from None
    with zf:
        infos = zf.infolist()
        declared = 0
        for info in infos:  # everything is checked before anything is written
            budget.member(info.filename)
            member_path(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ArchiveError(f"member {info.filename[:120]!r} is a symbolic link", "symlink")
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: an archiver that records no type
                raise ArchiveError(f"member {info.filename[:120]!r} is not a plain file or folder", "device")
            if info.flag_bits & 0x1:
                raise ArchiveError(f"member {info.filename[:120]!r} is encrypted", "bad_archive")
            declared += info.file_size
        probe = _Budget(budget.limits, budget.packed)
        probe.take(declared)  # a declared size past the limits is refused before a byte is inflated
        for info in infos:
            rel = member_path(info.filename)
            if info.is_dir():
                into.joinpath(*rel.parts).mkdir(parents=True, exist_ok=True)
                continue
            try:
                with zf.open(info) as src, _new_file(into, rel) as dst:
                    _copy(src, dst, budget)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                raise ArchiveError(f"member {info.filename[:120]!r} cannot be read ({exc})", "bad_archive") from None


def _untar(path: Path, into: Path, budget: _Budget) -> None:
    try:
        tar = tarfile.open(path, mode="r|*")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveError(f"not a readable tar archive ({exc})", "bad_archive") from None
    try:
        with tar:
            for info in tar:
                budget.member(info.name)
                rel = member_path(info.name)
                shown = info.name[:120]
                if info.issym():
                    raise ArchiveError(f"member {shown!r} is a symbolic link", "symlink")
                if info.islnk():
                    raise ArchiveError(f"member {shown!r} is a hard link", "hardlink")
                if info.isdir():
                    into.joinpath(*rel.parts).mkdir(parents=True, exist_ok=True)
                    continue
                if not info.isreg():
                    raise ArchiveError(f"member {shown!r} is a device, FIFO or other special file", "device")
                src = tar.extractfile(info)
                assert src is not None
                with _new_file(into, rel) as dst:
                    _copy(src, dst, budget)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ArchiveError(f"the tar archive cannot be read ({exc})", "bad_archive") from None


def _gunzip(path: Path, into: Path, name: str, budget: _Budget) -> None:
    """A .csv.gz is kept as it came (the reader streams it), after one pass proves it inflates within the limits."""
    inflate = zlib.decompressobj(wbits=47)
    try:
        with path.open("rb") as fh:
            while block := fh.read(CHUNK):
                data = block
                while data:
                    budget.take(len(inflate.decompress(data, CHUNK)))
                    if inflate.eof:  # a multi-member gzip goes on with a new member
                        data = inflate.unused_data
                        if data:
                            inflate = zlib.decompressobj(wbits=47)
                    else:
                        data = inflate.unconsumed_tail
    except zlib.error as exc:
        raise ArchiveError(f"{name!r} is not a readable gzip file ({exc})", "bad_archive") from None
    shutil.copyfile(path, into / name)


def unpack(path: Path, name: str, into: Path, limits: UnpackLimits) -> None:
    """Put the upload at ``path`` (sent as ``name``) into the new folder ``into``: an archive's members, or the single
    file under ``name``. Raises ArchiveError (``into`` is removed then)."""
    suffix = upload_suffix(name)
    if suffix is None:
        raise ArchiveError(f"{name[:120]!r} is not one of {', '.join(UPLOAD_SUFFIXES)}", "path_refused")
    into.mkdir(parents=True)
    budget = _Budget(limits, path.stat().st_size)
    try:
        if suffix == ".zip":
            _unzip(path, into, budget)
        elif suffix in ARCHIVES:
            _untar(path, into, budget)
        elif suffix == ".csv.gz":
            _gunzip(path, into, name, budget)
        else:
            budget.take(path.stat().st_size)
            shutil.copyfile(path, into / name)
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise
