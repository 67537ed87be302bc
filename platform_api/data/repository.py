"""Queries of the data domain."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from platform_api.data.models import Dataset


def get(session: Session, dataset_id: int) -> Dataset | None:
    return session.get(Dataset, dataset_id)


def list_all(session: Session, name: str | None = None) -> list[Dataset]:
    q = select(Dataset).order_by(Dataset.name, Dataset.version.desc())
    if name:
        q = q.where(Dataset.name == name)
    return list(session.scalars(q))


def latest_version(session: Session, name: str) -> int:
    return session.scalar(select(func.max(Dataset.version)).where(Dataset.name == name)) or 0


def latest(session: Session, name: str) -> Dataset | None:
    return session.scalar(select(Dataset).where(Dataset.name == name).order_by(Dataset.version.desc()).limit(1))


def find_by_hash(session: Session, name: str, content_hash: str) -> Dataset | None:
    return session.scalar(select(Dataset).where(Dataset.name == name, Dataset.content_hash == content_hash))


def add(session: Session, ds: Dataset) -> Dataset:
    session.add(ds)
    session.flush()
    return ds
