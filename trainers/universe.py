"""Universes: the instruments of a Qlib folder that form a market, chosen by a rule (the top traded, rebalanced
monthly) or given as member rows, as instrument-list rows (one per stretch of contiguous membership)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from qlp_core.qlib_data import Instrument, read_calendar, read_feature, read_instruments, write_instruments

#: Names a refusal lists per kind of problem; the rest is counted.
MAX_NAMED = 20


class UniverseError(ValueError):
    """A universe that cannot be made; the message says why, naming the symbols and dates."""


@dataclass
class Listing:
    """A folder's calendar and its stocks (``all`` less the benchmarks of ``index``), sorted, with the days each one is
    listed on (``listed[t, j]``: instrument ``j`` on calendar day ``t``)."""

    days: list[date]
    symbols: list[str]
    benchmarks: list[str]
    listed: np.ndarray

    @property
    def ordinals(self) -> np.ndarray:
        return np.array([d.toordinal() for d in self.days], dtype=np.int64)


@dataclass
class Universe:
    """A market's rows, with how they came about: each rebalance's day and size (a rule), notes for the log."""

    rows: list[Instrument]
    rebalances: list[date] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def instruments(self) -> int:
        return len({r.symbol for r in self.rows})


def _day_mask(n_days: int, n_cols: int, cols: np.ndarray, first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """``mask[t, j]``: some range ``first[i] <= t < stop[i]`` of column ``cols[i] == j`` covers day ``t``."""
    edges = np.zeros((n_days + 1, n_cols), dtype=np.int32)
    ok = first < stop
    np.add.at(edges, (first[ok], cols[ok]), 1)
    np.add.at(edges, (stop[ok], cols[ok]), -1)
    return np.cumsum(edges[:-1], axis=0) > 0


def load_listing(root: Path) -> Listing:
    """The calendar and the stocks' listings of a Qlib folder (QlibFolderError when it cannot be read)."""
    days = read_calendar(root)
    if not days:
        raise UniverseError("the calendar is empty")
    rows = read_instruments(root, "all")
    index = root / "instruments" / "index.txt"
    benchmarks = sorted({r.symbol for r in read_instruments(root, "index")}) if index.is_file() else []
    symbols = sorted({r.symbol for r in rows} - set(benchmarks))
    col = {s: j for j, s in enumerate(symbols)}
    kept = [r for r in rows if r.symbol in col]
    ordinals = np.array([d.toordinal() for d in days], dtype=np.int64)
    first = np.searchsorted(ordinals, [r.start.toordinal() for r in kept], side="left")
    stop = np.searchsorted(ordinals, [r.end.toordinal() for r in kept], side="right")
    listed = _day_mask(len(days), len(symbols), np.array([col[r.symbol] for r in kept], dtype=np.int64),
                       np.asarray(first, dtype=np.int64), np.asarray(stop, dtype=np.int64))
    return Listing(days, symbols, benchmarks, listed)


def traded_value(root: Path, listing: Listing) -> np.ndarray:
    """Daily traded value ``[day, instrument]`` (float64): the ``amount`` field where an instrument has one, else
    close × volume (adjusted close × adjusted volume is raw close × raw volume: the factor cancels). NaN where it did
    not trade (no value, zero, not finite) or is not listed."""
    n_days = len(listing.days)
    value = np.full((n_days, len(listing.symbols)), np.nan)
    for j, symbol in enumerate(listing.symbols):
        amount = read_feature(root, symbol, "amount", 0, n_days)
        if amount is not None:
            value[:, j] = amount
            continue
        close = read_feature(root, symbol, "close", 0, n_days)
        volume = read_feature(root, symbol, "volume", 0, n_days)
        if close is not None and volume is not None:
            value[:, j] = close.astype(np.float64) * volume.astype(np.float64)
    with np.errstate(invalid="ignore"):
        value[~(np.isfinite(value) & (value > 0) & listing.listed)] = np.nan
    return value


def month_starts(days: list[date]) -> np.ndarray:
    """Calendar indexes of the first trading day of each month (the calendar's first day included)."""
    month = np.array([d.year * 12 + d.month for d in days], dtype=np.int64)
    return np.flatnonzero(np.r_[True, month[1:] != month[:-1]])


def rows_of(listing: Listing, member: np.ndarray) -> list[Instrument]:
    """The instrument-list rows of a day mask ``member[t, j]``: one per run of member days, from its first day to its
    last, by symbol then start."""
    n_days, n = member.shape
    padded = np.zeros((n, n_days + 2), dtype=np.int8)
    padded[:, 1:-1] = member.T
    step = np.diff(padded, axis=1)
    s_col, s_day = np.nonzero(step == 1)
    _, e_day = np.nonzero(step == -1)
    days, symbols = listing.days, listing.symbols
    return [Instrument(symbols[j], days[a], days[b - 1])
            for j, a, b in zip(s_col.tolist(), s_day.tolist(), e_day.tolist(), strict=True)]


def top_traded(root: Path, *, n: int, window: int = 60, min_days: int | None = None,
               listing: Listing | None = None, value: np.ndarray | None = None) -> Universe:
    """At each rebalance day (the first trading day of each month with ``window`` trading days before it), the ``n``
    instruments listed in ``all`` that day with the highest mean traded value over the ``window`` trading days before
    it (the days they traded; at least ``min_days`` of them, default ``window // 2``), ties by symbol. Only days before
    the rebalance day are read: no look-ahead. Members until the next rebalance (or their listing's end)."""
    if min_days is None:
        min_days = max(1, window // 2)
    if n < 1 or window < 1 or not 1 <= min_days <= window:
        raise UniverseError(f"n {n}, window {window}, min_days {min_days}: need n >= 1 and 1 <= min_days <= window")
    listing = listing or load_listing(root)
    value = traded_value(root, listing) if value is None else value
    days, n_days = listing.days, len(listing.days)
    rebal = month_starts(days)
    rebal = rebal[rebal >= window]
    if rebal.size == 0:
        raise UniverseError(f"no month starts after a full window of {window} trading days: the calendar holds "
                            f"{n_days} days, {days[0]}..{days[-1]}")
    traded = np.isfinite(value)
    total = np.zeros((n_days + 1, value.shape[1]))
    np.cumsum(np.where(traded, value, 0.0), axis=0, out=total[1:])
    count = np.zeros((n_days + 1, value.shape[1]), dtype=np.int64)
    np.cumsum(traded, axis=0, out=count[1:])
    # total[r] - total[r - window]: the days r - window .. r - 1, strictly before the rebalance day r
    sums, counts = total[rebal] - total[rebal - window], count[rebal] - count[rebal - window]
    eligible = listing.listed[rebal] & (counts >= min_days)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(eligible, sums / np.maximum(counts, 1), -np.inf)
    order = np.argsort(-mean, axis=1, kind="stable")[:, :n]  # stable: equal values in symbol order
    chosen = np.zeros_like(eligible)
    np.put_along_axis(chosen, order, True, axis=1)
    chosen &= eligible
    period = np.searchsorted(rebal, np.arange(n_days), side="right") - 1
    member = np.zeros_like(listing.listed)
    member[period >= 0] = chosen[period[period >= 0]]
    member &= listing.listed
    sizes = chosen.sum(axis=1).tolist()
    if not any(sizes):
        raise UniverseError(f"no instrument traded on {min_days} of the {window} days before any rebalance")
    notes = [f"{len(sizes)} rebalances {days[rebal[0]]}..{days[rebal[-1]]}, members {min(sizes)}..{max(sizes)} "
             f"(n {n}); {len(listing.benchmarks)} benchmarks left out"]
    short = [days[r].isoformat() for r, s in zip(rebal.tolist(), sizes, strict=True) if s < n]
    if short:
        notes.append(f"{len(short)} rebalances had fewer than {n} eligible instruments: "
                     + ", ".join(short[:MAX_NAMED]) + (" …" if len(short) > MAX_NAMED else ""))
    return Universe(rows_of(listing, member), [days[r] for r in rebal.tolist()], sizes, notes)


def _named(label: str, items: list[str]) -> str:
    shown = ", ".join(items[:MAX_NAMED])
    return f"{len(items)} {label}: {shown}" + (f" (+{len(items) - MAX_NAMED} more)" if len(items) > MAX_NAMED else "")


def _as_day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def from_members(root: Path, members: Iterable[tuple[str, date | str, date | str]],
                 listing: Listing | None = None) -> Universe:
    """The rows of given members (symbol, first day, last day; any spelling of a symbol ``normalise_symbol`` takes):
    every symbol must be a stock of the folder and every row's dates must parse with start <= end, else UniverseError
    naming them. Rows are clipped to the calendar and the instrument's listing (rows wholly outside are left out, and
    said), and overlapping or adjacent rows of one instrument merged."""
    from trainers.ingest.symbols import SymbolError, normalise_symbol

    listing = listing or load_listing(root)

    def key(symbol: str) -> str:
        try:
            return normalise_symbol(symbol)
        except SymbolError:
            return symbol.upper()

    col = {key(s): j for j, s in enumerate(listing.symbols)}
    benchmarks = {key(s) for s in listing.benchmarks}
    unknown: dict[str, None] = {}
    named_benchmarks: dict[str, None] = {}
    bad_symbols: list[str] = []
    bad_dates: list[str] = []
    reversed_rows: list[str] = []
    cols: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, (raw, start, end) in enumerate(members, start=1):
        try:
            symbol = normalise_symbol(raw)
        except SymbolError as exc:
            bad_symbols.append(f"row {i}: {exc}")
            continue
        try:
            first, last = _as_day(start), _as_day(end)
        except ValueError:
            bad_dates.append(f"row {i} ({symbol}): {str(start)[:24]!r}..{str(end)[:24]!r}")
            continue
        if first > last:
            reversed_rows.append(f"row {i} ({symbol}): {first}..{last}")
            continue
        if symbol not in col:
            (named_benchmarks if symbol in benchmarks else unknown)[symbol] = None
            continue
        cols.append(col[symbol])
        starts.append(first.toordinal())
        ends.append(last.toordinal())
    problems = [_named(label, items) for label, items in (
        ("unknown symbols (not stocks of this version)", list(unknown)),
        ("benchmarks (never members)", list(named_benchmarks)),
        ("bad symbols", bad_symbols),
        ("rows with dates that are not YYYY-MM-DD", bad_dates),
        ("rows that end before they start", reversed_rows)) if items]
    if problems:
        raise UniverseError("members refused: " + "; ".join(problems))
    if not cols:
        raise UniverseError("no member rows")
    ordinals = listing.ordinals
    c = np.array(cols, dtype=np.int64)
    first_idx = np.searchsorted(ordinals, np.array(starts, dtype=np.int64), side="left")
    stop_idx = np.searchsorted(ordinals, np.array(ends, dtype=np.int64), side="right")
    n_days, n = listing.listed.shape
    member = _day_mask(n_days, n, c, first_idx, stop_idx) & listing.listed
    # rows that share no day with their instrument's listing
    listed_count = np.zeros((n_days + 1, n), dtype=np.int64)
    np.cumsum(listing.listed, axis=0, out=listed_count[1:])
    overlap = listed_count[stop_idx, c] - listed_count[first_idx, c]
    notes = []
    outside = np.flatnonzero(overlap <= 0)
    if outside.size:
        named = [f"{listing.symbols[c[i]]} {date.fromordinal(starts[i])}..{date.fromordinal(ends[i])}"
                 for i in outside[:MAX_NAMED].tolist()]
        notes.append(f"{outside.size} member rows lie outside the calendar or their instrument's listing and are "
                     f"left out: {', '.join(named)}" + (" …" if outside.size > MAX_NAMED else ""))
    if not member.any():
        raise UniverseError("no member row shares a day with its instrument's listing in this version's calendar "
                            f"({listing.days[0]}..{listing.days[-1]})")
    rows = rows_of(listing, member)
    if len(rows) != len(cols) - outside.size:
        notes.append(f"{len(cols)} member rows became {len(rows)} rows (clipped to listings, overlaps merged)")
    return Universe(rows, notes=notes)


def write_market(root: Path, market: str, rows: list[Instrument]) -> None:
    """``instruments/<market>.txt`` of ``rows``."""
    write_instruments(root, market, [(r.symbol, r.start.isoformat(), r.end.isoformat()) for r in rows])
