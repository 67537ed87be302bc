"""Request and response models of the jobs domain's public routes (the trainer protocol is ``qlp_core.protocol``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from platform_api.db import MAX_ID
from qlp_core.json_body import JsonBody
from qlp_core.protocol import MAX_CONFIG, LogLine, ProbePayload

QUEUE = r"^[a-z0-9][a-z0-9_-]{0,31}$"
EXPERIMENT = r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$"


class TrainRequest(JsonBody):
    """A training job: a qrun YAML (inline text or a stored config) on a dataset version, with overrides;
    or a probe job that exercises the job path itself (dispatch, workers, logs)."""

    # what ``_consistent`` checks, stated in the schema: one of these shapes
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"title": "workflow from config_text", "required": ["config_text", "dataset_id"], "properties": {
            "kind": {"const": "workflow"}, "config_text": {"type": "string"}, "config_id": {"type": "null"},
            "dataset_id": {"type": "integer"}}},
        {"title": "workflow from a stored config", "required": ["config_id", "dataset_id"], "properties": {
            "kind": {"const": "workflow"}, "config_text": {"type": "null"}, "config_id": {"type": "integer"},
            "dataset_id": {"type": "integer"}}},
        {"title": "probe", "required": ["kind"], "properties": {
            "kind": {"const": "probe"}, "config_text": {"type": "null"}, "config_id": {"type": "null"},
            "dataset_id": {"type": "null"}}},
    ]})

    kind: Literal["workflow", "probe"] = "workflow"
    config_text: str | None = Field(None, max_length=MAX_CONFIG)
    config_id: int | None = Field(None, ge=1, le=MAX_ID)
    dataset_id: int | None = Field(None, ge=1, le=MAX_ID)
    probe: ProbePayload | None = None
    overrides: dict[str, Any] = Field(default_factory=dict, max_length=200)
    name: str = Field("", max_length=128)
    experiment_name: str | None = Field(None, pattern=EXPERIMENT)
    queue: str | None = Field(None, pattern=QUEUE)
    priority: int = Field(5, ge=0, le=9, description="0 lowest, 9 highest")
    max_attempts: int = Field(3, ge=1, le=10, description="attempts before a job whose worker is lost fails")

    @model_validator(mode="after")
    def _consistent(self) -> TrainRequest:
        if self.kind == "probe":
            if self.config_text is not None or self.config_id is not None or self.dataset_id is not None:
                raise ValueError("a probe job takes no config and no dataset")
            self.probe = self.probe or ProbePayload.model_validate({})
            return self
        if (self.config_text is None) == (self.config_id is None):
            raise ValueError("give exactly one of config_text and config_id")
        if self.dataset_id is None:
            raise ValueError("a workflow job needs dataset_id")
        return self


class JobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    state: str
    priority: int
    max_attempts: int
    name: str
    queue: str
    config_hash: str
    config_id: int | None
    dataset_id: int | None
    overrides: dict[str, Any]
    experiment_name: str
    user_id: int | None
    username: str | None = Field(None, description="The submitter's username (None once the user is deleted).")
    worker: str | None
    attempt: int
    cancel_requested: bool
    error: str | None
    mlflow_experiment_id: str | None
    mlflow_run_id: str | None
    mlflow_url: str | None = None
    metrics: dict[str, float]
    log_count: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None


class JobDetail(JobRead):
    config_text: str


class LogPage(BaseModel):
    job_id: int
    state: str
    offset: int
    next_offset: int
    lines: list[LogLine]


class WorkerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    name: str
    hostname: str
    queues: list[str]
    concurrency: int
    info: dict[str, Any]
    started_at: datetime
    last_seen: datetime
    running_jobs: list[int] = Field(default_factory=list)
