"""Live logs under load: 20 jobs each printing 50 lines/s on two workers (Redis), 100 WebSocket viewers
(5 per job), and one more viewer that stalls for 10 s once lines flow. Prints the latency from a line's print (its own
timestamp) to its receipt by a viewer: p50/p95/p99 for the 100 viewers, and for the stalled one.
Targets: p95 < 1 s, p99 < 2 s, the stalled viewer not moving the others' p95.

    python bench/log_stream.py [--jobs 20] [--rate 50] [--seconds 20] [--viewers-per-job 5] [--stall-s 10]
                               [--api-processes 2] [--db mariadb|sqlite] [--smoke] [--mlflow-port PORT]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import mlflow_env, parse_args  # noqa: E402
from bench.dispatch import pct  # noqa: E402
from tests.helpers import REDIS_URL, mariadb_database  # noqa: E402
from tests.test_distributed import _cluster  # noqa: E402


async def viewer(ws_url: str, token: str, out: list[tuple[float, float]], stall_s: float = 0.0) -> tuple[int, int]:
    """Follows one job from offset 0. Lines printed after the follow message went out are live: their latency
    goes to ``out``. Lines printed before it are history (their delay is the viewer's late arrival): counted.
    ``stall_s``: once the first probe lines have come (the job is printing, however long it took to start), read
    nothing for that long; STALL holds the span."""
    live = history = 0
    async with connect(ws_url, max_size=2**22, open_timeout=30) as ws:
        await ws.send(json.dumps({"type": "follow", "token": token, "offset": 0}))
        joined = time.time()
        async for raw in ws:
            frame = json.loads(raw)
            if frame["type"] == "logs":
                now = time.time()
                for line in frame["lines"]:
                    if line["line"].startswith("probe line"):
                        sent = float(line["line"].rsplit("t=", 1)[1])
                        if sent >= joined:
                            out.append((sent, now - sent))
                            live += 1
                        else:
                            history += 1
                if stall_s and live + history:  # the job's own lines flow (the worker's come before)
                    STALL[:] = [time.time(), time.time() + stall_s]
                    await asyncio.sleep(stall_s)  # reads nothing meanwhile
                    stall_s = 0.0
            elif frame["type"] == "end":
                break
    return live, history


Samples = list[tuple[float, float]]  # (printed at, latency)
STALL: list[float] = []  # [from, to]: wall-clock span of the stalled viewer's stall


async def run(submit: Callable[[], int], bases: list[str], token: str, jobs: int, lines: int,
              per_job: int, stall_s: float) -> tuple[list[int], list[Samples], Samples]:
    """Submits the jobs one by one and opens each job's viewers right after its submit, spread round-robin over
    the API processes ``bases`` (the workers ship every line to the first)."""
    by_api: list[Samples] = [[] for _ in bases]
    stalled: Samples = []
    ws = [b.replace("http://", "ws://") for b in bases]
    ids: list[int] = []
    tasks = []
    n = 0
    for _ in range(jobs):
        j = await asyncio.to_thread(submit)
        ids.append(j)
        for _ in range(per_job):
            k = n % len(bases)
            tasks.append(asyncio.create_task(viewer(f"{ws[k]}/ws/train/{j}", token, by_api[k])))
            n += 1
        if len(ids) == 1:
            tasks.append(asyncio.create_task(viewer(f"{ws[0]}/ws/train/{j}", token, stalled, stall_s=stall_s)))
    counts = await asyncio.gather(*tasks)
    live, history = sum(c[0] for c in counts), sum(c[1] for c in counts)
    print(f"viewers received {live + history} lines (expected {lines * len(tasks)}): {live} live, {history} printed "
          "before their viewer joined (history; not in the latencies below)")
    return ids, by_api, stalled


def summary(name: str, samples: list[float]) -> str:
    return (f"{name}: p50 {statistics.median(samples):.3f}s  p95 {pct(samples, .95):.3f}s  "
            f"p99 {pct(samples, .99):.3f}s  max {max(samples):.3f}s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=20)
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--viewers-per-job", type=int, default=5)
    ap.add_argument("--stall-s", type=float, default=10.0, help="how long the one stalled viewer reads nothing")
    ap.add_argument("--db", choices=["mariadb", "sqlite"], default="mariadb",
                    help="the API's database: MariaDB at 127.0.0.1:3306 (the distributed shape) or SQLite")
    ap.add_argument("--api-processes", type=int, default=1,
                    help="API processes serving the viewers (round-robin); workers ship lines to the first, the "
                    "others get them over the Redis event bus")
    args = parse_args(ap, smoke={"jobs": 2, "rate": 20, "seconds": 6, "viewers_per_job": 2, "stall_s": 3.0})
    with contextlib.ExitStack() as stack:
        extra = {}
        if args.db == "mariadb":
            extra["QLP_DB__URL"] = stack.enter_context(mariadb_database())
        return bench(args, extra)


def bench(args: argparse.Namespace, extra: dict[str, str]) -> int:
    root = Path(tempfile.mkdtemp(prefix="qlp-bench-logs-"))
    print(f"starting {args.api_processes} API process(es) ({args.db}) and two workers on Redis in {root} …",
          flush=True)
    # the workers stay on this machine's network: the tests' namespace relay is a Python thread pair, not a network
    cluster = _cluster(root, REDIS_URL + "/10", concurrency=(args.jobs + 1) // 2, separate_hosts=False, **extra,
                       **mlflow_env(args))
    apis = [cluster.api]
    try:
        apis += [cluster.another_api(root / f"api{i + 2}") for i in range(args.api_processes - 1)]
        lines = int(args.rate * args.seconds)

        def submit() -> int:
            return int(cluster.submit(kind="probe", probe={"lines": lines, "rate": args.rate})["id"])

        ids, by_api, got_stalled = asyncio.run(run(submit, [a.url for a in apis], cluster.api.token, args.jobs,
                                                   lines, args.viewers_per_job, args.stall_s))
        got = [x for samples in by_api for x in samples]
        others, stalled = [lat for _, lat in got], [lat for _, lat in got_stalled]
        done = [cluster.api.wait_job(i, timeout=300) for i in ids]
        assert all(j["state"] == "succeeded" for j in done), [j["error"] for j in done]
        print(f"{args.jobs} jobs × {args.rate:.0f} lines/s × {args.seconds:.0f}s, "
              f"{args.jobs * args.viewers_per_job} viewers + 1 stalled {args.stall_s:g} s, {len(apis)} API process(es)")
        print(summary(f"print-to-receipt, {args.jobs * args.viewers_per_job} viewers", others)
              + "   targets p95 < 1 s, p99 < 2 s")
        if len(apis) > 1:
            for i, samples in enumerate(by_api):
                role = "the workers' API process" if i == 0 else "relayed over the event bus"
                print("  " + summary(f"viewers on API process {i + 1} ({role})", [lat for _, lat in samples]))
        print(summary("the stalled viewer", stalled)
              + "  (it caught up after its stall; the others' numbers above include that period)")
        during = [lat for t, lat in got if STALL[0] <= t <= STALL[1]]
        after = [lat for t, lat in got if t > STALL[1]]
        print(f"the others' p95 while that viewer was stalled: {pct(during, .95):.3f}s ({len(during)} lines); "
              f"after: {pct(after, .95):.3f}s ({len(after)} lines)")
        t0 = min(t for t, _ in got)
        windows: dict[int, list[float]] = {}
        for t, lat in got:
            windows.setdefault(int((t - t0) // 5), []).append(lat)
        print("p95 by 5 s window of print time: " + "  ".join(
            f"{5 * w}s:{pct(v, .95):.2f}" for w, v in sorted(windows.items())))
        return 0
    finally:
        for a in apis[1:]:
            a.stop()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
