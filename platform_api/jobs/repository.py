"""Queries of the jobs domain: jobs, their log lines, workers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from platform_api.jobs.models import Job, JobLog, JobState, Worker


def get(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def _job_filter(q: Select[Any], *, states: Sequence[str], kind: str | None, user_id: int | None,
                name_contains: str | None, dataset_id: int | None = None,
                factor_set_id: int | None = None) -> Select[Any]:
    if dataset_id is not None:
        q = q.where(Job.dataset_id == dataset_id)
    if factor_set_id is not None:
        q = q.where(Job.factor_set_id == factor_set_id)
    if states:
        q = q.where(Job.state.in_(states))
    if kind:
        q = q.where(Job.kind == kind)
    if user_id is not None:
        q = q.where(Job.user_id == user_id)
    if name_contains:
        q = q.where(func.lower(Job.name).contains(name_contains.lower(), autoescape=True))
    return q


def list_jobs(session: Session, *, states: Sequence[str] = (), user_id: int | None = None, limit: int, offset: int,
              kind: str | None = None, name_contains: str | None = None, dataset_id: int | None = None,
              factor_set_id: int | None = None) -> list[Job]:
    """Jobs matching every filter given (any of ``states``; ``name_contains`` any case), newest first."""
    q = _job_filter(select(Job), states=states, kind=kind, user_id=user_id, name_contains=name_contains,
                    dataset_id=dataset_id, factor_set_id=factor_set_id)
    return list(session.scalars(q.order_by(Job.id.desc()).limit(limit).offset(offset)))


def count_jobs(session: Session, *, states: Sequence[str] = (), user_id: int | None = None, kind: str | None = None,
               name_contains: str | None = None, dataset_id: int | None = None,
               factor_set_id: int | None = None) -> int:
    """How many jobs :func:`list_jobs` would page through with these filters."""
    q = _job_filter(select(func.count()).select_from(Job), states=states, kind=kind, user_id=user_id,
                    name_contains=name_contains, dataset_id=dataset_id, factor_set_id=factor_set_id)
    return int(session.scalar(q) or 0)


def add(session: Session, job: Job) -> Job:
    session.add(job)
    session.flush()
    return job


def transition(session: Session, job_id: int, *, where: dict[str, Any], values: dict[str, Any]) -> bool:
    """Conditional update: true when exactly this one row changed (the caller won the state change)."""
    q = update(Job).where(Job.id == job_id)
    for col, val in where.items():
        q = q.where(getattr(Job, col) == val)
    result = session.execute(q.values(**values).execution_options(synchronize_session=False))
    return (getattr(result, "rowcount", 0) or 0) == 1


def existing_seqs(session: Session, job_id: int, seqs: list[int]) -> set[int]:
    if not seqs:
        return set()
    q = select(JobLog.seq).where(JobLog.job_id == job_id, JobLog.seq >= min(seqs), JobLog.seq <= max(seqs))
    return set(session.scalars(q))


def add_logs(session: Session, rows: list[JobLog]) -> None:
    session.add_all(rows)
    session.flush()


def logs_from(session: Session, job_id: int, offset: int, limit: int) -> list[JobLog]:
    q = select(JobLog).where(JobLog.job_id == job_id, JobLog.seq >= offset).order_by(JobLog.seq).limit(limit)
    return list(session.scalars(q))


def stale_running(session: Session, older_than: datetime) -> list[Job]:
    q = select(Job).where(Job.state == JobState.RUNNING, Job.heartbeat_at < older_than)
    return list(session.scalars(q))


def undispatched(session: Session, older_than: datetime) -> list[Job]:
    q = select(Job).where(Job.state == JobState.QUEUED,
                          or_(Job.dispatched_at.is_(None), Job.dispatched_at < older_than),
                          Job.created_at < older_than)
    return list(session.scalars(q.order_by(Job.id).limit(500)))


def count_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    return {state: n for state, n in rows}


def upsert_worker(session: Session, name: str, values: dict[str, Any], now: datetime) -> None:
    w = session.get(Worker, name)
    if w is None:
        session.add(Worker(name=name, started_at=now, last_seen=now, **values))
    else:
        for k, v in values.items():
            setattr(w, k, v)
        w.last_seen = now
    session.flush()


def workers_seen(session: Session, since: datetime) -> list[Worker]:
    return list(session.scalars(select(Worker).where(Worker.last_seen >= since).order_by(Worker.name)))


def running_jobs_of(session: Session, worker: str) -> list[int]:
    q = select(Job.id).where(Job.state == JobState.RUNNING, Job.worker == worker)
    return list(session.scalars(q))
