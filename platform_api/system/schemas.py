"""Response models of the system domain: liveness and the platform's status."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from platform_api.jobs.schemas import WorkerRead


class Health(BaseModel):
    status: Literal["ok"] = Field(description="The API answers (nothing else is checked: see /status).")


class Memory(BaseModel):
    total: int = Field(description="bytes")
    available: int = Field(description="bytes")
    percent: float


class Disk(BaseModel):
    path: str = Field(description="the data folder")
    total: int = Field(description="bytes")
    free: int = Field(description="bytes")
    percent: float


class HostStatus(BaseModel):
    cpu_percent: float
    cpu_count: int | None
    load_avg: list[float] = Field(description="1, 5 and 15 minutes")
    memory: Memory
    disk: Disk


class DependencyStatus(BaseModel):
    ok: bool
    latency_ms: float | None = Field(None, description="when reachable")
    error: str | None = Field(None, description="the exception's type when unreachable (never its message)")


class Dependencies(BaseModel):
    database: DependencyStatus
    mlflow: DependencyStatus
    broker: DependencyStatus


class JobCounts(BaseModel):
    queued: int
    running: int
    by_state: dict[str, int]


class Status(BaseModel):
    host: HostStatus
    dependencies: Dependencies
    mode: str = Field(description="embedded | distributed")
    workers: list[WorkerRead] = Field(description="workers seen in the last minute")
    jobs: JobCounts
