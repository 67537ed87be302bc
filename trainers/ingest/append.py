"""Appending an upload to a version: the base version's bars and the new ones as one market, rows the base already
has dropped when equal and named as errors when they would revise its history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from trainers.ingest.readers import Bars
from trainers.ingest.validate import Problem


def _f32_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal as Qlib stores them (float32), NaN equal to NaN."""
    x, y = a.astype(np.float32), b.astype(np.float32)
    return (x == y) | (np.isnan(x) & np.isnan(y))


def _absent(bars: Bars, field: str, symbols: Iterable[str]) -> set[str]:
    """Symbols for which ``bars`` has no values of ``field`` (no column, or no rows at all)."""
    mine = set(bars.symbols)
    out = {s for s in symbols if s not in mine}
    out |= mine if field not in bars.fields else set(bars.absent.get(field, []))
    return out


def append_bars(base: Bars, new: Bars, max_dates: int = 10) -> tuple[Bars, list[Problem]]:
    """``base`` (a version read back) with ``new`` appended: new days, new instruments, new fields. A row of ``new``
    on a (date, symbol) that ``base`` has is dropped; where it differs from the stored one it is a ``revises_base``
    error (a version never rewrites the history of the one it extends), one per instrument with its dates."""
    fields = list(dict.fromkeys([*base.fields, *new.fields]))
    symbols = sorted(set(base.symbols) | set(new.symbols))
    frames = []
    for bars in (base, new):
        f = bars.frame.copy()
        f["symbol"] = f["symbol"].astype(str)
        for name in fields:
            if name not in f:
                f[name] = np.nan
        frames.append(f[["date", "symbol", *fields]])
    old, fresh = frames
    keys = old[["date", "symbol"]].assign(_row=np.arange(len(old)))
    hit = fresh[["date", "symbol"]].reset_index(drop=True).merge(keys, on=["date", "symbol"], how="left")["_row"]
    overlap = hit.notna().to_numpy()
    problems: list[Problem] = []
    if overlap.any():
        rows_new = np.flatnonzero(overlap)
        rows_old = hit.to_numpy()[overlap].astype(np.int64)
        same = np.ones(len(rows_new), dtype=bool)
        for name in fields:
            same &= _f32_equal(fresh[name].to_numpy()[rows_new], old[name].to_numpy()[rows_old])
        changed = fresh.iloc[rows_new[~same]]
        for sym, grp in changed.groupby("symbol", sort=True):
            days = sorted(pd.to_datetime(grp["date"]).dt.date.unique())
            problems.append(_revision(str(sym), days, max_dates))
    merged = pd.concat([old, fresh.loc[~overlap]], ignore_index=True)
    merged["symbol"] = pd.Categorical(merged["symbol"], categories=symbols)
    merged = merged.sort_values(["symbol", "date"], kind="stable").reset_index(drop=True)
    absent = {f: sorted(_absent(base, f, symbols) & _absent(new, f, symbols)) for f in fields}
    aliases = {**base.aliases, **new.aliases}
    return Bars(merged, fields, sorted(set(base.benchmarks) | set(new.benchmarks)),
                {f: s for f, s in absent.items() if s}, aliases, new.files), problems


def _revision(symbol: str, days: list[date], max_dates: int) -> Problem:
    span = str(days[0]) if len(days) == 1 else f"{len(days)} days, {days[0]}..{days[-1]}"
    return Problem(check="revises_base", symbol=symbol, first=days[0], last=days[-1], dates=days[:max_dates],
                   count=len(days), message=f"{symbol}: the upload changes the base version's bars on {span} "
                   "(an appended version never rewrites history: ingest a full new version instead)")
