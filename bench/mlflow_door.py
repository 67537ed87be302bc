"""The door's cost: the same 20,000 metric points, in `log_batch` calls of 1,000, logged straight to the MLflow
server and through the platform's door (API token), alternating, in one process run. Prints each time and the
ratio (door / direct); the target is <= 1.25.

    python bench/mlflow_door.py [--rounds 3] [--points 20000] [--smoke] [--mlflow-port PORT]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import mlflow_env, parse_args, tracking_uri  # noqa: E402
from tests.helpers import RunningPlatform, platform_env  # noqa: E402


def log_points(uri: str, token: str | None, points: int, experiment: str) -> float:
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    if token:
        os.environ["MLFLOW_TRACKING_TOKEN"] = token
    else:
        os.environ.pop("MLFLOW_TRACKING_TOKEN", None)
    client = MlflowClient(uri)
    exp = client.get_experiment_by_name(experiment)
    exp_id = exp.experiment_id if exp else client.create_experiment(experiment)
    run_id = client.create_run(exp_id).info.run_id
    now = int(time.time() * 1000)
    batches = [[Metric(f"m{i % 10}", float(i), now, i) for i in range(start, min(start + 1000, points))]
               for start in range(0, points, 1000)]
    t0 = time.perf_counter()
    for batch in batches:
        client.log_batch(run_id, metrics=batch)
    took = time.perf_counter() - t0
    client.set_terminated(run_id)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--points", type=int, default=20_000)
    args = parse_args(ap, smoke={"rounds": 1, "points": 2000})
    home = Path(tempfile.mkdtemp(prefix="qlp-bench-door-"))
    p = RunningPlatform(home, platform_env(home, **mlflow_env(args)), home / "up.log")
    print(f"starting the embedded platform in {home} …", flush=True)
    p.start()
    try:
        r = httpx.post(p.url + "/api/auth/tokens", json={"name": "bench", "areas": ["mlflow"]},
                       headers={"Authorization": f"Bearer {p.token}"})
        r.raise_for_status()
        token = r.json()["token"]
        direct_uri = tracking_uri(p.env)
        door_uri = p.url + "/mlflow"
        log_points(direct_uri, None, 1000, "bench-warmup")
        log_points(door_uri, token, 1000, "bench-warmup")
        direct, door = [], []
        for i in range(args.rounds):
            first_door = i % 2 == 1
            for side in ("door", "direct") if first_door else ("direct", "door"):
                if side == "door":
                    door.append(log_points(door_uri, token, args.points, "bench-door"))
                else:
                    direct.append(log_points(direct_uri, None, args.points, "bench-direct"))
            print(f"round {i + 1}: direct {direct[-1]:.2f}s   door {door[-1]:.2f}s   ratio {door[-1] / direct[-1]:.3f}",
                  flush=True)
        ratio = statistics.median(door) / statistics.median(direct)
        print(f"\n{args.points} points in log_batch calls of 1,000: median direct {statistics.median(direct):.2f}s, "
              f"median door {statistics.median(door):.2f}s")
        print(f"door ratio (door / direct): {ratio:.3f}   target <= 1.25")
        return 0
    finally:
        p.stop()


if __name__ == "__main__":
    sys.exit(main())
