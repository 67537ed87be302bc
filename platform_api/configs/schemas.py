"""Request and response models of the configs domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from qlp_core.json_body import JsonBody
from qlp_core.protocol import MAX_CONFIG


class ConfigCreate(JsonBody):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
    description: str = Field("", max_length=1024)
    text: str = Field(min_length=1, max_length=MAX_CONFIG)


class ConfigRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    description: str
    content_hash: str
    created_by: int | None
    created_at: datetime


class ConfigDetail(ConfigRead):
    text: str
