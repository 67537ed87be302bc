"""HTTP routes of a dataset version's universes: build one (a job writing the next version) and list its markets."""

from __future__ import annotations

from fastapi import APIRouter

from platform_api.data import service, universes
from platform_api.data.universes import MarketRead, UniverseCreate
from platform_api.deps import CurrentUser, ResearcherUser, RowId, SessionDep, SettingsDep
from platform_api.errors import AUTHED, problems
from platform_api.jobs.schemas import JobRead
from platform_api.jobs.submit import to_read

router = APIRouter(prefix="/api/data", tags=["data"])


@router.post("/datasets/{dataset_id}/universes", response_model=JobRead, status_code=202,
             responses=problems(*AUTHED, 404, 410))
def create_universe(dataset_id: RowId, body: UniverseCreate, user: ResearcherUser, session: SessionDep,
                    settings: SettingsDep) -> JobRead:
    """Build a universe on this version: a worker writes the version plus ``instruments/<market>.txt`` (the top ``n``
    by mean traded value before each month's first trading day, or the given members) as the next version of its
    name; answers with the job at once. When the job has succeeded its ``dataset_id`` is the new version; symbols the
    version does not list fail the job, named."""
    ds = service.get_or_404(session, dataset_id)
    return to_read(settings, universes.create_universe(session, settings, user, ds, body))


@router.get("/datasets/{dataset_id}/markets", response_model=list[MarketRead], responses=problems(*AUTHED, 404, 410))
def list_markets(dataset_id: RowId, _: CurrentUser, session: SessionDep) -> list[MarketRead]:
    """The version's instrument lists: instruments, rows and first and last day of each, and how a universe job made
    it (rule or upload) where known."""
    return universes.markets(session, service.get_or_404(session, dataset_id))
