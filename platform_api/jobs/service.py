"""Job logic: submit (dispatch after commit), cancel, the trainer protocol (claim, heartbeat, logs, finish),
and the reaper that notices jobs whose worker went silent."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import HTTPException
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_api.auth.models import User
from platform_api.auth.principal import Principal
from platform_api.auth.repository import revoke_job_tokens
from platform_api.auth.service import create_job_token
from platform_api.configs.models import WorkflowConfig
from platform_api.data import service as data_service
from platform_api.db import after_commit, session_scope
from platform_api.jobs import repository as repo
from platform_api.jobs.hub import hub
from platform_api.jobs.models import Job, JobLog, JobState
from platform_api.jobs.schemas import (
    DatasetRef,
    FinishRequest,
    HeartbeatResponse,
    JobRead,
    JobSpec,
    LogBatch,
    RunInfo,
    TrainRequest,
)
from platform_api.settings import Settings
from trainers.celery_app import RUN_JOB_TASK, make_celery
from trainers.workflow_config import ConfigError, apply_overrides, config_hash, load_config, validate_config

log = logging.getLogger("qlp.jobs")
DEFAULT_EXPERIMENT = "qlp-workflows"
JOB_TOKEN_HOURS = 72.0  # a job's MLflow token; revoked as soon as the job ends


def now() -> datetime:
    return datetime.now(UTC)


def mlflow_url(settings: Settings, job: Job) -> str | None:
    if not job.mlflow_run_id or not job.mlflow_experiment_id:
        return None
    return f"{settings.mlflow_public_url}/#/experiments/{job.mlflow_experiment_id}/runs/{job.mlflow_run_id}"


def to_read(settings: Settings, job: Job, model: type[JobRead] = JobRead) -> JobRead:
    out = model.model_validate(job)
    out.mlflow_url = mlflow_url(settings, job)
    return out


def vet_config(text: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """Parse and vet a config as the runner will see it; a bad one is a 422 with the reason."""
    try:
        config = apply_overrides(load_config(text), overrides)
        validate_config(config)
    except ConfigError as exc:
        raise HTTPException(422, f"config refused: {exc}") from exc
    return config


def dispatch(settings: Settings, job_id: int, queue: str) -> None:
    """Hand the job to Celery. Called only after the creating transaction committed."""
    try:
        make_celery(settings).send_task(RUN_JOB_TASK, args=[job_id], queue=queue)
    except Exception as exc:  # broker down: the job must not stay queued forever unseen
        log.exception("dispatch of job %s failed", job_id)
        assert settings.db.url is not None
        with session_scope(settings.db.url) as s:
            repo.transition(
                s,
                job_id,
                where={"state": JobState.QUEUED},
                values={"state": JobState.FAILED, "error": f"broker unreachable: {type(exc).__name__}",
                        "finished_at": now()},
            )
        hub.notify(job_id)


def submit(session: Session, settings: Settings, user: Principal, req: TrainRequest) -> Job:
    config_id = None
    if req.config_id is not None:
        stored = session.get(WorkflowConfig, req.config_id)
        if stored is None:
            raise HTTPException(404, "no such stored config")
        text, config_id = stored.text, stored.id
    else:
        assert req.config_text is not None
        text = req.config_text
    config = vet_config(text, req.overrides)
    dataset = data_service.get_or_404(session, req.dataset_id)
    experiment = req.experiment_name or str(config.get("experiment_name") or DEFAULT_EXPERIMENT)
    queue = req.queue or settings.broker.default_queue
    job = repo.add(
        session,
        Job(
            state=JobState.QUEUED,
            name=req.name or f"{dataset.name}@v{dataset.version}",
            queue=queue,
            config_text=text,
            config_hash=config_hash(text),
            config_id=config_id,
            overrides=req.overrides,
            dataset_id=dataset.id,
            experiment_name=experiment,
            user_id=user.id,
            metrics={},
        ),
    )
    job_id = job.id
    after_commit(session, lambda: dispatch(settings, job_id, queue))
    return job


def get_or_404(session: Session, job_id: int) -> Job:
    job = repo.get(session, job_id)
    if job is None:
        raise HTTPException(404, "no such job")
    return job


def cancel(session: Session, job: Job, user: Principal) -> Job:
    if not user.at_least("admin") and job.user_id != user.id:
        raise HTTPException(403, "only the job's owner or an admin may cancel it")
    if job.state in JobState.FINAL:
        raise HTTPException(409, f"job already {job.state}")
    if repo.transition(session, job.id, where={"state": JobState.QUEUED},
                       values={"state": JobState.CANCELLED, "finished_at": now(), "error": "cancelled before start"}):
        pass
    else:
        repo.transition(session, job.id, where={"state": JobState.RUNNING}, values={"cancel_requested": True})
    session.refresh(job)
    after_commit(session, lambda: hub.notify(job.id))
    return job


# ----- trainer protocol -----------------------------------------------------------
def claim(session: Session, settings: Settings, job_id: int, worker: str) -> JobSpec:
    job = get_or_404(session, job_id)
    t = now()
    won = repo.transition(
        session,
        job_id,
        where={"state": JobState.QUEUED},
        values={"state": JobState.RUNNING, "worker": worker, "attempt": job.attempt + 1, "started_at": t,
                "heartbeat_at": t, "cancel_requested": False},
    )
    if not won:
        raise HTTPException(409, f"job is {job.state}, not queued")
    session.refresh(job)
    ds = data_service.get_or_404(session, job.dataset_id)
    user = session.get(User, job.user_id) if job.user_id else None
    token = create_job_token(session, job.user_id or 0, job.id, JOB_TOKEN_HOURS) if job.user_id else ""
    after_commit(session, lambda: hub.notify(job_id))
    return JobSpec(
        job_id=job.id,
        attempt=job.attempt,
        config_text=job.config_text,
        overrides=job.overrides,
        dataset=DatasetRef(id=ds.id, name=ds.name, version=ds.version, path=ds.path, hash=ds.content_hash),
        tracking_uri=settings.door_uri,
        tracking_token=token,
        experiment_name=job.experiment_name,
        user=user.username if user else "unknown",
        log_offset=job.log_count,
    )


def _running_by(session: Session, job_id: int, worker: str) -> Job:
    job = get_or_404(session, job_id)
    if job.state != JobState.RUNNING or job.worker != worker:
        raise HTTPException(409, f"job is {job.state} on {job.worker or 'no worker'}, not running on {worker}")
    return job


def heartbeat(session: Session, job_id: int, worker: str) -> HeartbeatResponse:
    job = get_or_404(session, job_id)
    if job.state == JobState.RUNNING and job.worker == worker:
        job.heartbeat_at = now()
        return HeartbeatResponse(state=job.state, cancel_requested=job.cancel_requested)
    # Not ours any more (lost, cancelled, finished): tell the worker to stop.
    return HeartbeatResponse(state=job.state, cancel_requested=True)


def append_logs(session: Session, job_id: int, batch: LogBatch) -> int:
    """Store lines idempotently by sequence number (a retried batch stores nothing twice)."""
    job = get_or_404(session, job_id)
    if job.worker != batch.worker:
        raise HTTPException(409, "job is not assigned to this worker")
    seen = repo.existing_seqs(session, job_id, [ln.seq for ln in batch.lines])
    fresh = {ln.seq: ln for ln in batch.lines if ln.seq not in seen}
    if not fresh:
        return 0
    try:
        repo.add_logs(session, [JobLog(job_id=job_id, seq=s, ts=ln.ts, line=ln.line) for s, ln in fresh.items()])
    except IntegrityError as exc:  # a concurrent retry of the same batch
        raise HTTPException(409, "log lines raced a retry; resend") from exc
    job.log_count = max(job.log_count, max(fresh) + 1)
    after_commit(session, lambda: hub.notify(job_id))
    return len(fresh)


def set_run(session: Session, job_id: int, info: RunInfo) -> None:
    job = _running_by(session, job_id, info.worker)
    job.mlflow_run_id, job.mlflow_experiment_id = info.mlflow_run_id, info.mlflow_experiment_id


def finish(session: Session, job_id: int, req: FinishRequest) -> Job:
    job = _running_by(session, job_id, req.worker)
    state: str = req.state
    if job.cancel_requested and state != JobState.SUCCEEDED:
        state = JobState.CANCELLED
    job.state, job.finished_at = state, now()
    job.error = req.error
    job.metrics = req.metrics
    revoke_job_tokens(session, job_id)
    after_commit(session, lambda: hub.notify(job_id))
    return job


def reap_lost(settings: Settings) -> list[int]:
    """Fail running jobs whose heartbeat is older than the lease (their worker died or lost the network)."""
    assert settings.db.url is not None
    cutoff = now() - timedelta(seconds=settings.server.job_lease_s)
    reaped = []
    with session_scope(settings.db.url) as s:
        for job in repo.stale_running(s, cutoff):
            if repo.transition(
                s, job.id, where={"state": JobState.RUNNING, "heartbeat_at": job.heartbeat_at},
                values={"state": JobState.FAILED, "finished_at": now(),
                        "error": f"worker {job.worker} lost: no heartbeat for {settings.server.job_lease_s:.0f}s"},
            ):
                revoke_job_tokens(s, job.id)
                reaped.append(job.id)
    for job_id in reaped:
        hub.notify(job_id)
    return reaped
