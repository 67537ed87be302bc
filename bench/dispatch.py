"""Dispatch speed on Redis with two `qlp worker` processes: submit-to-running latency for an idle worker
(from the job's own created_at / started_at, both stamped by the API), and jobs per minute for 200 no-op
(probe) jobs. Targets: p95 submit-to-running < 1 s.

    python bench/dispatch.py [--latency-jobs 30] [--throughput-jobs 200] [--smoke] [--mlflow-port PORT]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import mlflow_env, parse_args, ts  # noqa: E402
from tests.helpers import REDIS_URL  # noqa: E402
from tests.test_distributed import Cluster, _cluster  # noqa: E402


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank); NaN for no values."""
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--latency-jobs", type=int, default=30)
    ap.add_argument("--throughput-jobs", type=int, default=200)
    args = parse_args(ap, smoke={"latency_jobs": 5, "throughput_jobs": 20})
    root = Path(tempfile.mkdtemp(prefix="qlp-bench-dispatch-"))
    print(f"starting the API and two workers on Redis in {root} …", flush=True)
    cluster: Cluster = _cluster(root, REDIS_URL + "/11", separate_hosts=False, **mlflow_env(args))
    try:
        with cluster.api.client() as c:
            lat = []
            for _ in range(args.latency_jobs):  # one at a time: a worker is idle each time
                job = cluster.submit(kind="probe", probe={"lines": 0, "rate": 1})
                done = cluster.api.wait_job(job["id"], timeout=60)
                lat.append(ts(done["started_at"]) - ts(done["created_at"]))
            print(f"submit-to-running, idle worker ({len(lat)} jobs): median {statistics.median(lat) * 1000:.0f} ms, "
                  f"p95 {pct(lat, 0.95) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms   target p95 < 1000 ms")
            t0 = time.time()
            noop = {"kind": "probe", "probe": {"lines": 0, "rate": 1}}
            with ThreadPoolExecutor(8) as pool:  # 8 clients: the workers, not one client's round trips, set the pace
                ids = list(pool.map(lambda _: cluster.submit(**noop)["id"], range(args.throughput_jobs)))
            submitted = time.time() - t0
            jobs = [cluster.api.wait_job(i, timeout=600) for i in ids]
            ok = sum(j["state"] == "succeeded" for j in jobs)
            span = max(ts(j["finished_at"]) for j in jobs) - min(ts(j["created_at"]) for j in jobs)
            per_worker: dict[str, int] = {}
            for j in jobs:
                per_worker[j["worker"]] = per_worker.get(j["worker"], 0) + 1
            print(f"{ok}/{len(jobs)} no-op jobs succeeded in {span:.1f}s (submitted in {submitted:.1f}s): "
                  f"{len(jobs) / span * 60:.0f} jobs/minute on two workers of 2 processes each; "
                  f"per worker {per_worker}")
            c.get("/health")
        return 0 if ok == len(jobs) else 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
