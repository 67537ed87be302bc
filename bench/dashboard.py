"""The dashboard in Chromium, each against a reference in the same run: first render of the Overview (against
the MLflow UI's home behind the same door), the runs page with N runs (render and one sort; against the MLflow
UI's experiment page on the same runs), the job page with an L-line log (time to the last line and scroll frame
time; against the same lines in one plain <pre>), and the largest initial JS chunk, gzipped (bar: 500 KB).

    python bench/dashboard.py [--runs 2000] [--lines 100000] [--rounds 3] [--smoke] [--mlflow-port PORT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import mlflow_env, parse_args, tracking_uri  # noqa: E402
from tests.helpers import RunningPlatform, platform_env  # noqa: E402

DIST = ROOT / "frontend" / "dist"
BAR_KB = 500
METRICS = ("IC", "ICIR", "Rank IC", "Rank ICIR")
RETURNS = ("annualized_return", "information_ratio", "max_drawdown", "mean", "std")


def chunk_sizes() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(initial, lazy) JS chunks of the build with their gzipped sizes; initial = what index.html loads."""
    html = (DIST / "index.html").read_text()
    initial = set(re.findall(r'(?:src|href)="/assets/([^"]+\.js)"', html))
    sizes = {p.name: len(gzip.compress(p.read_bytes(), 9)) for p in (DIST / "assets").glob("*.js")}
    first = sorted(((n, sizes[n]) for n in initial), key=lambda x: -x[1])
    lazy = sorted(((n, s) for n, s in sizes.items() if n not in initial), key=lambda x: -x[1])
    return first, lazy


def make_runs(uri: str, n: int) -> str:
    """An experiment of ``n`` finished runs with Qlib's metrics, params and tags, logged straight to MLflow."""
    import random

    from mlflow.entities import Metric, Param, RunTag
    from mlflow.tracking import MlflowClient

    client = MlflowClient(uri)
    # a model-training experiment, so the MLflow UI opens it on its runs table (not its GenAI overview)
    exp = client.create_experiment(f"bench-dashboard-{int(time.time())}",
                                   tags={"mlflow.experimentKind": "custom_model_development"})
    rng = random.Random(7)

    def one(i: int) -> None:
        run = client.create_run(exp, run_name=f"lgb-{i:05d}", tags={"qlp.user": "admin", "qlp.dataset_id": "1"})
        now = int(time.time() * 1000)
        metrics = [Metric(k, rng.gauss(0.04, 0.02), now, 0) for k in METRICS]
        for cost in ("with_cost", "without_cost"):
            metrics += [Metric(f"1day.excess_return_{cost}.{k}", rng.gauss(0.1, 0.1), now, 0) for k in RETURNS]
        params = [Param("task.model.class", "LGBModel"),
                  Param("task.model.kwargs.learning_rate", str(0.01 * (i % 9 + 1)))]
        client.log_batch(run.info.run_id, metrics=metrics, params=params, tags=[RunTag("qlp.job_id", str(i + 1))])
        client.set_terminated(run.info.run_id)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(n)))
    return exp


def long_log_job(p: RunningPlatform, lines: int) -> int:
    """A probe job that prints ``lines`` lines through the real worker path; its id once it has succeeded."""
    with p.client() as c:
        r = c.post("/api/train", json={"kind": "probe", "name": "bench-long-log",
                                       "probe": {"lines": lines, "rate": 10_000}})
        r.raise_for_status()
        job = p.wait_job(r.json()["id"], timeout=900)
    assert job["state"] == "succeeded" and job["log_count"] >= lines, job
    return int(job["id"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = parse_args(ap, smoke={"runs": 60, "lines": 3000, "rounds": 1})
    if not (DIST / "index.html").exists():
        print("frontend/dist is not built: run `make dashboard` first", file=sys.stderr)
        return 2

    first, lazy = chunk_sizes()
    home = Path(tempfile.mkdtemp(prefix="qlp-bench-dashboard-"))
    p = RunningPlatform(home, platform_env(home, **mlflow_env(args)), home / "up.log")
    print(f"starting the embedded platform in {home} …", flush=True)
    p.start()
    try:
        t0 = time.monotonic()
        exp = make_runs(tracking_uri(p.env), args.runs)
        print(f"{args.runs} runs logged in {time.monotonic() - t0:.1f}s", flush=True)
        t0 = time.monotonic()
        job_id = long_log_job(p, args.lines)
        print(f"{args.lines}-line job {job_id} done in {time.monotonic() - t0:.1f}s", flush=True)
        spec = {"base": p.url, "user": "admin", "password": p.password, "experiment_id": exp, "runs": args.runs,
                "job_id": job_id, "lines": args.lines, "rounds": args.rounds}
        out = subprocess.run(["node", str(ROOT / "bench" / "dashboard.mjs"), json.dumps(spec)],
                             cwd=ROOT / "tests" / "browser", capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            print(out.stdout[-3000:], out.stderr[-3000:], file=sys.stderr)
            return 1
        m = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        p.stop()

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    ov, ml = m["overview_s"], m["mlflow_home_s"]
    print(f"\noverview first render: median ours {ov:.3f}s, MLflow UI home {ml:.3f}s, ratio {ratio(ov, ml):.3f}")
    rr, rm = m["runs_render_s"], m["mlflow_runs_s"]
    print(f"runs page, {args.runs} runs ({m['runs_rows']} rows shown): render median ours {rr:.3f}s, "
          f"MLflow UI {rm:.3f}s, ratio {ratio(rr, rm):.3f}; one sort by Rank IC {m['runs_sort_s']:.3f}s")
    ll, lp = m["log_last_line_s"], m["plain_last_line_s"]
    print(f"job page, {args.lines}-line log: time to the last line ours {ll:.3f}s, plain <pre> {lp:.3f}s, "
          f"ratio {ratio(ll, lp):.3f}")
    fo, fp = m["log_frame_p95_ms"], m["plain_frame_p95_ms"]
    print(f"log scroll frame time: ours p50 {m['log_frame_p50_ms']:.1f} ms p95 {fo:.1f} ms, plain <pre> p50 "
          f"{m['plain_frame_p50_ms']:.1f} ms p95 {fp:.1f} ms, ratio p95 {ratio(fo, fp):.3f}")
    name, size = first[0]
    print(f"largest initial JS chunk: {size / 1024:.1f} KB gzipped ({name}); all initial JS "
          f"{sum(s for _, s in first) / 1024:.1f} KB; largest lazy chunk {lazy[0][1] / 1024:.1f} KB ({lazy[0][0]}); "
          f"bar {BAR_KB} KB: {'ok' if size < BAR_KB * 1024 else 'OVER'}")
    print(f"JS the Overview loads, over the wire (gzipped by the API): {m['overview_js_kb']:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
