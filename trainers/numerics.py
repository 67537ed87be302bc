"""The numeric settings of every process that computes with Qlib: pandas without bottleneck. alphalens-reloaded's
dependencies install bottleneck, and with it pandas routes reductions through it: the demo workflow's IC came out
NaN (tests/test_runner.py caught it)."""

from __future__ import annotations


def pin() -> None:
    import pandas as pd

    pd.set_option("compute.use_bottleneck", False)
