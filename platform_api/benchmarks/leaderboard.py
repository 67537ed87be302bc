"""A benchmark's leaderboard from its jobs' metrics: per config, the mean and standard deviation over seeds of the
columns of Qlib's benchmark table, and that table as Markdown."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence

from qlp_core.metrics import BENCHMARK_COLUMNS

#: (column heading, MLflow metric name): the columns of Qlib's examples/benchmarks README, in its order
COLUMNS = BENCHMARK_COLUMNS


def spread(values: Iterable[float]) -> dict[str, float | int | None]:
    """Mean and sample standard deviation (n - 1; None below two values) of the finite values, with their count,
    min and max."""
    xs = [float(v) for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not xs:
        return {"n": 0, "mean": None, "std": None, "min": None, "max": None}
    return {"n": len(xs), "mean": statistics.fmean(xs), "std": statistics.stdev(xs) if len(xs) > 1 else None,
            "min": min(xs), "max": max(xs)}


def columns_of(runs: Sequence[dict[str, float]]) -> dict[str, dict[str, float | int | None]]:
    """Each column's spread over the runs' metrics (keyed by the MLflow metric name)."""
    return {metric: spread(r[metric] for r in runs if metric in r) for _, metric in COLUMNS}


def _cell(s: dict[str, float | int | None]) -> str:
    mean, std = s.get("mean"), s.get("std")
    if not isinstance(mean, float):
        return "-"
    return f"{mean:.4f}±{std:.4f}" if isinstance(std, float) else f"{mean:.4f}"


def markdown(dataset: str, rows: Sequence[tuple[str, dict[str, dict[str, float | int | None]], int]]) -> str:
    """Qlib's benchmark table: one row per (model name, columns, seeds that finished)."""
    head = ["Model Name", "Dataset", *(h for h, _ in COLUMNS), "Seeds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, cols, n in rows:
        cells = [name, dataset, *(_cell(cols[m]) for _, m in COLUMNS), str(n)]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
