"""HTTP routes of the factors domain: the factor library, expression checks, evaluations, factor sets."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam

from platform_api.deps import CurrentUser, ResearcherUser, RowId, SessionDep, SettingsDep, TrainerAuth
from platform_api.errors import AUTHED, problems
from platform_api.factors import repository as repo
from platform_api.factors import service
from platform_api.factors.schemas import (
    EvaluateRequest,
    EvaluationDetail,
    EvaluationRead,
    ExpressionBody,
    ExpressionCheck,
    FactorCreate,
    FactorDetail,
    FactorRead,
    FactorResult,
    FactorSetCreate,
    FactorSetRead,
    FactorVersionCreate,
    WorkerBody,
)
from platform_api.jobs.protocol import running_by
from platform_api.jobs.schemas import JobRead
from platform_api.jobs.submit import to_read

router = APIRouter(prefix="/api/factors", tags=["factors"])
sets_router = APIRouter(prefix="/api/factor-sets", tags=["factors"])
Sort = Literal["name", "created", "rank_ic", "ic", "rank_icir", "decay", "turnover"]


def _metric(f: FactorRead, sort: str) -> float:
    """The sort value of a factor's latest evaluation at its first horizon (decay: Rank IC at the last over the
    first); factors without an evaluation sort last."""
    summary: dict[str, Any] = f.evaluation.summary if f.evaluation else {}
    per = summary.get(sort if sort != "decay" else "rank_ic") or {}
    values = [per[k] for k in sorted(per, key=int)] if isinstance(per, dict) else []
    if sort == "turnover":
        value = summary.get("turnover")
        return -float(value) if isinstance(value, int | float) else float("-inf")
    if not values or values[0] is None:
        return float("-inf")
    if sort == "decay":
        return float(values[-1] / values[0]) if values[0] and values[-1] is not None else float("-inf")
    return float(values[0])


@router.get("", response_model=list[FactorRead], responses=problems(*AUTHED))
def list_factors(
    _: CurrentUser,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=64, description="Part of the name, any case.")] = None,
    tag: Annotated[str | None, Query(max_length=32)] = None,
    archived: bool = False,
    sort: Sort = "name",
) -> list[FactorRead]:
    """The library: each factor with its latest version and its latest evaluation; sorted by name, creation, or
    the latest evaluation's Rank IC, IC, Rank ICIR (first horizon), decay (Rank IC last ÷ first horizon) or turnover
    (lowest first)."""
    factors = [f for f in repo.list_factors(session) if (archived or f.archived_at is None)
               and (not q or q.lower() in f.name.lower()) and (not tag or tag in f.versions[-1].tags)]
    out = service.read(session, factors)
    if sort == "created":
        out.sort(key=lambda f: f.created_at, reverse=True)
    elif sort != "name":
        out.sort(key=lambda f: _metric(f, sort), reverse=True)
    return out


@router.post("", response_model=FactorDetail, status_code=201, responses=problems(*AUTHED, 409))
def create_factor(body: FactorCreate, user: ResearcherUser, session: SessionDep) -> FactorDetail:
    """A new factor (version 1). The expression must pass our parser (422 naming the position and what was
    expected) and may not read the future (a negative Ref); it is stored as the canonical text Qlib gets."""
    [out] = service.read(session, [service.create(session, body, user)], detail=True)
    assert isinstance(out, FactorDetail)
    return out


@router.post("/check", response_model=ExpressionCheck, responses=problems(*AUTHED))
def check_expression(body: ExpressionBody, _: ResearcherUser) -> ExpressionCheck:
    """Parse an expression as a factor's is vetted, for an editor (researcher or admin, like creating one): valid, or
    the error with its position and what was expected; the fields it reads, its look-back and look-ahead. Stores
    nothing."""
    return service.check(body.expression)


@router.get("/{factor_id}", response_model=FactorDetail, responses=problems(*AUTHED, 404))
def get_factor(factor_id: RowId, _: CurrentUser, session: SessionDep) -> FactorDetail:
    [out] = service.read(session, [service.get_or_404(session, factor_id)], detail=True)
    assert isinstance(out, FactorDetail)
    return out


@router.post("/{factor_id}/versions", response_model=FactorDetail, status_code=201,
             responses=problems(*AUTHED, 404))
def add_version(factor_id: RowId, body: FactorVersionCreate, user: ResearcherUser,
                session: SessionDep) -> FactorDetail:
    """An edit is the next version (the owner or an admin); earlier versions stay as they were, with their runs."""
    factor = service.add_version(session, service.get_or_404(session, factor_id), body, user)
    [out] = service.read(session, [factor], detail=True)
    assert isinstance(out, FactorDetail)
    return out


@router.post("/{factor_id}/archive", response_model=FactorRead, responses=problems(*AUTHED, 404))
def archive_factor(factor_id: RowId, user: ResearcherUser, session: SessionDep) -> FactorRead:
    """Archive a factor (the owner or an admin): no new version; factor sets keep the versions they name."""
    return service.read(session, [service.archive(session, service.get_or_404(session, factor_id), user)])[0]


@router.post("/{factor_id}/evaluate", response_model=JobRead, status_code=202, responses=problems(*AUTHED, 404))
def evaluate_factor(factor_id: RowId, body: EvaluateRequest, user: ResearcherUser, session: SessionDep,
                    settings: SettingsDep) -> JobRead:
    """Evaluate a factor version on a dataset version, as a job with its live log (answered at once): IC and Rank
    IC per horizon, quantile returns, turnover, coverage, and redundancy against the library."""
    _, job = service.evaluate(session, settings, service.get_or_404(session, factor_id), body, user)
    return to_read(settings, job)


@router.get("/{factor_id}/evaluations", response_model=list[EvaluationRead], responses=problems(*AUTHED, 404))
def list_evaluations(factor_id: RowId, _: CurrentUser, session: SessionDep) -> list[EvaluationRead]:
    return service.evaluations(session, service.get_or_404(session, factor_id))


@router.get("/evaluations/{evaluation_id}", response_model=EvaluationDetail, responses=problems(*AUTHED, 404))
def get_evaluation(evaluation_id: RowId, _: CurrentUser, session: SessionDep) -> EvaluationDetail:
    """One evaluation with the series its charts draw."""
    return service.evaluation_detail(session, evaluation_id)


@sets_router.get("", response_model=list[FactorSetRead], responses=problems(*AUTHED))
def list_sets(_: CurrentUser, session: SessionDep) -> list[FactorSetRead]:
    return [service.set_read(session, fs) for fs in repo.list_sets(session)]


@sets_router.post("", response_model=FactorSetRead, status_code=201, responses=problems(*AUTHED, 404))
def create_set(body: FactorSetCreate, user: ResearcherUser, session: SessionDep) -> FactorSetRead:
    """The next version of a factor set: these factor versions (each factor's latest where none is named)."""
    return service.set_read(session, service.create_set(session, body, user))


@sets_router.get("/{set_id}", response_model=FactorSetRead, responses=problems(*AUTHED, 404))
def get_set(set_id: RowId, _: CurrentUser, session: SessionDep) -> FactorSetRead:
    return service.set_read(session, service.set_or_404(session, set_id))


internal = APIRouter(prefix="/api/internal/jobs", tags=["trainer protocol"], include_in_schema=False)


@internal.put("/{job_id}/factor-result")
def factor_result(job_id: int, body: FactorResult, _: TrainerAuth, session: SessionDep,
                  settings: SettingsDep) -> dict[str, int]:
    """What a factor evaluation job computed, from the worker running it (and no other)."""
    job = running_by(session, job_id, body.worker)
    evaluation = service.record_result(session, settings, job, body.run_id, body.summary, body.result,
                                       body.ranks_object)
    return {"evaluation_id": evaluation.id}


@internal.post("/{job_id}/factor-ranks")
def factor_ranks_upload(job_id: int, body: WorkerBody, _: TrainerAuth, session: SessionDep,
                        settings: SettingsDep) -> dict[str, str]:
    """Where the worker running an evaluation job puts the factor's ranks, for the other hosts' redundancy checks."""
    return service.ranks_upload(session, settings, running_by(session, job_id, body.worker))


library_internal = APIRouter(prefix="/api/internal/factor-library", tags=["trainer protocol"],
                             include_in_schema=False)


@library_internal.get("/{dataset_hash}")
def factor_library(dataset_hash: Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")], _: TrainerAuth,
                   session: SessionDep, settings: SettingsDep,
                   exclude: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> dict[str, Any]:
    """The library an evaluation on this dataset compares with: each factor's newest ranks kept on it (archived
    factors and ``exclude`` left out), with the URLs to fetch them from."""
    return {"entries": service.library_locations(session, settings, dataset_hash, exclude)}
