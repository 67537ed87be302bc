"""The bars sorted once by (symbol, date) with their calendar: what the validation and the writer both read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainers.ingest.readers import Bars


@dataclass
class Panel:
    """``order`` sorts the frame's rows by (symbol, day), keeping input order among equal pairs (so the first of a
    duplicate comes first). Per sorted row: ``code`` (index into ``symbols``), ``ci`` (index into ``calendar``) and
    ``dup`` (same pair as the row before). Per instrument: rows ``bounds[k]:bounds[k + 1]`` of the sorted order, first
    and last calendar index ``start``/``end``. ``calendar`` is the union of every row's day (datetime64[D])."""

    symbols: list[str]
    calendar: np.ndarray
    order: np.ndarray
    code: np.ndarray
    ci: np.ndarray
    dup: np.ndarray
    bounds: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def column(self, bars: Bars, field: str) -> np.ndarray:
        """One field in sorted row order (float64)."""
        return np.asarray(bars.frame[field].to_numpy(dtype=np.float64, na_value=np.nan))[self.order]

    def dates(self, ci: np.ndarray) -> list[str]:
        return [str(d) for d in self.calendar[ci]]


def panel_of(bars: Bars) -> Panel:
    """Sort the bars once: one stable argsort on symbol code × calendar size + calendar index."""
    frame = bars.frame
    cat = frame["symbol"].cat
    symbols = [str(s) for s in cat.categories]
    codes = np.asarray(cat.codes, dtype=np.int64)
    if (codes < 0).any():
        raise ValueError("rows without a symbol")
    if symbols != sorted(symbols):  # a frame built elsewhere: renumber so that codes follow symbol order
        rank = np.empty(len(symbols), dtype=np.int64)
        rank[np.argsort(np.array(symbols, dtype=object), kind="stable")] = np.arange(len(symbols))
        codes, symbols = rank[codes], sorted(symbols)
    days = np.asarray(frame["date"].to_numpy()).astype("datetime64[D]").view("int64")
    calendar = np.unique(days)
    ci_rows = np.searchsorted(calendar, days)
    order = np.argsort(codes * len(calendar) + ci_rows, kind="stable")
    code, ci = codes[order], ci_rows[order]
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] = (code[1:] == code[:-1]) & (ci[1:] == ci[:-1])
    bounds = np.searchsorted(code, np.arange(len(symbols) + 1))
    present = bounds[1:] > bounds[:-1]
    if not present.all():  # categories no row uses: dropped
        keep = np.flatnonzero(present)
        remap = np.full(len(symbols), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        code, symbols = remap[code], [symbols[k] for k in keep]
        bounds = np.searchsorted(code, np.arange(len(symbols) + 1))
    start, end = ci[bounds[:-1]], ci[bounds[1:] - 1]
    return Panel(symbols, calendar.astype("datetime64[D]"), order, code, ci, dup, bounds, start, end)
