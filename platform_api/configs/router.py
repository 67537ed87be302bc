"""HTTP routes of the configs domain: stored qrun workflow configs."""

from __future__ import annotations

from fastapi import APIRouter

from platform_api.configs import repository as repo
from platform_api.configs import service
from platform_api.configs.schemas import ConfigCreate, ConfigDetail, ConfigRead
from platform_api.deps import CurrentUser, ResearcherUser, SessionDep

router = APIRouter(prefix="/api/configs", tags=["configs"])


@router.get("", response_model=list[ConfigRead])
def list_configs(_: CurrentUser, session: SessionDep) -> list[ConfigRead]:
    return [ConfigRead.model_validate(c) for c in repo.list_all(session)]


@router.post("", response_model=ConfigDetail, status_code=201)
def create_config(body: ConfigCreate, user: ResearcherUser, session: SessionDep) -> ConfigDetail:
    return ConfigDetail.model_validate(service.create(session, body, user))


@router.get("/{config_id}", response_model=ConfigDetail)
def get_config(config_id: int, _: CurrentUser, session: SessionDep) -> ConfigDetail:
    return ConfigDetail.model_validate(service.get_or_404(session, config_id))
