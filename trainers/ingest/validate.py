"""The validation report of market data, before it is written: errors reject a version, warnings travel with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from qlp_core.qlib_data import FIELDS
from trainers.ingest.panel import Panel, panel_of
from trainers.ingest.readers import PRICE_FIELDS, Bars

#: Every check's name, as it appears in ``Problem.check``.
CHECKS = ("duplicate_rows", "non_positive_price", "negative_volume", "high_below_low", "open_outside_range",
          "close_outside_range", "missing_days", "suspension", "extreme_jump", "nan_ratio", "field_missing",
          "factor_missing", "factor_non_positive", "factor_jump_without_price_move", "calendar_weekend",
          "calendar_gap", "benchmark_missing", "symbols_merged", "revises_base")


class ValidationConfig(BaseModel):
    """The thresholds of the checks (all configurable per ingest)."""

    max_missing_days: int = Field(default=10, ge=0, description=(
        "an instrument lacking more consecutive calendar days than this (between its first and last day) is an error; "
        "shorter holes are warnings"))
    jump_threshold: float = Field(default=0.5, gt=0, description=(
        "a day-over-day move of the adjusted close (net of the factor) beyond ×(1 + this) up or ÷(1 + this) down is "
        "a warning"))
    nan_ratio: float = Field(default=0.05, ge=0, le=1, description=(
        "a field NaN on more than this share of an instrument's rows is a warning"))
    factor_jump: float = Field(default=0.1, gt=0, description=(
        "a day-over-day factor change larger than this fraction must come with the raw price (close / factor) moving "
        "the other way by at least half of it, else it is an error"))
    max_calendar_gap_weekdays: int = Field(default=7, ge=0, description=(
        "more consecutive weekdays than this missing from the calendar is a warning"))
    min_suspension_days: int = Field(default=1, ge=1, description=(
        "zero-volume runs of at least this many days are warnings"))
    price_tolerance: float = Field(default=1e-6, ge=0, description=(
        "relative slack of the open/close-in-[low, high] checks"))
    required_fields: list[str] = Field(default_factory=lambda: ["close"], description=(
        "fields whose absence is an error (the others of Qlib's are warnings)"))
    max_items_per_check: int = Field(default=100, ge=1, description=(
        "problems listed per check and level; the rest are counted in the report's omitted"))
    max_dates: int = Field(default=10, ge=1, description="dates listed per problem")


class Problem(BaseModel):
    """One problem: which check, which instrument (None for the whole market), its first and last date and up to
    ``max_dates`` of its dates, how many rows or days it covers, and a sentence for people."""

    check: str
    symbol: str | None = None
    first: date | None = None
    last: date | None = None
    dates: list[date] = Field(default_factory=list)
    count: int = 0
    message: str


class ValidationReport(BaseModel):
    """Errors (the version must be rejected) and warnings (kept with it), what was checked and under which thresholds.
    ``omitted`` counts, per ``level/check``, problems past ``max_items_per_check``."""

    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    omitted: dict[str, int] = Field(default_factory=dict)
    instruments: int = 0
    benchmarks: list[str] = Field(default_factory=list)
    rows: int = 0
    days: int = 0
    first_day: date | None = None
    last_day: date | None = None
    fields: list[str] = Field(default_factory=list)
    config: ValidationConfig = Field(default_factory=lambda: ValidationConfig())

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_check(self, level: Literal["errors", "warnings"] = "errors") -> dict[str, list[Problem]]:
        out: dict[str, list[Problem]] = {}
        for p in getattr(self, level):
            out.setdefault(p.check, []).append(p)
        return out


def _day(p: Panel, row: int) -> str:
    return str(p.calendar[p.ci[row]])


def _outside(p: Panel, name: str, v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Callable[[int], str]:
    return lambda i: f"{name} {v[i]:g} not in [{lo[i]:g}, {hi[i]:g}]"


def _span(days: np.ndarray) -> str:
    if len(days) == 0:
        return ""
    first, last = str(days[0]), str(days[-1])
    return first if first == last else f"{first}..{last}"


class _Report:
    """Collects problems with their caps."""

    def __init__(self, p: Panel, cfg: ValidationConfig) -> None:
        self.p, self.cfg = p, cfg
        self.items: dict[str, list[Problem]] = {"errors": [], "warnings": []}
        self.counts: dict[str, int] = {}

    def add(self, level: Literal["errors", "warnings"], check: str, symbol: str | None, days: np.ndarray, count: int,
            message: str) -> None:
        key = f"{level}/{check}"
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] > self.cfg.max_items_per_check:
            return
        listed = [d.item() for d in days[: self.cfg.max_dates]]
        self.items[level].append(Problem(check=check, symbol=symbol, first=days[0].item() if len(days) else None,
                                         last=days[-1].item() if len(days) else None, dates=listed, count=count,
                                         message=message))

    def per_symbol(self, level: Literal["errors", "warnings"], check: str, mask: np.ndarray, what: str,
                   detail: Callable[[int], str] | None = None) -> None:
        """One problem per instrument with rows in ``mask`` (sorted-row order): '<symbol>: <what> on N rows, dates'.
        ``detail`` (sorted row → text) adds the particulars of the instrument's first flagged row."""
        idx = np.flatnonzero(mask)
        if not idx.size:
            return
        for group in np.split(idx, np.flatnonzero(np.diff(self.p.code[idx])) + 1):
            sym = self.p.symbols[self.p.code[group[0]]]
            days = np.unique(self.p.calendar[self.p.ci[group]])
            n, first = len(group), int(group[0])
            text = f"{sym}: {what} on {_span(days)}" if n == 1 else f"{sym}: {what} on {n} rows, {_span(days)}"
            if detail is not None:
                text += f" ({detail(first)})" if n == 1 else f" (first {_day(self.p, first)}: {detail(first)})"
            self.add(level, check, sym, days, n, text)

    def omitted(self) -> dict[str, int]:
        cap = self.cfg.max_items_per_check
        return {k: v - cap for k, v in self.counts.items() if v > cap}


def _prev_same(p: Panel, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes (into the sorted rows) of each kept row and of the kept row before it of the same instrument."""
    rows = np.flatnonzero(keep)
    same = p.code[rows[1:]] == p.code[rows[:-1]]
    return rows[1:][same], rows[:-1][same]


def _run_bounds(mask: np.ndarray, code: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in ``mask`` (sorted rows), split at instrument boundaries: (start, stop) pairs."""
    if not mask.any():
        return []
    idx = np.flatnonzero(mask)
    cut = np.flatnonzero((np.diff(idx) != 1) | (code[idx[1:]] != code[idx[:-1]])) + 1
    starts = np.concatenate([[0], cut])
    stops = np.concatenate([cut, [len(idx)]])
    return [(int(idx[a]), int(idx[b - 1]) + 1) for a, b in zip(starts, stops, strict=True)]


def validate_bars(bars: Bars, config: ValidationConfig | None = None, panel: Panel | None = None) -> ValidationReport:
    """Check ``bars`` and return the report (nothing is written or changed)."""
    cfg = config or ValidationConfig()
    p = panel or panel_of(bars)
    r = _Report(p, cfg)
    fields = set(bars.fields)
    keep = ~p.dup
    col = {f: p.column(bars, f) for f in bars.fields}

    # --- rows
    r.per_symbol("errors", "duplicate_rows", p.dup, "(date, symbol) given again")
    prices = [f for f in PRICE_FIELDS if f in fields]
    if prices:
        bad = np.logical_or.reduce([col[f] <= 0 for f in prices])
        r.per_symbol("errors", "non_positive_price", bad, "a price is zero or negative",
                     lambda i: ", ".join(f"{f} {col[f][i]:g}" for f in prices if col[f][i] <= 0))
    if "volume" in fields:
        r.per_symbol("errors", "negative_volume", col["volume"] < 0, "the volume is negative",
                     lambda i: f"volume {col['volume'][i]:g}")
    if {"high", "low"} <= fields:
        hi, lo = col["high"], col["low"]
        r.per_symbol("errors", "high_below_low", hi < lo, "high is below low",
                     lambda i: f"high {hi[i]:g} < low {lo[i]:g}")
        ordered = hi >= lo
        if prices:
            ordered &= ~bad  # a zero or negative price is reported as such, not again as out of range
        tol = cfg.price_tolerance
        for name, check in (("open", "open_outside_range"), ("close", "close_outside_range")):
            if name in fields:
                v = col[name]
                m = ordered & ((v > hi * (1 + tol)) | (v < lo * (1 - tol)))
                r.per_symbol("errors", check, m, f"{name} is outside [low, high]", _outside(p, name, v, lo, hi))

    # --- days each instrument lacks between its first and last day
    cur, prev = _prev_same(p, keep)
    hole = p.ci[cur] - p.ci[prev] - 1
    long_, short = hole > cfg.max_missing_days, (hole > 0) & (hole <= cfg.max_missing_days)
    for i in np.flatnonzero(long_):
        sym = p.symbols[p.code[cur[i]]]
        days = p.calendar[p.ci[prev[i]] + 1:p.ci[cur[i]]]
        r.add("errors", "missing_days", sym, days, len(days),
              f"{sym}: {len(days)} consecutive trading days missing, {_span(days)} (more than {cfg.max_missing_days})")
    if short.any():
        sel = np.flatnonzero(short)
        for group in np.split(sel, np.flatnonzero(np.diff(p.code[cur[sel]])) + 1):
            sym = p.symbols[p.code[cur[group[0]]]]
            days = np.concatenate([p.calendar[p.ci[prev[i]] + 1:p.ci[cur[i]]] for i in group])
            r.add("warnings", "missing_days", sym, days, len(days),
                  f"{sym}: {len(days)} trading day{'s' * (len(days) != 1)} missing in {len(group)} "
                  f"hole{'s' * (len(group) != 1)} of at most {cfg.max_missing_days}, {_span(days)}")

    # --- suspensions: runs of zero volume
    if "volume" in fields:
        for a, b in _run_bounds(keep & (col["volume"] == 0), p.code):
            n = b - a
            if n < cfg.min_suspension_days:
                continue
            sym = p.symbols[p.code[a]]
            days = p.calendar[p.ci[a:b]]
            r.add("warnings", "suspension", sym, days, n,
                  f"{sym}: zero volume on {n} consecutive trading day{'s' * (n != 1)}, {_span(days)} (suspended?)")

    # --- jumps of the adjusted close, and of the factor
    if "close" in fields:
        c = col["close"]
        ok = (c[cur] > 0) & (c[prev] > 0)
        move = np.full(len(cur), np.nan)
        move[ok] = c[cur][ok] / c[prev][ok]
        jump = np.zeros(len(p.order), dtype=bool)
        jump[cur[ok & (np.abs(np.log(move)) > np.log1p(cfg.jump_threshold))]] = True
        before = np.zeros(len(p.order), dtype=np.int64)
        before[cur] = prev
        r.per_symbol("warnings", "extreme_jump", jump,
                     f"the adjusted close moves beyond ×{1 + cfg.jump_threshold:g} or ÷{1 + cfg.jump_threshold:g} "
                     "from the row before",
                     lambda i: f"close {c[before[i]]:g} → {c[i]:g}")
    if "factor" not in fields:
        r.add("warnings", "factor_missing", None, np.array([], dtype="datetime64[D]"), 0,
              "no factor column: Qlib takes every adjustment factor as missing (trade units and limits are off)")
    else:
        fac = col["factor"]
        r.per_symbol("errors", "factor_non_positive", keep & (fac <= 0), "the adjustment factor is zero or negative",
                     lambda i: f"factor {fac[i]:g}")
        has_price = keep & np.isfinite(col["close"]) if "close" in fields else keep.copy()
        no_column = [k for k, s in enumerate(p.symbols) if s in bars.absent.get("factor", ())]
        has_price[np.isin(p.code, no_column)] = False  # their files have no factor column: reported below
        r.per_symbol("warnings", "factor_missing", has_price & np.isnan(fac), "the adjustment factor is missing")
        if "close" in fields:
            c = col["close"]
            ok = (fac[cur] > 0) & (fac[prev] > 0) & (c[cur] > 0) & (c[prev] > 0)
            lf = np.zeros(len(cur))
            lc = np.zeros(len(cur))
            lf[ok] = np.log(fac[cur][ok] / fac[prev][ok])
            lc[ok] = np.log(c[cur][ok] / c[prev][ok])
            bad_jump = ok & (np.abs(lf) > np.log1p(cfg.factor_jump)) & (lc * np.sign(lf) > 0.5 * np.abs(lf))
            flag = np.zeros(len(p.order), dtype=bool)
            flag[cur[bad_jump]] = True
            at = np.zeros(len(p.order), dtype=np.int64)
            at[cur] = np.arange(len(cur))
            r.per_symbol("errors", "factor_jump_without_price_move", flag,
                         f"the adjustment factor jumps by more than {cfg.factor_jump:.0%} while the raw price "
                         "(close / factor) does not move the other way, so the adjusted prices jump",
                         lambda i: f"factor ×{np.exp(lf[at[i]]):.3f}, raw price "
                                   f"×{np.exp(lc[at[i]] - lf[at[i]]):.3f}, adjusted close ×{np.exp(lc[at[i]]):.3f}")

    # --- NaN shares and missing fields
    absent = {f: set(s) for f, s in bars.absent.items()}
    kept = np.bincount(p.code[keep], minlength=len(p.symbols))
    for f in bars.fields:
        nan_rows = keep & np.isnan(col[f])
        per = np.bincount(p.code[nan_rows], minlength=len(p.symbols))
        for k in np.flatnonzero(per > cfg.nan_ratio * np.maximum(kept, 1)):
            sym = p.symbols[k]
            if sym in absent.get(f, ()):
                continue
            rows = np.flatnonzero(nan_rows[p.bounds[k]:p.bounds[k + 1]]) + p.bounds[k]
            days = p.calendar[p.ci[rows]]
            r.add("warnings", "nan_ratio", sym, days, int(per[k]),
                  f"{sym}: {f} is NaN on {per[k] / kept[k]:.0%} of its rows ({per[k]} of {kept[k]}), {_span(days)}")
    for f in dict.fromkeys([*FIELDS, *cfg.required_fields]):
        level: Literal["errors", "warnings"] = "errors" if f in cfg.required_fields else "warnings"
        if f not in fields:
            if f != "factor":  # reported as factor_missing above
                r.add(level, "field_missing", None, np.array([], dtype="datetime64[D]"), 0,
                      f"no {f} column (Qlib's Alpha158 and backtest read ${f})")
            continue
        for sym in sorted(absent.get(f, ())):
            k_sym = p.symbols.index(sym)
            days = p.calendar[[p.start[k_sym], p.end[k_sym]]]
            r.add(level, "factor_missing" if f == "factor" else "field_missing", sym, days, 0,
                  f"{sym}: its file has no {f} column")

    # --- the calendar
    cal = p.calendar
    weekday = (cal.view("int64") + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    weekend = cal[weekday >= 5]
    if len(weekend):
        r.add("warnings", "calendar_weekend", None, weekend, len(weekend),
              f"the calendar has {len(weekend)} Saturday or Sunday trading day{'s' * (len(weekend) != 1)}, "
              f"{_span(weekend)}")
    if len(cal) > 1:
        missing = np.busday_count(cal[:-1] + 1, cal[1:])
        for g in np.flatnonzero(missing > cfg.max_calendar_gap_weekdays):
            gap = np.arange(cal[g] + 1, cal[g + 1], dtype="datetime64[D]")
            gap = gap[np.is_busday(gap)]
            r.add("warnings", "calendar_gap", None, gap, int(missing[g]),
                  f"the calendar misses {missing[g]} consecutive weekdays, {_span(gap)} (no instrument has a row)")

    # --- benchmarks and merged spellings
    for bench in bars.benchmarks:
        if bench not in p.symbols:
            r.add("errors", "benchmark_missing", bench, np.array([], dtype="datetime64[D]"), 0,
                  f"{bench} is marked as the benchmark but has no rows")
    for sym, raws in sorted(bars.aliases.items()):
        r.add("warnings", "symbols_merged", sym, np.array([], dtype="datetime64[D]"), len(raws),
              f"{sym}: rows spelt {', '.join(repr(x) for x in raws[:5])} are one instrument")

    marked = set(bars.benchmarks)
    return ValidationReport(
        errors=r.items["errors"], warnings=r.items["warnings"], omitted=r.omitted(),
        instruments=sum(s not in marked for s in p.symbols), benchmarks=[s for s in p.symbols if s in marked],
        rows=int(keep.sum()), days=len(cal), first_day=cal[0].item(), last_day=cal[-1].item(),
        fields=list(bars.fields), config=cfg)
