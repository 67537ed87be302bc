"""HTTP routes of the data domain: dataset versions."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import StreamingResponse

from platform_api.data import repository as repo
from platform_api.data import service
from platform_api.data.schemas import DatasetCreate, DatasetRead
from platform_api.deps import CurrentUser, ResearcherUser, SessionDep, SettingsDep, TrainerAuth
from qlp_core.qlib_data import tar_stream

router = APIRouter(prefix="/api/data", tags=["data"])
internal = APIRouter(prefix="/api/internal/datasets", tags=["trainer protocol"], include_in_schema=False)


@router.get("/datasets", response_model=list[DatasetRead])
def list_datasets(_: CurrentUser, session: SessionDep, name: str | None = None) -> list[DatasetRead]:
    return [DatasetRead.model_validate(d) for d in repo.list_all(session, name)]


@router.post("/datasets", response_model=DatasetRead, status_code=201)
def create_dataset(
    body: DatasetCreate, user: ResearcherUser, session: SessionDep, settings: SettingsDep, response: Response
) -> DatasetRead:
    ds, created = service.create(session, settings, body, user)
    if not created:
        response.status_code = 200
    return DatasetRead.model_validate(ds)


@router.get("/datasets/{dataset_id}", response_model=DatasetRead)
def get_dataset(dataset_id: int, _: CurrentUser, session: SessionDep) -> DatasetRead:
    return DatasetRead.model_validate(service.get_or_404(session, dataset_id))


@internal.get("/{dataset_id}/archive")
def dataset_archive(dataset_id: int, _: TrainerAuth, session: SessionDep) -> StreamingResponse:
    """A dataset version as a tar stream, for workers on hosts that do not share the API's disk."""
    ds = service.get_or_404(session, dataset_id)
    root = Path(ds.path)
    if not root.is_dir():
        raise HTTPException(410, f"the files of dataset {ds.name}@v{ds.version} are gone from {ds.path}")
    return StreamingResponse(tar_stream(root), media_type="application/x-tar",
                             headers={"X-Content-SHA256": ds.content_hash})
