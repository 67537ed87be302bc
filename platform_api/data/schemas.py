"""Request and response models of the data domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
SYMBOL = r"^[A-Za-z0-9_]{1,32}$"


class SyntheticSource(BaseModel):
    """Generate a market with the platform's synthetic generator (planted, learnable signal)."""

    kind: Literal["synthetic"] = "synthetic"
    n_instruments: int = Field(50, ge=5, le=1000)
    years: float = Field(3, ge=0.5, le=20)
    seed: int = Field(0, ge=0, le=2**31)
    start: date = date(2020, 1, 1)
    market: str = Field("demo", pattern=SYMBOL)
    benchmark: str = Field("DEMOIDX", pattern=SYMBOL)


class FolderSource(BaseModel):
    """Register a Qlib data folder already on the server, below the configured import folder (admin only)."""

    kind: Literal["folder"] = "folder"
    path: str = Field(min_length=1, max_length=1024)


class DatasetCreate(BaseModel):
    name: str = Field(pattern=NAME)
    description: str = Field("", max_length=1024)
    source: Annotated[SyntheticSource | FolderSource, Field(discriminator="kind")]


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
