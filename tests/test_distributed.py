"""Trainers on many hosts: the API with a real broker (Redis, then RabbitMQ) and two `qlp worker` processes
that know only the API URL, the trainer token and the broker. Jobs run exactly once; a worker killed mid-job
loses nothing; a broker restart loses nothing; cancel reaches a job on another worker within seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import REDIS_URL, ROOT, RunningPlatform, platform_env, port_open, service_missing

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
DEMO_YAML = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
RABBIT_URL = os.environ.get("QLP_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//")


@dataclass
class Cluster:
    api: RunningPlatform
    broker: str
    queue: str
    root: Path
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start_worker(self, name: str, concurrency: int = 2) -> None:
        """A worker as another host would run it: its own data folder, no database settings, no signing key."""
        home = self.root / f"host-{name}"
        token = (self.api.home / "trainer_token").read_text().strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("QLP_")}
        env.update({"QLP_MODE": "distributed", "QLP_HOME": str(home), "QLP_SERVER__API_URL": self.api.url,
                    "QLP_AUTH__TRAINER_TOKEN": token, "QLP_BROKER__URL": self.broker, "PYTHONUNBUFFERED": "1"})
        log = (self.root / f"worker-{name}.log").open("ab")
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "platform_api.cli", "worker", "--queues", self.queue,
             "--concurrency", str(concurrency), "--name", f"{name}@{name}-host"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        self.wait_workers({f"{name}@{name}-host"})

    def wait_workers(self, names: set[str], timeout: float = 60) -> None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            with self.api.client() as c:
                seen = {w["name"] for w in c.get("/api/workers", params={"within_s": 5}).json()}
            if names <= seen:
                return
            time.sleep(0.5)
        raise AssertionError(f"workers {names} never reported")

    def kill_worker(self, name: str) -> None:
        proc = self.workers.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.workers.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.api.stop()

    def submit(self, **body: Any) -> dict[str, Any]:
        with self.api.client() as c:
            r = c.post("/api/train", json={"queue": self.queue, **body})
            assert r.status_code == 201, r.text
            return dict(r.json())

    def logs(self, job_id: int) -> list[str]:
        with self.api.client() as c:
            return [ln["line"] for ln in c.get(f"/api/train/{job_id}/logs", params={"limit": 10000}).json()["lines"]]


def _cluster(root: Path, broker: str, concurrency: int = 2, **extra: str) -> Cluster:
    queue = f"q{uuid.uuid4().hex[:10]}"
    home = root / "api"
    env = platform_env(home, QLP_BROKER__URL=broker, QLP_SERVER__JOB_LEASE_S="4",
                       QLP_SERVER__REDISPATCH_AFTER_S="20", QLP_BROKER__DEFAULT_QUEUE=queue, **extra)
    env["QLP_SERVER__WORKERS"] = "0"
    api = RunningPlatform(home, env, root / "api.log")
    api.start()
    cluster = Cluster(api, broker, queue, root)
    try:
        cluster.start_worker("alpha", concurrency)
        cluster.start_worker("beta", concurrency)
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis at 127.0.0.1:6379")
    cluster = _cluster(tmp_path_factory.mktemp("redis-cluster"), REDIS_URL + "/12")
    yield cluster
    cluster.stop()


def wait_all(cluster: Cluster, ids: list[int], timeout: float = 180) -> list[dict[str, Any]]:
    return [cluster.api.wait_job(i, timeout=timeout) for i in ids]


def run_twenty(cluster: Cluster) -> None:
    ids = [cluster.submit(kind="probe", probe={"lines": 20, "rate": 100})["id"] for _ in range(20)]
    done = wait_all(cluster, ids)
    assert all(j["state"] == "succeeded" for j in done), [(j["id"], j["state"], j["error"]) for j in done]
    assert all(j["attempt"] == 1 for j in done)
    for job in done:
        starts = [ln for ln in cluster.logs(job["id"]) if ln.startswith(f"[worker] job {job['id']} attempt")]
        assert len(starts) == 1, starts  # ran exactly once
        assert sum(ln.startswith("probe line") for ln in cluster.logs(job["id"])) == 20
    assert {j["worker"] for j in done} == {"alpha@alpha-host", "beta@beta-host"}  # spread over both hosts


def test_twenty_jobs_exactly_once_on_redis(redis_cluster: Cluster) -> None:
    run_twenty(redis_cluster)


def test_worker_registry(redis_cluster: Cluster) -> None:
    with redis_cluster.api.client() as c:
        workers = {w["name"]: w for w in c.get("/api/workers").json()}
        status = c.get("/status").json()
    for name in ("alpha@alpha-host", "beta@beta-host"):
        w = workers[name]
        assert w["queues"] == [redis_cluster.queue] and w["concurrency"] == 2 and w["hostname"]
        assert {"cpu_percent", "memory_percent", "gpus"} <= set(w["info"])
    assert {w["name"] for w in status["workers"]} >= set(workers)


def test_cancel_on_another_worker_within_5s(redis_cluster: Cluster) -> None:
    job = redis_cluster.submit(kind="probe", probe={"lines": 10_000, "rate": 20})
    redis_cluster.api.wait_job(job["id"], states=("running",), timeout=30)
    time.sleep(1)
    with redis_cluster.api.client() as c:
        t0 = time.monotonic()
        assert c.post(f"/api/train/{job['id']}/cancel").status_code == 200
    done = redis_cluster.api.wait_job(job["id"], timeout=30)
    assert done["state"] == "cancelled" and time.monotonic() - t0 < 5


def test_worker_killed_mid_training_job(redis_cluster: Cluster) -> None:
    """SIGKILL the worker running a real Qlib job: the attempt's MLflow run ends FAILED, the job is queued again
    and succeeds on the other worker; never two attempts at once."""
    from mlflow.tracking import MlflowClient

    with redis_cluster.api.client() as c:
        ds = c.post("/api/data/datasets", json={"name": "chaos", "source": {
            "kind": "synthetic", "n_instruments": 20, "years": 3}}).json()
    job = redis_cluster.submit(config_text=DEMO_YAML.read_text(), dataset_id=ds["id"], experiment_name="chaos")
    t0 = time.monotonic()
    while True:
        with redis_cluster.api.client() as c:
            cur = c.get(f"/api/train/{job['id']}").json()
        if cur["mlflow_run_id"] and any(ln.startswith("[qlp] job info logged") for ln in redis_cluster.logs(job["id"])):
            break
        assert time.monotonic() - t0 < 120, cur
        time.sleep(0.3)
    first_run, victim = cur["mlflow_run_id"], cur["worker"].split("@")[0]
    redis_cluster.kill_worker(victim)
    done = redis_cluster.api.wait_job(job["id"], timeout=240)
    assert done["state"] == "succeeded", done["error"]
    assert done["attempt"] == 2 and not done["worker"].startswith(victim)
    client = MlflowClient(f"http://127.0.0.1:{redis_cluster.api.env['QLP_MLFLOW__PORT']}/mlflow")
    lost = client.get_run(first_run)
    assert lost.info.status == "FAILED" and "lost" in lost.data.tags["qlp.end_reason"]
    assert client.get_run(done["mlflow_run_id"]).info.status == "FINISHED"
    lines = redis_cluster.logs(job["id"])
    lost_at = next(i for i, ln in enumerate(lines) if "attempt 1 lost" in ln)
    second = next(i for i, ln in enumerate(lines) if ln.startswith(f"[worker] job {job['id']} attempt 2"))
    assert lost_at < second  # the second attempt began after the first was declared lost
    redis_cluster.start_worker(victim)


def test_broker_restart_mid_run(redis_cluster: Cluster) -> None:
    job = redis_cluster.submit(kind="probe", probe={"lines": 120, "rate": 20})
    redis_cluster.api.wait_job(job["id"], states=("running",), timeout=30)
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True, timeout=30)
    time.sleep(2)
    subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
                    "--save", "", "--appendonly", "no", "--dir", "/tmp"], check=True, timeout=30)
    t0 = time.monotonic()
    while not port_open("127.0.0.1", 6379):
        assert time.monotonic() - t0 < 30
        time.sleep(0.2)
    done = redis_cluster.api.wait_job(job["id"], timeout=60)
    assert done["state"] == "succeeded" and done["attempt"] == 1
    after = redis_cluster.submit(kind="probe", probe={"lines": 5, "rate": 100})
    assert redis_cluster.api.wait_job(after["id"], timeout=120)["state"] == "succeeded"
    # both workers are (still, or again) serving: Celery gives up on some broker failures; `qlp worker` restarts it
    redis_cluster.wait_workers({"alpha@alpha-host", "beta@beta-host"}, timeout=90)
    ids = [redis_cluster.submit(kind="probe", probe={"lines": 5, "rate": 100})["id"] for _ in range(6)]
    assert all(j["state"] == "succeeded" for j in wait_all(redis_cluster, ids, timeout=120))


def test_twenty_jobs_exactly_once_on_rabbitmq(tmp_path: Path) -> None:
    if not port_open("127.0.0.1", 5672):
        service_missing("RabbitMQ at 127.0.0.1:5672")
    cluster = _cluster(tmp_path, RABBIT_URL)
    try:
        run_twenty(cluster)
        job = cluster.submit(kind="probe", probe={"lines": 10_000, "rate": 20})
        cluster.api.wait_job(job["id"], states=("running",), timeout=30)
        with cluster.api.client() as c:
            t0 = time.monotonic()
            c.post(f"/api/train/{job['id']}/cancel")
        assert cluster.api.wait_job(job["id"], timeout=30)["state"] == "cancelled"
        assert time.monotonic() - t0 < 5
    finally:
        cluster.stop()


def test_workers_hold_no_platform_secrets(redis_cluster: Cluster) -> None:
    import psutil

    for proc in redis_cluster.workers.values():
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        for p in tree:
            keys = set(p.environ())
            assert "QLP_DB__URL" not in keys and "QLP_AUTH__SECRET_KEY" not in keys
    assert httpx.get(redis_cluster.api.url + "/health").status_code == 200
