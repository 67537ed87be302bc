"""Daily bars from CSV, Parquet, a frame or a Qlib folder into one long frame, within strict limits on the input."""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import stat
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from qlp_core.qlib_data import (
    FREQ,
    SYMBOL_PATTERN,
    QlibFolderError,
    feature_dirname,
    read_calendar,
    read_instruments,
)
from trainers.ingest.errors import IngestError
from trainers.ingest.symbols import normalise_symbol

SUFFIXES = (".csv", ".csv.gz", ".parquet")
PRICE_FIELDS = ("open", "high", "low", "close", "vwap")
_FIELD_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SYMBOL_RE = re.compile(SYMBOL_PATTERN)
#: Date spellings recognised without a ``date_format``: the first value's shape picks the format.
DATE_SHAPES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{8}$"), "%Y%m%d"),
    (re.compile(r"^\d{4}/\d{2}/\d{2}$"), "%Y/%m/%d"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$"), None),  # a time part: ISO 8601, must be midnight
)
_STREAM_ABOVE = 256 << 20  # CSV files larger than this (and compressed ones) are read in blocks, rows counted as read


@dataclass(frozen=True)
class Limits:
    """What one ingest may read; anything over is refused (``too_large``) before or while it is read."""

    max_files: int = 10_000
    max_file_bytes: int = 4 << 30
    max_total_bytes: int = 16 << 30
    max_rows: int = 50_000_000
    max_columns: int = 64
    max_values: int = 400_000_000  # rows × fields kept: 3.2 GB as float64


@dataclass(frozen=True)
class ReadOptions:
    """How to read the input. ``columns`` maps source column names to ours (``{"trade_date": "date", "ts_code":
    "symbol", "vol": "volume"}``; other names are lower-cased). ``layout``: ``long`` (a ``symbol`` column),
    ``per_instrument`` (the symbol is the file name: ``SH600000.csv``) or ``auto`` (long when there is a symbol column).
    ``fields`` keeps only those columns (default: every column but date and symbol, all numeric), ``exclude`` drops
    some. ``benchmarks`` names the index instruments (any spelling). ``prices="raw"``: prices are unadjusted and the
    ``factor`` column adjusts them (prices × factor, volume ÷ factor, as Qlib's collectors store them); the default
    takes them as adjusted already."""

    columns: Mapping[str, str] = field(default_factory=dict)
    date_format: str | None = None
    layout: Literal["auto", "long", "per_instrument"] = "auto"
    fields: Sequence[str] | None = None
    exclude: Sequence[str] = ()
    benchmarks: Sequence[str] = ()
    infer_exchange: bool = False
    prices: Literal["adjusted", "raw"] = "adjusted"
    limits: Limits = field(default_factory=Limits)
    threads: int = 0  # files read at once; 0 = one per CPU


@dataclass
class Bars:
    """The long frame every later step reads: ``date`` (datetime64, one day each), ``symbol`` (categorical, Qlib's
    form, sorted categories) and one float64 column per field, Qlib's convention (adjusted prices). ``absent`` names,
    per field, the instruments whose source had no such column (Qlib's script writes no file for them); ``aliases``
    the symbols that several spellings in the input were merged into."""

    frame: pd.DataFrame
    fields: list[str]
    benchmarks: list[str] = field(default_factory=list)
    absent: dict[str, list[str]] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def symbols(self) -> list[str]:
        return [str(s) for s in self.frame["symbol"].cat.categories]


# ---------------------------------------------------------------------------------------------------------- paths


def _refuse_name(name: str) -> None:
    if not name or "\0" in name or "\\" in name or name.startswith("/") or os.path.isabs(name):
        raise IngestError(f"file name {name[:80]!r} is absolute or holds '\\' or NUL: refused", "path_refused")
    if ".." in name:
        raise IngestError(f"file name {name[:80]!r} holds '..': refused", "path_refused")


def _suffix(name: str) -> str | None:
    low = name.lower()
    return next((s for s in SUFFIXES if low.endswith(s)), None)


def _checked_file(root: Path, name: str) -> Path:
    """``root / name`` when every component is a plain folder or file (no symlink) inside ``root``."""
    _refuse_name(name)
    path = root
    parts = Path(name).parts
    for i, part in enumerate(parts):
        path = path / part
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            raise IngestError(f"{name!r} does not exist under the input folder", "path_refused") from None
        if stat.S_ISLNK(st.st_mode):
            raise IngestError(f"{name!r} is (or goes through) a symbolic link: refused", "symlink")
        last = i == len(parts) - 1
        if last and not stat.S_ISREG(st.st_mode):
            raise IngestError(f"{name!r} is not a plain file", "path_refused")
        if not last and not stat.S_ISDIR(st.st_mode):
            raise IngestError(f"{name!r} is not a path of folders to a file", "path_refused")
    if not path.resolve().is_relative_to(root.resolve()):
        raise IngestError(f"{name!r} is outside the input folder", "path_refused")
    return path


def data_files(root: Path, names: Sequence[str] | None, limits: Limits) -> list[tuple[str, Path]]:
    """The input files (name relative to ``root``, path): the ``names`` given, or every ``.csv``, ``.csv.gz`` and
    ``.parquet`` file in ``root`` (not its subfolders; hidden files skipped). Refuses symlinks, ``..``, paths outside
    ``root`` and more files or bytes than ``limits`` allow."""
    root = Path(root)
    if not root.is_dir():
        raise IngestError(f"the input folder {root} is not a folder", "path_refused")
    if names is None:
        names = []
        with os.scandir(root) as it:
            for entry in it:
                if entry.name.startswith(".") or _suffix(entry.name) is None:
                    continue
                if entry.is_symlink():
                    raise IngestError(f"{entry.name!r} is a symbolic link: refused", "symlink")
                if entry.is_file(follow_symlinks=False):
                    names.append(entry.name)
                if len(names) > limits.max_files:
                    break
        names.sort()
    if not names:
        raise IngestError("no .csv, .csv.gz or .parquet file in the input", "empty")
    if len(names) > limits.max_files:
        raise IngestError(f"more than {limits.max_files} input files", "too_large")
    out, total = [], 0
    for name in names:
        if _suffix(name) is None:
            raise IngestError(f"{name!r} is not a .csv, .csv.gz or .parquet file", "path_refused")
        path = _checked_file(root, name)
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise IngestError(f"{name!r} has {size:,} bytes, more than the limit of {limits.max_file_bytes:,}",
                              "too_large")
        total += size
        if total > limits.max_total_bytes:
            raise IngestError(f"the input has more than {limits.max_total_bytes:,} bytes", "too_large")
        out.append((name, path))
    return out


# -------------------------------------------------------------------------------------------------------- columns


@dataclass
class _Columns:
    """One source's columns: source name → our name, for the date, the symbol and the fields we keep."""

    date: str
    symbol: str | None
    fields: dict[str, str]  # our name -> source name


def _plan_columns(names: Sequence[str], opts: ReadOptions, where: str) -> _Columns:
    if len(names) > opts.limits.max_columns:
        raise IngestError(f"{where} has {len(names)} columns, more than the limit of {opts.limits.max_columns}",
                          "too_large")
    ours: dict[str, str] = {}
    for src in names:
        name = opts.columns.get(src, opts.columns.get(src.strip(), src.strip())).strip().lower()
        if name in ours:
            raise IngestError(f"{where}: columns {ours[name]!r} and {src!r} both become {name!r}", "bad_column")
        ours[name] = src
    if "date" not in ours:
        raise IngestError(f"{where} has no date column (columns: {', '.join(list(names)[:20])}); map one with "
                          "columns={'<name>': 'date'}", "bad_column")
    layout = opts.layout
    if layout == "auto":
        layout = "long" if "symbol" in ours else "per_instrument"
    if layout == "long" and "symbol" not in ours:
        raise IngestError(f"{where} has no symbol column; map one with columns={{'<name>': 'symbol'}}", "bad_column")
    wanted = [f.strip().lower() for f in opts.fields] if opts.fields is not None else None
    excluded = {f.strip().lower() for f in opts.exclude} | {"date", "symbol"}
    fields: dict[str, str] = {}
    for name, src in ours.items():
        if name in excluded or (wanted is not None and name not in wanted):
            continue
        if not _FIELD_RE.fullmatch(name):
            raise IngestError(f"{where}: column {src!r} is not a field name (lower-case letters, digits and '_', "
                              "starting with a letter); rename it with columns= or leave it out with exclude=",
                              "bad_column")
        fields[name] = src
    return _Columns(ours["date"], ours["symbol"] if layout == "long" else None, fields)


def _csv_header(path: Path) -> list[str]:
    opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
            line = fh.readline(1 << 20)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise IngestError(f"{path.name!r} cannot be read as UTF-8 text ({exc})", "bad_value") from None
    header = next(csv.reader(io.StringIO(line)), [])
    if not header:
        raise IngestError(f"{path.name!r} is empty", "empty")
    return header


# ---------------------------------------------------------------------------------------------------------- dates


def _parse_dates(arr: pa.ChunkedArray | pa.Array, fmt: str | None, where: str) -> np.ndarray:
    """Dates as int64 days since 1970-01-01; refuses nulls, unparseable values and times of day other than midnight."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if arr.null_count:
        raise IngestError(f"{where}: {arr.null_count} rows have no date", "bad_date")
    if len(arr) == 0:
        return np.zeros(0, dtype=np.int64)
    t = arr.type
    if pa.types.is_integer(t):
        arr, fmt = pc.cast(arr, pa.string()), fmt or "%Y%m%d"
        t = pa.string()
    if pa.types.is_timestamp(t):
        ts = pc.local_timestamp(arr) if t.tz else arr
        ts = pc.cast(ts, pa.timestamp("s"))
    elif pa.types.is_date(t):
        ts = pc.cast(pc.cast(arr, pa.date32()), pa.timestamp("s"))
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        arr = pc.utf8_trim_whitespace(arr)
        if fmt is None:
            first = arr[0].as_py() if len(arr) else ""
            for shape, f in DATE_SHAPES:
                if shape.fullmatch(first):
                    fmt = f or "ISO"
                    break
            else:
                raise IngestError(f"{where}: date {first[:40]!r} is not YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD; give "
                                  "date_format", "bad_date")
        if fmt == "ISO":
            arr = pc.replace_substring(arr, "T", " ")
            fmt = "%Y-%m-%d %H:%M:%S"
        ts = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
        if ts.null_count:
            bad = pc.filter(arr, pc.is_null(ts))[0].as_py()
            raise IngestError(f"{where}: {ts.null_count} dates do not read as {fmt!r}, the first {bad[:40]!r}",
                              "bad_date")
    else:
        raise IngestError(f"{where}: the date column is of type {t}, not text, a number, a date or a timestamp",
                          "bad_date")
    secs = np.asarray(ts.to_numpy(zero_copy_only=False)).view("int64")
    days, rest = np.divmod(secs, 86400)
    if rest.any():
        i = int(np.flatnonzero(rest)[0])
        when = np.datetime64(int(secs[i]), "s")
        raise IngestError(f"{where}: {when} is not a whole day: daily bars only", "bad_date")
    return days


# ---------------------------------------------------------------------------------------------------------- parts


@dataclass
class _Part:
    """One source read: day numbers, symbol codes into ``names`` (raw spellings), and its field columns."""

    where: str
    days: np.ndarray
    names: list[str]
    codes: np.ndarray
    fields: dict[str, np.ndarray]
    layout: str = "long"


class _Budget:
    """The rows and values still allowed, shared by the reading threads."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.rows, self.values, self.lock = limits, 0, 0, threading.Lock()

    def take(self, rows: int, fields: int, where: str) -> None:
        with self.lock:
            self.rows += rows
            self.values += rows * max(fields, 1)
            if self.rows > self.limits.max_rows:
                raise IngestError(f"more than {self.limits.max_rows:,} rows in the input (reading {where})",
                                  "too_large")
            if self.values > self.limits.max_values:
                raise IngestError(f"more than {self.limits.max_values:,} values (rows × fields) in the input "
                                  f"(reading {where})", "too_large")


def _float_column(arr: pa.ChunkedArray | pa.Array, where: str, name: str) -> np.ndarray:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    try:
        out = pc.cast(arr, pa.float64()) if arr.type != pa.float64() else arr
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise IngestError(f"{where}: column {name!r} is not numeric ({exc}); leave it out with exclude=",
                          "bad_value") from None
    return np.asarray(out.to_numpy(zero_copy_only=False), dtype=np.float64)


def _to_part(table: pa.Table, cols: _Columns, fmt: str | None, where: str, symbol: str | None) -> _Part:
    days = _parse_dates(table.column(cols.date), fmt, where)
    if symbol is not None:
        names, codes, layout = [symbol], np.zeros(len(days), dtype=np.int32), "per_instrument"
    else:
        assert cols.symbol is not None
        sym = table.column(cols.symbol)
        if not (pa.types.is_string(sym.type) or pa.types.is_large_string(sym.type)):
            sym = pc.cast(sym, pa.string())
        if sym.null_count:
            raise IngestError(f"{where}: {sym.null_count} rows have no symbol", "bad_symbol")
        enc = pc.dictionary_encode(sym.combine_chunks())
        names = enc.dictionary.to_pylist()
        codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int32)
        layout = "long"
    fields = {ours: _float_column(table.column(src), where, src) for ours, src in cols.fields.items()}
    return _Part(where, days, names, codes, fields, layout)


_CONVERSION = re.compile(r"In CSV column #(\d+): CSV conversion error to \w+: invalid value '(.*)'")


def _read_csv(path: Path, header: list[str], cols: _Columns, threads: bool, budget: _Budget, where: str) -> pa.Table:
    types = {cols.date: pa.string(), **({cols.symbol: pa.string()} if cols.symbol else {}),
             **dict.fromkeys(cols.fields.values(), pa.float64())}
    include = [cols.date, *([cols.symbol] if cols.symbol else []), *cols.fields.values()]
    convert = pacsv.ConvertOptions(column_types=types, include_columns=include, strings_can_be_null=True)
    read = pacsv.ReadOptions(use_threads=threads, block_size=16 << 20)
    try:
        if path.name.lower().endswith(".gz") or path.stat().st_size > _STREAM_ABOVE:
            batches = []
            with pacsv.open_csv(path, read_options=read, convert_options=convert) as reader:
                for batch in reader:
                    budget.take(batch.num_rows, len(cols.fields), where)
                    batches.append(batch)
            return pa.Table.from_batches(batches, schema=reader.schema)
        table = pacsv.read_csv(path, read_options=read, convert_options=convert)
    except pa.ArrowInvalid as exc:
        m = _CONVERSION.search(str(exc))
        if m and int(m.group(1)) < len(header):
            name, value = header[int(m.group(1))], m.group(2)[:40]
            raise IngestError(f"{where}: column {name!r} is not numeric (a value {value!r}); leave it out with "
                              "exclude=", "bad_value") from None
        raise IngestError(f"{where}: {exc}", "bad_value") from None
    budget.take(table.num_rows, len(cols.fields), where)
    return table


def _read_one(name: str, path: Path, opts: ReadOptions, threads: bool, budget: _Budget) -> tuple[_Part, set[str]]:
    where = name
    symbol = None
    if path.name.lower().endswith(".parquet"):
        try:
            pf = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise IngestError(f"{where} is not a Parquet file ({exc})", "bad_value") from None
        cols = _plan_columns(pf.schema_arrow.names, opts, where)
        budget.take(pf.metadata.num_rows, len(cols.fields), where)  # known before a byte of data is read
        include = [cols.date, *([cols.symbol] if cols.symbol else []), *cols.fields.values()]
        table = pf.read(columns=include, use_threads=threads)
    else:
        header = _csv_header(path)
        cols = _plan_columns(header, opts, where)
        table = _read_csv(path, header, cols, threads, budget, where)
    if cols.symbol is None:
        symbol = path.name[: -len(_suffix(path.name) or "")].strip()  # normalised with the others' symbols
    return _to_part(table, cols, opts.date_format, where, symbol), set(cols.fields)


# ---------------------------------------------------------------------------------------------------------- bars


def _assemble(parts: list[tuple[_Part, set[str]]], opts: ReadOptions, files: list[str]) -> Bars:
    if not parts or sum(len(p.days) for p, _ in parts) == 0:
        raise IngestError("the input holds no rows", "empty")
    fields: list[str] = []
    for _p, have in parts:
        fields.extend(f for f in sorted(have) if f not in fields)
    # one normalisation per distinct spelling, then a global, sorted symbol table
    spellings: dict[str, str] = {}
    for p, _ in parts:
        for raw in p.names:
            if raw not in spellings:
                spellings[raw] = normalise_symbol(raw, infer_exchange=opts.infer_exchange, where=f" in {p.where}")
    symbols = sorted(set(spellings.values()))
    index = {s: i for i, s in enumerate(symbols)}
    code_parts: list[np.ndarray] = []
    lacking: dict[str, set[str]] = {f: set() for f in fields}  # symbols of sources without the column
    having: dict[str, set[str]] = {f: set() for f in fields}
    for p, have in parts:
        local = np.array([index[spellings[raw]] for raw in p.names], dtype=np.int32)
        code_parts.append(local[p.codes])
        for f in fields:
            (having if f in have else lacking)[f].update(spellings[raw] for raw in p.names)
    absent = {f: lacking[f] - having[f] for f in fields}
    n = sum(len(p.days) for p, _ in parts)
    columns: dict[str, Any] = {
        "date": np.concatenate([p.days for p, _ in parts]).astype("datetime64[D]").astype("datetime64[s]"),
        "symbol": pd.Categorical.from_codes(np.concatenate(code_parts), categories=symbols),
    }
    for f in fields:
        columns[f] = np.concatenate([p.fields.get(f, np.full(len(p.days), np.nan)) for p, _ in parts])
    frame = pd.DataFrame(columns, copy=False)
    assert len(frame) == n
    if opts.prices == "raw":
        _adjust(frame, fields)
    aliases: dict[str, list[str]] = {}
    for raw, norm in spellings.items():
        aliases.setdefault(norm, []).append(raw)
    aliases = {k: sorted(v) for k, v in aliases.items() if len(v) > 1}
    benchmarks = sorted({normalise_symbol(b, infer_exchange=opts.infer_exchange, where=" (a benchmark)")
                         for b in opts.benchmarks})
    return Bars(frame, fields, benchmarks, {f: sorted(s) for f, s in absent.items() if s}, aliases, files)


def _adjust(frame: pd.DataFrame, fields: list[str]) -> None:
    """Raw prices to Qlib's convention, as its collectors do: prices × factor, volume ÷ factor."""
    if "factor" not in fields:
        raise IngestError("prices='raw' needs a factor column to adjust them", "bad_column")
    factor = frame["factor"].to_numpy()
    for f in fields:
        if f in PRICE_FIELDS:
            frame[f] = frame[f].to_numpy() * factor
        elif f == "volume":
            frame[f] = frame[f].to_numpy() / factor


def read_bars(root: Path, names: Sequence[str] | None = None, options: ReadOptions | None = None) -> Bars:
    """Read the input files under ``root`` (the ``names`` given, or every data file in it) into :class:`Bars`."""
    opts = options or ReadOptions()
    files = data_files(Path(root), names, opts.limits)
    budget = _Budget(opts.limits)
    threads = opts.threads or os.cpu_count() or 1
    if len(files) == 1 or threads == 1:
        parts = [_read_one(n, p, opts, len(files) == 1, budget) for n, p in files]
    else:
        with ThreadPoolExecutor(max_workers=min(threads, len(files))) as pool:
            parts = list(pool.map(lambda f: _read_one(f[0], f[1], opts, False, budget), files))
    if len({p.layout for p, _ in parts}) > 1:
        longs = [p.where for p, _ in parts if p.layout == "long"][:3]
        raise IngestError(f"some files are long tables (with a symbol column: {', '.join(longs)}) and others one "
                          "instrument each: give one layout", "bad_column")
    return _assemble(parts, opts, [n for n, _ in files])


def bars_from_frame(df: pd.DataFrame, options: ReadOptions | None = None) -> Bars:
    """:class:`Bars` from a long pandas frame already in memory (same columns, mapping and checks as a long file)."""
    opts = options or ReadOptions()
    cols = _plan_columns([str(c) for c in df.columns], opts, "the frame")
    _Budget(opts.limits).take(len(df), len(cols.fields), "the frame")
    if cols.symbol is None:
        raise IngestError("the frame has no symbol column", "bad_column")
    table = pa.Table.from_pandas(df.rename(columns=str), preserve_index=False)
    return _assemble([(_to_part(table, cols, opts.date_format, "the frame", None), set(cols.fields))], opts, [])


def read_qlib_folder(root: Path, limits: Limits | None = None) -> Bars:
    """A Qlib data folder back into :class:`Bars`: every instrument of its instrument lists (benchmarks from
    ``index.txt``), every field file it has, a row for each calendar day its files cover unless all fields are NaN
    there (a day the source did not have). Feature files must be plain files (no symlinks)."""
    limits = limits or Limits()
    root = Path(root)
    try:
        days = np.array(read_calendar(root), dtype="datetime64[D]")
        inst_dir = root / "instruments"
        markets = sorted(p.stem for p in inst_dir.glob("*.txt") if not p.is_symlink())
        symbols = sorted({row.symbol for m in markets for row in read_instruments(root, m)})
        benchmarks = ([row.symbol for row in read_instruments(root, "index")] if "index" in markets else [])
    except QlibFolderError as exc:
        raise IngestError(str(exc), "bad_value") from None
    if len(symbols) > limits.max_files:
        raise IngestError(f"more than {limits.max_files} instruments", "too_large")
    per: list[tuple[str, int, dict[str, np.ndarray]]] = []
    fields: list[str] = []
    total = 0
    for sym in symbols:
        if not _SYMBOL_RE.fullmatch(sym):
            raise IngestError(f"instrument {sym[:40]!r} is not an instrument name", "bad_symbol")
        folder = root / "features" / feature_dirname(sym)
        if folder.is_symlink() or not folder.is_dir():
            continue
        values: dict[str, np.ndarray] = {}
        start = None
        for f in sorted(folder.iterdir()):
            if not f.name.endswith(f".{FREQ}.bin"):
                continue
            if f.is_symlink() or not f.is_file():
                raise IngestError(f"features/{folder.name}/{f.name} is not a plain file", "symlink")
            raw = np.fromfile(f, dtype="<f4")
            total += raw.nbytes
            if total > limits.max_total_bytes:
                raise IngestError(f"the folder has more than {limits.max_total_bytes:,} bytes of features", "too_large")
            if raw.size == 0 or not np.isfinite(raw[0]) or raw[0] < 0:
                raise IngestError(f"features/{folder.name}/{f.name} has no start index", "bad_value")
            start = int(raw[0]) if start is None else start
            if int(raw[0]) != start:
                raise IngestError(f"features/{folder.name}: the fields start on different days", "bad_value")
            name = f.name[: -len(f".{FREQ}.bin")]
            values[name] = raw[1:]
            if name not in fields:
                fields.append(name)
        if start is not None:
            per.append((sym, start, values))
    parts = []
    for sym, start, values in per:
        length = max(v.size for v in values.values())
        if start + length > len(days):
            raise IngestError(f"features of {sym} run past the calendar's end", "bad_value")
        block = {k: np.pad(v.astype(np.float64), (0, length - v.size), constant_values=np.nan)
                 for k, v in values.items()}
        keep = ~np.logical_and.reduce([np.isnan(v) for v in block.values()])
        part = _Part(f"features/{feature_dirname(sym)}", days[start:start + length][keep].astype("int64"), [sym],
                     np.zeros(int(keep.sum()), dtype=np.int32), {k: v[keep] for k, v in block.items()},
                     "per_instrument")
        parts.append((part, set(values)))
    if sum(len(p.days) for p, _ in parts) > limits.max_rows:
        raise IngestError(f"more than {limits.max_rows:,} rows in the folder", "too_large")
    return _assemble(parts, ReadOptions(benchmarks=benchmarks), [])
