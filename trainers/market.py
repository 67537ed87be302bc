"""Synthetic demo market: deterministic prices with a planted, learnable signal, written as Qlib binary data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from qlp_core.qlib_data import FIELDS, write_calendar, write_instruments, write_series


def generate_market(
    out_dir: Path,
    *,
    n_instruments: int = 50,
    years: float = 3,
    seed: int = 0,
    start: str = "2020-01-01",
    market: str = "demo",
    benchmark: str = "DEMOIDX",
    signal_strength: float = 0.0015,
) -> dict[str, Any]:
    """Write ``n_instruments`` over ``years`` calendar years of business days (Mon-Fri) into ``out_dir``.

    The planted signal: a persistent latent score z (AR(1), phi 0.9) moves the next day's return by
    ``signal_strength * z``; z shows, with noise, in the VWAP/close ratio and in volume. A model on
    Alpha158 features can learn it; the cross-sectional IC of the latent itself is about 0.08.
    """
    if not 1 <= n_instruments <= 5000:
        raise ValueError("n_instruments must be between 1 and 5000")
    first = pd.Timestamp(start)
    days = pd.bdate_range(start=first, end=first + pd.Timedelta(days=round(365.25 * years) - 1))
    if len(days) < 60:
        raise ValueError("years must give at least 60 business days")
    rng = np.random.default_rng(seed)
    n, t = n_instruments, len(days)

    phi = 0.9
    z = lfilter([np.sqrt(1 - phi**2)], [1.0, -phi], rng.standard_normal((t, n)), axis=0)
    mkt = rng.normal(0.0003, 0.01, size=t)
    beta = rng.uniform(0.6, 1.4, size=n)
    vol = rng.uniform(0.012, 0.025, size=n)
    eps = rng.standard_normal((t, n)) * vol
    z_prev = np.vstack([np.zeros((1, n)), z[:-1]])
    ret = np.clip(mkt[:, None] * beta + signal_strength * z_prev + eps, -0.09, 0.09)
    ret[0] = 0.0

    close = rng.uniform(5, 60, size=n) * np.exp(np.cumsum(np.log1p(ret), axis=0))
    prev_close = np.vstack([close[:1], close[:-1]])
    open_ = prev_close * (1 + 0.003 * rng.standard_normal((t, n)))
    vwap = close * (1 - 0.004 * z + 0.001 * rng.standard_normal((t, n)))
    wick = np.abs(rng.standard_normal((2, t, n))) * 0.005
    high = np.maximum.reduce([open_, close, vwap]) * (1 + wick[0])
    low = np.minimum.reduce([open_, close, vwap]) * (1 - wick[1])
    volume = rng.uniform(2e5, 5e6, size=n) * np.exp(0.3 * z + 0.4 * rng.standard_normal((t, n)))
    change = close / prev_close - 1
    factor = np.ones((t, n))

    # A tenth of the instruments list later than the calendar starts (their files start later too).
    listing = np.zeros(n, dtype=int)
    late = rng.choice(n, size=n // 10, replace=False)
    listing[late] = rng.integers(20, max(21, t // 4), size=late.size)

    out_dir = Path(out_dir)
    features = out_dir / "features"
    day_str = [d.strftime("%Y-%m-%d") for d in days]
    write_calendar(out_dir, day_str)
    symbols = [f"SYN{i:04d}" for i in range(n)]
    series = dict(zip(FIELDS, (open_, high, low, close, volume, vwap, factor, change), strict=True))
    rows = []
    for j, sym in enumerate(symbols):
        s = listing[j]
        write_series(features, sym, {k: v[s:, j] for k, v in series.items()}, s)
        rows.append((sym, day_str[s], day_str[-1]))
    write_instruments(out_dir, "all", rows)
    write_instruments(out_dir, market, rows)

    idx_ret = np.nanmean(np.where(np.arange(t)[:, None] >= listing, ret, np.nan), axis=1)
    idx_close = 1000 * np.cumprod(1 + idx_ret)
    idx_prev = np.concatenate([[idx_close[0]], idx_close[:-1]])
    write_series(
        features,
        benchmark,
        {
            "open": idx_prev,
            "high": np.maximum(idx_prev, idx_close),
            "low": np.minimum(idx_prev, idx_close),
            "close": idx_close,
            "volume": volume.sum(axis=1),
            "vwap": idx_close,
            "factor": np.ones(t),
            "change": idx_close / idx_prev - 1,
        },
        0,
    )
    write_instruments(out_dir, "index", [(benchmark, day_str[0], day_str[-1])])
    return {
        "kind": "synthetic",
        "n_instruments": n,
        "years": years,
        "seed": seed,
        "start": day_str[0],
        "end": day_str[-1],
        "market": market,
        "benchmark": benchmark,
        "signal_strength": signal_strength,
    }
