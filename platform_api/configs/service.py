"""Stored workflow configs: vetted with the same allowlist the runner applies, then kept as text."""

from __future__ import annotations

from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.configs import repository as repo
from platform_api.configs.models import WorkflowConfig
from platform_api.configs.schemas import ConfigCreate
from platform_api.domain_errors import Conflict, NotFound
from platform_api.jobs.submit import vet_config
from qlp_core.workflow_config import config_hash


def create(session: Session, data: ConfigCreate, user: Principal) -> WorkflowConfig:
    vet_config(data.text, {})
    if repo.get_by_name(session, data.name):
        raise Conflict(f"config {data.name!r} exists")
    cfg = WorkflowConfig(
        name=data.name, description=data.description, text=data.text,
        content_hash=config_hash(data.text), created_by=user.id,
    )
    return repo.add(session, cfg)


def get_or_404(session: Session, config_id: int) -> WorkflowConfig:
    cfg = repo.get(session, config_id)
    if cfg is None:
        raise NotFound("no such config")
    return cfg
