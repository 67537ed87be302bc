"""Request and response models of the jobs domain, including the trainer-facing protocol."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_CONFIG = 512 * 1024
QUEUE = r"^[a-z0-9][a-z0-9_-]{0,31}$"
EXPERIMENT = r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$"


class ProbeSpec(BaseModel):
    """A probe job prints ``lines`` lines at ``rate`` lines/s, then exits with ``exit_code``."""

    lines: int = Field(10, ge=0, le=1_000_000)
    rate: float = Field(50.0, gt=0, le=10_000)
    exit_code: int = Field(0, ge=0, le=1)


class TrainRequest(BaseModel):
    """A training job: a qrun YAML (inline text or a stored config) on a dataset version, with overrides;
    or a probe job that exercises the job path itself (dispatch, workers, logs)."""

    kind: Literal["workflow", "probe"] = "workflow"
    config_text: str | None = Field(None, max_length=MAX_CONFIG)
    config_id: int | None = None
    dataset_id: int | None = None
    probe: ProbeSpec | None = None
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
            self.probe = self.probe or ProbeSpec.model_validate({})
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


class LogLine(BaseModel):
    seq: int = Field(ge=0)
    ts: datetime
    line: str = Field(max_length=65536)


class LogPage(BaseModel):
    job_id: int
    state: str
    offset: int
    next_offset: int
    lines: list[LogLine]


# ----- trainer protocol --------------------------------------------------------
class ClaimRequest(BaseModel):
    worker: str = Field(min_length=1, max_length=255)
    hostname: str = Field("", max_length=255)


class DatasetRef(BaseModel):
    id: int
    name: str
    version: int
    path: str
    hash: str


class JobSpec(BaseModel):
    job_id: int
    kind: str
    attempt: int
    config_text: str
    overrides: dict[str, Any]
    dataset: DatasetRef | None
    tracking_uri: str
    tracking_token: str
    experiment_name: str
    user: str
    log_offset: int


class WorkerRef(BaseModel):
    worker: str = Field(min_length=1, max_length=255)


class HeartbeatResponse(BaseModel):
    state: str
    cancel_requested: bool


class LogBatch(WorkerRef):
    lines: list[LogLine] = Field(max_length=5000)


class RunInfo(WorkerRef):
    mlflow_run_id: str = Field(max_length=64)
    mlflow_experiment_id: str = Field(max_length=64)


class FinishRequest(WorkerRef):
    state: Literal["succeeded", "failed", "cancelled"]
    error: str | None = Field(None, max_length=20000)
    metrics: dict[str, float] = Field(default_factory=dict)


class WorkerHeartbeat(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    hostname: str = Field(max_length=255)
    queues: list[str] = Field(default_factory=list, max_length=32)
    concurrency: int = Field(1, ge=1, le=1024)
    info: dict[str, Any] = Field(default_factory=dict)


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
