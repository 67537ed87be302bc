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
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dispatch import pct  # noqa: E402
from tests.helpers import REDIS_URL, mariadb_database  # noqa: E402
from tests.test_distributed import _cluster  # noqa: E402


async def viewer(ws_url: str, token: str, lines: int, out: list[float], stall_s: float = 0.0) -> int:
    got = 0
    async with connect(ws_url, max_size=2**20, open_timeout=30) as ws:
        await ws.send(json.dumps({"type": "follow", "token": token, "offset": 0}))
        if stall_s:
            await asyncio.sleep(stall_s)  # reads nothing meanwhile
        async for raw in ws:
            frame = json.loads(raw)
            if frame["type"] == "log" and frame["line"].startswith("probe line"):
                sent = float(frame["line"].rsplit("t=", 1)[1])
                out.append(time.time() - sent)
                got += 1
            elif frame["type"] == "end":
                break
    return got


async def run(base: str, token: str, job_ids: list[int], lines: int, per_job: int) -> tuple[list[float], list[float]]:
    others: list[float] = []
    stalled: list[float] = []
    ws = base.replace("http://", "ws://")
    tasks = [viewer(f"{ws}/ws/train/{j}", token, lines, others) for j in job_ids for _ in range(per_job)]
    tasks.append(viewer(f"{ws}/ws/train/{job_ids[0]}", token, lines, stalled, stall_s=10.0))
    counts = await asyncio.gather(*tasks)
    print(f"viewers received {sum(counts)} lines (expected {lines * (len(tasks))})")
    return others, stalled


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
        ids = [cluster.submit(kind="probe", probe={"lines": lines, "rate": args.rate})["id"] for _ in range(args.jobs)]
        others, stalled = asyncio.run(run(cluster.api.url, cluster.api.token, ids, lines, args.viewers_per_job))
        done = [cluster.api.wait_job(i, timeout=300) for i in ids]
        assert all(j["state"] == "succeeded" for j in done), [j["error"] for j in done]
        print(f"{args.jobs} jobs × {args.rate:.0f} lines/s × {args.seconds:.0f}s, "
              f"{args.jobs * args.viewers_per_job} viewers + 1 stalled 10 s")
        print(f"print-to-receipt, 100 viewers: p50 {statistics.median(others):.3f}s  p95 {pct(others, .95):.3f}s  "
              f"p99 {pct(others, .99):.3f}s  max {max(others):.3f}s   targets p95 < 1 s, p99 < 2 s")
        print(f"the stalled viewer: p50 {statistics.median(stalled):.3f}s  max {max(stalled):.3f}s "
              f"(it caught up after its stall; the others' numbers above include that period)")
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
