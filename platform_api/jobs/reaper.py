"""The scheduled reaper: running jobs whose worker went silent are queued again (or failed), queued jobs whose
message never left are sent again; the MLflow run of a lost attempt is ended from the platform side; uploads no
ingest job needs any more are removed."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import httpx
from anyio import to_thread

from platform_api.auth.repository import revoke_job_tokens
from platform_api.benchmarks.service import close_finished
from platform_api.data import uploads
from platform_api.db import session_scope, utcnow
from platform_api.jobs import repository as repo
from platform_api.jobs import transitions
from platform_api.jobs.dispatch import dispatch
from platform_api.jobs.hub import hub
from platform_api.jobs.models import JobKind, JobLog, JobState
from qlp_core.settings import Settings

log = logging.getLogger("qlp.jobs")
REAP_EVERY_S = 5.0


async def run_reaper(settings: Settings) -> None:
    """Every few seconds, for the API's lifetime: reap lost jobs, re-send stale queued ones."""
    while True:
        await asyncio.sleep(REAP_EVERY_S)
        try:
            lost = await to_thread.run_sync(reap_lost, settings)
            if lost:
                log.warning("jobs lost (no heartbeat): %s", lost)
            resent = await to_thread.run_sync(redispatch_stale, settings)
            if resent:
                log.warning("queued jobs sent to the broker again: %s", resent)
            closed = await to_thread.run_sync(close_finished, settings)
            if closed:
                log.info("benchmarks ended (every job done): %s", closed)
            swept = await to_thread.run_sync(sweep_uploads, settings)
            if swept:
                log.info("uploads no job needs any more removed: %s", swept)
        except Exception:
            log.exception("reaper failed")


def sweep_uploads(settings: Settings, grace_s: float = uploads.UPLOAD_GRACE_S) -> list[str]:
    """Unpacked market-data uploads whose ingest jobs have all ended are removed (after a grace period)."""
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as session:
        in_use = {str((job.params or {}).get("upload")) for job in repo.list_jobs(
            session, states=(JobState.QUEUED, JobState.RUNNING), kind=JobKind.INGEST, limit=100_000, offset=0)}
    return uploads.sweep(settings, in_use, grace_s)


def reap_lost(settings: Settings) -> list[int]:
    """Jobs whose heartbeat is older than the lease lost their worker (it died or lost the network): the
    attempt's MLflow run is ended FAILED with the reason, and the job is queued again (a fresh attempt on any
    worker) until its attempts run out, then it fails. Returns the ids of the jobs handled."""
    assert settings.db.url is not None
    lease = settings.server.job_lease_s
    cutoff = utcnow() - timedelta(seconds=lease)
    reaped: list[int] = []
    requeued: list[tuple[int, str, int]] = []
    lost_runs: list[tuple[str, str]] = []
    with session_scope(settings.db.url) as s:
        for job in repo.stale_running(s, cutoff):
            reason = f"attempt {job.attempt} lost: worker {job.worker} sent no heartbeat for {lease:.0f}s"
            retry = job.attempt < job.max_attempts
            values: dict[str, Any] = (
                {"state": JobState.QUEUED, "worker": None, "heartbeat_at": None, "dispatched_at": None,
                 "mlflow_run_id": None, "mlflow_experiment_id": None, "error": reason}
                if retry else
                {"state": JobState.FAILED, "finished_at": utcnow(), "error": reason + "; no attempts left"}
            )
            to = values.pop("state")
            if not transitions.move(s, job.id, JobState.RUNNING, to, values, where={"heartbeat_at": job.heartbeat_at}):
                continue  # a heartbeat or a finish won the race
            revoke_job_tokens(s, job.id)
            note = f"[platform] {reason}; " + ("queued again" if retry else "the job failed")
            repo.add_logs(s, [JobLog(job_id=job.id, seq=job.log_count, ts=utcnow(), line=note)])
            repo.transition(s, job.id, where={}, values={"log_count": job.log_count + 1})
            if job.mlflow_run_id:
                lost_runs.append((job.mlflow_run_id, reason))
            if retry:
                requeued.append((job.id, job.queue, job.priority))
            reaped.append(job.id)
    for run_id, reason in lost_runs:
        end_run(settings, run_id, "FAILED", {"qlp.end_reason": reason})
    for job_id, queue, priority in requeued:
        dispatch(settings, job_id, queue, priority)
    for job_id in reaped:
        hub.notify(job_id)
    return reaped


def redispatch_stale(settings: Settings) -> list[int]:
    """Queued jobs whose message never went out (broker down) or was lost with a worker: send again."""
    assert settings.db.url is not None
    cutoff = utcnow() - timedelta(seconds=settings.server.redispatch_after_s)
    with session_scope(settings.db.url) as s:
        stale = [(j.id, j.queue, j.priority) for j in repo.undispatched(s, cutoff)]
    return [job_id for job_id, queue, priority in stale if dispatch(settings, job_id, queue, priority)]


def end_run(settings: Settings, run_id: str, status: str, tags: dict[str, str]) -> None:
    """End an MLflow run from the platform side (the worker that owned it is gone), with bounded timeouts."""
    base = settings.tracking_uri + "/api/2.0/mlflow/runs"
    try:
        with httpx.Client(timeout=5.0) as c:
            for key, value in tags.items():
                c.post(f"{base}/set-tag", json={"run_id": run_id, "key": key, "value": value[:5000]})
            c.post(f"{base}/update", json={"run_id": run_id, "status": status,
                                           "end_time": int(utcnow().timestamp() * 1000)}).raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("could not end MLflow run %s: %s", run_id, exc)
