"""Queries of the configs domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.configs.models import WorkflowConfig


def get(session: Session, config_id: int) -> WorkflowConfig | None:
    return session.get(WorkflowConfig, config_id)


def get_by_name(session: Session, name: str) -> WorkflowConfig | None:
    return session.scalar(select(WorkflowConfig).where(WorkflowConfig.name == name))


def list_all(session: Session) -> list[WorkflowConfig]:
    return list(session.scalars(select(WorkflowConfig).order_by(WorkflowConfig.name)))


def add(session: Session, cfg: WorkflowConfig) -> WorkflowConfig:
    session.add(cfg)
    session.flush()
    return cfg
