"""Feature cache: the demo workflow twice on one host from an empty cache; the second wall time over the first."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import STATIC_PREFIX, parse_args  # noqa: E402

DESCRIPTION = """Both runs are the job process a worker starts (python -m trainers.runner SPEC.json) on the same
generated market and the same cache folder, logging to a local MLflow store (or the server of --mlflow-port). The
first computes the Alpha158 features and stores them; the second must report a hit and exactly the first's metrics
(both with PYTHONHASHSEED=0: Qlib's backtest depends on the order of a set of stock ids). Prints both wall times, the
feature phase of each, and the ratio (second / first).

    python bench/feature_cache.py [--instruments 300] [--years 4] [--kernels N] [--smoke] [--mlflow-port PORT]
"""
DEMO = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
DATASET_HASH = "fc" * 32
FEATURES = re.compile(r"^\[qlp\] model and dataset built \(features\) in ([\d.]+)s", re.MULTILINE)
CACHE_LINE = re.compile(r"^\[qlp\] feature cache (hit|miss|off)\b.*$", re.MULTILINE)


def overrides_for(market: Path) -> dict[str, Any]:
    """The demo config's dates laid over this market's calendar: test = the last year (a quarter of a short
    market), valid = the half year before it, train = the rest; the fit window is train."""
    days = (market / "calendars" / "day.txt").read_text().split()
    end = len(days) - 6  # the label looks two days ahead, the backtest deals a day after the signal
    test = min(252, end // 4)
    valid = min(126, end // 8)
    first, train_end, valid_end = days[0], days[end - test - valid], days[end - test]
    segments = {"train": [first, train_end], "valid": [days[end - test - valid + 1], valid_end],
                "test": [days[end - test + 1], days[end]]}
    return {
        "task.dataset.kwargs.handler.kwargs.start_time": first,
        "task.dataset.kwargs.handler.kwargs.end_time": days[end],
        "task.dataset.kwargs.handler.kwargs.fit_start_time": first,
        "task.dataset.kwargs.handler.kwargs.fit_end_time": train_end,
        "task.dataset.kwargs.segments": segments,
        "task.record.2.kwargs.config.backtest.start_time": segments["test"][0],
        "task.record.2.kwargs.config.backtest.end_time": segments["test"][1],
    }


def write_spec(tmp: Path, market: Path, tracking: str, job_id: int, overrides: dict[str, Any],
               kernels: int | None) -> Path:
    spec = {
        "job_id": job_id, "user": "bench", "tracking_uri": tracking, "kernels": kernels,
        "result_path": str(tmp / f"job-{job_id}" / "result.json"),
        "payload": {"kind": "workflow", "config_text": DEMO.read_text(), "overrides": overrides,
                    "dataset": {"id": 1, "name": "bench", "version": 1, "path": str(market), "hash": DATASET_HASH},
                    "experiment_name": "bench-feature-cache"},
    }
    path = tmp / f"spec-{job_id}.json"
    path.write_text(json.dumps(spec))
    return path


def run_job(spec: Path, cwd: Path, cache: Path) -> tuple[float, str]:
    """One job process as a worker starts it; (wall seconds, its output)."""
    cwd.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLP_")}
    env.update({"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "QLP_WORKER__FEATURE_CACHE_DIR": str(cache),
                # Qlib's backtest iterates a set of stock ids (Position.get_stock_list): with hash randomisation
                # two identical runs trade in another order and end with other returns, cache or no cache
                "PYTHONHASHSEED": "0"})
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-u", "-m", "trainers.runner", str(spec)], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=3600)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"the job exited {proc.returncode}:\n{proc.stdout[-6000:]}")
    return took, proc.stdout


def result_of(out: str) -> dict[str, Any]:
    line = [ln for ln in out.splitlines() if ln.startswith("QLP_RESULT ")][-1]
    return dict(json.loads(line[len("QLP_RESULT "):]))


def main() -> int:
    ap = argparse.ArgumentParser(description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instruments", type=int, default=300)
    ap.add_argument("--years", type=float, default=4)
    ap.add_argument("--kernels", type=int, default=None, help="Qlib's kernels in the jobs (default: the CPUs)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (market, cache, logs)")
    args = parse_args(ap, smoke={"instruments": 10, "years": 1.5})

    from trainers.market import generate_market

    tmp = Path(tempfile.mkdtemp(prefix="qlp-bench-fc-"))
    try:
        market, cache = tmp / "market", tmp / "feature-cache"
        t0 = time.perf_counter()
        generate_market(market, n_instruments=args.instruments, years=args.years, seed=0)
        print(f"market: {args.instruments} instruments x {args.years:g} years generated in "
              f"{time.perf_counter() - t0:.1f}s ({tmp})", flush=True)
        tracking = (f"http://127.0.0.1:{args.mlflow_port}{STATIC_PREFIX}" if args.mlflow_port
                    else f"sqlite:///{tmp / 'mlflow.db'}")
        overrides = overrides_for(market)
        walls, results, outs = [], [], []
        for job_id, label in ((1, "first (empty cache)"), (2, "second")):
            took, out = run_job(write_spec(tmp, market, tracking, job_id, overrides, args.kernels),
                                tmp / f"job-{job_id}", cache)
            features = FEATURES.search(out)
            cache_line = CACHE_LINE.search(out)
            walls.append(took)
            results.append(result_of(out))
            outs.append(out)
            print(f"{label}: {took:.2f}s   features {float(features.group(1)) if features else float('nan'):.2f}s"
                  f"   {cache_line.group(0) if cache_line else '(no feature cache line)'}", flush=True)
        first, second = results
        equal = first["metrics"] == second["metrics"]
        print(f"metrics equal: {'yes' if equal else 'NO'} ({len(first['metrics'])} metrics)")
        hit = "[qlp] feature cache hit " in outs[1]
        if not hit:
            print("the second job did not report a feature cache hit")
        ratio = walls[1] / walls[0]
        print(f"feature cache ratio (second / first): {ratio:.3f}   target <= 0.5")
        return 0 if equal and hit else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
