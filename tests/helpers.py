"""Test helpers: settings for a temporary data folder, real service checks, free ports, the platform runner."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from qlp_core.proc import die_with_parent, stop
from qlp_core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
MARIADB_ROOT = os.environ.get("QLP_TEST_MYSQL", "mysql+pymysql://root@127.0.0.1:3306")
REDIS_URL = os.environ.get("QLP_TEST_REDIS", "redis://127.0.0.1:6379")


def service_missing(what: str) -> None:
    """A missing real service fails in CI and skips (loudly) on a developer machine."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not reachable")
    pytest.skip(f"{what} not reachable")


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_settings(home: Path, **overrides: Any) -> Settings:
    # no dashboard unless a test builds one: the API's own pages (the plain login form) are what it serves
    overrides.setdefault("server", {"allowed_hosts": ["testserver", "127.0.0.1", "localhost"],
                                    "dashboard_dir": home / "no-dashboard"})
    settings = Settings(home=home, **overrides)
    settings.ensure_secrets()
    return settings


@contextmanager
def mariadb_database() -> Iterator[str]:
    """A fresh, empty utf8mb4 database on the real MariaDB; dropped afterwards."""
    import sqlalchemy as sa

    if not port_open("127.0.0.1", 3306):
        service_missing("MariaDB at 127.0.0.1:3306")
    name = f"qlp_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(MARIADB_ROOT + "/", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    try:
        yield f"{MARIADB_ROOT}/{name}?charset=utf8mb4"
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


class RunningPlatform:
    """`qlp up` as a real child process in its own data folder, plus helpers to talk to it."""

    def __init__(self, home: Path, env: dict[str, str], log: Path) -> None:
        self.home, self.env, self.log = home, env, log
        self.port = int(env["QLP_SERVER__PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self._token, self._token_at, self.password = "", 0.0, ""

    def start(self, timeout: float = 150) -> None:
        out = self.log.open("ab")
        # If the test process dies without its teardown, `qlp up` gets SIGTERM and stops its children.
        self.proc = subprocess.Popen([sys.executable, "-m", "qlp_cli", "up"], env=self.env,
                                     stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
                                     preexec_fn=lambda: die_with_parent(signal.SIGTERM))
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"qlp up exited {self.proc.returncode}:\n{self.log.read_text()[-4000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"platform not up in {timeout}s:\n{self.log.read_text()[-4000:]}")
        self.password = (self.home / "admin_password").read_text().strip()
        self._sign_in()

    def _sign_in(self) -> None:
        r = httpx.post(self.url + "/api/auth/login", json={"username": "admin", "password": self.password}, timeout=60)
        r.raise_for_status()
        self._token, self._token_at = r.json()["access_token"], time.monotonic()

    @property
    def token(self) -> str:
        """The admin's access token, signed in again before it expires (a session-wide platform outlives several:
        they last 15 minutes)."""
        if self._token and time.monotonic() - self._token_at > 600:
            self._sign_in()
        return self._token

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, sig=signal.SIGINT, timeout=40)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60)

    def generate_dataset(self, name: str = "demo", timeout: float = 300, **params: Any) -> dict[str, Any]:
        """A synthetic dataset version generated by the platform's own workers (a market job)."""
        with self.client() as c:
            r = c.post("/api/data/datasets/generate", json={"name": name, **params})
            assert r.status_code == 202, r.text
            job = self.wait_job(r.json()["id"], timeout=timeout)
            assert job["state"] == "succeeded", job
            return dict(c.get(f"/api/data/datasets/{job['dataset_id']}").json())

    def wait_job(self, job_id: int, timeout: float = 300, states: tuple[str, ...] = ("succeeded", "failed",
                                                                                   "cancelled")) -> dict[str, Any]:
        t0 = time.monotonic()
        with self.client() as c:
            while time.monotonic() - t0 < timeout:
                job: dict[str, Any] = c.get(f"/api/train/{job_id}").json()
                if job["state"] in states:
                    return job
                time.sleep(0.5)
        raise AssertionError(f"job {job_id} not in {states} after {timeout}s: {job}")


def platform_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QLP_")}
    env.update({
        "QLP_HOME": str(home),
        "QLP_SERVER__PORT": str(free_port()),
        "QLP_MLFLOW__PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
        # a queue of its own: no worker of another platform on the same broker takes this one's jobs
        "QLP_BROKER__DEFAULT_QUEUE": f"t{uuid.uuid4().hex[:12]}",
    })
    env.update(extra)
    return env


def play_market_worker(client: Any, trainer: dict[str, str], job_id: int, folder: Path,
                       worker: str = "test-worker") -> dict[str, Any]:
    """Do what a worker does with a market job, in this process: claim it, generate the market, upload the
    folder over the trainer protocol, finish. Returns the upload's answer (DatasetRegistered)."""
    from qlp_core.protocol import JobSpec, MarketPayload
    from qlp_core.qlib_data import content_hash, tar_stream
    from trainers.market import generate_market

    r = client.post(f"/api/internal/jobs/{job_id}/claim", headers=trainer, json={"worker": worker})
    assert r.status_code == 200, r.text
    payload = JobSpec.model_validate(r.json()).payload
    assert isinstance(payload, MarketPayload)
    generate_market(folder, n_instruments=payload.n_instruments, years=payload.years, seed=payload.seed,
                    start=payload.start.isoformat(), market=payload.market, benchmark=payload.benchmark)
    up = client.put(f"/api/internal/jobs/{job_id}/dataset", params={"worker": worker}, content=b"".join(
        tar_stream(folder)), headers={**trainer, "X-Content-SHA256": content_hash(folder)})
    assert up.status_code == 200, up.text
    done = client.post(f"/api/internal/jobs/{job_id}/finish", headers=trainer,
                       json={"worker": worker, "state": "succeeded"})
    assert done.status_code == 200, done.text
    return dict(up.json())


def generate_dataset(client: Any, headers: dict[str, str], trainer: dict[str, str], folder: Path,
                     **params: Any) -> dict[str, Any]:
    """A synthetic dataset version through the API, generated in this process as a worker would."""
    params.setdefault("name", "tiny")
    r = client.post("/api/data/datasets/generate", headers=headers, json=params)
    assert r.status_code == 202, r.text
    registered = play_market_worker(client, trainer, r.json()["id"], folder)
    return dict(client.get(f"/api/data/datasets/{registered['dataset_id']}", headers=headers).json())
