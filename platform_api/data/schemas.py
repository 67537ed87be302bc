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
