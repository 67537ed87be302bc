"""Reading a dataset version's market data from its Qlib folder: instrument lists, the calendar, daily bars."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np

from platform_api.data.models import Dataset
from platform_api.data.schemas import BarsRead, CalendarRead, InstrumentRead
from platform_api.domain_errors import Gone, NotFound, Refused
from qlp_core.qlib_data import (
    Instrument,
    QlibFolderError,
    calendar_slice,
    read_calendar,
    read_feature,
    read_instruments,
)

#: The most bars one request answers; a longer window is refused (narrow it with start and end).
MAX_BARS = 5000
PRICES = ("open", "high", "low", "close")
Adjust = Literal["adjusted", "raw"]


def _root(ds: Dataset) -> Path:
    root = Path(ds.path)
    if not root.is_dir():
        raise Gone(f"the files of dataset {ds.name}@v{ds.version} are gone from {ds.path}")
    return root


def _damaged(ds: Dataset, exc: QlibFolderError) -> Gone:
    return Gone(f"the files of dataset {ds.name}@v{ds.version} are damaged: {exc}")


def _check_window(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise Refused(f"start {start} is after end {end}")


def instruments(ds: Dataset, market: str, q: str | None, limit: int, offset: int) -> list[InstrumentRead]:
    """The instruments of one of the version's markets (``all`` by default), in file order; ``q`` a symbol prefix
    (any case)."""
    if market not in ds.markets:
        raise NotFound(f"dataset {ds.name}@v{ds.version} has no market {market!r}: it has {', '.join(ds.markets)}")
    root = _root(ds)
    try:
        rows = read_instruments(root, market)
    except QlibFolderError as exc:
        raise _damaged(ds, exc) from exc
    if q:
        prefix = q.casefold()
        rows = [r for r in rows if r.symbol.casefold().startswith(prefix)]
    return [InstrumentRead(symbol=r.symbol, start=r.start, end=r.end) for r in rows[offset:offset + limit]]


def calendar(ds: Dataset, start: date | None, end: date | None) -> CalendarRead:
    _check_window(start, end)
    root = _root(ds)
    try:
        days = read_calendar(root)
    except QlibFolderError as exc:
        raise _damaged(ds, exc) from exc
    first, stop = calendar_slice(days, start, end)
    return CalendarRead(dates=days[first:stop])


def _find(ds: Dataset, root: Path, symbol: str) -> Instrument:
    """The row of ``symbol`` (any case) in the version's instrument lists (every market, benchmarks included)."""
    wanted = symbol.casefold()
    try:
        for market in ds.markets:
            for row in read_instruments(root, market):
                if row.symbol.casefold() == wanted:
                    return row
    except QlibFolderError as exc:
        raise _damaged(ds, exc) from exc
    raise NotFound(f"dataset {ds.name}@v{ds.version} has no instrument {symbol!r}")


def _values(a: np.ndarray | None, n: int) -> list[float | None]:
    """float32 values as JSON numbers (their shortest exact text), NaN and infinities as null."""
    if a is None:
        return [None] * n
    finite = np.isfinite(a)
    return [float(str(v)) if ok else None for v, ok in zip(a, finite, strict=True)]


def bars(ds: Dataset, symbol: str, start: date | None, end: date | None, adjust: Adjust) -> BarsRead:
    """Daily bars of ``symbol`` from ``start`` to ``end`` (both included), within its listing. Without ``start`` the
    window is the last MAX_BARS trading days to ``end`` (default: the last day listed); a longer window is refused."""
    _check_window(start, end)
    root = _root(ds)
    row = _find(ds, root, symbol)
    try:
        days = read_calendar(root)
        last = min(end or row.end, row.end)
        first_day = max(start or row.start, row.start)
        first, stop = calendar_slice(days, first_day, last)
        if start is None:
            first = max(first, stop - MAX_BARS)
        if stop - first > MAX_BARS:
            raise Refused(f"{days[first]} to {days[stop - 1]} holds {stop - first} bars of {row.symbol}; at most "
                          f"{MAX_BARS} are answered per request: narrow start and end")
        fields = {f: read_feature(root, row.symbol, f, first, stop) for f in (*PRICES, "volume", "factor")}
    except QlibFolderError as exc:
        raise _damaged(ds, exc) from exc
    n = stop - first
    if adjust == "raw":
        factor = fields["factor"]
        with np.errstate(divide="ignore", invalid="ignore"):
            for f in PRICES:
                price = fields[f]
                fields[f] = None if price is None or factor is None else price / factor
            volume = fields["volume"]
            fields["volume"] = None if volume is None or factor is None else volume * factor
    out = {f: _values(v, n) for f, v in fields.items()}
    return BarsRead(symbol=row.symbol, adjust=adjust, dates=days[first:stop], open=out["open"], high=out["high"],
                    low=out["low"], close=out["close"], volume=out["volume"], factor=out["factor"])
