"""A workflow that names a factor set as its data handler: the set's factor versions filled into the handler's
kwargs when the job is submitted (overrides the job stores), so the run trains on, and records, exactly those."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from platform_api.domain_errors import NotFound, Refused
from platform_api.factors import repository as repo
from platform_api.factors.models import FactorSet
from qlp_core.workflow_config import FACTOR_SET_HANDLER

HANDLER_PATH = "task.dataset.kwargs.handler"
_SET_REF = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_.-]{0,63}?)(?:@v(?P<version>\d{1,9}))?$")


def _handler(config: dict[str, Any]) -> dict[str, Any] | None:
    node: Any = config
    for part in HANDLER_PATH.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def factor_set_overrides(session: Session, config: dict[str, Any]) -> tuple[FactorSet | None, dict[str, Any]]:
    """The factor set a vetted config's handler names and the overrides that fill it in (none when the handler is
    not the factor-set handler). ``factor_set`` is ``name`` (the newest version) or ``name@vN``."""
    handler = _handler(config)
    if handler is None or (handler.get("module_path"), handler.get("class")) != FACTOR_SET_HANDLER:
        return None, {}
    ref = (handler.get("kwargs") or {}).get("factor_set")
    m = _SET_REF.match(ref) if isinstance(ref, str) else None
    if m is None:
        raise Refused(f"{HANDLER_PATH}.kwargs.factor_set must name a factor set as name or name@vN")
    version = int(m["version"]) if m["version"] else None
    fs = repo.set_by_name(session, m["name"], version)
    if fs is None:
        raise NotFound(f"no factor set {ref}")
    versions = repo.versions_by_id(session, fs.factor_version_ids)
    factors = [[f"{versions[i].factor.name}@v{versions[i].version}", versions[i].expression]
               for i in fs.factor_version_ids if i in versions]
    kw = f"{HANDLER_PATH}.kwargs"
    return fs, {f"{kw}.factor_set": f"{fs.name}@v{fs.version}", f"{kw}.factors": factors,
                f"{kw}.include_alpha158": fs.include_alpha158}
