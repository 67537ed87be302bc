"""Factor values, forward returns and close prices from Qlib's own expression engine on a Qlib data folder."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

#: The provider folder Qlib was initialised on in this process (Qlib holds one global configuration).
_initialised: str | None = None


def init_qlib(provider_uri: Path, kernels: int = 1) -> None:
    """``qlib.init`` on ``provider_uri`` once per process (again only for another folder): region cn, no expression or
    dataset cache (values must reflect the folder as it is), few kernels, warnings only."""
    global _initialised
    uri = str(Path(provider_uri).resolve())
    if _initialised == uri:
        return
    import qlib

    from trainers import numerics

    numerics.pin()
    qlib.init(provider_uri=uri, region="cn", kernels=kernels, expression_cache=None, dataset_cache=None,
              logging_level=logging.WARNING)
    _initialised = uri


def _features(provider_uri: Path, fields: list[str], market: str, start: Any, end: Any) -> pd.DataFrame:
    """``D.features`` for ``market``, re-indexed (datetime, instrument) and sorted (Qlib answers (instrument,
    datetime)); float64 columns."""
    init_qlib(provider_uri)
    from qlib.data import D

    df = D.features(D.instruments(market), fields, start_time=str(pd.Timestamp(start).date()),
                    end_time=str(pd.Timestamp(end).date()))
    df = df.swaplevel().sort_index()
    df.index = df.index.set_names(["datetime", "instrument"])
    return df.astype("float64")


def factor_values(provider_uri: Path, expression: str, market: str, start: Any, end: Any) -> pd.Series:
    """The factor ``expression`` (a Qlib expression already vetted by our parser) for every listed instrument-day of
    ``market`` in [start, end]: a float64 Series named ``factor`` on a (datetime, instrument) MultiIndex. A row per
    instrument-day Qlib lists (its listing span), NaN where the expression has no value (warm-up windows)."""
    s = _features(provider_uri, [expression], market, start, end).iloc[:, 0]
    s.name = "factor"
    return s


def label_expression(horizon: int) -> str:
    """The ``horizon``-day forward return as Qlib labels are written: bought at the next day's close, sold ``horizon``
    days later, ``Ref($close, -(h+1)) / Ref($close, -1) - 1``; h = 1 is Qlib's default label (Alpha158's)."""
    if horizon < 1:
        raise ValueError("a horizon is at least one day")
    return f"Ref($close, -{horizon + 1}) / Ref($close, -1) - 1"


def horizon_column(horizon: int) -> str:
    """The column name of a horizon, as alphalens names its periods: ``1D``, ``5D``…"""
    return f"{horizon}D"


def forward_returns(provider_uri: Path, market: str, start: Any, end: Any,
                    horizons: Sequence[int] = (1, 5, 10, 20)) -> pd.DataFrame:
    """Forward returns for each horizon (columns ``1D``, ``5D``…; :func:`label_expression`'s convention: from the
    close of t+1 to the close of t+1+h, known to nobody at t), on the same (datetime, instrument) index as
    :func:`factor_values`. Qlib reads past ``end`` for them; NaN where the calendar ends first."""
    hs = sorted(set(horizons))
    df = _features(provider_uri, [label_expression(h) for h in hs], market, start, end)
    df.columns = [horizon_column(h) for h in hs]
    return df


def close_prices(provider_uri: Path, market: str, start: Any, end: Any) -> pd.DataFrame:
    """``$close`` as a date × instrument frame (NaN outside an instrument's listing): what alphalens and
    :func:`trainers.factors.stats.forward_returns_from_close` take."""
    s = _features(provider_uri, ["$close"], market, start, end).iloc[:, 0]
    return s.unstack("instrument")
