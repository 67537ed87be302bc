"""Ingesting an upload as the next version of a dataset: the options checked, the upload stored, the job queued."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from platform_api.auth.principal import Principal
from platform_api.data import repository as repo
from platform_api.data.uploads import Received, store
from platform_api.db import session_scope
from platform_api.domain_errors import NotFound, Refused
from platform_api.jobs.schemas import JobRead
from platform_api.jobs.submit import submit_ingest, to_read
from qlp_core.protocol import DatasetRef, IngestPayload
from qlp_core.settings import Settings

#: Our names a column may be mapped to besides the fields.
KEYS = ("date", "symbol")


def ingest_options(name: str, filename: str, mapping: list[str], benchmarks: list[str], date_format: str | None,
                   market: str, prices: str, description: str) -> IngestPayload:
    """The job's payload without its upload yet; a mapping that maps one source twice or two sources to one of ours,
    or the market ``index`` (the benchmarks' list), is refused with the reason."""
    columns: dict[str, str] = {}
    for item in mapping:
        sep = ":" if ":" in item else "="
        src, _, ours = item.partition(sep)
        if src in columns:
            raise Refused(f"map: column {src!r} is mapped twice")
        if ours in columns.values():
            raise Refused(f"map: two columns are mapped to {ours!r}")
        columns[src] = ours
    if market == "index":
        raise Refused("market 'index' is the benchmarks' list: choose another name")
    try:
        return IngestPayload(name=name, description=description, upload="0" * 64, path="", filename=filename,
                             columns=columns, benchmarks=list(dict.fromkeys(benchmarks)), date_format=date_format,
                             market=market, prices=prices, base=None)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise Refused(f"ingest options refused: {exc.errors()[0]['msg']}") from None


def append_base(settings: Settings, name: str) -> DatasetRef:
    """The version an append extends: the newest of ``name`` (404 without one, 422 when it is archived)."""
    assert settings.db.url is not None
    with session_scope(settings.db.url) as session:
        base = repo.latest(session, name)
        if base is None:
            raise NotFound(f"dataset {name!r} has no version to append to")
        if base.archived_at is not None:
            raise Refused(f"{base.name}@v{base.version} is archived: nothing may be appended to it")
        return DatasetRef(id=base.id, name=base.name, version=base.version, path=base.path, hash=base.content_hash)


def queue_ingest(settings: Settings, user: Principal, options: IngestPayload, received: Received,
                 base: DatasetRef | None = None) -> JobRead:
    """Unpack the upload (refusals are 422s) and queue its ingest job (sent to a worker after the commit); with
    ``base`` the upload is appended to that version."""
    assert settings.db.url is not None
    key, folder = store(settings, received, options.filename)
    payload = options.model_copy(update={"upload": key, "path": str(Path(folder)), "base": base})
    with session_scope(settings.db.url) as session:
        return to_read(settings, submit_ingest(session, settings, user, payload))
