"""Request and response models of the configs domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


class ConfigCheckRequest(JsonBody):
    """A workflow config to vet as a job submitted with it would be, without storing or running anything."""

    text: str = Field(max_length=MAX_CONFIG, description="qrun-format YAML.")
    overrides: dict[str, Any] = Field(default_factory=dict, max_length=200,
                                      description="Dotted-path overrides, as a job takes them.")


class ConfigIssue(BaseModel):
    message: str = Field(description="Why the config is refused.")
    line: int | None = Field(description="1-based line in ``text``; null when the text does not hold it.")
    column: int | None = Field(description="1-based column in ``text``; null when the text does not hold it.")
    path: str | None = Field(description="Dotted path of the refused key or value (list items by index), if known.")


class ConfigCheck(BaseModel):
    valid: bool
    errors: list[ConfigIssue] = Field(description="Empty when valid; the vetting stops at the first refusal.")
