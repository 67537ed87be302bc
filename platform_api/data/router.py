"""HTTP routes of the data domain: dataset versions (list, read, register a server folder, generate a synthetic
market as a job, browse its instruments, calendar and bars), and a version's files as a tar stream for workers on
other hosts."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BeforeValidator, StringConstraints

from platform_api.data import browse, ingest, service, uploads, versions
from platform_api.data import repository as repo
from platform_api.data.schemas import BarsRead, CalendarRead, DatasetCreate, DatasetRead, InstrumentRead
from platform_api.data.store import FolderStore, open_store
from platform_api.db import MAX_ID
from platform_api.deps import (
    AdminUser,
    CurrentUser,
    ResearcherUser,
    RowId,
    SessionDep,
    SettingsDep,
    StreamingResearcher,
    TrainerAuth,
)
from platform_api.domain_errors import Conflict, NotFound, Refused
from platform_api.errors import AUTHED, problems
from platform_api.jobs.schemas import JobRead
from platform_api.jobs.submit import submit_market, to_read
from qlp_core.protocol import NAME, MarketPayload
from qlp_core.qlib_data import SYMBOL_PATTERN

router = APIRouter(prefix="/api/data", tags=["data"])
internal = APIRouter(prefix="/api/internal/datasets", tags=["trainer protocol"], include_in_schema=False)
features_internal = APIRouter(prefix="/api/internal/features", tags=["trainer protocol"], include_in_schema=False)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _iso_day(value: Any) -> Any:
    """A day as the schema states it (YYYY-MM-DD): pydantic alone also takes ``0.0`` or a Unix time for a date."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("must be a day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Start = Annotated[Day | None, Query(description="First day (included), YYYY-MM-DD; open when left out.")]
End = Annotated[Day | None, Query(description="Last day (included), YYYY-MM-DD; open when left out.")]


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


UPLOAD_BODY: dict[str, Any] = {"requestBody": {
    "required": True,
    "description": "The file itself, streamed: CSV, .csv.gz, Parquet, or a .zip/.tar/.tar.gz of such files or of a "
                   "Qlib folder. Its kind is read from `filename`.",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}}
UPLOAD_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}\.(csv|csv\.gz|parquet|zip|tar|tar\.gz|tgz)$"
MAPPING = r"^[^\x00-\x1f:=]{1,64}[:=][a-z][a-z0-9_]{0,31}$"
DATE_FORMAT = r"^(%[YmdyBbj]|[-/._ ])+$"


@router.post("/datasets/{name}/versions", response_model=JobRead, status_code=202, openapi_extra=UPLOAD_BODY,
             responses=problems(*AUTHED, 404, 413))
async def ingest_version(
    request: Request,
    user: StreamingResearcher,
    settings: SettingsDep,
    name: Annotated[str, PathParam(pattern=NAME, description="Dataset name; the upload becomes its next version.")],
    filename: Annotated[str, Query(pattern=UPLOAD_NAME, description=(
        "The upload's file name: its ending says how to read it; a single per-instrument file's stem is its symbol."))],
    mapping: Annotated[list[Annotated[str, StringConstraints(pattern=MAPPING)]], Query(
        alias="map", max_length=64, description=(
            "Column mapping `source:ours` (or `source=ours`), e.g. `trade_date:date`, `ts_code:symbol`, "
            "`vol:volume`."))] = [],  # noqa: B006
    benchmark: Annotated[list[Annotated[str, StringConstraints(max_length=32, pattern=SYMBOL_PATTERN)]], Query(
        max_length=16, description="Benchmark index instruments, any spelling.")] = [],  # noqa: B006
    date_format: Annotated[str | None, Query(max_length=32, pattern=DATE_FORMAT, description=(
        "strptime format of the dates, e.g. `%Y%m%d`; detected when left out."))] = None,
    market: Annotated[str, Query(pattern=r"^[A-Za-z0-9_]{1,32}$", description=(
        "Name of the instrument list written besides all.txt."))] = "all",
    prices: Annotated[str, Query(pattern="^(adjusted|raw)$", description=(
        "adjusted: prices are adjusted already; raw: the factor column adjusts them."))] = "adjusted",
    description: Annotated[str, Query(max_length=1024)] = "",
    append: Annotated[bool, Query(description=(
        "Add the upload's days or instruments to the newest version instead of replacing it: the new version holds "
        "both and stores only what changed; a row that would change the base's history is an error."))] = False,
) -> JobRead:
    """Upload market data as the next version of ``name``: the body is the file, streamed (at most
    ``QLP_STORAGE__MAX_UPLOAD_BYTES``: 413 as soon as it passes). Archives are unpacked here, safely: members
    with absolute paths or ``..``, links, devices, too many members or a zip bomb are refused (422, with the reason). A
    worker then reads, validates and writes it (an ``ingest`` job, answered at once): when it succeeds, its
    ``dataset_id`` is the new version with its validation report; when the report has errors, the job fails naming
    them and nothing is registered."""
    options = ingest.ingest_options(name, filename, mapping, benchmark, date_format, market, prices, description)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/octet-stream":
        raise Refused("send the file as the body, with Content-Type: application/octet-stream")
    base = await to_thread.run_sync(ingest.append_base, settings, name) if append else None
    received = await uploads.receive(request, settings)
    return await to_thread.run_sync(ingest.queue_ingest, settings, user, options, received, base)


@router.get("/datasets/{dataset_id}", response_model=DatasetRead, responses=problems(*AUTHED, 404))
def get_dataset(dataset_id: RowId, _: CurrentUser, session: SessionDep) -> DatasetRead:
    return DatasetRead.model_validate(service.get_or_404(session, dataset_id))


@router.post("/datasets/{dataset_id}/archive", response_model=DatasetRead, responses=problems(*AUTHED, 404))
def archive_dataset(dataset_id: RowId, user: AdminUser, session: SessionDep) -> DatasetRead:
    """Archive a version (admin): no new job may train on it or append to it; runs that used it keep it, its files
    and its place in the store. Archiving again changes nothing."""
    return DatasetRead.model_validate(service.archive(session, service.get_or_404(session, dataset_id)))


@router.get("/datasets/{dataset_id}/instruments", response_model=list[InstrumentRead],
            responses=problems(*AUTHED, 404, 410))
def list_instruments(
    dataset_id: RowId,
    _: CurrentUser,
    session: SessionDep,
    market: Annotated[str, Query(pattern=NAME, description="One of the version's markets.")] = "all",
    q: Annotated[str | None, Query(max_length=64, description="Symbol prefix, any case.")] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[InstrumentRead]:
    """The instruments of one market of a dataset version, as its instrument list holds them (file order)."""
    return browse.instruments(service.get_or_404(session, dataset_id), market, q, limit, offset)


@router.get("/datasets/{dataset_id}/calendar", response_model=CalendarRead, responses=problems(*AUTHED, 404, 410))
def get_calendar(dataset_id: RowId, _: CurrentUser, session: SessionDep, start: Start = None,
                 end: End = None) -> CalendarRead:
    """The version's trading days from ``start`` to ``end``; 422 when start is after end."""
    return browse.calendar(service.get_or_404(session, dataset_id), start, end)


@router.get("/datasets/{dataset_id}/bars", response_model=BarsRead, responses=problems(*AUTHED, 404, 410))
def get_bars(
    dataset_id: RowId,
    _: CurrentUser,
    session: SessionDep,
    symbol: Annotated[str, Query(max_length=64, pattern=SYMBOL_PATTERN,
                                 description="An instrument of one of the version's markets (any case).")],
    start: Start = None,
    end: End = None,
    adjust: Annotated[browse.Adjust, Query(description=(
        "adjusted: as Qlib stores them (prices × factor, volume ÷ factor); raw: prices ÷ factor, volume × factor."
    ))] = "adjusted",
) -> BarsRead:
    """Daily open, high, low, close, volume and factor of one instrument, within its listing. Without ``start`` the
    last 5,000 trading days to ``end``; a window of more than 5,000 bars is refused (422): narrow it. 404 for an
    instrument the version does not list, 410 when its files are gone."""
    return browse.bars(service.get_or_404(session, dataset_id), symbol, start, end, adjust)


@internal.get("/{dataset_id}/locations")
def dataset_locations(dataset_id: int, _: TrainerAuth, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    """Where a worker on another host fetches a version: its manifest and packs in the store (presigned URLs of
    the S3 store; the store route below for a folder store). Versions older than the store are stored first."""
    ds = service.get_or_404(session, dataset_id)
    versions.ensure_stored(session, settings, ds)
    return versions.locations(settings, ds)


HEX_KEY = r"^[0-9a-f]{64}$"


def _feature_object(key: str) -> str:
    return f"features/{key}.tar"


@features_internal.get("/{key}")
def feature_entry(key: Annotated[str, PathParam(pattern=HEX_KEY)], _: TrainerAuth,
                  settings: SettingsDep) -> dict[str, str]:
    """Where a worker fetches the feature-cache entry another host published for ``key`` (404: none is)."""
    store = open_store(settings)
    obj = _feature_object(key)
    if not store.exists(obj):
        raise NotFound(f"no feature cache entry {key[:12]}… is published")
    return {"url": store.presigned_url(obj) or f"{versions.STORE_ROUTE}{obj}"}


@features_internal.post("/{key}")
def publish_feature_entry(key: Annotated[str, PathParam(pattern=HEX_KEY)], _: TrainerAuth,
                          settings: SettingsDep) -> dict[str, str]:
    """Where a worker PUTs the feature-cache entry it computed for ``key`` (409 when one is published already)."""
    store = open_store(settings)
    obj = _feature_object(key)
    if store.exists(obj):
        raise Conflict(f"feature cache entry {key[:12]}… is published already")
    return {"url": store.presigned_put(obj) or f"{versions.STORE_ROUTE}{obj}", "method": "PUT"}


store_internal = APIRouter(prefix="/api/internal/store", tags=["trainer protocol"], include_in_schema=False)
RANKS_KEY = r"factor-ranks/[0-9a-f]{64}/f[0-9]{1,10}-j[0-9]{1,12}\.tar"
STORE_KEY = rf"^(packs/[0-9a-f]{{64}}|manifests/[0-9a-f]{{64}}\.json|features/[0-9a-f]{{64}}\.tar|{RANKS_KEY})$"
#: what a worker may put into a folder store: a feature-cache entry, a factor's ranks
PUT_KEY = rf"^(features/[0-9a-f]{{64}}\.tar|{RANKS_KEY})$"


@store_internal.put("/{key:path}", status_code=201)
async def put_store_object(request: Request, key: Annotated[str, PathParam(pattern=PUT_KEY)], _: TrainerAuth,
                           settings: SettingsDep) -> dict[str, int]:
    """A feature-cache entry or a factor's ranks into a folder store (an S3 store hands out presigned PUT URLs
    instead and answers 404 here); at most ``QLP_WORKER__FEATURE_CACHE_MAX_BYTES`` (413 past it)."""
    store = open_store(settings)
    if not isinstance(store, FolderStore):
        raise NotFound("this store takes objects by presigned URL")
    if store.local_path(key) is not None:
        raise Conflict(f"{key} is stored already")
    received = await uploads.receive(request, settings, limit=settings.worker.feature_cache_max_bytes)
    await to_thread.run_sync(store.put_file, key, received.path)
    return {"bytes": received.size}


@store_internal.get("/{key:path}")
def store_object(key: Annotated[str, PathParam(pattern=STORE_KEY)], _: TrainerAuth,
                 settings: SettingsDep) -> FileResponse:
    """An object of a folder store, for workers that do not share the API's disk (an S3 store hands out presigned
    URLs instead and answers 404 here)."""
    path = open_store(settings).local_path(key)
    if path is None:
        raise NotFound(f"no object {key} in the dataset store")
    return FileResponse(path, media_type="application/octet-stream")
