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

from qlp_core.proc import die_with_parent
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
    overrides.setdefault("server", {"allowed_hosts": ["testserver", "127.0.0.1", "localhost"]})
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
        self.token = ""

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
        password = (self.home / "admin_password").read_text().strip()
        r = httpx.post(self.url + "/api/auth/login", json={"username": "admin", "password": password})
        r.raise_for_status()
        self.token = r.json()["access_token"]
        self.password = password

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60)

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
