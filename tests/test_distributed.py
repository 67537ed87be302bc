"""Trainers on many hosts: the API with a real broker (Redis, then RabbitMQ) and two `qlp worker` processes
that know only the API URL, the trainer token and the broker. Jobs run exactly once; a worker killed mid-job
loses nothing; a broker restart loses nothing; cancel reaches a job on another worker within seconds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from qlp_core.proc import stop
from tests import netns
from tests.helpers import REDIS_URL, ROOT, RunningPlatform, platform_env, port_open, service_missing
from tests.services import RedisServer

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
DEMO_YAML = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
RABBIT_URL = os.environ.get("QLP_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672//")
#: what does not go through the jobs' broker (the API's heartbeats and registry, the Redis event bus, the hosts
#: themselves) runs on the Redis cluster only; delivery, priorities, a killed worker and a broker restart on both
BROKER_INDEPENDENT = pytest.mark.parametrize("cluster", ["redis"], indirect=True)


@dataclass
class Cluster:
    api: RunningPlatform
    broker: str
    queue: str
    root: Path
    hosts: netns.Hosts | None = None  # None: workers share the test machine's network and files
    worker_env: dict[str, str] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    namespaces: dict[str, str] = field(default_factory=dict)
    redis: RedisServer | None = None  # the cluster's own Redis server, when it is its broker
    queues_used: set[str] = field(default_factory=set)

    def start_worker(self, name: str, concurrency: int = 2, queues: list[str] | None = None) -> None:
        """A worker as another host would run it: its own data folder, no database settings, no signing key;
        with ``hosts``, its own network namespace (the API and broker only over the network) and no view of the
        API's data folder."""
        home = self.root / f"host-{name}"
        token = (self.api.home / "trainer_token").read_text().strip()
        api_url, broker = self.api.url, self.broker
        if self.hosts is not None:
            api_url = api_url.replace("127.0.0.1", self.hosts.gateway)
            broker = broker.replace("127.0.0.1", self.hosts.gateway)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QLP_")}
        env.update({"QLP_MODE": "distributed", "QLP_HOME": str(home), "QLP_SERVER__API_URL": api_url,
                    "QLP_AUTH__TRAINER_TOKEN": token, "QLP_BROKER__URL": broker, "PYTHONUNBUFFERED": "1",
                    **self.worker_env})
        queues = queues or [self.queue]
        self.queues_used.update(queues)
        argv = [sys.executable, "-m", "qlp_cli", "worker", "--queues", ",".join(queues),
                "--concurrency", str(concurrency), "--name", f"{name}@{name}-host"]
        if self.hosts is not None:
            if name not in self.namespaces:
                self.namespaces[name] = self.hosts.add()
            argv = self.hosts.command(self.namespaces[name], argv)
        log = (self.root / f"worker-{name}.log").open("ab")
        self.workers[name] = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                              start_new_session=True)
        self.wait_workers({f"{name}@{name}-host"})

    def another_api(self, home: Path, **extra: str) -> RunningPlatform:
        """One more API process on the same database, broker, MLflow server and secrets (started)."""
        api = self.api
        home.mkdir(parents=True)
        (home / "admin_password").write_text((api.home / "admin_password").read_text())
        db_url = api.env.get("QLP_DB__URL", f"sqlite:///{api.home / 'platform.db'}")
        env = platform_env(home, QLP_DB__URL=db_url, QLP_MLFLOW__URL=f"http://127.0.0.1:{api.env['QLP_MLFLOW__PORT']}",
                           QLP_BROKER__URL=self.broker, QLP_BROKER__DEFAULT_QUEUE=self.queue,
                           QLP_AUTH__SECRET_KEY_FILE=str(api.home / "secret_key"),
                           QLP_AUTH__TRAINER_TOKEN_FILE=str(api.home / "trainer_token"), QLP_SERVER__WORKERS="0",
                           **{k: v for k, v in api.env.items() if k == "QLP_SERVER__EVENTS_URL"}, **extra)
        other = RunningPlatform(home, env, home.parent / f"{home.name}.log")
        other.start()
        return other

    def wait_workers(self, names: set[str], timeout: float = 60) -> None:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            with self.api.client() as c:
                seen = {w["name"] for w in c.get("/api/workers", params={"within_s": 5}).json()}
            if names <= seen:
                return
            time.sleep(0.5)
        raise AssertionError(f"workers {names} never reported")

    def stop_worker(self, name: str) -> None:
        stop(self.workers.pop(name), timeout=30)

    def kill_worker(self, name: str) -> None:
        proc = self.workers.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.workers.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)  # all at once; then each gets its 15 s
        for proc in self.workers.values():
            stop(proc, timeout=15)
        self.api.stop()
        if self.hosts is not None:
            self.hosts.close()
        if self.broker.startswith("amqp"):  # leave no queue behind on the machine's RabbitMQ
            for queue in self.queues_used:
                subprocess.run(["rabbitmqctl", "delete_queue", queue], capture_output=True, timeout=60)

    def submit(self, **body: Any) -> dict[str, Any]:
        with self.api.client() as c:
            r = c.post("/api/train", json={"queue": self.queue, **body})
            assert r.status_code == 201, r.text
            return dict(r.json())

    def logs(self, job_id: int) -> list[str]:
        with self.api.client() as c:
            return [ln["line"] for ln in c.get(f"/api/train/{job_id}/logs", params={"limit": 10000}).json()["lines"]]


def _cluster(root: Path, broker: str, concurrency: int = 2, separate_hosts: bool = True,
             worker_env: dict[str, str] | None = None, **extra: str) -> Cluster:
    """The API (`qlp up` with no embedded workers) and two workers, alpha and beta. ``separate_hosts``: each
    worker in its own network and mount namespaces when this machine allows it (root), else a warning."""
    queue = f"q{uuid.uuid4().hex[:10]}"
    home = root / "api"
    hosts = None
    if separate_hosts:
        why = netns.available()
        if why is None:
            hosts = netns.Hosts(hidden=[home])
        else:
            warnings.warn(f"workers share this machine's network and files: {why}", stacklevel=2)
    env = platform_env(home, QLP_BROKER__URL=broker, QLP_SERVER__JOB_LEASE_S="4",
                       QLP_SERVER__REDISPATCH_AFTER_S="20", QLP_BROKER__DEFAULT_QUEUE=queue, **extra)
    env["QLP_SERVER__WORKERS"] = "0"
    if hosts is not None:
        env["QLP_SERVER__ALLOWED_HOSTS"] = json.dumps(["127.0.0.1", "localhost", hosts.gateway])
        hosts.forward(int(env["QLP_SERVER__PORT"]), urlsplit(broker).port or 6379)
    api = RunningPlatform(home, env, root / "api.log")
    try:
        api.start()
    except BaseException:
        if hosts is not None:
            hosts.close()
        raise
    cluster = Cluster(api, broker, queue, root, hosts, dict(worker_env or {}))
    try:
        cluster.start_worker("alpha", concurrency)
        cluster.start_worker("beta", concurrency)
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="module", params=["redis", "rabbitmq"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The same suite on each broker."""
    root = tmp_path_factory.mktemp(f"{request.param}-cluster")
    if request.param == "redis":
        if not port_open("127.0.0.1", 6379):
            service_missing("Redis at 127.0.0.1:6379")
        # a short visibility timeout: a job that outlives it must still be delivered once (the long-job test)
        vt = {"QLP_BROKER__VISIBILITY_TIMEOUT_S": "3",  # and kombu looks for overdue messages every second
              "QLP_BROKER__TRANSPORT_OPTIONS": json.dumps({"unacked_restore_interval": 1,
                                                           "unacked_restore_throttle": 1})}
        redis = RedisServer(root / "redis")  # its own: the broker-restart test stops and starts it
        redis.start()
        try:
            c = _cluster(root, redis.url + "/0", worker_env=vt, **vt)
        except BaseException:
            redis.stop()
            raise
        c.redis = redis
    else:
        if not port_open("127.0.0.1", 5672):
            service_missing("RabbitMQ at 127.0.0.1:5672")
        # RabbitMQ carries the jobs; Redis relays live log events between API processes
        c = _cluster(root, RABBIT_URL, QLP_SERVER__EVENTS_URL=REDIS_URL + "/12")
    yield c
    c.stop()
    if c.redis is not None:
        c.redis.stop()


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


def test_twenty_jobs_exactly_once(cluster: Cluster) -> None:
    run_twenty(cluster)


@BROKER_INDEPENDENT
def test_workers_are_separate_hosts(cluster: Cluster) -> None:
    """Inside a worker's host the API answers only at the network address, its loopback port is closed, and the
    API's data folder (datasets, database, secrets) is empty."""
    hosts = cluster.hosts
    if hosts is None:
        service_missing(f"network namespaces for the worker hosts ({netns.available()})")
    code = ("import json, os, socket, sys\n"
            "def reach(h, p):\n"
            "    try:\n"
            "        socket.create_connection((h, p), timeout=3).close()\n"
            "        return True\n"
            "    except OSError:\n"
            "        return False\n"
            "p = int(sys.argv[1])\n"
            "print(json.dumps({'loopback': reach('127.0.0.1', p), 'network': reach(sys.argv[2], p),\n"
            "                  'broker_loopback': reach('127.0.0.1', int(sys.argv[4])),\n"
            "                  'files': os.listdir(sys.argv[3])}))\n")
    argv = hosts.command(cluster.namespaces["alpha"],
                         [sys.executable, "-c", code, str(cluster.api.port), hosts.gateway,
                          str(cluster.api.home), str(urlsplit(cluster.broker).port)])
    out = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=True).stdout
    seen = json.loads(out)
    assert seen == {"loopback": False, "network": True, "broker_loopback": False, "files": []}
    assert sorted(os.listdir(cluster.api.home))  # the folder is not empty on the API's own host


@BROKER_INDEPENDENT
def test_live_logs_from_a_second_api_process(cluster: Cluster, tmp_path: Path) -> None:
    """Two API processes on one database: the worker ships lines to the first, a WebSocket follower on the second
    gets every line once and in order, as the job runs. The second process polls its database only every 60 s
    here, so lines arrive while the job runs only through the Redis event bus (whatever the jobs' broker)."""
    from websockets.sync.client import connect

    second = cluster.another_api(tmp_path / "api2", QLP_SERVER__LOG_POLL_S="60")
    try:
        job = cluster.submit(kind="probe", probe={"lines": 150, "rate": 30})
        frames = []
        with connect(second.url.replace("http", "ws") + f"/ws/train/{job['id']}", open_timeout=10) as ws:
            ws.send(json.dumps({"type": "follow", "token": second.token, "offset": 0}))
            while True:
                frame = json.loads(ws.recv(timeout=90))
                frames.append(frame)
                if frame["type"] == "end":
                    break
        seqs = [ln["seq"] for f in frames if f["type"] == "logs" for ln in f["lines"]]
        stored = cluster.logs(job["id"])
        assert seqs == list(range(len(stored))) and frames[-1]["state"] == "succeeded"
        assert [ln["line"] for f in frames if f["type"] == "logs" for ln in f["lines"]] == stored
        assert sum(f["type"] == "logs" for f in frames) >= 5  # in pieces as it ran, not read once at the end
        assert "running" in [f["state"] for f in frames if f["type"] == "status"]
    finally:
        second.stop()


def test_a_long_job_is_delivered_once(cluster: Cluster) -> None:
    """A job that outlives the broker's redelivery timer is delivered once. Redis: its message was acknowledged
    when it started, so the visibility timeout (3 s here, against a 12 s job) never fires for it. RabbitMQ: see
    ``qlp_core.celery_contract``; what the test can see is the consumers' settings at the broker."""
    job = cluster.submit(kind="probe", probe={"lines": 60, "rate": 5})
    cluster.api.wait_job(job["id"], states=("running",), timeout=30)
    if cluster.broker.startswith("amqp"):
        # RabbitMQ: late acks, so the running job's message is the only one held (nothing waits behind it on a
        # busy worker), and every consumer asked for a delivery timeout of days (honoured by 3.11.15+)
        time.sleep(1)
        out = _rabbitmqctl("list_queues", "name", "messages_unacknowledged")
        unacked = dict(line.split("\t") for line in out.splitlines())
        assert unacked[cluster.queue] == "1", unacked[cluster.queue]
        consumers = [ln for ln in _rabbitmqctl("list_consumers", "queue_name", "ack_required", "arguments")
                     .splitlines() if ln.startswith(cluster.queue + "\t")]
        assert len(consumers) == 2, consumers  # one per worker host
        for line in consumers:
            _, ack_required, args = line.split("\t")
            assert ack_required == "true" and "x-consumer-timeout" in args
            assert str(7 * 24 * 3600 * 1000) in args, args
    done = cluster.api.wait_job(job["id"], timeout=90)
    assert done["state"] == "succeeded" and done["attempt"] == 1
    if cluster.broker.startswith("redis"):
        time.sleep(4)  # past one more visibility timeout after the end
    logs = "".join((cluster.root / f"worker-{w}.log").read_text() for w in ("alpha", "beta"))
    received = [ln for ln in logs.splitlines() if f"qlp.run_job[job-{job['id']}-" in ln and ln.endswith("received")]
    assert len(received) == 1, received


def _rabbitmqctl(*args: str) -> str:
    return subprocess.run(["rabbitmqctl", args[0], "-q", "--no-table-headers", *args[1:]], capture_output=True,
                          text=True, timeout=60, check=True).stdout.strip()


def test_named_queue_and_priority(cluster: Cluster) -> None:
    """Jobs sent to a named queue run only on the worker that serves it; while its one process is busy, waiting
    jobs start highest priority first, whatever order they were submitted in."""
    solo = cluster.queue + "-solo"
    cluster.start_worker("gamma", concurrency=1, queues=[solo])
    try:
        blocker = cluster.submit(queue=solo, kind="probe", probe={"lines": 30, "rate": 10})
        cluster.api.wait_job(blocker["id"], states=("running",), timeout=30)
        low = [cluster.submit(queue=solo, kind="probe", probe={"lines": 1, "rate": 100}, priority=1)["id"]
               for _ in range(3)]
        high = [cluster.submit(queue=solo, kind="probe", probe={"lines": 1, "rate": 100}, priority=8)["id"]
                for _ in range(3)]
        done = wait_all(cluster, [blocker["id"], *low, *high], timeout=120)
        assert all(j["state"] == "succeeded" and j["worker"] == "gamma@gamma-host" for j in done), done
        order = [j["id"] for j in sorted(done[1:], key=lambda j: j["started_at"])]
        assert set(order[:3]) == set(high) and set(order[3:]) == set(low), (order, high, low)
    finally:
        cluster.stop_worker("gamma")


@BROKER_INDEPENDENT
def test_worker_registry(cluster: Cluster) -> None:
    with cluster.api.client() as c:
        workers = {w["name"]: w for w in c.get("/api/workers").json()}
        status = c.get("/status").json()
    for name in ("alpha@alpha-host", "beta@beta-host"):
        w = workers[name]
        assert w["queues"] == [cluster.queue] and w["concurrency"] == 2 and w["hostname"]
        assert {"cpu_percent", "memory_percent", "gpus"} <= set(w["info"])
    assert {w["name"] for w in status["workers"]} >= set(workers)


def _start_training(cluster: Cluster, dataset: str, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A real Qlib job on a fresh dataset (its own seed: its own content hash, so no host has it cached), once its
    MLflow run exists; returns (the job as submitted, the job now)."""
    ds = cluster.api.generate_dataset(dataset, n_instruments=20, years=3, seed=seed)
    job = cluster.submit(config_text=DEMO_YAML.read_text(), dataset_id=ds["id"], experiment_name=dataset)
    t0 = time.monotonic()
    while True:
        with cluster.api.client() as c:
            cur = c.get(f"/api/train/{job['id']}").json()
        if cur["mlflow_run_id"] and any(ln.startswith("[qlp] job info logged") for ln in cluster.logs(job["id"])):
            return job, cur
        assert time.monotonic() - t0 < 120, cur
        time.sleep(0.3)


def _mlflow(cluster: Cluster) -> Any:
    from mlflow.tracking import MlflowClient

    return MlflowClient(f"http://127.0.0.1:{cluster.api.env['QLP_MLFLOW__PORT']}/mlflow")


@BROKER_INDEPENDENT
def test_cancel_on_another_worker_within_5s(cluster: Cluster) -> None:
    """Cancel a Qlib job training on another host: its process group stops within 5 s, the run is KILLED."""
    job, cur = _start_training(cluster, "cancel", seed=1)
    with cluster.api.client() as c:
        t0 = time.monotonic()
        assert c.post(f"/api/train/{job['id']}/cancel").status_code == 200
    done = cluster.api.wait_job(job["id"], timeout=30)
    assert done["state"] == "cancelled" and time.monotonic() - t0 < 5
    assert _mlflow(cluster).get_run(cur["mlflow_run_id"]).info.status == "KILLED"
    assert any("cancel requested: stopping the workflow" in ln for ln in cluster.logs(job["id"]))


def test_worker_killed_mid_training_job(cluster: Cluster) -> None:
    """SIGKILL the worker running a real Qlib job: the attempt's MLflow run ends FAILED, the job is queued again
    and succeeds on the other worker; never two attempts at once."""
    job, cur = _start_training(cluster, "chaos", seed=2)
    first_run, victim = cur["mlflow_run_id"], cur["worker"].split("@")[0]
    cluster.kill_worker(victim)
    done = cluster.api.wait_job(job["id"], timeout=240)
    assert done["state"] == "succeeded", done["error"]
    assert done["attempt"] == 2 and not done["worker"].startswith(victim)
    client = _mlflow(cluster)
    lost = client.get_run(first_run)
    assert lost.info.status == "FAILED" and "lost" in lost.data.tags["qlp.end_reason"]
    assert client.get_run(done["mlflow_run_id"]).info.status == "FINISHED"
    lines = cluster.logs(job["id"])
    if cluster.hosts is not None:  # no shared disk: each host fetched the dataset over the API once
        assert sum("[worker] fetched dataset chaos@v1" in ln for ln in lines) == 2, lines[:5]
    lost_at = next(i for i, ln in enumerate(lines) if "attempt 1 lost" in ln)
    second = next(i for i, ln in enumerate(lines) if ln.startswith(f"[worker] job {job['id']} attempt 2"))
    assert lost_at < second  # the second attempt began after the first was declared lost
    cluster.start_worker(victim)


def test_broker_restart_mid_run(cluster: Cluster) -> None:
    job = cluster.submit(kind="probe", probe={"lines": 120, "rate": 20})
    cluster.api.wait_job(job["id"], states=("running",), timeout=30)
    if cluster.redis is not None:  # the cluster's own Redis goes away (every connection drops) and comes back
        cluster.redis.stop()
        time.sleep(2)
        cluster.redis.start()
        port = cluster.redis.port
    else:  # the broker application stops (every connection drops) and starts again on the same node
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=120)
        time.sleep(2)
        subprocess.run(["rabbitmqctl", "start_app"], check=True, capture_output=True, timeout=120)
        port = 5672
    t0 = time.monotonic()
    while not port_open("127.0.0.1", port):
        assert time.monotonic() - t0 < 30
        time.sleep(0.2)
    done = cluster.api.wait_job(job["id"], timeout=60)
    assert done["state"] == "succeeded" and done["attempt"] == 1
    after = cluster.submit(kind="probe", probe={"lines": 5, "rate": 100})
    assert cluster.api.wait_job(after["id"], timeout=120)["state"] == "succeeded"
    # both workers are (still, or again) serving: Celery gives up on some broker failures; `qlp worker` restarts it
    cluster.wait_workers({"alpha@alpha-host", "beta@beta-host"}, timeout=90)
    ids = [cluster.submit(kind="probe", probe={"lines": 5, "rate": 100})["id"] for _ in range(6)]
    assert all(j["state"] == "succeeded" for j in wait_all(cluster, ids, timeout=120))


@BROKER_INDEPENDENT
def test_workers_hold_no_platform_secrets(cluster: Cluster) -> None:
    import psutil

    for proc in cluster.workers.values():
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        for p in tree:
            keys = set(p.environ())
            assert "QLP_DB__URL" not in keys and "QLP_AUTH__SECRET_KEY" not in keys
    assert httpx.get(cluster.api.url + "/health").status_code == 200
