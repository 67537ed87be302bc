"""HTTP routes of the jobs domain: submit, list, read, cancel, logs; the trainer protocol under /api/internal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Query

from platform_api.deps import CurrentUser, ResearcherUser, SessionDep, SettingsDep, TrainerAuth
from platform_api.jobs import repository as repo
from platform_api.jobs import service
from platform_api.jobs.models import JobState
from platform_api.jobs.schemas import (
    ClaimRequest,
    FinishRequest,
    HeartbeatResponse,
    JobDetail,
    JobRead,
    JobSpec,
    LogBatch,
    LogLine,
    LogPage,
    RunInfo,
    TrainRequest,
    WorkerHeartbeat,
    WorkerRead,
    WorkerRef,
)

router = APIRouter(prefix="/api/train", tags=["jobs"])
internal = APIRouter(prefix="/api/internal", tags=["trainer protocol"], include_in_schema=False)
workers_router = APIRouter(prefix="/api/workers", tags=["workers"])


@router.post("", response_model=JobRead, status_code=201)
def submit(body: TrainRequest, user: ResearcherUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    return service.to_read(settings, service.submit(session, settings, user, body))


@router.get("", response_model=list[JobRead])
def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    state: str | None = Query(None, pattern="^(" + "|".join(JobState.ALL) + ")$"),
    mine: bool = False,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> list[JobRead]:
    jobs = repo.list_jobs(session, state=state, user_id=user.id if mine else None, limit=limit, offset=offset)
    return [service.to_read(settings, j) for j in jobs]


@router.get("/{job_id}", response_model=JobDetail)
def get_job(job_id: int, _: CurrentUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    return service.to_read(settings, service.get_or_404(session, job_id), JobDetail)


@router.post("/{job_id}/cancel", response_model=JobRead)
def cancel(job_id: int, user: ResearcherUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    job = service.cancel(session, service.get_or_404(session, job_id), user)
    return service.to_read(settings, job)


@router.get("/{job_id}/logs", response_model=LogPage)
def logs(
    job_id: int,
    _: CurrentUser,
    session: SessionDep,
    offset: int = Query(0, ge=0),
    limit: int = Query(1000, ge=1, le=10000),
) -> LogPage:
    job = service.get_or_404(session, job_id)
    rows = repo.logs_from(session, job_id, offset, limit)
    lines = [LogLine(seq=r.seq, ts=r.ts, line=r.line) for r in rows]
    return LogPage(job_id=job_id, state=job.state, offset=offset,
                   next_offset=lines[-1].seq + 1 if lines else offset, lines=lines)


# ----- trainer protocol ------------------------------------------------------------
@internal.post("/jobs/{job_id}/claim", response_model=JobSpec)
def claim(job_id: int, body: ClaimRequest, _: TrainerAuth, session: SessionDep, settings: SettingsDep) -> JobSpec:
    return service.claim(session, settings, job_id, body.worker)


@internal.post("/jobs/{job_id}/heartbeat", response_model=HeartbeatResponse)
def heartbeat(job_id: int, body: WorkerRef, _: TrainerAuth, session: SessionDep) -> HeartbeatResponse:
    return service.heartbeat(session, job_id, body.worker)


@internal.post("/jobs/{job_id}/logs")
def append_logs(job_id: int, body: LogBatch, _: TrainerAuth, session: SessionDep) -> dict[str, int]:
    return {"stored": service.append_logs(session, job_id, body)}


@internal.post("/jobs/{job_id}/run", status_code=204)
def set_run(job_id: int, body: RunInfo, _: TrainerAuth, session: SessionDep) -> None:
    service.set_run(session, job_id, body)


@internal.post("/jobs/{job_id}/finish", response_model=JobRead)
def finish(job_id: int, body: FinishRequest, _: TrainerAuth, session: SessionDep, settings: SettingsDep) -> JobRead:
    return service.to_read(settings, service.finish(session, job_id, body))


@internal.post("/workers/heartbeat", status_code=204)
def worker_heartbeat(body: WorkerHeartbeat, _: TrainerAuth, session: SessionDep) -> None:
    values = body.model_dump(exclude={"name"})
    repo.upsert_worker(session, body.name, values, datetime.now(UTC))


@workers_router.get("", response_model=list[WorkerRead])
def list_workers(_: CurrentUser, session: SessionDep, within_s: int = Query(120, ge=1, le=86400)) -> list[WorkerRead]:
    since = datetime.now(UTC) - timedelta(seconds=within_s)
    out = []
    for w in repo.workers_seen(session, since):
        item = WorkerRead.model_validate(w)
        item.running_jobs = repo.running_jobs_of(session, w.name)
        out.append(item)
    return out
