"""Platform overhead: the demo workflow through the platform (submit → succeeded) against the same workflow
run directly in this process with Qlib (qlib.init + task_train, logging to the same MLflow server).

Both sides run in one invocation, alternating, and the script prints each time and the ratio
(platform / direct). The direct side's first round includes `import qlib`, as a user's own script would;
the platform's worker pays the same imports in its workflow process.

    python bench/overhead.py [--rounds 2] [--instruments 50] [--years 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import RunningPlatform, platform_env  # noqa: E402

DEMO = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"


def direct_run(provider_uri: str, tracking_uri: str, round_no: int) -> float:
    t0 = time.perf_counter()
    import qlib
    from qlib.model.trainer import task_train

    config = yaml.safe_load(DEMO.read_text())
    qlib.init(
        provider_uri=provider_uri,
        region=config["qlib_init"].get("region", "cn"),
        exp_manager={"class": "MLflowExpManager", "module_path": "qlib.workflow.expm",
                     "kwargs": {"uri": tracking_uri, "default_exp_name": "bench-direct"}},
    )
    task_train(config["task"], experiment_name="bench-direct", recorder_name=f"direct-{round_no}")
    return time.perf_counter() - t0


def platform_run(p: RunningPlatform, dataset_id: int) -> tuple[float, dict[str, Any]]:
    with p.client() as c:
        t0 = time.perf_counter()
        job = c.post("/api/train", json={"config_text": DEMO.read_text(), "dataset_id": dataset_id,
                                         "experiment_name": "bench-platform"}).json()
        while True:
            cur = c.get(f"/api/train/{job['id']}").json()
            if cur["state"] in ("succeeded", "failed", "cancelled"):
                return time.perf_counter() - t0, cur
            time.sleep(0.05)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--instruments", type=int, default=50)
    ap.add_argument("--years", type=float, default=3)
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="qlp-bench-"))
    p = RunningPlatform(home, platform_env(home), home / "up.log")
    print(f"starting the embedded platform in {home} …", flush=True)
    p.start()
    try:
        with p.client() as c:
            ds = c.post("/api/data/datasets", json={"name": "bench", "source": {
                "kind": "synthetic", "n_instruments": args.instruments, "years": args.years}}).json()
        tracking = f"http://127.0.0.1:{p.env['QLP_MLFLOW__PORT']}"
        direct, plat = [], []
        for i in range(args.rounds):
            d = direct_run(str(home / "datasets" / "bench" / f"v{ds['version']}"), tracking, i)
            t, job = platform_run(p, ds["id"])
            if job["state"] != "succeeded":
                print(f"platform job failed: {job['error']}")
                return 1
            direct.append(d)
            plat.append(t)
            print(f"round {i + 1}: direct {d:6.2f}s   platform {t:6.2f}s   ratio {t / d:.3f}", flush=True)
        ratio = statistics.median(plat) / statistics.median(direct)
        print(f"\nmedian direct {statistics.median(direct):.2f}s, median platform {statistics.median(plat):.2f}s")
        print(f"overhead ratio (platform / direct): {ratio:.3f}   target <= 1.15")
        return 0
    finally:
        p.stop()


if __name__ == "__main__":
    sys.exit(main())
