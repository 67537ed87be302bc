"""Dataset versions: register a Qlib folder (an import, or what a worker's job produced), hash it, freeze it, and
record it. Nothing here computes market data: generating one is a worker's job."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.data import repository as repo
from platform_api.data import versions
from platform_api.data.models import Dataset
from platform_api.data.schemas import FolderSource
from platform_api.data.store import StoreError
from platform_api.db import utcnow
from platform_api.domain_errors import Conflict, Forbidden, NotFound, Refused, Unavailable
from qlp_core.qlib_data import QlibFolderError, content_hash, describe_folder, make_read_only
from qlp_core.settings import Settings


def scratch_folder(settings: Settings) -> Path:
    """A fresh folder beside the versions (same file system: moving it into place is a rename)."""
    base = settings.storage.datasets_dir
    assert base is not None
    base.mkdir(parents=True, exist_ok=True)
    return base / f".tmp-{uuid.uuid4().hex}"


def _copy_import(settings: Settings, src: FolderSource, user: Principal, into: Path) -> dict[str, Any]:
    if not user.at_least("admin"):
        raise Forbidden("only an admin may register a server folder")
    root = settings.storage.import_dir
    assert root is not None
    raw = Path(src.path)
    if ".." in raw.parts or "\\" in src.path or src.path.startswith("file:"):
        raise Refused("path must not contain '..', backslashes or a URI scheme")
    if not src.path.isprintable():
        raise Refused("path must be printable text (no control characters, no lone surrogates)")
    candidate = (raw if raw.is_absolute() else root / raw).resolve()
    if not candidate.is_relative_to(root):
        raise Refused(f"path must be inside the import folder {root}")
    if not candidate.is_dir():
        raise Refused("path is not a folder")
    shutil.copytree(candidate, into, symlinks=False)
    for p in into.rglob("*"):
        if p.is_symlink():
            raise Refused("the folder contains symbolic links")
    return {"kind": "folder", "path": str(candidate)}


def import_folder(session: Session, settings: Settings, src: FolderSource, user: Principal, name: str,
                  description: str) -> tuple[Dataset, bool]:
    """Register a copy of a Qlib folder below the import folder (admin only); returns (dataset, created)."""
    tmp = scratch_folder(settings)
    try:
        source = _copy_import(settings, src, user, tmp)
        return register_folder(session, settings, tmp, name=name, description=description, source=source,
                               user_id=user.id)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def register_folder(session: Session, settings: Settings, folder: Path, *, name: str, description: str,
                    source: dict[str, Any], user_id: int | None, expected_hash: str | None = None,
                    validation: dict[str, Any] | None = None, base_id: int | None = None) -> tuple[Dataset, bool]:
    """Check ``folder`` is a Qlib data folder, hash it, and move it into place as the next version of ``name``
    (read-only from then on), with its ingest's ``validation`` report, stored against version ``base_id`` (an
    append's or a universe's base; default: the newest). The same content under the same name is the version already
    there (left as it was)."""
    try:
        info = describe_folder(folder)
    except QlibFolderError as exc:
        raise Refused(f"not a Qlib data folder: {exc}") from exc
    digest = content_hash(folder)
    if expected_hash is not None and digest != expected_hash:
        raise Refused(f"the folder arrived with hash {digest[:12]}…, expected {expected_hash[:12]}…")
    existing = repo.find_by_hash(session, name, digest)
    if existing is not None:
        return existing, False
    base = settings.storage.datasets_dir
    assert base is not None
    version = repo.latest_version(session, name) + 1
    final = base / name / f"v{version}"
    if final.exists():
        raise Conflict(f"dataset folder {name}/v{version} exists already")
    ds = Dataset(
        name=name, version=version, path=str(final), content_hash=digest, source=source,
        instruments=info.instruments, markets=info.markets, benchmarks=info.benchmarks, fields=info.fields,
        freq=info.freq, calendar_start=info.calendar_start, calendar_end=info.calendar_end,
        size_bytes=info.size_bytes, description=description, created_by=user_id, validation=validation,
    )
    try:
        # stored before the move: a failure leaves nothing in place
        versions.store_version(session, settings, ds, folder, base_id)
    except StoreError as exc:
        raise Unavailable(f"the dataset store refused version {name}@v{version}: {exc}") from exc
    final.parent.mkdir(parents=True, exist_ok=True)
    folder.rename(final)
    make_read_only(final)
    return repo.add(session, ds), True


def get_or_404(session: Session, dataset_id: int) -> Dataset:
    ds = repo.get(session, dataset_id)
    if ds is None:
        raise NotFound("no such dataset")
    return ds


def archive(session: Session, ds: Dataset) -> Dataset:
    if ds.archived_at is None:
        ds.archived_at = utcnow()
    return ds


def usable(session: Session, dataset_id: int) -> Dataset:
    """A version a new job may use: 404 when there is none, 422 when it is archived."""
    ds = get_or_404(session, dataset_id)
    if ds.archived_at is not None:
        raise Refused(f"{ds.name}@v{ds.version} is archived: new jobs may not use it")
    return ds
