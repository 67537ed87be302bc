"""HTTP routes of the data domain: dataset versions (list, read, register a server folder, generate a synthetic
market as a job), and a version's files as a tar stream for workers on other hosts."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from platform_api.data import repository as repo
from platform_api.data import service
from platform_api.data.schemas import DatasetCreate, DatasetRead
from platform_api.deps import CurrentUser, ResearcherUser, RowId, SessionDep, SettingsDep, TrainerAuth
from platform_api.domain_errors import Gone
from platform_api.errors import AUTHED, problems
from platform_api.jobs.schemas import JobRead
from platform_api.jobs.submit import submit_market, to_read
from qlp_core.protocol import UPLOAD_HASH_HEADER, MarketPayload
from qlp_core.qlib_data import tar_stream

router = APIRouter(prefix="/api/data", tags=["data"])
internal = APIRouter(prefix="/api/internal/datasets", tags=["trainer protocol"], include_in_schema=False)


@router.get("/datasets", response_model=list[DatasetRead], responses=problems(*AUTHED))
def list_datasets(_: CurrentUser, session: SessionDep, name: str | None = None) -> list[DatasetRead]:
    return [DatasetRead.model_validate(d) for d in repo.list_all(session, name)]


@router.post("/datasets", response_model=DatasetRead, status_code=201, responses={
    200: {"model": DatasetRead, "description": "The same content is already registered under this name"},
    **problems(*AUTHED, 409)})
def create_dataset(
    body: DatasetCreate, user: ResearcherUser, session: SessionDep, settings: SettingsDep, response: Response
) -> DatasetRead:
    """Register a Qlib folder that is already on the server, below the import folder (admin only)."""
    ds, created = service.import_folder(session, settings, body.source, user, body.name, body.description)
    if not created:
        response.status_code = 200
    return DatasetRead.model_validate(ds)


@router.post("/datasets/generate", response_model=JobRead, status_code=202, responses=problems(*AUTHED))
def generate_dataset(body: MarketPayload, user: ResearcherUser, session: SessionDep, settings: SettingsDep) -> JobRead:
    """Generate a synthetic market (planted, learnable signal) on a worker: answers with the job at once; when
    the job has succeeded its ``dataset_id`` is the new version."""
    return to_read(settings, submit_market(session, settings, user, body))


@router.get("/datasets/{dataset_id}", response_model=DatasetRead, responses=problems(*AUTHED, 404))
def get_dataset(dataset_id: RowId, _: CurrentUser, session: SessionDep) -> DatasetRead:
    return DatasetRead.model_validate(service.get_or_404(session, dataset_id))


@internal.get("/{dataset_id}/archive")
def dataset_archive(dataset_id: int, _: TrainerAuth, session: SessionDep) -> StreamingResponse:
    """A dataset version as a tar stream, for workers on hosts that do not share the API's disk."""
    ds = service.get_or_404(session, dataset_id)
    root = Path(ds.path)
    if not root.is_dir():
        raise Gone(f"the files of dataset {ds.name}@v{ds.version} are gone from {ds.path}")
    return StreamingResponse(tar_stream(root), media_type="application/x-tar",
                             headers={UPLOAD_HASH_HEADER: ds.content_hash})
