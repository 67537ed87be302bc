"""Request and response models of the benchmarks domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from platform_api.db import MAX_ID
from platform_api.jobs.schemas import EXPERIMENT, QUEUE
from qlp_core.json_body import JsonBody
from qlp_core.protocol import MAX_CONFIG

NAME = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
MAX_CONFIGS = 8
MAX_SEEDS = 20


class BenchmarkConfig(JsonBody):
    """One config of a benchmark: inline YAML or a stored config."""

    # what ``_one`` checks, stated in the schema
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"title": "inline", "required": ["config_text"], "properties": {"config_text": {"type": "string"},
                                                                        "config_id": {"type": "null"}}},
        {"title": "stored", "required": ["config_id"], "properties": {"config_id": {"type": "integer"},
                                                                      "config_text": {"type": "null"}}},
    ]})

    name: str | None = Field(None, pattern=NAME, description="Its row on the leaderboard; default: the model class.")
    config_text: str | None = Field(None, max_length=MAX_CONFIG)
    config_id: int | None = Field(None, ge=1, le=MAX_ID)

    @model_validator(mode="after")
    def _one(self) -> BenchmarkConfig:
        if (self.config_text is None) == (self.config_id is None):
            raise ValueError("give config_text or config_id, not both or neither")
        return self


class BenchmarkCreate(JsonBody):
    name: str = Field(pattern=NAME)
    dataset_id: int = Field(ge=1, le=MAX_ID)
    configs: list[BenchmarkConfig] = Field(min_length=1, max_length=MAX_CONFIGS)
    seeds: list[Annotated[int, Field(ge=0, le=MAX_ID)]] | None = Field(
        None, min_length=1, max_length=MAX_SEEDS, json_schema_extra={"uniqueItems": True},
        description="Distinct seeds; default: 0 … n_seeds - 1.")
    n_seeds: int = Field(5, ge=1, le=MAX_SEEDS)
    experiment_name: str = Field("benchmarks", pattern=EXPERIMENT)
    queue: str | None = Field(None, pattern=QUEUE)
    priority: int = Field(4, ge=0, le=9)

    @model_validator(mode="after")
    def _seeds(self) -> BenchmarkCreate:
        if self.seeds is not None and len(set(self.seeds)) != len(self.seeds):
            raise ValueError("seeds must be distinct")
        return self


class Spread(BaseModel):
    n: int
    mean: float | None
    std: float | None = Field(description="Sample standard deviation (n - 1); null below two runs.")
    min: float | None
    max: float | None


class BenchmarkRun(BaseModel):
    job_id: int
    seed: int | None
    state: str
    mlflow_run_id: str | None
    metrics: dict[str, float] = Field(description="The leaderboard's metrics of this run.")


class BenchmarkEntry(BaseModel):
    index: int
    name: str
    model: str
    config_hash: str
    seed_path: str | None = Field(description="The config key each run's seed was set at (null: the model takes none).")
    states: dict[str, int]
    columns: dict[str, Spread] = Field(description="Per MLflow metric name: its spread over the succeeded runs.")
    runs: list[BenchmarkRun]


class BenchmarkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    dataset_id: int | None
    dataset: str | None = None
    seeds: list[int]
    experiment_name: str
    mlflow_experiment_id: str | None
    parent_run_id: str | None
    closed: bool
    state: str = Field("queued", description="queued, running, succeeded (every job), partial or failed (none).")
    jobs_total: int = 0
    jobs_done: int = 0
    created_by: int | None
    created_at: datetime


class BenchmarkDetail(BenchmarkRead):
    entries: list[BenchmarkEntry]
    columns: list[dict[str, str]] = Field(description="The leaderboard's columns: heading and MLflow metric.")
