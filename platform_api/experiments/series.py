"""A run's daily curves in plain Python: exports/series.json read strictly, the derived curves (cumulative excess
returns as Qlib sums them, drawdowns, 20-day rolling IC means) and their alignment on a shared list of dates."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SERIES_PATH = "exports/series.json"
MAX_SERIES_BYTES = 4 * 1024 * 1024
MAX_POINTS = 100_000
ROLLING = 20
FIELDS = ("cum_excess_return", "cum_excess_return_with_cost", "drawdown", "drawdown_without_cost", "turnover", "ic",
          "rank_ic", "ic_rolling_20", "rank_ic_rolling_20")
Values = list[float | None]
Table = tuple[list[date], dict[str, Values]]


class SeriesFormatError(ValueError):
    """exports/series.json is not what the trainer writes."""


@dataclass
class Curves:
    """Each curve as ``{day: value}`` (a day it has no value for is absent or None)."""

    dates: set[date] = field(default_factory=set)
    by_field: dict[str, dict[date, float | None]] = field(default_factory=dict)

    def aligned(self, dates: list[date]) -> dict[str, Values]:
        return {name: [self.by_field.get(name, {}).get(d) for d in dates] for name in FIELDS}


def _number(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise SeriesFormatError(f"expected a number or null, got {type(v).__name__}")
    number = float(v)
    return number if math.isfinite(number) else None


def _table(part: Any, columns: tuple[str, ...], name: str) -> Table:
    if not isinstance(part, dict) or not isinstance(part.get("dates"), list):
        raise SeriesFormatError(f"{name} must be an object with a list of dates")
    raw_dates = part["dates"]
    if len(raw_dates) > MAX_POINTS:
        raise SeriesFormatError(f"{name} has more than {MAX_POINTS} dates")
    try:
        dates = [date.fromisoformat(d) for d in raw_dates]
    except (TypeError, ValueError) as exc:
        raise SeriesFormatError(f"{name}.dates must be YYYY-MM-DD days") from exc
    if len(set(dates)) != len(dates):
        raise SeriesFormatError(f"{name}.dates repeat a day")
    order = sorted(range(len(dates)), key=dates.__getitem__)  # the curves run in time order
    values: dict[str, Values] = {}
    for column in columns:
        raw = part.get(column)
        if raw is None:
            values[column] = [None] * len(dates)
            continue
        if not isinstance(raw, list) or len(raw) != len(dates):
            raise SeriesFormatError(f"{name}.{column} must be a list as long as {name}.dates")
        numbers = [_number(v) for v in raw]
        values[column] = [numbers[i] for i in order]
    return [dates[i] for i in order], values


def parse(raw: bytes) -> tuple[Table | None, Table | None]:
    """(report, ic) tables of an exports/series.json, each None when the run has no such part."""
    try:
        doc = json.loads(raw, parse_constant=lambda _: None)  # NaN/Infinity literals: no value
    except (ValueError, RecursionError) as exc:
        raise SeriesFormatError("not JSON") from exc
    if not isinstance(doc, dict):
        raise SeriesFormatError("not a JSON object")
    report = _table(doc["report"], ("return", "bench", "cost", "turnover"), "report") if "report" in doc else None
    ic = _table(doc["ic"], ("ic", "rank_ic"), "ic") if "ic" in doc else None
    return report, ic


def cumulative(values: Iterable[float | None]) -> Values:
    """Running sum; a missing value stays missing and adds nothing (as pandas' cumsum skips NaN)."""
    total = 0.0
    out: Values = []
    for v in values:
        if v is None:
            out.append(None)
        else:
            total += v
            out.append(total)
    return out


def drawdown(curve: Iterable[float | None]) -> Values:
    """The curve minus its running maximum (0 at a new high, negative below it), as Qlib's max_drawdown."""
    peak: float | None = None
    out: Values = []
    for v in curve:
        if v is None:
            out.append(None)
            continue
        peak = v if peak is None else max(peak, v)
        out.append(v - peak)
    return out


def rolling_mean(values: list[float | None], window: int = ROLLING) -> Values:
    """Mean of the last ``window`` values; None until there are ``window`` of them, and where one of them is
    missing (as pandas' rolling(window).mean())."""
    out: Values = []
    for i in range(len(values)):
        part = [v for v in values[max(0, i - window + 1): i + 1] if v is not None]
        out.append(sum(part) / window if len(part) == window else None)
    return out


def _minus(first: Values, *others: Values) -> Values:
    """first - others, day by day; None where any of them has no value."""
    out: Values = []
    for i, v in enumerate(first):
        rest = [o[i] for o in others]
        out.append(None if v is None or None in rest else v - sum(r for r in rest if r is not None))
    return out


def _finite(values: Values) -> Values:
    return [v if v is not None and math.isfinite(v) else None for v in values]


def curves(raw: bytes) -> Curves:
    """The derived curves of one run's exports/series.json."""
    report, ic = parse(raw)
    out = Curves()
    if report is not None:
        days, v = report
        excess = cumulative(_minus(v["return"], v["bench"]))
        with_cost = cumulative(_minus(v["return"], v["bench"], v["cost"]))
        derived = {"cum_excess_return": excess, "cum_excess_return_with_cost": with_cost,
                   "drawdown": drawdown(with_cost), "drawdown_without_cost": drawdown(excess),
                   "turnover": v["turnover"]}
        out.dates.update(days)
        for name, values in derived.items():
            out.by_field[name] = dict(zip(days, _finite(values), strict=True))
    if ic is not None:
        days, v = ic
        derived = {"ic": v["ic"], "rank_ic": v["rank_ic"], "ic_rolling_20": rolling_mean(v["ic"]),
                   "rank_ic_rolling_20": rolling_mean(v["rank_ic"])}
        out.dates.update(days)
        for name, values in derived.items():
            out.by_field[name] = dict(zip(days, _finite(values), strict=True))
    return out


def empty(dates: list[date]) -> dict[str, Values]:
    return {name: [None] * len(dates) for name in FIELDS}
