"""Bars into Qlib's binary layout, vectorised, byte for byte what Qlib's ``dump_bin.py dump_all`` writes."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qlp_core.qlib_data import SYMBOL_PATTERN, feature_dirname, write_bins, write_calendar, write_instruments
from trainers.ingest.errors import IngestError
from trainers.ingest.panel import Panel, panel_of
from trainers.ingest.readers import Bars

_MARKET_RE = re.compile(SYMBOL_PATTERN)


@dataclass
class WriteSummary:
    """What a write produced."""

    instruments: int
    benchmarks: list[str]
    days: int
    first_day: str
    last_day: str
    rows: int  # distinct (symbol, day) pairs written
    fields: list[str]
    files: int
    bytes: int
    seconds: float


def _empty_target(out: Path) -> None:
    if out.is_symlink():
        raise IngestError(f"the output folder {out} is a symbolic link", "symlink")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IngestError(f"the output folder {out} is not empty", "output_not_empty")
    out.mkdir(parents=True, exist_ok=True)


def write_qlib(bars: Bars, out: Path, *, market: str = "all", panel: Panel | None = None) -> WriteSummary:
    """Write ``bars`` as a Qlib folder in ``out`` (new or empty). Calendar: the union of every row's day. Instruments:
    ``all.txt`` (and ``<market>.txt``) list the instruments that are not benchmarks, ``index.txt`` the benchmarks,
    each with its first and last day. Features: for each instrument and field, little-endian float32, the calendar index
    of its first day, then one value per calendar day to its last, NaN where it has no row; the first of duplicate
    (symbol, day) rows wins. An instrument whose source had no column for a field gets no file for it.

    What Qlib's ``dump_all`` does otherwise: it writes no ``day_future.txt``, lists benchmarks in ``all.txt`` like any
    instrument (so with no benchmark marked ours does too), and orders ``all.txt`` by file name where ours is by symbol
    (the same order unless file names differ from their symbols in case)."""
    t0 = time.perf_counter()
    if not _MARKET_RE.fullmatch(market) or market == "index":
        raise IngestError(f"{market!r} is not a market name (and 'index' is the benchmarks' list)", "bad_value")
    out = Path(out)
    p = panel or panel_of(bars)
    dirnames = [feature_dirname(s) for s in p.symbols]
    if len(set(dirnames)) != len(dirnames):
        raise IngestError("two symbols would share one feature folder", "bad_symbol")
    _empty_target(out)

    keep = ~p.dup
    lengths = p.end - p.start + 1
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    code, ci = p.code[keep], p.ci[keep]
    pos = offsets[code] + (ci - p.start[code])
    values = {}
    for f in bars.fields:
        flat = np.full(int(offsets[-1]), np.nan, dtype="<f4")
        flat[pos] = p.column(bars, f)[keep]  # float64 → float32 rounds to nearest, as Qlib's astype("<f") does
        values[f] = flat
    absent = {f: set(syms) for f, syms in bars.absent.items()}
    present = {f: np.array([s not in miss for s in p.symbols]) for f, miss in absent.items()}
    nbytes = write_bins(out / "features", dirnames, p.start, offsets, values, present)

    days = [str(d) for d in p.calendar]
    write_calendar(out, days)
    marked = set(bars.benchmarks)
    rows = [(s, days[a], days[b]) for s, a, b in zip(p.symbols, p.start, p.end, strict=True)]
    stocks = [r for r in rows if r[0] not in marked]
    write_instruments(out, "all", stocks)
    if market != "all":
        write_instruments(out, market, stocks)
    index = [r for r in rows if r[0] in marked]
    if index:
        write_instruments(out, "index", index)
    files = sum(int(present[f].sum()) if f in present else len(dirnames) for f in bars.fields)
    return WriteSummary(
        instruments=len(stocks), benchmarks=[r[0] for r in index], days=len(days), first_day=days[0],
        last_day=days[-1], rows=int(keep.sum()), fields=list(bars.fields), files=files, bytes=nbytes,
        seconds=time.perf_counter() - t0)
