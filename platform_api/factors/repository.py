"""Queries of the factors domain."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from platform_api.factors.models import Factor, FactorEvaluation, FactorSet, FactorVersion
from platform_api.jobs.models import Job


def list_factors(session: Session) -> list[Factor]:
    return list(session.scalars(select(Factor).order_by(Factor.name)))


def get(session: Session, factor_id: int) -> Factor | None:
    return session.get(Factor, factor_id)


def by_name(session: Session, name: str) -> Factor | None:
    return session.scalar(select(Factor).where(Factor.name == name))


def version_of(session: Session, factor_id: int, version: int) -> FactorVersion | None:
    return session.scalar(select(FactorVersion).where(FactorVersion.factor_id == factor_id,
                                                      FactorVersion.version == version))


def versions_by_id(session: Session, ids: list[int]) -> dict[int, FactorVersion]:
    return {v.id: v for v in session.scalars(select(FactorVersion).where(FactorVersion.id.in_(ids)))}


def evaluations(session: Session, factor_id: int) -> list[tuple[FactorEvaluation, FactorVersion, Job | None]]:
    q = (select(FactorEvaluation, FactorVersion, Job)
         .join(FactorVersion, FactorEvaluation.factor_version_id == FactorVersion.id)
         .outerjoin(Job, FactorEvaluation.job_id == Job.id)
         .where(FactorVersion.factor_id == factor_id).order_by(FactorEvaluation.id.desc()))
    return [(e, v, j) for e, v, j in session.execute(q).all()]


def latest_done(session: Session) -> dict[int, tuple[FactorEvaluation, FactorVersion]]:
    """Each factor's newest evaluation that has its summary."""
    q = (select(FactorEvaluation, FactorVersion)
         .join(FactorVersion, FactorEvaluation.factor_version_id == FactorVersion.id)
         .where(FactorEvaluation.mlflow_run_id.is_not(None)).order_by(FactorEvaluation.id))
    out: dict[int, tuple[FactorEvaluation, FactorVersion]] = {}
    for e, v in session.execute(q).all():
        out[v.factor_id] = (e, v)
    return out


def library_ranks(session: Session, dataset_hash: str) -> dict[int, str]:
    """The library on one dataset: for each factor not archived, the store object of the ranks of its newest
    evaluation on that dataset that kept them."""
    q = (select(FactorVersion.factor_id, FactorEvaluation.ranks_object)
         .join(FactorVersion, FactorEvaluation.factor_version_id == FactorVersion.id)
         .join(Factor, FactorVersion.factor_id == Factor.id)
         .where(FactorEvaluation.dataset_hash == dataset_hash, FactorEvaluation.ranks_object.is_not(None),
                Factor.archived_at.is_(None))
         .order_by(FactorEvaluation.id))
    return {factor_id: obj for factor_id, obj in session.execute(q).all() if obj is not None}


def evaluation(session: Session, evaluation_id: int) -> FactorEvaluation | None:
    return session.get(FactorEvaluation, evaluation_id)


def evaluation_of_job(session: Session, job_id: int) -> FactorEvaluation | None:
    return session.scalar(select(FactorEvaluation).where(FactorEvaluation.job_id == job_id))


def list_sets(session: Session) -> list[FactorSet]:
    return list(session.scalars(select(FactorSet).order_by(FactorSet.name, FactorSet.version.desc())))


def get_set(session: Session, set_id: int) -> FactorSet | None:
    return session.get(FactorSet, set_id)


def set_by_name(session: Session, name: str, version: int | None = None) -> FactorSet | None:
    q = select(FactorSet).where(FactorSet.name == name)
    q = q.where(FactorSet.version == version) if version is not None else q.order_by(FactorSet.version.desc())
    return session.scalar(q.limit(1))


def latest_set_version(session: Session, name: str) -> int:
    return session.scalar(select(func.max(FactorSet.version)).where(FactorSet.name == name)) or 0
