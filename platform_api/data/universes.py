"""Universes of a dataset version: the job that writes one more instrument list (a rule's or given members) as the
next version, and the version's instrument lists (markets) as its folder holds them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.data import repository as repo
from platform_api.data.models import Dataset
from platform_api.domain_errors import Gone, Refused
from platform_api.jobs.models import Job
from platform_api.jobs.submit import submit_universe
from qlp_core.json_body import JsonBody
from qlp_core.protocol import (
    MAX_MEMBERS,
    RESERVED_MARKETS,
    SYMBOL,
    DatasetRef,
    Member,
    TopTradedRule,
    UniversePayload,
)
from qlp_core.qlib_data import SYMBOL_PATTERN, QlibFolderError, read_instruments
from qlp_core.settings import Settings

#: Member rows a refusal names before it counts the rest.
MAX_NAMED = 10
#: How far back through universe versions a market's origin is looked for.
MAX_HOPS = 64


class UniverseCreate(JsonBody):
    """A universe: a market chosen by a rule (``rule``) or given as its members (``members``): exactly one of them."""

    # what ``_one_source`` checks, stated in the schema: one of these shapes
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"title": "chosen by a rule", "required": ["rule"], "properties": {
            "rule": {"type": "object"}, "members": {"type": "null"}}},
        {"title": "given members", "required": ["members"], "properties": {
            "rule": {"type": "null"}, "members": {"type": "array"}}},
    ]})

    market: str = Field(pattern=SYMBOL, description=(
        "Name of the instrument list written, lower-cased (Qlib reads instruments/<market in lower case>.txt); not "
        "`all` or `index`. A market of that name in the base version is replaced."))
    description: str = Field("", max_length=1024, description="The new version's description; one is made when empty.")
    rule: TopTradedRule | None = None
    members: list[Member] | None = Field(None, min_length=1, max_length=MAX_MEMBERS, description=(
        "Member rows: symbol (any spelling the ingest takes: 600000.SH, sh600000), first and last day. The job refuses "
        "symbols the version does not list, naming them; rows are clipped to each instrument's listing."))

    @model_validator(mode="after")
    def _one_source(self) -> UniverseCreate:
        if (self.rule is None) == (self.members is None):
            raise ValueError("give exactly one of rule and members")
        return self


class MarketRead(BaseModel):
    """One instrument list of a version."""

    name: str
    instruments: int = Field(description="Distinct instruments.")
    lines: int = Field(description="Rows: an instrument listed over several stretches has several.")
    first_day: date | None
    last_day: date | None
    source: Literal["rule", "upload"] | None = Field(None, description=(
        "How a universe job made it: rule (top traded) or upload (given members); null when not known."))


def _refuse_members(members: list[Member]) -> None:
    reversed_rows = [f"row {i} ({m.symbol}): {m.start}..{m.end}" for i, m in enumerate(members, start=1)
                     if m.start > m.end]
    if reversed_rows:
        more = f" (+{len(reversed_rows) - MAX_NAMED} more)" if len(reversed_rows) > MAX_NAMED else ""
        raise Refused(f"{len(reversed_rows)} member rows end before they start: "
                      + ", ".join(reversed_rows[:MAX_NAMED]) + more)


def _description(ds: Dataset, body: UniverseCreate, market: str) -> str:
    if body.description:
        return body.description
    on = f"{ds.name}@v{ds.version}"
    if body.rule is not None:
        return (f"{on} + market {market}: the top {body.rule.n} by mean traded value over {body.rule.window} "
                f"trading days, rebalanced {body.rule.rebalance}")
    return f"{on} + market {market}: {len(body.members or [])} given member rows"


def create_universe(session: Session, settings: Settings, user: Principal, ds: Dataset,
                    body: UniverseCreate) -> Job:
    """Queue the job that writes ``ds`` plus the market of ``body`` as the next version of ``ds``'s name. What the
    schema cannot state is refused here (422): a reserved market name, min_days above the window, rows that end before
    they start, an archived base; symbols are the job's to check (it fails naming the unknown ones)."""
    if getattr(ds, "archived_at", None) is not None:
        raise Refused(f"dataset {ds.name}@v{ds.version} is archived: build a universe on a version in use")
    market = body.market.lower()  # Qlib opens instruments/<market, lower-cased>.txt
    if market in RESERVED_MARKETS:
        raise Refused(f"market {body.market!r} is reserved: a universe is a market of its own, not all or index")
    rule = body.rule
    if rule is not None and rule.min_days is not None and rule.min_days > rule.window:
        raise Refused(f"min_days {rule.min_days} is more than the window of {rule.window} trading days")
    if body.members is not None:
        _refuse_members(body.members)
    if not Path(ds.path).is_dir():
        raise Gone(f"the files of dataset {ds.name}@v{ds.version} are gone from {ds.path}")
    payload = UniversePayload(
        dataset=DatasetRef(id=ds.id, name=ds.name, version=ds.version, path=ds.path, hash=ds.content_hash),
        market=market, description=_description(ds, body, market), rule=rule, members=body.members)
    return submit_universe(session, settings, user, payload)


def _origins(session: Session, ds: Dataset) -> dict[str, Literal["rule", "upload"]]:
    """Market → how a universe job made it, walking back from ``ds`` through the universe versions it was built on
    (each one is its base plus one market: the newest naming a market made it)."""
    out: dict[str, Literal["rule", "upload"]] = {}
    row: Dataset | None = ds
    for _ in range(MAX_HOPS):
        source: dict[str, Any] = (row.source or {}) if row is not None else {}
        if row is None or source.get("kind") != "universe":
            break
        market = source.get("market")
        if isinstance(market, str):
            out.setdefault(market, "rule" if "rule" in source else "upload")
        base = source.get("base")
        row = repo.get(session, base) if isinstance(base, int) else None
    return out


def markets(session: Session, ds: Dataset) -> list[MarketRead]:
    """Every instrument list of the version's folder (instruments/*.txt), by name."""
    root = Path(ds.path)
    if not root.is_dir():
        raise Gone(f"the files of dataset {ds.name}@v{ds.version} are gone from {ds.path}")
    origins = _origins(session, ds)
    out = []
    for path in sorted((root / "instruments").glob("*.txt")):
        if not re.fullmatch(SYMBOL_PATTERN, path.stem):
            continue  # no market name Qlib could be given
        try:
            rows = read_instruments(root, path.stem)
        except QlibFolderError as exc:
            raise Gone(f"the files of dataset {ds.name}@v{ds.version} are damaged: {exc}") from exc
        out.append(MarketRead(
            name=path.stem, instruments=len({r.symbol for r in rows}), lines=len(rows),
            first_day=min((r.start for r in rows), default=None), last_day=max((r.end for r in rows), default=None),
            source=origins.get(path.stem)))
    return out
