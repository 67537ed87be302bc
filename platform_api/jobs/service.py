"""Job logic: submit (dispatch after commit), cancel, the trainer protocol (claim, heartbeat, logs, finish),
and the reaper that notices jobs whose worker went silent."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import yaml
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
from platform_api.jobs.hub import hub, line_frame
from platform_api.jobs.models import Job, JobKind, JobLog, JobState
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
from qlp_core.celery_contract import RUN_JOB_TASK, celery_priority, make_celery
from qlp_core.settings import Settings
from qlp_core.workflow_config import ConfigError, apply_overrides, config_hash, load_config, validate_config

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


def dispatch(settings: Settings, job_id: int, queue: str, priority: int = 5) -> bool:
    """Hand the job to Celery; called only after the transaction that queued it committed.

    A message is only a wake-up: the job table decides. If the broker is down the job stays queued and the
    reaper sends it again; a duplicate message finds the job claimed and is dropped."""
    try:
        make_celery(settings).send_task(RUN_JOB_TASK, args=[job_id], queue=queue,
                                        priority=celery_priority(settings, priority),
                                        task_id=f"job-{job_id}-{uuid.uuid4().hex[:12]}")  # greppable in logs
    except Exception as exc:
        log.warning("dispatch of job %s failed (%s); the reaper will retry", job_id, type(exc).__name__)
        return False
    assert settings.db.url is not None
    with session_scope(settings.db.url) as s:
        repo.transition(s, job_id, where={"state": JobState.QUEUED}, values={"dispatched_at": now()})
    return True


def submit(session: Session, settings: Settings, user: Principal, req: TrainRequest) -> Job:
    if req.kind == JobKind.PROBE:
        return _submit_probe(session, settings, user, req)
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
    assert req.dataset_id is not None
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
            priority=req.priority,
            max_attempts=req.max_attempts,
        ),
    )
    job_id, priority = job.id, job.priority
    after_commit(session, lambda: dispatch(settings, job_id, queue, priority))
    return job


def _submit_probe(session: Session, settings: Settings, user: Principal, req: TrainRequest) -> Job:
    assert req.probe is not None
    text = yaml.safe_dump({"probe": req.probe.model_dump()}, sort_keys=True)
    queue = req.queue or settings.broker.default_queue
    job = repo.add(session, Job(
        kind=JobKind.PROBE, state=JobState.QUEUED, name=req.name or "probe", queue=queue, config_text=text,
        config_hash=config_hash(text), overrides={}, dataset_id=None, experiment_name="probes", user_id=user.id,
        metrics={}, priority=req.priority, max_attempts=req.max_attempts,
    ))
    job_id, priority = job.id, job.priority
    after_commit(session, lambda: dispatch(settings, job_id, queue, priority))
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
    ref = None
    if job.dataset_id is not None:
        ds = data_service.get_or_404(session, job.dataset_id)
        ref = DatasetRef(id=ds.id, name=ds.name, version=ds.version, path=ds.path, hash=ds.content_hash)
    user = session.get(User, job.user_id) if job.user_id else None
    token = ""
    if job.kind == JobKind.WORKFLOW and job.user_id:
        token = create_job_token(session, job.user_id, job.id, JOB_TOKEN_HOURS)
    after_commit(session, lambda: hub.notify(job_id))
    return JobSpec(
        job_id=job.id,
        kind=job.kind,
        attempt=job.attempt,
        config_text=job.config_text,
        overrides=job.overrides,
        dataset=ref,
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
    frames = [line_frame(s, ln.ts, ln.line) for s, ln in sorted(fresh.items())]
    after_commit(session, lambda: hub.notify(job_id, frames))
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
    """Jobs whose heartbeat is older than the lease lost their worker (it died or lost the network): the
    attempt's MLflow run is ended FAILED with the reason, and the job is queued again (a fresh attempt on any
    worker) until its attempts run out, then it fails. Returns the ids of the jobs handled."""
    assert settings.db.url is not None
    lease = settings.server.job_lease_s
    cutoff = now() - timedelta(seconds=lease)
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
                {"state": JobState.FAILED, "finished_at": now(), "error": reason + "; no attempts left"}
            )
            if not repo.transition(s, job.id, where={"state": JobState.RUNNING, "heartbeat_at": job.heartbeat_at},
                                   values=values):
                continue  # a heartbeat or a finish won the race
            revoke_job_tokens(s, job.id)
            note = f"[platform] {reason}; " + ("queued again" if retry else "the job failed")
            repo.add_logs(s, [JobLog(job_id=job.id, seq=job.log_count, ts=now(), line=note)])
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
    cutoff = now() - timedelta(seconds=settings.server.redispatch_after_s)
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
                                           "end_time": int(now().timestamp() * 1000)}).raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("could not end MLflow run %s: %s", run_id, exc)
