"""Shared fixtures: an in-process API on a migrated SQLite database with users of every role."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from platform_api.app import create_app
from platform_api.auth.models import User
from platform_api.db import session_scope
from qlp_core.settings import Settings
from tests.helpers import RunningPlatform, make_settings, platform_env

PASSWORD = "correct horse battery staple"
_cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # Argon2id, test-speed parameters


@dataclass
class Api:
    client: TestClient
    settings: Settings
    tokens: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    @property
    def trainer(self) -> dict[str, str]:
        assert self.settings.auth.trainer_token is not None
        return {"Authorization": f"Bearer {self.settings.auth.trainer_token.get_secret_value()}"}


def _seed_users(settings: Settings) -> None:
    assert settings.db.url is not None
    with session_scope(settings.db.url) as s:
        for role in ("admin", "researcher", "viewer"):
            s.add(User(username=role, password_hash=_cheap.hash(PASSWORD), role=role))
        s.add(User(username="researcher2", password_hash=_cheap.hash(PASSWORD), role="researcher"))


def start_api(settings: Settings) -> Iterator[Api]:
    app = create_app(settings)
    with TestClient(app) as client:  # runs the lifespan: migrations on start-up
        _seed_users(settings)
        tokens = {}
        for name in ("admin", "researcher", "viewer", "researcher2"):
            r = client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
            assert r.status_code == 200, r.text
            tokens[name] = r.json()["access_token"]
        yield Api(client, settings, tokens)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from start_api(make_settings(tmp_path / "home"))


@pytest.fixture(scope="session")
def shared_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """One `qlp up` (MLflow server, worker, API) for the whole test session, for e2e modules that only add data
    of their own (their own users, datasets, jobs) and so can share it."""
    home = tmp_path_factory.mktemp("qlp-shared")
    # two jobs at a time (a benchmark's seeds, the model zoo): the modules' jobs end sooner
    p = RunningPlatform(home, platform_env(home, QLP_SERVER__WORKER_CONCURRENCY="2"), home.parent / "qlp-shared-up.log")
    p.start()
    try:
        yield p
    finally:
        p.stop()


class _Report(list[str]):
    """Lines tests want in the run's closing summary (the numbers a run measured: fuzzing cases, bench figures);
    kept in a file too, since with pytest-xdist the tests run in worker processes and the summary in another."""

    def append(self, line: str) -> None:
        super().append(line)
        path = os.environ.get(REPORT_ENV)
        if path:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(line.replace("\n", " ") + "\n")

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.append(line)


REPORT_ENV = "QLP_TEST_REPORT_FILE"
REPORT = _Report()


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the main process: the workers it starts inherit the variable
        fd, path = tempfile.mkstemp(prefix="qlp-test-report-", suffix=".txt")
        os.close(fd)
        os.environ[REPORT_ENV] = path


#: Modules whose clusters use the machine's brokers and network namespaces: one after the other, in one worker.
BROKER_MODULES = frozenset({"test_distributed", "test_dataset_store_e2e", "test_bench_smoke"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Groups for pytest-xdist's `--dist loadgroup`: every test on the session's platform in one worker (one
    platform for them all), the broker modules together in one worker, any other module's tests in one worker (its
    module fixtures are made once)."""
    for item in items:
        module = Path(str(item.path)).stem
        if "shared_platform" in getattr(item, "fixturenames", ()):
            group = "shared-platform"
        elif module in BROKER_MODULES:
            group = "brokers"
        else:
            group = module
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if hasattr(terminalreporter.config, "workerinput"):
        return
    path = Path(os.environ.get(REPORT_ENV, "/nonexistent"))
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
    path.unlink(missing_ok=True)
