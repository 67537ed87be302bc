"""Vectorised factor statistics on [day, instrument] arrays: IC, Rank IC, quantile returns, turnover, autocorrelation.

Conventions (the tests hold them against scipy/pandas loops, Qlib's ``calc_ic`` and alphalens-reloaded 0.5.1):

- IC / Rank IC per horizon: Pearson / Spearman (average ranks for ties) over the instruments that have both the
  factor and that horizon's return that day (Qlib's ``calc_ic``); a day with fewer than ``min_pairs`` such pairs, or a
  constant side, is NaN. Summary: mean, std (ddof 1, as pandas), ICIR = mean/std, t = mean / (std / sqrt(n)),
  positive ratio, over the days with a value. Horizons over one day overlap: their t-statistics are optimistic (as
  every daily-IC t-statistic in Qlib and alphalens is).
- Quantiles, quantile returns, turnover and rank autocorrelation use alphalens' *clean* set: the instrument-days with
  the factor and every horizon's return (``get_clean_factor``'s ``dropna``). Quantiles are alphalens'
  ``quantize_factor`` (``pd.qcut(x, q, labels=False) + 1`` per day, the same edges to the bit); a day whose edges are
  not unique gets no quantiles (alphalens' ``no_raise``). Mean returns per quantile are the mean over days of the
  daily quantile means (``mean_return_by_quantile``); ``demeaned`` subtracts each day's mean over the clean set first.
- Long-short: daily top-quantile mean minus bottom-quantile mean (alphalens' ``compute_mean_returns_spread`` halves
  it; we do not). Cumulative returns by quantile: the 1-day horizon's daily demeaned quantile means compounded
  (alphalens' tear sheet chart), NaN days counting as 0.
- Turnover: per quantile, the share of today's names not in the quantile on the previous calendar day
  (``quantile_turnover``); NaN when either day has none. Rank autocorrelation (lag 1): Pearson between today's and the
  previous day's ranks (ranked within each day's clean set) over the names in both (``factor_rank_autocorrelation``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MIN_PAIRS = 5


@dataclass
class Panel:
    """A factor and its forward returns as [day, instrument] float64 arrays (NaN = missing) on shared axes;
    ``listed`` marks the instrument-days Qlib lists (the denominator of coverage)."""

    dates: pd.DatetimeIndex
    instruments: pd.Index
    factor: np.ndarray
    returns: dict[str, np.ndarray]
    listed: np.ndarray


def to_panel(factor: pd.Series, returns: pd.DataFrame) -> Panel:
    """Pivot a (datetime, instrument) factor Series and forward-return frame into a :class:`Panel` on the factor's
    axes. Non-finite values (a division by zero's inf) count as missing, as alphalens drops them."""
    wide = factor.unstack(level=1)
    dates, instruments = pd.DatetimeIndex(wide.index), wide.columns
    listed = ~pd.isna(pd.Series(True, index=factor.index).unstack(level=1)).to_numpy()
    f = wide.to_numpy(dtype=np.float64, copy=True)
    f[~np.isfinite(f)] = np.nan
    rets: dict[str, np.ndarray] = {}
    for col in returns.columns:
        r = returns[col].unstack(level=1).reindex(index=dates, columns=instruments).to_numpy(dtype=np.float64,
                                                                                           copy=True)
        r[~np.isfinite(r)] = np.nan
        rets[str(col)] = r
    return Panel(dates, instruments, f, rets, listed)


def forward_returns_from_close(close: np.ndarray, horizons: Sequence[int], days: int | None = None
                               ) -> dict[str, np.ndarray]:
    """:func:`trainers.factors.values.label_expression`'s returns from a [day, instrument] close array:
    ``close[t+1+h] / close[t+1] - 1`` for the first ``days`` rows (default: all; NaN past the end)."""
    t_all = close.shape[0]
    days = t_all if days is None else days
    out = {}
    for h in sorted(set(horizons)):
        r = np.full((days, close.shape[1]), np.nan)
        m = max(0, min(days, t_all - 1 - h))
        r[:m] = close[1 + h:1 + h + m] / close[1:1 + m] - 1
        out[f"{h}D"] = r
    return out


def panel_from_close(factor: pd.Series, close: pd.DataFrame, horizons: Sequence[int]) -> Panel:
    """A :class:`Panel` of a (datetime, instrument) factor and the forward returns of ``close`` (date ×
    instrument, reaching past the factor's last date for the longest horizon; same convention as Qlib's labels in
    :mod:`trainers.factors.values`), forward returns counted on listed days only (as Qlib answers)."""
    wide = factor.unstack(level=1)
    dates, instruments = pd.DatetimeIndex(wide.index), wide.columns
    listed = ~pd.isna(pd.Series(True, index=factor.index).unstack(level=1)).to_numpy()
    f = wide.to_numpy(dtype=np.float64, copy=True)
    f[~np.isfinite(f)] = np.nan
    c = close.reindex(columns=instruments)
    c = c.loc[c.index >= dates[0]]
    if not pd.DatetimeIndex(c.index[:len(dates)]).equals(dates):
        raise ValueError("close must hold every date of the factor, in the same calendar")
    c = c.to_numpy(dtype=np.float64)
    rets = forward_returns_from_close(c, horizons, days=len(dates))
    for r in rets.values():
        r[~listed | ~np.isfinite(r)] = np.nan
    return Panel(dates, instruments, f, rets, listed)


def rank_rows(x: np.ndarray) -> np.ndarray:
    """Per-row ranks 1..n of the non-NaN values (average ranks for ties, as scipy's ``rankdata``/pandas ``rank``),
    NaN where ``x`` is NaN."""
    t, n = x.shape
    order = np.argsort(x, axis=1, kind="stable")  # NaN sort last
    s = np.take_along_axis(x, order, axis=1)
    pos = np.broadcast_to(np.arange(n), (t, n))
    first = np.ones((t, n), dtype=bool)
    first[:, 1:] = s[:, 1:] != s[:, :-1]  # NaN != NaN: each NaN its own run, after every value
    last = np.ones((t, n), dtype=bool)
    last[:, :-1] = first[:, 1:]
    start = np.maximum.accumulate(np.where(first, pos, 0), axis=1)
    end = np.minimum.accumulate(np.where(last, pos, n)[:, ::-1], axis=1)[:, ::-1]
    ranks_sorted = (start + end) / 2.0 + 1.0
    out = np.empty((t, n), dtype=np.float64)
    np.put_along_axis(out, order, ranks_sorted, axis=1)
    out[np.isnan(x)] = np.nan
    return out


def row_pearson(x: np.ndarray, y: np.ndarray, min_pairs: int = MIN_PAIRS) -> np.ndarray:
    """Per-row Pearson correlation over the columns where both are non-NaN; NaN for fewer than ``min_pairs`` pairs
    or a constant side."""
    m = ~(np.isnan(x) | np.isnan(y))
    n = m.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(m, x, 0.0).sum(axis=1) / n
        my = np.where(m, y, 0.0).sum(axis=1) / n
        dx = np.where(m, x - mx[:, None], 0.0)
        dy = np.where(m, y - my[:, None], 0.0)
        sxx, syy = (dx * dx).sum(axis=1), (dy * dy).sum(axis=1)
        r = (dx * dy).sum(axis=1) / np.sqrt(sxx * syy)
    r[(n < max(min_pairs, 2)) | (sxx == 0) | (syy == 0)] = np.nan
    return np.clip(r, -1.0, 1.0)


def daily_ic(f: np.ndarray, r: np.ndarray, min_pairs: int = MIN_PAIRS, f_ranks: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray]:
    """(IC, Rank IC) per day: Pearson and Spearman of factor and return over the instruments with both.
    ``f_ranks`` (``rank_rows(f)``, optional) is reused on the days where every factor value has a return."""
    has_f = ~np.isnan(f)
    both = has_f & ~np.isnan(r)
    fm, rm = np.where(both, f, np.nan), np.where(both, r, np.nan)
    if f_ranks is None:
        rf = rank_rows(fm)
    else:
        rf = f_ranks.copy()
        redo = np.flatnonzero(np.any(both != has_f, axis=1))
        if redo.size:
            rf[redo] = rank_rows(fm[redo])
    return row_pearson(fm, rm, min_pairs), row_pearson(rf, rank_rows(rm), min_pairs)


def qcut_quantiles(q: int) -> np.ndarray:
    """The quantile levels pandas' ``qcut`` uses for ``q`` bins (rounded up where not representable)."""
    qs = np.linspace(0, 1, q + 1)
    np.putmask(qs, q * qs != np.arange(q + 1), np.nextafter(qs, 1))
    return qs


def quantize(f: np.ndarray, quantiles: int = 5) -> np.ndarray:
    """Per-day quantile labels 1..q (0 = none) exactly as alphalens' ``quantize_factor`` (``pd.qcut``): edges by
    linear interpolation at pandas' levels, right-closed bins, the lowest edge included; days with repeated edges
    get none."""
    t, n = f.shape
    valid = ~np.isnan(f)
    counts = valid.sum(axis=1)
    s = np.sort(f, axis=1)  # NaN last: a row's first counts[i] entries are its values
    edges = np.full((t, quantiles + 1), np.nan)
    qs = qcut_quantiles(quantiles)
    for k in np.unique(counts[counts > 0]):  # one np.quantile per distinct day size (few): the same arithmetic
        rows = counts == k
        edges[rows] = np.quantile(s[rows, :k], qs, axis=1).T
    ok = (counts > 0) & np.all(np.diff(edges, axis=1) > 0, axis=1)
    labels = np.zeros((t, n), dtype=np.int8)
    for j in range(quantiles + 1):  # searchsorted(edges, x, side="left") = how many edges lie below x
        labels += (edges[:, j:j + 1] < f).astype(np.int8)
    labels[f == edges[:, :1]] = 1
    labels[~valid | ~ok[:, None] | (labels > quantiles)] = 0
    return labels


def quantile_daily_means(labels: np.ndarray, r: np.ndarray, quantiles: int) -> np.ndarray:
    """[day, quantile] mean of ``r`` over each day's names in each quantile (NaN where none)."""
    out = np.full((labels.shape[0], quantiles), np.nan)
    rv = np.nan_to_num(r)
    for k in range(1, quantiles + 1):
        m = labels == k
        c = m.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, k - 1] = np.where(c > 0, (rv * m).sum(axis=1) / c, np.nan)
    return out


def quantile_turnover(labels: np.ndarray, quantiles: int) -> np.ndarray:
    """[day, quantile] share of today's names in a quantile that were not in it the previous day; NaN on the
    first day and where either day has no names in it."""
    out = np.full((labels.shape[0], quantiles), np.nan)
    for k in range(1, quantiles + 1):
        m = labels == k
        today, before = m[1:], m[:-1]
        c, c_before = today.sum(axis=1), before.sum(axis=1)
        new = (today & ~before).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[1:, k - 1] = np.where((c > 0) & (c_before > 0), new / c, np.nan)
    return out


def rank_autocorrelation(f: np.ndarray, min_pairs: int = MIN_PAIRS) -> np.ndarray:
    """Lag-1 factor rank autocorrelation per day (NaN on the first): Pearson of the within-day ranks of today and
    of the previous day over the names present both days."""
    ranks = rank_rows(f)
    out = np.full(f.shape[0], np.nan)
    if f.shape[0] > 1:
        out[1:] = row_pearson(ranks[1:], ranks[:-1], min_pairs)
    return out


def summarize(x: np.ndarray) -> dict[str, Any]:
    """mean, std (ddof 1), ICIR (mean/std), t-statistic (mean / (std/sqrt(n))), positive ratio, n over the
    non-NaN values."""
    v = x[~np.isnan(x)]
    n = int(v.size)
    mean = float(v.mean()) if n else math.nan
    std = float(v.std(ddof=1)) if n > 1 else math.nan
    ir = mean / std if n > 1 and std > 0 else math.nan
    return {"mean": mean, "std": std, "ir": ir, "t": ir * math.sqrt(n) if n > 1 else math.nan,
            "positive": float((v > 0).mean()) if n else math.nan, "n": n}


def clean_mask(panel: Panel) -> np.ndarray:
    """alphalens' clean set: the factor and every horizon's return present."""
    m = ~np.isnan(panel.factor)
    for r in panel.returns.values():
        m &= ~np.isnan(r)
    return m


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _series(a: np.ndarray) -> list[float | None]:
    return [None if not math.isfinite(v) else float(v) for v in a.tolist()]


def jsonable(obj: Any) -> Any:
    """Floats NaN/inf → None, numpy scalars and arrays → Python numbers and lists, recursively."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return _num(float(obj))
    return obj


@dataclass
class Computed:
    """Every per-day array :func:`compute_stats` reports (for tests and benches that want the arrays)."""

    ic: dict[str, np.ndarray]
    rank_ic: dict[str, np.ndarray]
    labels: np.ndarray
    quantile_daily: dict[str, np.ndarray]
    quantile_daily_demeaned: dict[str, np.ndarray]
    turnover: np.ndarray
    autocorr: np.ndarray
    clean: np.ndarray


def compute(panel: Panel, quantiles: int = 5, min_pairs: int = MIN_PAIRS) -> Computed:
    """The per-day arrays: IC and Rank IC per horizon, quantile labels, daily quantile means (raw and demeaned),
    turnover and rank autocorrelation."""
    ic, ric = {}, {}
    f_ranks = rank_rows(panel.factor)
    for h, r in panel.returns.items():
        ic[h], ric[h] = daily_ic(panel.factor, r, min_pairs, f_ranks)
    clean = clean_mask(panel)
    fc = np.where(clean, panel.factor, np.nan)
    labels = quantize(fc, quantiles)
    binned = labels > 0
    qd, qdd = {}, {}
    for h, r in panel.returns.items():
        rb = np.where(binned, r, np.nan)
        qd[h] = quantile_daily_means(labels, rb, quantiles)
        with np.errstate(invalid="ignore", divide="ignore"):
            day_mean = np.nan_to_num(rb).sum(axis=1) / binned.sum(axis=1)
        qdd[h] = quantile_daily_means(labels, rb - day_mean[:, None], quantiles)
    return Computed(ic, ric, labels, qd, qdd, quantile_turnover(labels, quantiles),
                    rank_autocorrelation(np.where(binned, panel.factor, np.nan), min_pairs), clean)


def compute_stats(panel: Panel, quantiles: int = 5, min_pairs: int = MIN_PAIRS,
                  computed: Computed | None = None) -> dict[str, Any]:
    """Everything an evaluation reports, JSON-serialisable (NaN → None, dates ISO): see the module docstring.

    Shape: ``horizons`` [h…]; ``ic`` / ``rank_ic``: {h: summary}; ``ic_decay``: [mean Rank IC per horizon];
    ``quantiles``: {h: {mean, mean_demeaned: [q values], long_short: summary of daily top − bottom}};
    ``turnover``: {mean: [q], top, bottom}; ``rank_autocorrelation``: summary; ``coverage``: {overall, clean};
    ``days``: {dates, ic: {h: […]}, rank_ic: {h: […]}, cumulative: [q lists], turnover_top, turnover_bottom,
    rank_autocorrelation, coverage} — one entry per date. ``computed``: :func:`compute`'s arrays for the same
    arguments, if already at hand."""
    c = computed if computed is not None else compute(panel, quantiles, min_pairs)
    horizons = list(panel.returns)
    with np.errstate(invalid="ignore", divide="ignore"):
        listed = panel.listed.sum(axis=1)
        have = (~np.isnan(panel.factor) & panel.listed).sum(axis=1)
        cov_day = np.where(listed > 0, have / listed, np.nan)
    total = int(panel.listed.sum())
    quant: dict[str, Any] = {}
    for h in horizons:
        with np.errstate(invalid="ignore"):
            means = [float(np.nanmean(col)) if np.isfinite(col).any() else math.nan for col in c.quantile_daily[h].T]
            dmeans = [float(np.nanmean(col)) if np.isfinite(col).any() else math.nan
                      for col in c.quantile_daily_demeaned[h].T]
        spread = c.quantile_daily[h][:, -1] - c.quantile_daily[h][:, 0]
        quant[h] = {"mean": means, "mean_demeaned": dmeans, "long_short": summarize(spread)}
    cum_h = "1D" if "1D" in horizons else horizons[0]
    cumulative = np.cumprod(1 + np.nan_to_num(c.quantile_daily_demeaned[cum_h]), axis=0) - 1
    with np.errstate(invalid="ignore"):
        turn_mean = [float(np.nanmean(col)) if np.isfinite(col).any() else math.nan for col in c.turnover.T]
    out = {
        "horizons": horizons,
        "quantiles": quantiles,
        "min_pairs": min_pairs,
        "ic": {h: summarize(c.ic[h]) for h in horizons},
        "rank_ic": {h: summarize(c.rank_ic[h]) for h in horizons},
        "ic_decay": [summarize(c.rank_ic[h])["mean"] for h in horizons],
        "quantile_returns": quant,
        "cumulative_horizon": cum_h,
        "turnover": {"mean": turn_mean, "top": turn_mean[-1], "bottom": turn_mean[0]},
        "rank_autocorrelation": summarize(c.autocorr),
        "coverage": {"overall": (int((~np.isnan(panel.factor) & panel.listed).sum()) / total) if total else math.nan,
                     "clean": (int(c.clean.sum()) / total) if total else math.nan,
                     "days_with_quantiles": int((c.labels > 0).any(axis=1).sum())},
        "days": {
            "dates": [d.strftime("%Y-%m-%d") for d in panel.dates],
            "ic": {h: _series(c.ic[h]) for h in horizons},
            "rank_ic": {h: _series(c.rank_ic[h]) for h in horizons},
            "cumulative": [_series(col) for col in cumulative.T],
            "turnover_top": _series(c.turnover[:, -1]),
            "turnover_bottom": _series(c.turnover[:, 0]),
            "rank_autocorrelation": _series(c.autocorr),
            "coverage": _series(cov_day),
        },
    }
    return jsonable(out)
