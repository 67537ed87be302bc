"""Every bench in its smoke mode (`python bench/X.py --smoke`: tiny sizes, the same code paths and printed lines),
as a child process: it exits 0 and the ratio and percentile lines it prints are there and hold positive, finite
numbers. No timing is asserted: the benches' targets are for the full sizes on a quiet machine.

One MLflow server (`qlp mlflow`) serves every bench's platform (`--mlflow-port`): each `qlp up` then skips the
~15 s MLflow start, which is no part of what the benches measure."""

from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from mlflow_server.server import wait_ready
from qlp_core.proc import die_with_parent, stop
from qlp_core.settings import MLflowSettings
from tests.conftest import REPORT
from tests.helpers import ROOT, free_port, port_open, service_missing

pytestmark = pytest.mark.e2e
NUM = r"([-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|nan|inf))"  # what the benches print for a number, NaN and inf included


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLP_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="module")
def mlflow_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    home = tmp_path_factory.mktemp("bench-mlflow")
    port = free_port()
    log = home / "mlflow.log"
    env = {**_env(), "QLP_HOME": str(home), "QLP_MLFLOW__PORT": str(port)}
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "qlp_cli", "mlflow"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True,
                                preexec_fn=lambda: die_with_parent(signal.SIGTERM))
    try:
        static_prefix = MLflowSettings.model_fields["static_prefix"].default
        wait_ready(f"http://127.0.0.1:{port}{static_prefix}", proc, 120, log)
        yield port
    finally:
        stop(proc, sig=signal.SIGTERM, timeout=15)


def run_bench(script: str, *args: str, timeout: float = 400) -> str:
    """``bench/<script> --smoke <args>``; its output (stdout and stderr) once it has exited 0."""
    argv = [sys.executable, str(ROOT / "bench" / script), "--smoke", *args]
    proc = subprocess.Popen(argv, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGINT)  # its finally blocks stop the platform and workers it started
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
        pytest.fail(f"{' '.join(argv[1:])} still running after {timeout:.0f}s:\n{out[-6000:]}")
    assert proc.returncode == 0, f"{' '.join(argv[1:])} exited {proc.returncode}:\n{out[-6000:]}"
    figures = re.compile(r"(overhead|door) ratio|submit-to-running|\d+/\d+ no-op|print-to-receipt|the others' p95|"
                         r"overview first render|runs page|job page|log scroll|largest initial JS")
    REPORT.extend(f"bench/{script} --smoke: {line.strip()}" for line in out.splitlines() if figures.match(line))
    return out


def numbers(out: str, pattern: str, count: int | None = None, positive: bool = True) -> list[float]:
    """The numbers captured by ``pattern`` in the lines that match it: present, finite and (``positive``) > 0."""
    found = [m.groups() for m in re.finditer(pattern, out, re.MULTILINE)]
    assert found, f"no line matching {pattern!r} in the output:\n{out[-6000:]}"
    if count is not None:
        assert len(found) == count, (pattern, found)
    values = [float(v) for groups in found for v in groups]
    for v in values:
        assert math.isfinite(v) and (v > 0 if positive else v >= 0), (pattern, values, out[-6000:])
    return values


def test_overhead(mlflow_port: int) -> None:
    out = run_bench("overhead.py", "--mlflow-port", str(mlflow_port))
    numbers(out, rf"^round 1: direct\s+{NUM}s\s+platform\s+{NUM}s\s+ratio {NUM}$", count=1)
    numbers(out, rf"^median direct {NUM}s, median platform {NUM}s$", count=1)
    numbers(out, rf"^overhead ratio \(platform / direct\): {NUM}\s", count=1)


def test_mlflow_door(mlflow_port: int) -> None:
    out = run_bench("mlflow_door.py", "--mlflow-port", str(mlflow_port))
    numbers(out, rf"^round 1: direct {NUM}s\s+door {NUM}s\s+ratio {NUM}$", count=1)
    numbers(out, rf"^2000 points in log_batch calls of 1,000: median direct {NUM}s, median door {NUM}s$", count=1)
    numbers(out, rf"^door ratio \(door / direct\): {NUM}\s", count=1)


@pytest.mark.redis
def test_dispatch(mlflow_port: int) -> None:
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis at 127.0.0.1:6379")
    out = run_bench("dispatch.py", "--mlflow-port", str(mlflow_port))
    numbers(out, rf"^submit-to-running, idle worker \(5 jobs\): median {NUM} ms, p95 {NUM} ms, max {NUM} ms", count=1)
    ok, total, *_ = numbers(
        out, rf"^{NUM}/{NUM} no-op jobs succeeded in {NUM}s \(submitted in {NUM}s\): {NUM} jobs/minute", count=1)
    assert ok == total == 20


@pytest.mark.redis
@pytest.mark.mariadb
def test_log_stream(mlflow_port: int) -> None:
    for port, what in ((3306, "MariaDB at 127.0.0.1:3306"), (6379, "Redis at 127.0.0.1:6379")):
        if not port_open("127.0.0.1", port):
            service_missing(what)
    out = run_bench("log_stream.py", "--mlflow-port", str(mlflow_port))
    got, expected = numbers(out, rf"^viewers received {NUM} lines \(expected {NUM}\)", count=1)
    assert got == expected  # every line reached every viewer, the stalled one included
    pcts = rf"p50 {NUM}s\s+p95 {NUM}s\s+p99 {NUM}s\s+max {NUM}s"
    numbers(out, rf"^print-to-receipt, 4 viewers: {pcts}", count=1)
    numbers(out, rf"^the stalled viewer: {pcts}", count=1)
    numbers(out, rf"^the others' p95 while that viewer was stalled: {NUM}s \({NUM} lines\); after: {NUM}s "
                 rf"\({NUM} lines\)$", count=1)
    windows = re.search(r"^p95 by 5 s window of print time: (.+)$", out, re.MULTILINE)
    assert windows, out[-6000:]
    # two decimals: a window's p95 may print as 0.00 on a fast machine
    numbers(windows.group(1), rf"\d+s:{NUM}", positive=False)


def test_dashboard(mlflow_port: int) -> None:
    if not (ROOT / "frontend" / "dist" / "index.html").exists() or not os.path.exists("/usr/bin/chromium"):
        service_missing("the built dashboard and Debian's chromium (make dashboard browser)")
    out = run_bench("dashboard.py", "--mlflow-port", str(mlflow_port))
    numbers(out, rf"^overview first render: median ours {NUM}s, MLflow UI home {NUM}s, ratio {NUM}$", count=1)
    numbers(out, rf"^runs page, {NUM} runs \({NUM} rows shown\): render median ours {NUM}s, MLflow UI {NUM}s, "
                 rf"ratio {NUM}; one sort by Rank IC {NUM}s$", count=1)
    numbers(out, rf"^job page, {NUM}-line log: time to the last line ours {NUM}s, plain <pre> {NUM}s, "
                 rf"ratio {NUM}$", count=1)
    numbers(out, rf"^log scroll frame time: ours p50 {NUM} ms p95 {NUM} ms, plain <pre> p50 {NUM} ms p95 {NUM} ms, "
                 rf"ratio p95 {NUM}$", count=1)
    kb, *_ = numbers(out, rf"^largest initial JS chunk: {NUM} KB gzipped", count=1)
    assert kb < 500  # the bar: the first load stays small


@pytest.mark.redis
def test_benchmark_fanout(mlflow_port: int) -> None:
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis at 127.0.0.1:6379")
    out = run_bench("benchmark_fanout.py", "--mlflow-port", str(mlflow_port))
    numbers(out, rf"^one run alone: {NUM}s \(worker time {NUM}s\)$", count=1)
    _, ok, total, workers = numbers(out, rf"^{NUM}-seed benchmark: {NUM}s, {NUM}/{NUM} runs succeeded on {NUM} "
                                         r"workers$", count=1)[1:]
    assert ok == total == 2 and workers == 2  # the two seeds ran on both workers
    numbers(out, rf"^fan-out ratio \(benchmark / 2 × one run\): {NUM}\s", count=1)
