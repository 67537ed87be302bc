"""HTTP routes of the experiments domain: MLflow's experiments and runs, read for the dashboard (any role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from platform_api.deps import CurrentUser, SessionDep, SettingsDep
from platform_api.errors import AUTHED, problems
from platform_api.experiments import service
from platform_api.experiments.schemas import (
    MAX_COMPARE,
    RUN_ID,
    Compare,
    ExperimentRead,
    RunDetail,
    RunId,
    RunPage,
    RunQuery,
    RunSeries,
)
from platform_api.experiments.store import StoreDep

router = APIRouter(prefix="/api/experiments", tags=["experiments"])
RunIdPath = Annotated[str, Path(pattern=RUN_ID, description="An MLflow run id: 32 lower-case hex digits.")]


@router.get("", response_model=list[ExperimentRead], responses=problems(*AUTHED, 502))
async def list_experiments(_: CurrentUser, store: StoreDep) -> list[ExperimentRead]:
    """Active MLflow experiments (the platform's hidden marker experiments left out)."""
    return await service.list_experiments(store)


@router.get("/runs", response_model=RunPage, responses=problems(*AUTHED, 404, 502))
async def list_runs(q: Annotated[RunQuery, Query()], _: CurrentUser, store: StoreDep,
                    settings: SettingsDep) -> RunPage:
    """Runs, newest first unless sorted otherwise; filters combine (AND). 404 for an unknown experiment id; 422 also
    for a tag value or user that MLflow's search cannot express exactly (both kinds of quotes, a trailing backslash,
    control characters) and for a page_token this API did not hand out."""
    return await service.list_runs(store, settings, q)


@router.get("/compare", response_model=Compare, responses=problems(*AUTHED, 404, 502))
async def compare_runs(
    run_ids: Annotated[list[RunId], Query(min_length=1, max_length=MAX_COMPARE,
                                          description=f"1 to {MAX_COMPARE} distinct run ids.")],
    _: CurrentUser, store: StoreDep, settings: SettingsDep,
) -> Compare:
    """Runs side by side: metrics, which run is best at each, and their curves on the union of their dates."""
    return await service.compare(store, settings, run_ids)


@router.get("/runs/{run_id}", response_model=RunDetail, responses=problems(*AUTHED, 404, 502))
async def get_run(run_id: RunIdPath, _: CurrentUser, store: StoreDep, settings: SettingsDep,
                  session: SessionDep) -> RunDetail:
    """One run: its row, params, tags, artifact listing and the platform job that made it."""
    return await service.run_detail(store, settings, session, run_id)


@router.get("/runs/{run_id}/series", response_model=RunSeries, responses=problems(*AUTHED, 404, 502))
async def get_series(run_id: RunIdPath, _: CurrentUser, store: StoreDep, settings: SettingsDep) -> RunSeries:
    """A run's daily curves (cumulative excess returns, drawdowns, turnover, IC and their 20-day means); 404 when
    the run exported none."""
    return await service.run_series(store, settings, run_id)
