"""HTTP routes of the configs domain: stored qrun workflow configs."""

from __future__ import annotations

from fastapi import APIRouter

from platform_api.configs import repository as repo
from platform_api.configs import service
from platform_api.configs.schemas import ConfigCheck, ConfigCheckRequest, ConfigCreate, ConfigDetail, ConfigRead
from platform_api.deps import CurrentUser, ResearcherUser, RowId, SessionDep
from platform_api.errors import AUTHED, problems

router = APIRouter(prefix="/api/configs", tags=["configs"])


@router.get("", response_model=list[ConfigRead], responses=problems(*AUTHED))
def list_configs(_: CurrentUser, session: SessionDep) -> list[ConfigRead]:
    return [ConfigRead.model_validate(c) for c in repo.list_all(session)]


@router.post("", response_model=ConfigDetail, status_code=201, responses=problems(*AUTHED, 409))
def create_config(body: ConfigCreate, user: ResearcherUser, session: SessionDep) -> ConfigDetail:
    """Store a qrun workflow config; 422 also when it is not a mapping of YAML or names a class or module outside
    the allowlist (``qlib.*``, ``trainers.*``), a file path, a pickle or a Python tag."""
    return ConfigDetail.model_validate(service.create(session, body, user))


@router.post("/validate", response_model=ConfigCheck, responses=problems(*AUTHED))
def validate_config(body: ConfigCheckRequest, _: ResearcherUser) -> ConfigCheck:
    """Vet a qrun workflow config and overrides exactly as submitting a job with them would (researcher or admin,
    like submitting); stores and runs nothing. A refused config is a 200 with ``valid: false`` and where: the line and
    column of a YAML syntax error, or of the refused key or value in the text (null when it is not in the text: a
    missing key, a value that an override sets)."""
    return service.check(body)


@router.get("/{config_id}", response_model=ConfigDetail, responses=problems(*AUTHED, 404))
def get_config(config_id: RowId, _: CurrentUser, session: SessionDep) -> ConfigDetail:
    return ConfigDetail.model_validate(service.get_or_404(session, config_id))
