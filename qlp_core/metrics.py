"""Qlib's names of the metrics a workflow run logs (SigAnaRecord's and PortAnaRecord's on the test segment), as every
part of the platform reads them: the columns of Qlib's benchmark table, in its order."""

from __future__ import annotations

IC = "IC"
ICIR = "ICIR"
RANK_IC = "Rank IC"
RANK_ICIR = "Rank ICIR"
EXCESS_RETURN = "1day.excess_return_with_cost.annualized_return"
INFORMATION_RATIO = "1day.excess_return_with_cost.information_ratio"
MAX_DRAWDOWN = "1day.excess_return_with_cost.max_drawdown"

#: (heading in Qlib's examples/benchmarks table, metric name)
BENCHMARK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("IC", IC), ("ICIR", ICIR), ("Rank IC", RANK_IC), ("Rank ICIR", RANK_ICIR), ("Annualized Return", EXCESS_RETURN),
    ("Information Ratio", INFORMATION_RATIO), ("Max Drawdown", MAX_DRAWDOWN),
)
#: the metrics a researcher reads first
KEY_METRICS: tuple[str, ...] = tuple(m for _, m in BENCHMARK_COLUMNS)
