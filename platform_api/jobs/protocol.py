"""The API's side of the trainer protocol (``qlp_core.protocol``): claim, heartbeat, log lines, run id, a produced
dataset, finish. Every state change goes through the transition table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_api.auth.models import User
from platform_api.auth.repository import revoke_job_tokens
from platform_api.auth.service import create_job_token
from platform_api.benchmarks.models import Benchmark
from platform_api.data import service as data_service
from platform_api.data.models import Dataset
from platform_api.db import after_commit, utcnow
from platform_api.domain_errors import Conflict, Gone, Refused
from platform_api.jobs import repository as repo
from platform_api.jobs import transitions
from platform_api.jobs.hub import hub, line_frame
from platform_api.jobs.models import Job, JobKind, JobLog, JobState
from platform_api.jobs.submit import get_or_404
from qlp_core.problems import ProblemCode
from qlp_core.protocol import (
    DatasetRef,
    FactorEvalPayload,
    FinishRequest,
    HeartbeatResponse,
    IngestPayload,
    JobPayload,
    JobSpec,
    LogBatch,
    MarketPayload,
    ProbePayload,
    RunInfo,
    UniversePayload,
    WorkflowPayload,
)
from qlp_core.settings import Settings

JOB_TOKEN_HOURS = 72.0  # a job's MLflow token; revoked as soon as the job ends


def dataset_ref(ds: Dataset) -> DatasetRef:
    return DatasetRef(id=ds.id, name=ds.name, version=ds.version, path=ds.path, hash=ds.content_hash)


def _run_tags(session: Session, job: Job) -> dict[str, str]:
    """A benchmark's run nests under the benchmark's parent run and records which config and seed it is."""
    bench = session.get(Benchmark, job.benchmark_id) if job.benchmark_id is not None else None
    if bench is None or job.benchmark_entry is None or not bench.parent_run_id:
        return {}
    entry = bench.configs[job.benchmark_entry]
    seed = (job.overrides or {}).get(entry.get("seed_path") or "")
    return {"mlflow.parentRunId": bench.parent_run_id, "qlp.benchmark_id": str(bench.id),
            "qlp.benchmark_config": str(entry["name"]), **({"qlp.seed": str(seed)} if seed is not None else {})}


def _workflow(session: Session, job: Job) -> WorkflowPayload:
    assert job.dataset_id is not None
    return WorkflowPayload(config_text=job.config_text, overrides=job.overrides, experiment_name=job.experiment_name,
                           dataset=dataset_ref(data_service.get_or_404(session, job.dataset_id)),
                           run_tags=_run_tags(session, job))


#: How a stored job becomes its kind's payload.
PAYLOADS: dict[str, Callable[[Session, Job], JobPayload]] = {
    JobKind.WORKFLOW: _workflow,
    JobKind.PROBE: lambda _, job: ProbePayload.model_validate(job.params or {}),
    JobKind.MARKET: lambda _, job: MarketPayload.model_validate(job.params or {}),
    JobKind.INGEST: lambda _, job: IngestPayload.model_validate(job.params or {}),
    JobKind.UNIVERSE: lambda _, job: UniversePayload.model_validate(job.params or {}),
    JobKind.FACTOR_EVAL: lambda _, job: FactorEvalPayload.model_validate(job.params or {}),
}
#: Kinds whose process logs an MLflow run (and so gets a job token for the door).
LOGS_RUNS = frozenset({JobKind.WORKFLOW, JobKind.FACTOR_EVAL})


def claim(session: Session, settings: Settings, job_id: int, worker: str) -> JobSpec:
    job = get_or_404(session, job_id)
    t = utcnow()
    won = transitions.move(session, job_id, JobState.QUEUED, JobState.RUNNING, {
        "worker": worker, "attempt": job.attempt + 1, "started_at": t, "heartbeat_at": t, "cancel_requested": False})
    if not won:
        raise Conflict(f"job is {job.state}, not queued", code=ProblemCode.JOB_NOT_CLAIMABLE)
    session.refresh(job)
    user = session.get(User, job.user_id) if job.user_id else None
    token = ""
    if job.kind in LOGS_RUNS and job.user_id:
        token = create_job_token(session, job.user_id, job.id, JOB_TOKEN_HOURS)
    after_commit(session, lambda: hub.notify(job_id))
    return JobSpec(job_id=job.id, attempt=job.attempt, user=user.username if user else "unknown",
                   log_offset=job.log_count, tracking_uri=settings.door_uri, tracking_token=token,
                   payload=PAYLOADS[job.kind](session, job))


def running_by(session: Session, job_id: int, worker: str) -> Job:
    """The job, when it is running on ``worker`` (409 otherwise): what a worker may report on."""
    return _running_by(session, job_id, worker)


def _running_by(session: Session, job_id: int, worker: str) -> Job:
    job = get_or_404(session, job_id)
    if job.state != JobState.RUNNING or job.worker != worker:
        raise Conflict(f"job is {job.state} on {job.worker or 'no worker'}, not running on {worker}",
                       code=ProblemCode.JOB_NOT_YOURS)
    return job


def heartbeat(session: Session, job_id: int, worker: str) -> HeartbeatResponse:
    job = get_or_404(session, job_id)
    ours = job.state == JobState.RUNNING and job.worker == worker
    if ours:
        job.heartbeat_at = utcnow()
    # not ours any more (lost, cancelled, finished): the answer tells the worker to stop
    return HeartbeatResponse.model_validate({"state": job.state, "cancel_requested": job.cancel_requested or not ours})


def append_logs(session: Session, job_id: int, batch: LogBatch) -> int:
    """Store lines idempotently by sequence number (a retried batch stores nothing twice)."""
    job = get_or_404(session, job_id)
    if job.worker != batch.worker:
        raise Conflict("job is not assigned to this worker", code=ProblemCode.JOB_NOT_YOURS)
    seen = repo.existing_seqs(session, job_id, [ln.seq for ln in batch.lines])
    fresh = {ln.seq: ln for ln in batch.lines if ln.seq not in seen}
    if not fresh:
        return 0
    try:
        repo.add_logs(session, [JobLog(job_id=job_id, seq=s, ts=ln.ts, line=ln.line) for s, ln in fresh.items()])
    except IntegrityError as exc:  # a concurrent retry of the same batch
        raise Conflict("log lines raced a retry; resend", code=ProblemCode.LOG_RACE) from exc
    job.log_count = max(job.log_count, max(fresh) + 1)
    frames = [line_frame(s, ln.ts, ln.line) for s, ln in sorted(fresh.items())]
    after_commit(session, lambda: hub.notify(job_id, frames))
    return len(fresh)


def set_run(session: Session, job_id: int, info: RunInfo) -> None:
    job = _running_by(session, job_id, info.worker)
    job.mlflow_run_id, job.mlflow_experiment_id = info.mlflow_run_id, info.mlflow_experiment_id


def register_dataset(session: Session, settings: Settings, job_id: int, worker: str, folder: Path,
                     digest: str, validation: dict[str, Any] | None = None) -> tuple[Dataset, bool]:
    """A market or ingest job's worker uploaded the version it made (already unpacked into ``folder``): register it
    under the job's dataset name, with an ingest's validation report, and remember it as the job's dataset."""
    job = _running_by(session, job_id, worker)
    payload: MarketPayload | IngestPayload
    if job.kind == JobKind.MARKET:
        payload = MarketPayload.model_validate(job.params or {})
        source = {"kind": "synthetic", **payload.model_dump(mode="json", exclude={"kind", "name", "description"})}
        validation = None
    elif job.kind == JobKind.INGEST:
        payload = IngestPayload.model_validate(job.params or {})
        source = {"kind": "upload", **payload.model_dump(mode="json", exclude={"kind", "name", "description", "path"})}
        if validation is None:
            raise Refused("an ingest job's dataset comes with its validation report")
    elif job.kind == JobKind.UNIVERSE:  # the next version of its base's name: the base plus one instrument list
        universe = UniversePayload.model_validate(job.params or {})
        source = {"kind": "universe", "base": universe.dataset.id, "market": universe.market,
                  **({"rule": universe.rule.model_dump(mode="json")} if universe.rule is not None
                     else {"members": len(universe.members or [])})}
        ds, created = data_service.register_folder(session, settings, folder, name=universe.dataset.name,
                                                   description=universe.description, source=source,
                                                   user_id=job.user_id, expected_hash=digest, validation=None,
                                                   base_id=universe.dataset.id)
        job.dataset_id = ds.id
        return ds, created
    else:
        raise Refused(f"a {job.kind} job produces no dataset")
    base = payload.base.id if isinstance(payload, IngestPayload) and payload.base is not None else None
    ds, created = data_service.register_folder(session, settings, folder, name=payload.name,
                                               description=payload.description, source=source,
                                               user_id=job.user_id, expected_hash=digest, validation=validation,
                                               base_id=base)
    job.dataset_id = ds.id
    return ds, created


def upload_of(session: Session, settings: Settings, job_id: int, worker: str) -> Path:
    """The unpacked upload of an ingest job, for the worker that runs it (and no other)."""
    job = _running_by(session, job_id, worker)
    if job.kind != JobKind.INGEST:
        raise Refused(f"a {job.kind} job has no upload")
    root = Path(IngestPayload.model_validate(job.params or {}).path)
    base = settings.storage.uploads_dir
    assert base is not None
    if not root.is_relative_to(base) or not root.is_dir():
        raise Gone(f"the upload of job {job_id} is gone")
    return root


def finish(session: Session, job_id: int, req: FinishRequest) -> Job:
    job = _running_by(session, job_id, req.worker)
    state: str = req.state
    if job.cancel_requested and state != JobState.SUCCEEDED:
        state = JobState.CANCELLED
    if not transitions.move(session, job_id, JobState.RUNNING, state,
                            {"finished_at": utcnow(), "error": req.error, "metrics": req.metrics},
                            where={"worker": req.worker}):
        raise Conflict("job is no longer running on this worker", code=ProblemCode.JOB_NOT_YOURS)
    revoke_job_tokens(session, job_id)
    session.refresh(job)
    after_commit(session, lambda: hub.notify(job_id))
    return job
