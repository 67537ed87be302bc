"""Live logs under load: 20 jobs each printing 50 lines/s on two workers (Redis), 100 WebSocket viewers
(5 per job), and one more viewer that stalls for 10 s. Prints the latency from a line's print (its own
timestamp) to its receipt by a viewer: p50/p95/p99 for the 100 viewers, and for the stalled one.
Targets: p95 < 1 s, p99 < 2 s, the stalled viewer not moving the others' p95.

    python bench/log_stream.py [--jobs 20] [--rate 50] [--seconds 20] [--viewers-per-job 5]
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

from bench.dispatch import pct  # noqa: E402
from tests.helpers import REDIS_URL, mariadb_database  # noqa: E402
from tests.test_distributed import _cluster  # noqa: E402


async def viewer(ws_url: str, token: str, out: list[tuple[float, float]], stall_s: float = 0.0) -> tuple[int, int]:
    """Follows one job from offset 0. Lines printed after the follow message went out are live: their latency
    goes to ``out``. Lines printed before it are history (their delay is the viewer's late arrival): counted."""
    live = history = 0
    async with connect(ws_url, max_size=2**22, open_timeout=30) as ws:
        await ws.send(json.dumps({"type": "follow", "token": token, "offset": 0}))
        joined = time.time()
        if stall_s:
            await asyncio.sleep(stall_s)  # reads nothing meanwhile
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
            elif frame["type"] == "end":
                break
    return live, history


Samples = list[tuple[float, float]]  # (printed at, latency)


async def run(submit: Callable[[], int], base: str, token: str, jobs: int, lines: int,
              per_job: int) -> tuple[list[int], Samples, Samples]:
    """Submits the jobs one by one and opens each job's viewers right after its submit."""
    others: Samples = []
    stalled: Samples = []
    ws = base.replace("http://", "ws://")
    ids: list[int] = []
    tasks = []
    for _ in range(jobs):
        j = await asyncio.to_thread(submit)
        ids.append(j)
        tasks += [asyncio.create_task(viewer(f"{ws}/ws/train/{j}", token, others)) for _ in range(per_job)]
        if len(ids) == 1:
            tasks.append(asyncio.create_task(viewer(f"{ws}/ws/train/{j}", token, stalled, stall_s=10.0)))
    counts = await asyncio.gather(*tasks)
    live, history = sum(c[0] for c in counts), sum(c[1] for c in counts)
    print(f"viewers received {live + history} lines (expected {lines * len(tasks)}): {live} live, {history} printed "
          "before their viewer joined (history; not in the latencies below)")
    return ids, others, stalled


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=20)
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--viewers-per-job", type=int, default=5)
    ap.add_argument("--db", choices=["mariadb", "sqlite"], default="mariadb",
                    help="the API's database: MariaDB at 127.0.0.1:3306 (the distributed shape) or SQLite")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        extra = {}
        if args.db == "mariadb":
            extra["QLP_DB__URL"] = stack.enter_context(mariadb_database())
        return bench(args, extra)


def bench(args: argparse.Namespace, extra: dict[str, str]) -> int:
    root = Path(tempfile.mkdtemp(prefix="qlp-bench-logs-"))
    print(f"starting the API ({args.db}) and two workers on Redis in {root} …", flush=True)
    cluster = _cluster(root, REDIS_URL + "/10", concurrency=(args.jobs + 1) // 2, **extra)
    try:
        lines = int(args.rate * args.seconds)
        def submit() -> int:
            return int(cluster.submit(kind="probe", probe={"lines": lines, "rate": args.rate})["id"])

        ids, got, got_stalled = asyncio.run(run(submit, cluster.api.url, cluster.api.token, args.jobs, lines,
                                                args.viewers_per_job))
        others, stalled = [lat for _, lat in got], [lat for _, lat in got_stalled]
        done = [cluster.api.wait_job(i, timeout=300) for i in ids]
        assert all(j["state"] == "succeeded" for j in done), [j["error"] for j in done]
        print(f"{args.jobs} jobs × {args.rate:.0f} lines/s × {args.seconds:.0f}s, "
              f"{args.jobs * args.viewers_per_job} viewers + 1 stalled 10 s")
        print(f"print-to-receipt, 100 viewers: p50 {statistics.median(others):.3f}s  p95 {pct(others, .95):.3f}s  "
              f"p99 {pct(others, .99):.3f}s  max {max(others):.3f}s   targets p95 < 1 s, p99 < 2 s")
        print(f"the stalled viewer: p50 {statistics.median(stalled):.3f}s  max {max(stalled):.3f}s "
              f"(it caught up after its stall; the others' numbers above include that period)")
        t0 = min(t for t, _ in got)
        windows: dict[int, list[float]] = {}
        for t, lat in got:
            windows.setdefault(int((t - t0) // 5), []).append(lat)
        print("p95 by 5 s window of print time: " + "  ".join(
            f"{5 * w}s:{pct(v, .95):.2f}" for w, v in sorted(windows.items())))
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
