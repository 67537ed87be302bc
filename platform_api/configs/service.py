"""Stored workflow configs: vetted with the same allowlist the runner applies, then kept as text."""

from __future__ import annotations

from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.configs import repository as repo
from platform_api.configs.models import WorkflowConfig
from platform_api.configs.schemas import ConfigCheck, ConfigCheckRequest, ConfigCreate, ConfigIssue
from platform_api.domain_errors import Conflict, NotFound
from platform_api.jobs.submit import vet_config
from qlp_core.workflow_config import ConfigError, config_hash, error_position, vet


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


def check(data: ConfigCheckRequest) -> ConfigCheck:
    """Vet a config with overrides as a job's submission does; a refusal is an answer here, with where it is."""
    try:
        vet(data.text, data.overrides)
    except ConfigError as exc:
        line, column = error_position(data.text, exc, data.overrides)
        return ConfigCheck(valid=False, errors=[ConfigIssue(message=str(exc), line=line, column=column,
                                                            path=exc.path)])
    return ConfigCheck(valid=True, errors=[])
