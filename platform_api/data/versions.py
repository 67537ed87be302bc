"""Dataset versions in the store: a registered version's packs and manifest written (only what its base version does
not hold), what changed against that base, and where a worker fetches each object from."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.data.models import Dataset
from platform_api.data.store import ObjectStore, open_store
from platform_api.domain_errors import Gone
from qlp_core.packs import Manifest, build, manifest_key, pack_key
from qlp_core.qlib_data import QlibFolderError, read_calendar, read_instruments
from qlp_core.settings import Settings

#: Where a worker fetches an object through the API when the store has no URLs of its own (a folder store).
STORE_ROUTE = "/api/internal/store/"


def base_of(session: Session, name: str, before: int | None = None) -> Dataset | None:
    """The newest stored version of ``name`` (below version ``before`` when given)."""
    q = select(Dataset).where(Dataset.name == name, Dataset.packs.is_not(None))
    if before is not None:
        q = q.where(Dataset.version < before)
    return session.scalar(q.order_by(Dataset.version.desc()).limit(1))


def read_manifest(store: ObjectStore, ds: Dataset) -> Manifest | None:
    raw = store.get_bytes(manifest_key(ds.content_hash))
    return Manifest.model_validate_json(raw) if raw is not None else None


def _changes(folder: Path, base_folder: Path | None, counts: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = dict(counts)
    if base_folder is None or not base_folder.is_dir():
        return out
    try:
        days, old_days = read_calendar(folder), read_calendar(base_folder)
        if days[: len(old_days)] == old_days and len(days) > len(old_days):
            out["days_added"] = len(days) - len(old_days)
            out["first_new_day"] = days[len(old_days)].isoformat()
        now = {r.symbol for r in read_instruments(folder, "all")}
        before = {r.symbol for r in read_instruments(base_folder, "all")}
        out["instruments_added"] = sorted(now - before)[:1000]
        out["instruments_removed"] = sorted(before - now)[:1000]
        markets = {p.stem for p in (folder / "instruments").glob("*.txt")}
        out["markets_added"] = sorted(markets - {p.stem for p in (base_folder / "instruments").glob("*.txt")})
    except QlibFolderError:
        pass
    return out


def store_version(session: Session, settings: Settings, ds: Dataset, folder: Path, base_id: int | None = None) -> None:
    """Write ``ds`` (its files in ``folder``) to the store against version ``base_id`` (default: the newest stored
    earlier version of its name), and record its packs, the bytes it added and what changed."""
    store = open_store(settings)
    base = session.get(Dataset, base_id) if base_id is not None else base_of(session, ds.name, before=ds.version)
    base_manifest = read_manifest(store, base) if base is not None else None
    if base_manifest is None:
        base = None
    assert settings.storage.datasets_dir is not None
    work = settings.storage.datasets_dir / f".packs-{uuid.uuid4().hex}"
    try:
        delta = build(folder, ds.content_hash, work, base_manifest, pack_bytes=settings.storage.pack_bytes)
        stored = delta.stored_bytes
        for pack in delta.new_packs:
            if not store.exists(pack_key(pack.name)):
                store.put_file(pack_key(pack.name), pack)
        store.put_bytes(manifest_key(ds.content_hash), delta.manifest.model_dump_json().encode())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ds.packs = sorted(delta.manifest.packs())
    ds.stored_bytes = stored
    ds.base_id = base.id if base is not None else None
    ds.changes = _changes(folder, Path(base.path) if base is not None else None, delta.changes)


def ensure_stored(session: Session, settings: Settings, ds: Dataset) -> None:
    """A version registered before the store existed is stored on first use (from its folder on the API's disk)."""
    if ds.packs is not None and open_store(settings).exists(manifest_key(ds.content_hash)):
        return
    folder = Path(ds.path)
    if not folder.is_dir():
        raise Gone(f"the files of dataset {ds.name}@v{ds.version} are gone from {ds.path}")
    store_version(session, settings, ds, folder)


def locations(settings: Settings, ds: Dataset) -> dict[str, Any]:
    """Where a worker fetches the version's manifest and packs: presigned URLs of the S3 store (valid for
    ``presign_expiry_s``), else the API's store route (a relative URL)."""
    store = open_store(settings)

    def url(key: str) -> str:
        return store.presigned_url(key) or f"{STORE_ROUTE}{key}"

    return {"content_hash": ds.content_hash, "manifest": url(manifest_key(ds.content_hash)),
            "packs": {sha: url(pack_key(sha)) for sha in ds.packs or []}}
