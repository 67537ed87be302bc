"""Qlib's binary data layout: writing series, reading a folder's metadata, calendar, instrument lists and feature
slices, its content hash, and the folder as a tar stream (how a dataset version travels to workers on other hosts)."""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

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


#: Names Windows keeps for devices: Qlib stores such an instrument under ``_qlib_<name>`` (``code_to_fname``).
QLIB_RESERVED_NAMES = frozenset(["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                 *(f"LPT{i}" for i in range(10))])


def feature_dirname(symbol: str) -> str:
    """The folder under ``features/`` where Qlib looks for ``symbol``: lower-cased, ``_qlib_``-prefixed for a device
    name (as Qlib's ``code_to_fname`` and ``dump_bin.py`` do)."""
    return ("_qlib_" + symbol if symbol.upper() in QLIB_RESERVED_NAMES else symbol).lower()


def write_bins(features_dir: Path, dirnames: list[str], starts: np.ndarray, offsets: np.ndarray,
               fields: dict[str, np.ndarray], present: dict[str, np.ndarray] | None = None) -> int:
    """Write many instruments' feature files from flat arrays: instrument ``i`` holds
    ``values[offsets[i]:offsets[i+1]]`` of each field (one value per calendar day from its first day) and starts at
    calendar index ``starts[i]``. One float32 buffer per field with the start indexes in place, then one write per file.
    ``present[field]`` (a flag per instrument) leaves out the files of instruments that have no such field. Returns the
    bytes written."""
    n = len(dirnames)
    starts, offsets = np.asarray(starts), np.asarray(offsets, dtype=np.int64)
    if starts.shape != (n,) or offsets.shape != (n + 1,):
        raise ValueError("starts needs one value per instrument and offsets one more")
    for d in dirnames:
        if not _SYMBOL_RE.fullmatch(d):
            raise QlibFolderError(f"{d!r} is not an instrument folder name")
    for name in fields:
        if not _FIELD_RE.fullmatch(name):
            raise QlibFolderError(f"{name!r} is not a field name")
    present = present or {}
    heads = offsets[:-1] + np.arange(n)  # where each file begins in the buffer: its values plus one head per file
    bounds = np.append(heads, offsets[-1] + n)
    is_value = np.ones(offsets[-1] + n, dtype=bool)
    is_value[heads] = False
    folders = [features_dir / d for d in dirnames]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, values in fields.items():
        buf = np.empty(offsets[-1] + n, dtype="<f4")
        buf[heads] = starts
        buf[is_value] = values
        keep = present.get(name)
        for i, folder in enumerate(folders):
            if keep is not None and not keep[i]:
                continue
            part = buf[bounds[i]:bounds[i + 1]]
            # os.write, not ndarray.tofile: a quarter of the time per small file
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
            fd = os.open(folder / f"{name}.{FREQ}.bin", flags, 0o644)
            try:
                view = part.data.cast("B")
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            written += part.nbytes
    return written


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


#: An instrument symbol that may name a feature folder (lower-cased): letters, digits, ``_`` and ``^``, in parts joined
#: by single ``.`` or ``-`` (``SH600000``, ``BRK-B``, ``^GSPC``) — never a path separator, never ``..``.
SYMBOL_PATTERN = r"^[A-Za-z0-9_^]+(?:[.\-][A-Za-z0-9_^]+)*$"
_SYMBOL_RE = re.compile(SYMBOL_PATTERN)
_FIELD_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Instrument(NamedTuple):
    """One row of an instrument list: the symbol and the first and last day it is listed."""

    symbol: str
    start: date
    end: date


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError as exc:
        raise QlibFolderError(f"{where} holds {text.strip()[:40]!r}, not a YYYY-MM-DD date") from exc


def read_calendar(root: Path) -> list[date]:
    """The trading days of the folder's calendar, in order."""
    cal = root / "calendars" / f"{FREQ}.txt"
    try:
        lines = cal.read_text().splitlines()
    except OSError as exc:
        raise QlibFolderError(f"calendars/{FREQ}.txt cannot be read ({exc.strerror})") from exc
    return [_day(line, f"calendars/{FREQ}.txt") for line in lines if line.strip()]


def read_instruments(root: Path, market: str) -> list[Instrument]:
    """The rows of ``instruments/<market>.txt`` (tab-separated symbol, start, end), in file order."""
    if not _SYMBOL_RE.fullmatch(market):
        raise QlibFolderError(f"{market!r} is not a market name")
    where = f"instruments/{market}.txt"
    try:
        lines = (root / "instruments" / f"{market}.txt").read_text().splitlines()
    except OSError as exc:
        raise QlibFolderError(f"{where} cannot be read ({exc.strerror})") from exc
    rows = []
    for line in lines:
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise QlibFolderError(f"{where} holds a line that is not 'symbol<TAB>start<TAB>end'")
        rows.append(Instrument(parts[0].strip(), _day(parts[1], where), _day(parts[2], where)))
    return rows


def feature_file(root: Path, symbol: str, field: str) -> Path:
    """``features/<symbol's folder>/<field>.day.bin`` (see :func:`feature_dirname`), for a symbol and field of the
    strict shapes only."""
    if not _SYMBOL_RE.fullmatch(symbol):
        raise QlibFolderError(f"{symbol!r} is not an instrument symbol")
    if not _FIELD_RE.fullmatch(field):
        raise QlibFolderError(f"{field!r} is not a field name")
    features = root / "features"
    path = features / feature_dirname(symbol) / f"{field}.{FREQ}.bin"
    if path.parent.parent != features:  # the pattern already makes it so; a second lock on the same door
        raise QlibFolderError(f"{symbol!r} is not an instrument symbol")
    return path


def read_feature(root: Path, symbol: str, field: str, first: int, stop: int) -> np.ndarray | None:
    """One field of one instrument for calendar indexes ``first`` to ``stop - 1``, as float32 (NaN where the file
    holds no value); None when the instrument has no file for the field. Reads only that slice of the file."""
    path = feature_file(root, symbol, field)
    out = np.full(max(stop - first, 0), np.nan, dtype="<f4")
    try:
        with path.open("rb") as fh:
            head = np.frombuffer(fh.read(4), dtype="<f4")
            if head.size != 1 or not np.isfinite(head[0]) or head[0] < 0:
                raise QlibFolderError(f"features/{symbol.lower()}/{field}.{FREQ}.bin has no start index")
            start = int(head[0])
            count = (path.stat().st_size - 4) // 4
            lo, hi = max(first, start), min(stop, start + count)
            if lo < hi:
                fh.seek(4 * (1 + lo - start))
                values = np.frombuffer(fh.read(4 * (hi - lo)), dtype="<f4")
                out[lo - first:lo - first + values.size] = values
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise QlibFolderError(f"features/{symbol.lower()}/{field}.{FREQ}.bin cannot be read ({exc.strerror})") from exc
    return out


def calendar_slice(days: list[date], start: date | None, end: date | None) -> tuple[int, int]:
    """Indexes ``first, stop`` of the calendar days from ``start`` to ``end`` (both included; open when None)."""
    first = 0 if start is None else bisect.bisect_left(days, start)
    stop = len(days) if end is None else bisect.bisect_right(days, end)
    return first, max(first, stop)


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


def tar_stream(root: Path, chunk: int = 1 << 20, extra: dict[str, bytes] | None = None) -> Iterator[bytes]:
    """The folder as an uncompressed POSIX tar, produced file by file (memory stays at one chunk): what remote
    workers download. Symlinks are left out, as content_hash leaves them out. ``extra`` adds members (name → bytes)
    at the end."""
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
    for name, data in (extra or {}).items():
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), 0o644
        yield info.tobuf(tarfile.PAX_FORMAT) + data
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
