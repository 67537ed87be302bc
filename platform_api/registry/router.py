"""HTTP routes of the registry domain: registered models and versions (MLflow's registry through the API's own
client), aliases promoted through the gate, promotion policies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from platform_api.deps import AdminUser, CurrentUser, ResearcherUser, SessionDep, SettingsDep
from platform_api.errors import AUTHED, domain_problem, problems
from platform_api.experiments.store import StoreDep
from platform_api.registry import repository as repo
from platform_api.registry import service
from platform_api.registry.schemas import (
    ALIAS,
    MAX_REASON,
    MAX_VERSION,
    MODEL_NAME,
    POLICY_NAME,
    AliasRemoved,
    AliasSet,
    EventRead,
    ModelCreate,
    ModelDetail,
    ModelRead,
    NotesUpdate,
    PolicyBody,
    PolicyCreate,
    PolicyDetail,
    PolicyRead,
    Promotion,
    VersionCreate,
    VersionDetail,
)

router = APIRouter(prefix="/api/models", tags=["models"])
policies_router = APIRouter(prefix="/api/model-policies", tags=["models"])
NamePath = Annotated[str, Path(pattern=MODEL_NAME, description="The registered model's name.")]
VersionPath = Annotated[int, Path(ge=1, le=MAX_VERSION)]
AliasPath = Annotated[str, Path(pattern=ALIAS, description="champion, challenger, any name (not latest, v<N>).")]
PolicyPath = Annotated[str, Path(pattern=POLICY_NAME)]


@router.get("", response_model=list[ModelRead], responses=problems(*AUTHED, 502))
async def list_models(_: CurrentUser, store: StoreDep) -> list[ModelRead]:
    """Registered models with their aliases and latest version."""
    return await service.list_models(store)


@router.post("", response_model=VersionDetail, status_code=201, responses=problems(*AUTHED, 404, 409, 502))
async def register_model(body: ModelCreate, user: ResearcherUser, store: StoreDep, settings: SettingsDep,
                         session: SessionDep) -> VersionDetail:
    """Register a run's model as the next version of ``name`` (the model is made if new). The run must be a finished
    workflow run of the platform (its job succeeded): 404 for an unknown run, 422 for any other run or one that
    logged no model; 409 when the run is a version of this model already. The lineage (dataset version and hash,
    config hash, factor set) comes from the platform's own records of the job."""
    return await service.register(store, settings, session, body.name, body, user, create_model=True)


@router.get("/{name}", response_model=ModelDetail, responses=problems(*AUTHED, 404, 502))
async def get_model(name: NamePath, _: CurrentUser, store: StoreDep, session: SessionDep) -> ModelDetail:
    """A registered model: its aliases, versions (newest first) and which policy guards which alias."""
    return await service.model_detail(store, session, name)


@router.post("/{name}/versions", response_model=VersionDetail, status_code=201,
             responses=problems(*AUTHED, 404, 409, 502))
async def register_version(name: NamePath, body: VersionCreate, user: ResearcherUser, store: StoreDep,
                           settings: SettingsDep, session: SessionDep) -> VersionDetail:
    """Register a run's model as the next version of an existing model (as ``POST /api/models``)."""
    return await service.register(store, settings, session, name, body, user, create_model=False)


@router.get("/{name}/versions/{version}", response_model=VersionDetail, responses=problems(*AUTHED, 404, 502))
async def get_version(name: NamePath, version: VersionPath, _: CurrentUser, store: StoreDep, settings: SettingsDep,
                      session: SessionDep) -> VersionDetail:
    """A version: lineage, model files, the run's test-segment metrics, aliases, gate decisions and history."""
    return await service.version_detail(store, settings, session, name, version)


@router.patch("/{name}/versions/{version}", response_model=VersionDetail, responses=problems(*AUTHED, 404, 502))
async def edit_version(name: NamePath, version: VersionPath, body: NotesUpdate, user: ResearcherUser,
                       store: StoreDep, settings: SettingsDep, session: SessionDep) -> VersionDetail:
    """Edit a version's notes (recorded in its history; MLflow shows them as its description). 422 for a version
    made in MLflow directly."""
    return await service.edit_notes(store, settings, session, name, version, body.notes, user)


@router.post("/{name}/aliases/{alias}", response_model=Promotion, responses=problems(*AUTHED, 404, 409, 502))
async def set_alias(name: NamePath, alias: AliasPath, body: AliasSet, user: ResearcherUser, store: StoreDep,
                    session: SessionDep) -> Promotion | JSONResponse:
    """Point an alias at a version. When a policy guards the alias, only through its gate: a version that fails it is
    refused with 409 ``gate_failed`` naming each failed check; an admin may override with ``override_reason`` (a
    researcher asking for one gets 403). Every decision is recorded with its numbers, refused ones too. 409 also when
    the version holds the alias already; 422 for a reserved alias or a version made in MLflow directly."""
    outcome = await service.promote(store, session, name, alias, body, user)
    if outcome.refusal is not None:
        return domain_problem(outcome.refusal)  # answered, not raised: the decision it records is committed
    assert outcome.promotion is not None
    return outcome.promotion


@router.delete("/{name}/aliases/{alias}", response_model=AliasRemoved, responses=problems(*AUTHED, 404, 502))
async def remove_alias(
    name: NamePath, alias: AliasPath, user: ResearcherUser, store: StoreDep, session: SessionDep,
    reason: Annotated[str | None, Query(min_length=1, max_length=MAX_REASON,
                                        description="Why (required for an alias a policy guards).")] = None,
) -> AliasRemoved:
    """Take an alias off its version; one a policy guards only by an admin with a reason (403, 422 otherwise)."""
    return await service.remove_alias(store, session, name, alias, reason, user)


@router.get("/{name}/history", response_model=list[EventRead], responses=problems(*AUTHED, 404, 502))
async def model_history(name: NamePath, _: CurrentUser, store: StoreDep, session: SessionDep) -> list[EventRead]:
    """Every change of the model made through the platform and who made it, newest first."""
    return await service.history(store, session, name)


@policies_router.get("", response_model=list[PolicyRead], responses=problems(*AUTHED))
def list_policies(_: CurrentUser, session: SessionDep) -> list[PolicyRead]:
    return [service.policy_read(p) for p in repo.policies(session)]


@policies_router.post("", response_model=PolicyDetail, status_code=201, responses=problems(*AUTHED, 409))
def create_policy(body: PolicyCreate, user: AdminUser, session: SessionDep) -> PolicyDetail:
    """A named promotion policy (admin): thresholds on the test segment's IC, Rank IC, ICIR, Rank ICIR, annualised
    excess return with cost, information ratio and max drawdown, an optional margin over the alias's holder, and the
    aliases it guards (of one model, or of every model). 409 when the name exists or another policy guards one of
    the aliases in the same scope; 422 for a reserved or repeated alias."""
    return service.create_policy(session, body, user)


@policies_router.get("/{name}", response_model=PolicyDetail, responses=problems(*AUTHED, 404))
def get_policy(name: PolicyPath, _: CurrentUser, session: SessionDep) -> PolicyDetail:
    return service.policy_detail(session, service.get_policy(session, name))


@policies_router.put("/{name}", response_model=PolicyDetail, responses=problems(*AUTHED, 404, 409))
def update_policy(name: PolicyPath, body: PolicyBody, user: AdminUser, session: SessionDep) -> PolicyDetail:
    """Replace a policy's thresholds, margin and guarded aliases (admin); the change is in its history. Decisions
    made before keep the policy as it was."""
    return service.update_policy(session, name, body, user)
