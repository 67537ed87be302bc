"""The trainer protocol's routes under /api/internal (trainer token only; not in the public schema): thin, typed by
``qlp_core.protocol``."""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from platform_api.data.schemas import ValidationRead
from platform_api.data.service import scratch_folder
from platform_api.db import session_scope
from platform_api.deps import SessionDep, SettingsDep, TrainerAuth
from platform_api.domain_errors import Refused, TooLarge
from platform_api.jobs import protocol as service
from platform_api.jobs import repository as repo
from qlp_core.protocol import (
    HEX,
    UPLOAD_HASH_HEADER,
    VALIDATION_MEMBER,
    ClaimRequest,
    DatasetRegistered,
    FinishRequest,
    HeartbeatResponse,
    JobEnded,
    JobSpec,
    LogBatch,
    LogsStored,
    RunInfo,
    WorkerHeartbeat,
    WorkerRef,
)
from qlp_core.qlib_data import extract_tar, make_writable, tar_stream
from qlp_core.settings import Settings

internal = APIRouter(prefix="/api/internal", tags=["trainer protocol"], include_in_schema=False)
MAX_DATASET_UPLOAD = 8 * 1024**3
MAX_REPORT = 8 * 1024**2


@internal.post("/jobs/{job_id}/claim", response_model=JobSpec)
def claim(job_id: int, body: ClaimRequest, _: TrainerAuth, session: SessionDep, settings: SettingsDep) -> JobSpec:
    return service.claim(session, settings, job_id, body.worker)


@internal.post("/jobs/{job_id}/heartbeat", response_model=HeartbeatResponse)
def heartbeat(job_id: int, body: WorkerRef, _: TrainerAuth, session: SessionDep) -> HeartbeatResponse:
    return service.heartbeat(session, job_id, body.worker)


@internal.post("/jobs/{job_id}/logs", response_model=LogsStored)
def append_logs(job_id: int, body: LogBatch, _: TrainerAuth, session: SessionDep) -> LogsStored:
    return LogsStored(stored=service.append_logs(session, job_id, body))


@internal.post("/jobs/{job_id}/run", status_code=204)
def set_run(job_id: int, body: RunInfo, _: TrainerAuth, session: SessionDep) -> None:
    service.set_run(session, job_id, body)


@internal.put("/jobs/{job_id}/dataset", response_model=DatasetRegistered)
async def upload_dataset(job_id: int, request: Request, _: TrainerAuth, settings: SettingsDep,
                         worker: str = Query(min_length=1, max_length=255)) -> DatasetRegistered:
    """The dataset version a job produced, as a tar stream with its content hash in a header."""
    digest = request.headers.get(UPLOAD_HASH_HEADER, "")
    if not re.fullmatch(HEX, digest):
        raise Refused(f"{UPLOAD_HASH_HEADER} must be the folder's sha256 content hash")
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024**2) as spool:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_DATASET_UPLOAD:
                raise TooLarge(f"a dataset upload may be at most {MAX_DATASET_UPLOAD} bytes")
            spool.write(chunk)
        spool.seek(0)
        return await to_thread.run_sync(_register_upload, settings, job_id, worker, spool, digest)


def _validation_of(folder: Path) -> dict[str, Any] | None:
    """Take the validation report out of an uploaded folder (it travels beside the version, not in it)."""
    path = folder / VALIDATION_MEMBER
    if not path.is_file():
        shutil.rmtree(path.parent, ignore_errors=True)
        return None
    if path.stat().st_size > MAX_REPORT:
        raise TooLarge(f"a validation report may be at most {MAX_REPORT} bytes")
    try:
        report = ValidationRead.model_validate_json(path.read_bytes()).model_dump(mode="json")
    except ValidationError as exc:
        raise Refused(f"the validation report does not match its schema: {exc.errors()[0]['msg']}") from None
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return report


def _register_upload(settings: Settings, job_id: int, worker: str, archive: IO[bytes], digest: str
                     ) -> DatasetRegistered:
    folder = scratch_folder(settings)
    try:
        try:
            extract_tar(archive, folder)
        except (tarfile.TarError, EOFError) as exc:
            raise Refused(f"the upload is not a tar stream of a folder ({exc})") from None
        validation = _validation_of(folder)
        assert settings.db.url is not None
        with session_scope(settings.db.url) as session:
            ds, created = service.register_dataset(session, settings, job_id, worker, folder, digest, validation)
            return DatasetRegistered(dataset_id=ds.id, name=ds.name, version=ds.version,
                                     content_hash=ds.content_hash, created=created)
    finally:
        if folder.exists():
            make_writable(folder)
            shutil.rmtree(folder, ignore_errors=True)


@internal.get("/jobs/{job_id}/upload")
def job_upload(job_id: int, _: TrainerAuth, session: SessionDep, settings: SettingsDep,
               worker: str = Query(min_length=1, max_length=255)) -> StreamingResponse:
    """The unpacked upload of an ingest job as a tar stream, for the worker running it (on a host without the API's
    disk)."""
    return StreamingResponse(tar_stream(service.upload_of(session, settings, job_id, worker)),
                             media_type="application/x-tar")


@internal.post("/jobs/{job_id}/finish", response_model=JobEnded)
def finish(job_id: int, body: FinishRequest, _: TrainerAuth, session: SessionDep) -> JobEnded:
    job = service.finish(session, job_id, body)
    return JobEnded.model_validate({"job_id": job.id, "state": job.state})


@internal.post("/workers/heartbeat", status_code=204)
def worker_heartbeat(body: WorkerHeartbeat, _: TrainerAuth, session: SessionDep) -> None:
    values = body.model_dump(exclude={"name"})
    repo.upsert_worker(session, body.name, values, datetime.now(UTC))
