"""Qlib's binary data layout: writing series, reading a folder's metadata, its content hash, and the folder as a
tar stream (how a dataset version travels to workers on other hosts)."""

from __future__ import annotations

import hashlib
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

FIELDS = ("open", "high", "low", "close", "volume", "vwap", "factor", "change")
FREQ = "day"


def write_series(features_dir: Path, symbol: str, fields: dict[str, np.ndarray], start_index: int) -> None:
    """Write one instrument's fields: little-endian float32, first value = calendar index of the first date."""
    folder = features_dir / symbol.lower()
    folder.mkdir(parents=True, exist_ok=True)
    head = np.array([start_index], dtype="<f4")
    for name, values in fields.items():
        np.concatenate([head, np.asarray(values, dtype="<f4")]).tofile(folder / f"{name}.{FREQ}.bin")


def write_calendar(root: Path, days: list[str]) -> None:
    (root / "calendars").mkdir(parents=True, exist_ok=True)
    text = "\n".join(days) + "\n"
    (root / "calendars" / f"{FREQ}.txt").write_text(text)
    # Without the future calendar every backtest warns "load calendar error: freq=day, future=True".
    (root / "calendars" / f"{FREQ}_future.txt").write_text(text)


def write_instruments(root: Path, market: str, rows: list[tuple[str, str, str]]) -> None:
    (root / "instruments").mkdir(parents=True, exist_ok=True)
    (root / "instruments" / f"{market}.txt").write_text("".join(f"{s}\t{a}\t{b}\n" for s, a, b in rows))


@dataclass
class FolderInfo:
    """What a Qlib data folder holds, read from its calendar, instrument lists and feature files."""

    instruments: int
    markets: list[str]
    benchmarks: list[str]
    fields: list[str]
    freq: str
    calendar_start: date
    calendar_end: date
    size_bytes: int


class QlibFolderError(ValueError):
    """A folder is not a usable Qlib data folder; the message says why."""


def describe_folder(root: Path) -> FolderInfo:
    """Read a Qlib folder's metadata; raise QlibFolderError with a reason if the layout is wrong."""
    cal = root / "calendars" / f"{FREQ}.txt"
    if not cal.is_file():
        raise QlibFolderError(f"calendars/{FREQ}.txt is missing")
    days = [line.strip() for line in cal.read_text().splitlines() if line.strip()]
    if not days:
        raise QlibFolderError("the calendar is empty")
    inst_dir = root / "instruments"
    if not (inst_dir / "all.txt").is_file():
        raise QlibFolderError("instruments/all.txt is missing")
    markets = sorted(p.stem for p in inst_dir.glob("*.txt"))
    stocks = {line.split("\t")[0] for line in (inst_dir / "all.txt").read_text().splitlines() if line.strip()}
    benchmarks: set[str] = set()
    if (inst_dir / "index.txt").is_file():
        benchmarks = {ln.split("\t")[0] for ln in (inst_dir / "index.txt").read_text().splitlines() if ln.strip()}
    feat = root / "features"
    if not feat.is_dir():
        raise QlibFolderError("features/ is missing")
    fields: set[str] = set()
    for sub in feat.iterdir():
        for f in sub.glob(f"*.{FREQ}.bin"):
            fields.add(f.name.split(".")[0])
        break
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    try:
        first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    except ValueError as exc:
        raise QlibFolderError(f"calendars/{FREQ}.txt holds a line that is not a YYYY-MM-DD date: {exc}") from exc
    return FolderInfo(
        instruments=len(stocks),
        markets=markets,
        benchmarks=sorted(benchmarks),
        fields=sorted(fields),
        freq=FREQ,
        calendar_start=first,
        calendar_end=last,
        size_bytes=size,
    )


def content_hash(root: Path) -> str:
    """sha256 over every file's relative path and bytes, in sorted order: equal content, equal hash."""
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    for path in files:
        rel = path.relative_to(root).as_posix()
        digest.update(rel.encode() + b"\0" + str(path.stat().st_size).encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def tar_stream(root: Path, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The folder as an uncompressed POSIX tar, produced file by file (memory stays at one chunk): what remote
    workers download. Symlinks are left out, as content_hash leaves them out."""
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            continue
        info = tarfile.TarInfo(path.relative_to(root).as_posix())
        st = path.stat()
        info.mtime = int(st.st_mtime)
        if path.is_dir():
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            yield info.tobuf(tarfile.PAX_FORMAT)
            continue
        info.size, info.mode = st.st_size, 0o644
        yield info.tobuf(tarfile.PAX_FORMAT)
        with path.open("rb") as fh:
            yield from iter(lambda: fh.read(chunk), b"")
        if info.size % tarfile.BLOCKSIZE:
            yield b"\0" * (tarfile.BLOCKSIZE - info.size % tarfile.BLOCKSIZE)
    yield b"\0" * (2 * tarfile.BLOCKSIZE)


def extract_tar(fileobj: Any, into: Path) -> None:
    """Unpack a tar stream (as :func:`tar_stream` writes it) into ``into``: regular files and folders only, nothing
    outside ``into`` (no absolute paths, no '..', no links out, no devices)."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=fileobj, mode="r|") as tar:
        tar.extractall(into, filter="data")


def make_writable(root: Path) -> None:
    """Give back the write bits :func:`make_read_only` took (before deleting a folder)."""
    for p in [root, *root.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)


def make_read_only(root: Path) -> None:
    """Drop write bits so a registered dataset version stays as it was hashed."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o444)
        os.chmod(dirpath, 0o555)
