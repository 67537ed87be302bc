"""Shared fixtures: an in-process API on a migrated SQLite database with users of every role."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


#: Modules whose clusters use the machine's brokers, network namespaces or an S3 server (SeaweedFS: two starting at
#: once on two busy cores did not come up in time): one after the other, in one worker.
BROKER_MODULES = frozenset({"test_distributed", "test_dataset_store_e2e", "test_bench_smoke", "test_door_e2e"})
#: Modules with tests on the session's platform (`shared_platform`): all in one worker, so one platform serves them.
#: Collection refuses a module that uses the fixture and is missing here.
SHARED_MODULES = frozenset({
    "test_benchmarks", "test_benchmarks_dashboard_e2e", "test_dashboard_e2e", "test_e2e_platform",
    "test_experiments_api", "test_factors_dashboard_e2e", "test_factors_e2e", "test_frontend_client",
    "test_ingest_job", "test_model_zoo", "test_models_dashboard_e2e", "test_openapi_contract", "test_registry_api",
})


def xdist_group(nodeid: str) -> str:
    """The worker group of a test (pytest-xdist): the shared platform's modules, the broker modules, else its
    module."""
    module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
    return "shared-platform" if module in SHARED_MODULES else "brokers" if module in BROKER_MODULES else module


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The two long groups first (the scheduler below keeps collection order: each worker starts one of them and
    they share the modules left); a module on the shared platform that SHARED_MODULES lacks is an error."""
    stray = sorted({Path(str(i.path)).stem for i in items if "shared_platform" in getattr(i, "fixturenames", ())}
                   - SHARED_MODULES)
    if stray:
        raise pytest.UsageError(f"tests/conftest.py SHARED_MODULES lacks {stray}: they use shared_platform")
    rank = {"shared-platform": 0, "brokers": 1}
    items.sort(key=lambda item: rank.get(xdist_group(item.nodeid), 2))  # stable: each module keeps its order


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's scope scheduling over :func:`xdist_group` (its own `loadgroup` marks do not reach pytest 9.2's
    node ids), in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    class Grouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)

    config.option.loadscopereorder = False
    return Grouped(config, log)


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
