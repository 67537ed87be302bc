"""Queries of the experiments domain in the platform database: the job that made an MLflow run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.jobs.models import Job


def job_for_run(session: Session, run_id: str) -> Job | None:
    """The job whose (latest) attempt logged this MLflow run."""
    return session.scalar(select(Job).where(Job.mlflow_run_id == run_id).order_by(Job.id.desc()).limit(1))
