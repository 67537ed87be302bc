"""A benchmark's fan-out: the wall time of an N-seed benchmark of the demo LightGBM config on two workers (Redis,
each worker one job at a time), over N × the wall time of one run of it alone, each on a dataset version no worker
has seen (both start with the feature cache cold). Target: ≤ 0.5 (two workers, and the seeds after the first ones
reuse the features).

    python bench/benchmark_fanout.py [--seeds 5] [--instruments 50] [--smoke] [--mlflow-port PORT]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import mlflow_env, parse_args, ts  # noqa: E402
from tests.helpers import REDIS_URL  # noqa: E402
from tests.test_distributed import Cluster, _cluster  # noqa: E402

DEMO = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--instruments", type=int, default=50)
    args = parse_args(ap, smoke={"seeds": 2, "instruments": 12})
    root = Path(tempfile.mkdtemp(prefix="qlp-bench-fanout-"))
    print(f"starting the API and two workers (one job at a time each) on Redis in {root} …", flush=True)
    cluster: Cluster = _cluster(root, REDIS_URL + "/10", concurrency=1, separate_hosts=False, **mlflow_env(args))
    try:
        alone_ds = cluster.api.generate_dataset("fanout-alone", n_instruments=args.instruments, years=3, seed=101)
        bench_ds = cluster.api.generate_dataset("fanout-bench", n_instruments=args.instruments, years=3, seed=102)
        t0 = time.monotonic()
        job = cluster.submit(config_text=DEMO, dataset_id=alone_ds["id"], experiment_name="fanout",
                             overrides={"task.model.kwargs.seed": 0})
        done = cluster.api.wait_job(job["id"], timeout=1800)
        alone = time.monotonic() - t0
        if done["state"] != "succeeded":
            print(f"the single run failed: {done['error']}")
            return 1
        print(f"one run alone: {alone:.1f}s (worker time {ts(done['finished_at']) - ts(done['started_at']):.1f}s)")
        with cluster.api.client() as c:
            t0 = time.monotonic()
            r = c.post("/api/benchmarks", json={"name": "fanout", "dataset_id": bench_ds["id"], "n_seeds": args.seeds,
                                                "queue": cluster.queue, "configs": [{"config_text": DEMO}]})
            if r.status_code != 201:
                print(f"the benchmark was refused: {r.status_code} {r.text[:500]}")
                return 1
            bench = r.json()
            while bench["state"] in ("queued", "running"):
                time.sleep(0.5)
                bench = c.get(f"/api/benchmarks/{bench['id']}").json()
            wall = time.monotonic() - t0
        runs = bench["entries"][0]["runs"]
        ok = sum(r["state"] == "succeeded" for r in runs)
        workers = {cluster.api.wait_job(r["job_id"], timeout=10)["worker"] for r in runs}
        print(f"{args.seeds}-seed benchmark: {wall:.1f}s, {ok}/{len(runs)} runs succeeded on {len(workers)} workers")
        ratio = wall / (args.seeds * alone)
        print(f"fan-out ratio (benchmark / {args.seeds} × one run): {ratio:.3f}   target ≤ 0.5")
        return 0 if ok == len(runs) else 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
