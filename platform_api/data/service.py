"""Dataset versions: build or import a Qlib folder, hash it, freeze it, and record it."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from fastapi import HTTPException
from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.data import repository as repo
from platform_api.data.models import Dataset
from platform_api.data.schemas import DatasetCreate, FolderSource, SyntheticSource
from qlp_core.qlib_data import QlibFolderError, content_hash, describe_folder, make_read_only
from qlp_core.settings import Settings
from trainers.market import generate_market


def _import_folder(settings: Settings, src: FolderSource, user: Principal, into: Path) -> dict[str, object]:
    if not user.at_least("admin"):
        raise HTTPException(403, "only an admin may register a server folder")
    root = settings.storage.import_dir
    assert root is not None
    raw = Path(src.path)
    if ".." in raw.parts or "\\" in src.path or src.path.startswith("file:"):
        raise HTTPException(422, "path must not contain '..', backslashes or a URI scheme")
    candidate = (raw if raw.is_absolute() else root / raw).resolve()
    if not candidate.is_relative_to(root):
        raise HTTPException(422, f"path must be inside the import folder {root}")
    if not candidate.is_dir():
        raise HTTPException(422, "path is not a folder")
    shutil.copytree(candidate, into, symlinks=False)
    for p in into.rglob("*"):
        if p.is_symlink():
            raise HTTPException(422, "the folder contains symbolic links")
    return {"kind": "folder", "path": str(candidate)}


def create(session: Session, settings: Settings, data: DatasetCreate, user: Principal) -> tuple[Dataset, bool]:
    """Build the version in a temporary folder, then move it into place; returns (dataset, created)."""
    base = settings.storage.datasets_dir
    assert base is not None
    tmp = base / f".tmp-{uuid.uuid4().hex}"
    base.mkdir(parents=True, exist_ok=True)
    try:
        if isinstance(data.source, SyntheticSource):
            s = data.source
            source: dict[str, object] = generate_market(
                tmp,
                n_instruments=s.n_instruments,
                years=s.years,
                seed=s.seed,
                start=s.start.isoformat(),
                market=s.market,
                benchmark=s.benchmark,
            )
        else:
            source = _import_folder(settings, data.source, user, tmp)
        try:
            info = describe_folder(tmp)
        except QlibFolderError as exc:
            raise HTTPException(422, f"not a Qlib data folder: {exc}") from exc
        digest = content_hash(tmp)
        existing = repo.find_by_hash(session, data.name, digest)
        if existing is not None:
            return existing, False
        version = repo.latest_version(session, data.name) + 1
        final = base / data.name / f"v{version}"
        if final.exists():
            raise HTTPException(409, f"dataset folder {data.name}/v{version} exists already")
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(final)
        make_read_only(final)
        ds = Dataset(
            name=data.name,
            version=version,
            path=str(final),
            content_hash=digest,
            source=source,
            instruments=info.instruments,
            markets=info.markets,
            benchmarks=info.benchmarks,
            fields=info.fields,
            freq=info.freq,
            calendar_start=info.calendar_start,
            calendar_end=info.calendar_end,
            size_bytes=info.size_bytes,
            description=data.description,
            created_by=user.id,
        )
        return repo.add(session, ds), True
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def get_or_404(session: Session, dataset_id: int) -> Dataset:
    ds = repo.get(session, dataset_id)
    if ds is None:
        raise HTTPException(404, "no such dataset")
    return ds
