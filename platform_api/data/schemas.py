"""Request and response models of the data domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qlp_core.json_body import JsonBody
from qlp_core.protocol import NAME


class FolderSource(BaseModel):
    """Register a Qlib data folder already on the server, below the configured import folder (admin only)."""

    kind: Literal["folder"] = "folder"
    path: str = Field(min_length=1, max_length=1024)


class DatasetCreate(JsonBody):
    name: str = Field(pattern=NAME)
    description: str = Field("", max_length=1024)
    source: FolderSource


class ProblemRead(BaseModel):
    """One problem the validation found: its check, instrument (None for the whole market) and dates."""

    check: str
    symbol: str | None = None
    first: date | None = None
    last: date | None = None
    dates: list[date] = Field(default_factory=list)
    count: int = 0
    message: str


class ValidationRead(BaseModel):
    """The validation report of an ingest: errors reject a version, warnings stay with it."""

    errors: list[ProblemRead] = Field(default_factory=list)
    warnings: list[ProblemRead] = Field(default_factory=list)
    omitted: dict[str, int] = Field(default_factory=dict, description="Problems past the cap, per level/check.")
    instruments: int = 0
    benchmarks: list[str] = Field(default_factory=list)
    rows: int = 0
    days: int = 0
    first_day: date | None = None
    last_day: date | None = None
    fields: list[str] = Field(default_factory=list)
    config: dict[str, Any] = Field(default_factory=dict, description="The thresholds the checks ran under.")


class DatasetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    version: int
    content_hash: str
    source: dict[str, Any]
    instruments: int
    markets: list[str]
    benchmarks: list[str]
    fields: list[str]
    freq: str
    calendar_start: date
    calendar_end: date
    size_bytes: int
    description: str
    created_by: int | None
    created_at: datetime
    validation: ValidationRead | None = Field(None, description="The ingest's validation report; None for versions "
                                              "not ingested (generated, imported).")
    stored_bytes: int | None = Field(None, description="Bytes this version added to the dataset store: only what no "
                                     "earlier version of the name holds (None until stored).")
    base_id: int | None = Field(None, description="The version this one was built on (what `changes` compares with).")
    changes: ChangesRead | None = None
    archived_at: datetime | None = Field(None, description="When it was archived: no new job may use it; runs that "
                                         "used it keep it.")


class ChangesRead(BaseModel):
    """What a version changed against its base version: files by fate, and the days and instruments it added."""

    added: int = 0
    unchanged: int = 0
    appended: int = Field(0, description="Files that grew: only their new tail is stored.")
    rewritten: int = 0
    removed: int = 0
    days_added: int = 0
    first_new_day: date | None = None
    instruments_added: list[str] = Field(default_factory=list)
    instruments_removed: list[str] = Field(default_factory=list)
    markets_added: list[str] = Field(default_factory=list)


class InstrumentRead(BaseModel):
    symbol: str
    start: date = Field(description="First day listed.")
    end: date = Field(description="Last day listed.")


class CalendarRead(BaseModel):
    dates: list[date] = Field(description="Trading days of the dataset's calendar, oldest first.")


class BarsRead(BaseModel):
    """Daily bars of one instrument: every list has one entry per date; null where the data holds no value."""

    symbol: str
    adjust: Literal["adjusted", "raw"] = Field(description=(
        "adjusted: as Qlib stores them (prices × factor, volume ÷ factor); raw: as traded (prices ÷ factor, "
        "volume × factor)."))
    dates: list[date]
    open: list[float | None]
    high: list[float | None]
    low: list[float | None]
    close: list[float | None]
    volume: list[float | None]
    factor: list[float | None] = Field(description="Qlib's adjustment factor: adjusted price ÷ raw price.")
