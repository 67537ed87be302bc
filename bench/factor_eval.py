"""Factor evaluation: our statistics (trainers/factors/stats.py) against alphalens-reloaded on the same factor values
and close prices of the generator's market, in one run, alternating which goes first; then our redundancy check
against a synthetic library. Prints both times, the ratio (ours / alphalens; target <= 0.25), the largest difference
between the two sides' numbers, and the redundancy check's seconds.

    python bench/factor_eval.py [--instruments 300] [--years 5] [--rounds 3] [--library 500] [--fresh] [--smoke]

What each timed side includes, from the same in-memory inputs (the factor Series from Qlib and the close frame):
- ours: pivoting the factor to [day, instrument], forward returns from the closes (1/5/10/20 days, Qlib's label
  convention), IC and Rank IC per horizon, alphalens' quantiles, quantile mean returns (raw and demeaned), long-short,
  cumulative returns, turnover per quantile, rank autocorrelation, coverage, and the JSON-ready dict.
- alphalens: ``get_clean_factor_and_forward_returns(factor, prices, quantiles=5, periods=(1, 5, 10, 20))`` (its
  own forward returns from the prices; given the next day's close as price, they are ours),
  ``factor_information_coefficient`` (Rank IC), ``mean_return_by_quantile``, ``quantile_turnover`` for each
  quantile, ``factor_rank_autocorrelation``.
Not timed: generating the market (cached between runs in the temp folder), Qlib computing the factor, its forward
returns and the closes (printed separately), writing the synthetic library.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

if "--quick" in sys.argv:  # the name the issue uses for the smoke mode
    sys.argv = ["--smoke" if a == "--quick" else a for a in sys.argv]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import parse_args  # noqa: E402

EXPRESSION = "Mean($close / $vwap, 3) - 1"  # the planted signal's observable part (trainers/market.py)
HORIZONS = (1, 5, 10, 20)


def cached_market(instruments: int, years: float, fresh: bool) -> Path:
    """The generator's market (seed 0) in the temp folder, generated once per size and reused."""
    from trainers.market import generate_market

    folder = Path(tempfile.gettempdir()) / f"qlp-bench-factor-eval-{instruments}x{years:g}y-seed0"
    done = folder / ".complete"
    if fresh or not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_market(folder, n_instruments=instruments, years=years, seed=0)
        done.write_text("ok\n")
    return folder


def run_ours(factor: Any, close: Any) -> tuple[float, Any, dict[str, Any]]:
    from trainers.factors import stats as S

    t0 = time.perf_counter()
    panel = S.panel_from_close(factor, close, HORIZONS)
    computed = S.compute(panel)
    report = S.compute_stats(panel, computed=computed)
    return time.perf_counter() - t0, (panel, computed), report


def run_alphalens(factor: Any, close: Any) -> tuple[float, dict[str, Any]]:
    import alphalens.performance as ap
    import alphalens.utils as au

    f = factor.copy()
    f.index = f.index.set_names(["date", "asset"])
    prices = close.shift(-1)  # alphalens buys at the factor date's price: give it the next close (Qlib's label)
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        fd = au.get_clean_factor_and_forward_returns(f, prices, quantiles=5, periods=HORIZONS)
        ic = ap.factor_information_coefficient(fd)
        mean, _ = ap.mean_return_by_quantile(fd)
        turnover = {k: ap.quantile_turnover(fd["factor_quantile"], k) for k in range(1, 6)}
        autocorr = ap.factor_rank_autocorrelation(fd)
        took = time.perf_counter() - t0
    return took, {"ic": ic, "mean": mean, "turnover": turnover, "autocorr": autocorr}


def max_difference(ours: Any, report: dict[str, Any], al: dict[str, Any]) -> float:
    """The largest absolute difference between the numbers both sides computed (NaN where only one has one
    counts as infinite)."""
    import numpy as np
    import pandas as pd

    panel, c = ours
    worst = 0.0

    def diff(a: Any, b: Any) -> float:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            return float("inf")
        ok = ~np.isnan(a)
        return float(np.max(np.abs(a[ok] - b[ok]))) if ok.any() else 0.0

    for h in report["horizons"]:
        worst = max(worst, diff(pd.Series(c.rank_ic[h], index=panel.dates).reindex(al["ic"].index), al["ic"][h]))
        worst = max(worst, diff(report["quantile_returns"][h]["mean_demeaned"], al["mean"][h].to_numpy()))
    for k, turn in al["turnover"].items():
        worst = max(worst, diff(pd.Series(c.turnover[:, k - 1], index=panel.dates).reindex(turn.index), turn))
    ac = al["autocorr"]
    return max(worst, diff(pd.Series(c.autocorr, index=panel.dates).reindex(ac.index), ac))


def bench_redundancy(factor: Any, size: int, work: Path) -> tuple[float, int, tuple[int, int], str]:
    """Writes ``size`` synthetic library factors (random standardised ranks on the factor's mask; every tenth with
    another warm-up window, so the differing-names path runs too) and times one ``closest`` over them."""
    import numpy as np

    from trainers.factors.redundancy import FactorLibrary, RankMatrix, closest, from_series

    new = from_series(factor)
    lib = FactorLibrary(work / "library")
    rng = np.random.default_rng(0)
    for k in range(size):
        z = rng.standard_normal(new.shape, dtype=np.float32)
        mask = new.mask.copy()
        if k % 10 == 0:
            mask[: 20 + k % 13] = False
        z[~mask] = 0
        lib.put(f"synthetic-{k:04d}", "bench", RankMatrix(z, mask, new.dates, new.instruments))
    lib.put("monotone-copy", "bench", new)
    t0 = time.perf_counter()
    found = closest(new, lib, top=10, threshold=0.7, dataset_hash="bench")
    took = time.perf_counter() - t0
    return took, size + 1, new.shape, f"{found[0].factor_key} {found[0].mean_rank_corr:.4f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instruments", type=int, default=300)
    ap.add_argument("--years", type=float, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--library", type=int, default=500, help="synthetic library factors for the redundancy check")
    ap.add_argument("--fresh", action="store_true", help="generate the market again even if it is cached")
    args = parse_args(ap, smoke={"instruments": 20, "years": 1, "rounds": 1, "library": 10})

    from trainers.factors.values import close_prices, factor_values, forward_returns

    t = time.perf_counter()
    market = cached_market(args.instruments, args.years, args.fresh)
    print(f"market: {args.instruments} instruments × {args.years:g} years ({market}), ready in "
          f"{time.perf_counter() - t:.1f}s")
    days = (market / "calendars" / "day.txt").read_text().split()
    end = days[-(max(HORIZONS) + 2)]  # every horizon's closes exist up to here: neither side drops the tail
    t = time.perf_counter()
    factor = factor_values(market, EXPRESSION, "demo", days[0], end)
    t_values = time.perf_counter() - t
    t = time.perf_counter()
    forward_returns(market, "demo", days[0], end, HORIZONS)
    t_fwd = time.perf_counter() - t
    close = close_prices(market, "demo", days[0], days[-1])
    n_days = factor.index.get_level_values(0).nunique()
    print(f"factor {EXPRESSION!r}: {len(factor):,} instrument-days ({n_days} days); Qlib (not in the ratio): values "
          f"{t_values:.2f}s (includes qlib.init), forward returns {len(HORIZONS)} horizons {t_fwd:.2f}s")
    print("ours includes: pivot, forward returns from closes, IC + Rank IC × 4 horizons, quantiles, quantile means "
          "(raw + demeaned), long-short, cumulative, turnover × 5, rank autocorrelation, coverage, JSON dict")
    print("alphalens includes: get_clean_factor_and_forward_returns (its forward returns from prices), "
          "factor_information_coefficient (Rank IC), mean_return_by_quantile, quantile_turnover × 5, "
          "factor_rank_autocorrelation")

    ours_t, al_t = [], []
    for i in range(args.rounds):
        sides = ("alphalens", "ours") if i % 2 else ("ours", "alphalens")
        for side in sides:
            if side == "ours":
                took, arrays, report = run_ours(factor, close)
                ours_t.append(took)
            else:
                took, al = run_alphalens(factor, close)
                al_t.append(took)
        if i == 0:
            worst = max_difference(arrays, report, al)
            print(f"max abs difference ours vs alphalens (Rank IC, quantile means, turnover, autocorrelation): "
                  f"{worst:.2e}{'' if worst <= 1e-6 else '   NOT EQUAL'}")
            one = report["rank_ic"]["1D"]
            print(f"Rank IC 1D mean {one['mean']:.4f} (t {one['t']:.1f}), ICIR {one['ir']:.3f}; decay "
                  + ", ".join(f"{h} {v:.4f}" for h, v in zip(report["horizons"], report["ic_decay"], strict=True)))
            if worst > 1e-6:
                return 1
        print(f"round {i + 1}: ours {ours_t[-1]:.3f}s   alphalens {al_t[-1]:.3f}s   ratio "
              f"{ours_t[-1] / al_t[-1]:.4f}", flush=True)
    mo, ma = statistics.median(ours_t), statistics.median(al_t)
    print(f"ours {mo:.3f}s   alphalens {ma:.3f}s   ratio {mo / ma:.4f}   (medians of {args.rounds})")
    print(f"factor eval ratio (ours / alphalens): {mo / ma:.4f}   target <= 0.25")

    work = Path(tempfile.mkdtemp(prefix="qlp-bench-factor-lib-"))
    try:
        took, count, shape, best = bench_redundancy(factor, args.library, work)
        print(f"redundancy check against {count} library factors: {took:.3g}s ({shape[1]} instruments × {shape[0]} "
              f"days each, top 10; closest: {best})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
