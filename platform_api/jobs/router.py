"""HTTP routes of the jobs domain: submit, list, read, cancel, logs; the workers seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Query, Response

from platform_api.deps import MAX_ID, CurrentUser, ResearcherUser, RowId, SessionDep, SettingsDep
from platform_api.errors import AUTHED, problems
from platform_api.jobs import repository as repo
from platform_api.jobs import submit as service
from platform_api.jobs.models import JobKind, JobState
from platform_api.jobs.schemas import JobDetail, JobRead, LogPage, TrainRequest, WorkerRead
from qlp_core.protocol import LogLine

router = APIRouter(prefix="/api/train", tags=["jobs"])
TOTAL_COUNT = "X-Total-Count"
StateName = Literal["queued", "running", "succeeded", "failed", "cancelled"]
assert set(get_args(StateName)) == set(JobState.ALL), "StateName must list JobState.ALL"
workers_router = APIRouter(prefix="/api/workers", tags=["workers"])


@router.post("", response_model=JobRead, status_code=201, responses=problems(*AUTHED, 404))
def submit(body: TrainRequest, user: ResearcherUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    return service.to_read(settings, service.submit(session, settings, user, body))


@router.get("", response_model=list[JobRead], responses={
    200: {"description": "A page of the matching jobs, newest first", "headers": {TOTAL_COUNT: {
        "description": "How many jobs match the filters, on every page", "schema": {"type": "integer"}}}},
    **problems(*AUTHED)})
def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    state: Annotated[list[StateName] | None, Query(
        max_length=16, description="Any of these states; repeat it: ?state=queued&state=running")] = None,
    kind: str | None = Query(None, pattern="^(" + "|".join(JobKind.ALL) + ")$"),
    mine: bool = False,
    q: Annotated[str | None, Query(max_length=128, description="Part of the job's name, any case.")] = None,
    dataset_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description=(
        "Jobs on this dataset version: its lineage (the runs trained on it) or, for market and ingest jobs, the "
        "job that made it."))] = None,
    factor_set_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description=(
        "Workflow jobs that trained on this factor set version."))] = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_ID),
) -> list[JobRead]:
    filters: dict[str, Any] = {"states": sorted(set(state or ())), "kind": kind,
                               "user_id": user.id if mine else None, "name_contains": q, "dataset_id": dataset_id,
                               "factor_set_id": factor_set_id}
    response.headers[TOTAL_COUNT] = str(repo.count_jobs(session, **filters))
    jobs = repo.list_jobs(session, limit=limit, offset=offset, **filters)
    return [service.to_read(settings, j) for j in jobs]


@router.get("/{job_id}", response_model=JobDetail, responses=problems(*AUTHED, 404))
def get_job(job_id: RowId, _: CurrentUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    return service.to_read(settings, service.get_or_404(session, job_id), JobDetail)


@router.post("/{job_id}/cancel", response_model=JobRead, responses=problems(*AUTHED, 404, 409))
def cancel(job_id: RowId, user: ResearcherUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    job = service.cancel(session, service.get_or_404(session, job_id), user)
    return service.to_read(settings, job)


@router.get("/{job_id}/logs", response_model=LogPage, responses=problems(*AUTHED, 404))
def get_logs(
    job_id: RowId,
    _: CurrentUser,
    session: SessionDep,
    offset: int = Query(0, ge=0, le=MAX_ID),
    limit: int = Query(1000, ge=1, le=10000),
) -> LogPage:
    job = service.get_or_404(session, job_id)
    rows = repo.logs_from(session, job_id, offset, limit)
    lines = [LogLine(seq=r.seq, ts=r.ts, line=r.line) for r in rows]
    return LogPage(job_id=job_id, state=job.state, offset=offset,
                   next_offset=lines[-1].seq + 1 if lines else offset, lines=lines)


@workers_router.get("", response_model=list[WorkerRead], responses=problems(*AUTHED))
def list_workers(_: CurrentUser, session: SessionDep, within_s: int = Query(120, ge=1, le=86400)) -> list[WorkerRead]:
    since = datetime.now(UTC) - timedelta(seconds=within_s)
    out = []
    for w in repo.workers_seen(session, since):
        item = WorkerRead.model_validate(w)
        item.running_jobs = repo.running_jobs_of(session, w.name)
        out.append(item)
    return out
