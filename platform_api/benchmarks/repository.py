"""Queries of the benchmarks domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.benchmarks.models import Benchmark
from platform_api.jobs.models import Job


def get(session: Session, benchmark_id: int) -> Benchmark | None:
    return session.get(Benchmark, benchmark_id)


def list_all(session: Session) -> list[Benchmark]:
    return list(session.scalars(select(Benchmark).order_by(Benchmark.id.desc())))


def open_ones(session: Session) -> list[Benchmark]:
    return list(session.scalars(select(Benchmark).where(Benchmark.closed.is_(False))))


def jobs_of(session: Session, benchmark_ids: list[int]) -> dict[int, list[Job]]:
    out: dict[int, list[Job]] = {i: [] for i in benchmark_ids}
    if benchmark_ids:
        for job in session.scalars(select(Job).where(Job.benchmark_id.in_(benchmark_ids)).order_by(Job.id)):
            out[int(job.benchmark_id or 0)].append(job)
    return out
