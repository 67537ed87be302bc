"""Jobs from users: submit a workflow, a probe, a market generation or an ingest (dispatched after commit), read."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.configs.models import WorkflowConfig
from platform_api.data import service as data_service
from platform_api.db import after_commit, utcnow
from platform_api.domain_errors import Conflict, Forbidden, NotFound, Refused
from platform_api.factors.resolve import factor_set_overrides
from platform_api.jobs import repository as repo
from platform_api.jobs import transitions
from platform_api.jobs.dispatch import dispatch
from platform_api.jobs.hub import hub
from platform_api.jobs.models import Job, JobKind, JobState
from platform_api.jobs.schemas import JobRead, TrainRequest
from qlp_core.protocol import FactorEvalPayload, IngestPayload, MarketPayload, ProbePayload, UniversePayload
from qlp_core.settings import Settings
from qlp_core.workflow_config import ConfigError, config_hash, vet

DEFAULT_EXPERIMENT = "qlp-workflows"


def mlflow_url(settings: Settings, job: Job) -> str | None:
    if not job.mlflow_run_id or not job.mlflow_experiment_id:
        return None
    return f"{settings.mlflow_public_url}/#/experiments/{job.mlflow_experiment_id}/runs/{job.mlflow_run_id}"


def to_read(settings: Settings, job: Job, model: type[JobRead] = JobRead) -> JobRead:
    out = model.model_validate(job)
    out.mlflow_url = mlflow_url(settings, job)
    out.username = job.user.username if job.user is not None else None
    return out


def vet_config(text: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """Parse and vet a config as the runner will see it; a bad one is refused with the reason."""
    try:
        return vet(text, overrides)
    except ConfigError as exc:
        raise Refused(f"config refused: {exc}") from exc


def _queue(session: Session, settings: Settings, job: Job) -> Job:
    """Store the job and send it to the broker once the transaction has committed."""
    job = repo.add(session, job)
    job_id, queue, priority = job.id, job.queue, job.priority
    after_commit(session, lambda: dispatch(settings, job_id, queue, priority))
    return job


def submit(session: Session, settings: Settings, user: Principal, req: TrainRequest) -> Job:
    if req.kind == JobKind.PROBE:
        assert req.probe is not None
        return _queue_payload(session, settings, user, req.probe, name=req.name or "probe", experiment="probes",
                              queue=req.queue, priority=req.priority, max_attempts=req.max_attempts)
    config_id = None
    if req.config_id is not None:
        stored = session.get(WorkflowConfig, req.config_id)
        if stored is None:
            raise NotFound("no such stored config")
        text, config_id = stored.text, stored.id
    else:
        assert req.config_text is not None
        text = req.config_text
    config = vet_config(text, req.overrides)
    overrides = req.overrides
    factor_set, filled = factor_set_overrides(session, config)
    if filled:  # the set's factor versions, vetted like every expression of a config
        overrides = {**req.overrides, **filled}
        vet_config(text, overrides)
    assert req.dataset_id is not None
    dataset = data_service.usable(session, req.dataset_id)
    return _queue(session, settings, Job(
        state=JobState.QUEUED, name=req.name or f"{dataset.name}@v{dataset.version}",
        queue=req.queue or settings.broker.default_queue, config_text=text, config_hash=config_hash(text),
        config_id=config_id, overrides=overrides, dataset_id=dataset.id,
        factor_set_id=factor_set.id if factor_set is not None else None,
        experiment_name=req.experiment_name or str(config.get("experiment_name") or DEFAULT_EXPERIMENT),
        user_id=user.id, metrics={}, priority=req.priority, max_attempts=req.max_attempts))


def submit_market(session: Session, settings: Settings, user: Principal, payload: MarketPayload) -> Job:
    """Generating a market is a worker's job (pandas, seconds to minutes), never a request thread's."""
    return _queue_payload(session, settings, user, payload, name=f"generate {payload.name}", experiment="datasets",
                          queue=None, priority=7, max_attempts=3)


def submit_ingest(session: Session, settings: Settings, user: Principal, payload: IngestPayload) -> Job:
    """Ingesting an upload is a worker's job (reading, validating and writing bars), never a request thread's."""
    return _queue_payload(session, settings, user, payload, name=f"ingest {payload.name}", experiment="datasets",
                          queue=None, priority=7, max_attempts=3)


def submit_universe(session: Session, settings: Settings, user: Principal, payload: UniversePayload) -> Job:
    """Choosing a universe reads every instrument's bars (pandas/numpy): a worker's job, never a request thread's."""
    base = payload.dataset
    return _queue_payload(session, settings, user, payload,
                          name=f"universe {payload.market} of {base.name}@v{base.version}", experiment="datasets",
                          queue=None, priority=7, max_attempts=3)


def submit_factor_eval(session: Session, settings: Settings, user: Principal, payload: FactorEvalPayload,
                       queue: str | None = None) -> Job:
    """Evaluating a factor computes it with Qlib over a market: a worker's job (on ``queue``, default the default
    one), logged as a run of ``factors``."""
    return _queue_payload(session, settings, user, payload,
                          name=f"evaluate {payload.factor_name}@v{payload.factor_version} on "
                               f"{payload.dataset.name}@v{payload.dataset.version}",
                          experiment=payload.experiment_name, queue=queue, priority=6, max_attempts=3,
                          dataset_id=payload.dataset.id)


def _queue_payload(session: Session, settings: Settings, user: Principal,
                   payload: ProbePayload | MarketPayload | IngestPayload | UniversePayload | FactorEvalPayload, *,
                   name: str, experiment: str, queue: str | None, priority: int, max_attempts: int,
                   dataset_id: int | None = None) -> Job:
    """A job of a kind that has no workflow config: its payload's fields are the job's params."""
    params = payload.model_dump(mode="json", exclude={"kind"})
    return _queue(session, settings, Job(
        kind=payload.kind, state=JobState.QUEUED, name=name, queue=queue or settings.broker.default_queue,
        config_text="", config_hash=config_hash(repr(sorted(params.items()))), overrides={}, params=params,
        dataset_id=dataset_id, experiment_name=experiment, user_id=user.id, metrics={}, priority=priority,
        max_attempts=max_attempts))


def get_or_404(session: Session, job_id: int) -> Job:
    job = repo.get(session, job_id)
    if job is None:
        raise NotFound("no such job")
    return job


def cancel(session: Session, job: Job, user: Principal) -> Job:
    if not user.at_least("admin") and job.user_id != user.id:
        raise Forbidden("only the job's owner or an admin may cancel it")
    if job.state in JobState.FINAL:
        raise Conflict(f"job already {job.state}")
    stopped = transitions.move(session, job.id, JobState.QUEUED, JobState.CANCELLED,
                               {"finished_at": utcnow(), "error": "cancelled before start"})
    if not stopped:  # it runs: its worker learns of the request from its next heartbeat and stops it
        repo.transition(session, job.id, where={"state": JobState.RUNNING}, values={"cancel_requested": True})
    session.refresh(job)
    after_commit(session, lambda: hub.notify(job.id))
    return job
