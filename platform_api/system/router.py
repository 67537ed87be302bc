"""Liveness (/health, public) and status (/status: host load, dependency reachability, workers, queue)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psutil
from anyio import to_thread
from fastapi import APIRouter
from sqlalchemy import text

from platform_api.db import session_scope
from platform_api.deps import CurrentUser, SettingsDep
from platform_api.errors import AUTHED, problems
from platform_api.jobs import repository as jobs_repo
from platform_api.jobs.schemas import WorkerRead
from platform_api.system.schemas import Health, Status
from qlp_core.celery_contract import make_celery
from qlp_core.settings import Settings

router = APIRouter(tags=["system"])
WORKER_SEEN_S = 60


@router.get("/health", response_model=Health)
def health() -> Health:
    """Liveness: public, answers as long as the API process serves."""
    return Health(status="ok")


def _timed(fn: Any) -> dict[str, Any]:
    t = time.perf_counter()
    try:
        fn()
        return {"ok": True, "latency_ms": round((time.perf_counter() - t) * 1000, 1)}
    except Exception as exc:  # reason only: never the URL, which may carry credentials
        return {"ok": False, "error": type(exc).__name__}


def _check_mlflow(settings: Settings) -> None:
    httpx.get(f"{settings.tracking_uri}/health", timeout=2.0).raise_for_status()


def _check_broker(settings: Settings) -> None:
    with make_celery(settings).connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _collect(settings: Settings) -> dict[str, Any]:
    assert settings.db.url is not None
    url = settings.db.url

    def ping_db() -> None:
        with session_scope(url, write=False) as s:
            s.execute(text("SELECT 1"))

    db = _timed(ping_db)
    jobs: dict[str, int] = {}
    workers: list[dict[str, Any]] = []
    try:
        with session_scope(url, write=False) as s:
            jobs = jobs_repo.count_by_state(s)
            since = datetime.now(UTC) - timedelta(seconds=WORKER_SEEN_S)
            for w in jobs_repo.workers_seen(s, since):
                read = WorkerRead.model_validate(w)
                read.running_jobs = jobs_repo.running_jobs_of(s, w.name)
                workers.append(read.model_dump(mode="json"))
    except Exception as exc:
        db = {"ok": False, "error": type(exc).__name__}
    disk = psutil.disk_usage(str(settings.home))
    vm = psutil.virtual_memory()
    return {
        "host": {
            "cpu_percent": psutil.cpu_percent(interval=None),
            "cpu_count": psutil.cpu_count(),
            "load_avg": list(psutil.getloadavg()),
            "memory": {"total": vm.total, "available": vm.available, "percent": vm.percent},
            "disk": {"path": str(settings.home), "total": disk.total, "free": disk.free, "percent": disk.percent},
        },
        "dependencies": {
            "database": db,
            "mlflow": _timed(lambda: _check_mlflow(settings)),
            "broker": _timed(lambda: _check_broker(settings)),
        },
        "mode": settings.mode,
        "workers": workers,
        "jobs": {"queued": jobs.get("queued", 0), "running": jobs.get("running", 0), "by_state": jobs},
    }


@router.get("/status", response_model=Status, responses=problems(*AUTHED))
async def status(_: CurrentUser, settings: SettingsDep) -> Status:
    """Host load, whether the database, MLflow and the broker answer, the workers seen and the job queue."""
    return Status.model_validate(await to_thread.run_sync(_collect, settings))
