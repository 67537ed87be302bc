"""The promotion gate's checks: a policy's thresholds and its margin over the alias's holder, applied to a candidate's
test-segment metrics (Qlib's names), each with its value, bound, verdict and reason. Pure: no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from qlp_core import metrics as qm

#: Each threshold of a policy -> Qlib's metric name it bounds (SigAnaRecord, PortAnaRecord on the test segment).
METRIC_KEYS: dict[str, str] = {
    "ic": qm.IC,
    "rank_ic": qm.RANK_IC,
    "icir": qm.ICIR,
    "rank_icir": qm.RANK_ICIR,
    "excess_return": qm.EXCESS_RETURN,
    "information_ratio": qm.INFORMATION_RATIO,
    "max_drawdown": qm.MAX_DRAWDOWN,
}
#: threshold field -> metric it bounds from below (``max_drawdown`` is a depth: handled on its own)
MINIMA = {"min_ic": "ic", "min_rank_ic": "rank_ic", "min_icir": "icir", "min_rank_icir": "rank_icir",
          "min_excess_return": "excess_return", "min_information_ratio": "information_ratio"}


@dataclass(frozen=True)
class Holder:
    """The version an alias points at now, as the gate compares with it."""

    version: int
    run_id: str | None
    dataset_id: int | None
    dataset_label: str
    metrics: dict[str, float]

    def as_record(self) -> dict[str, Any]:
        return {"version": self.version, "run_id": self.run_id, "dataset_id": self.dataset_id,
                "dataset": self.dataset_label, "metrics": self.metrics}


def gate_metrics(metrics: dict[str, float]) -> dict[str, float]:
    """The candidate's metrics the gate reads (finite values only)."""
    return {k: v for k, v in metrics.items() if k in METRIC_KEYS.values() and math.isfinite(v)}


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def threshold_checks(thresholds: dict[str, Any], metrics: dict[str, float]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    for field, short in MINIMA.items():
        bound = thresholds.get(field)
        if bound is None:
            continue
        key = METRIC_KEYS[short]
        value = metrics.get(key)
        if value is None:
            checks.append(_check(field, key, None, bound, False, f"the run has no {key} metric"))
        else:
            ok = value >= bound
            checks.append(_check(field, key, value, bound, ok,
                                 f"{key} {_fmt(value)} {'≥' if ok else '<'} {_fmt(bound)}"))
    depth = thresholds.get("max_drawdown")
    if depth is not None:
        key = METRIC_KEYS["max_drawdown"]
        value = metrics.get(key)
        if value is None:
            checks.append(_check("max_drawdown", key, None, -depth, False, f"the run has no {key} metric"))
        else:
            ok = value >= -depth
            checks.append(_check("max_drawdown", key, value, -depth, ok,
                                 f"{key} {_fmt(value)} {'is within' if ok else 'is deeper than'} "
                                 f"{_fmt(-depth)}"))
    return checks


def beats_check(beats: dict[str, Any], metrics: dict[str, float], candidate_version: int,
                candidate_dataset: int | None, candidate_label: str, holder: Holder | None) -> dict[str, Any]:
    """The candidate against the alias's holder: candidate − holder ≥ margin, on the same dataset version only."""
    key = METRIC_KEYS[str(beats["metric"])]
    margin = float(beats["margin"])
    value = metrics.get(key)
    if holder is None:
        return _check("beats_champion", key, value, None, True, "the alias has no holder yet: nothing to beat")
    if holder.version == candidate_version:
        return _check("beats_champion", key, value, None, True, f"version {holder.version} holds the alias already")
    if holder.dataset_id is None or holder.dataset_id != candidate_dataset:
        return _check("beats_champion", key, value, None, False,
                      f"cannot compare with the holder, version {holder.version}: it was trained on "
                      f"{holder.dataset_label}, the candidate on {candidate_label} (not the same dataset version)")
    held = holder.metrics.get(key)
    if held is None:
        return _check("beats_champion", key, value, None, False,
                      f"the holder, version {holder.version}, has no {key} metric to compare with")
    bound = held + margin
    if value is None:
        return _check("beats_champion", key, None, bound, False, f"the run has no {key} metric")
    ok = value - held >= margin - 1e-12
    return _check("beats_champion", key, value, bound, ok,
                  f"{key} {_fmt(value)} vs the holder's (version {holder.version}) {_fmt(held)}: "
                  f"{'beats it by' if ok else 'does not beat it by'} {_fmt(margin)}")


def _check(name: str, metric: str, value: float | None, threshold: float | None, passed: bool,
           reason: str) -> dict[str, Any]:
    return {"check": name, "metric": metric, "value": value, "threshold": threshold, "passed": passed,
            "reason": reason}


def failed_reasons(checks: list[dict[str, Any]]) -> list[str]:
    return [str(c["reason"]) for c in checks if not c["passed"]]
