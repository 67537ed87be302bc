"""Tables of the jobs domain: training jobs, their durable log lines, and the workers seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_api.auth.models import User
from platform_api.db import Base, LongText, PreciseUTCDateTime, UTCDateTime, utcnow


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    FINAL = frozenset({SUCCEEDED, FAILED, CANCELLED})
    ALL = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)


class JobKind:
    WORKFLOW = "workflow"  # a qrun-format Qlib workflow on a dataset version (config_text, overrides, dataset_id)
    PROBE = "probe"  # prints lines at a set rate and exits: checks and benchmarks the job path itself (params)
    MARKET = "market"  # generates a synthetic market and registers it as a dataset version (params)
    INGEST = "ingest"  # ingests an uploaded file of market data into a validated dataset version (params)
    UNIVERSE = "universe"  # a dataset version plus one instrument list (a rule's or given members), a new version
    FACTOR_EVAL = "factor_eval"  # evaluates a factor version on a dataset version, logged to MLflow (params)
    ALL = (WORKFLOW, PROBE, MARKET, INGEST, UNIVERSE, FACTOR_EVAL)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=JobKind.WORKFLOW)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED)
    priority: Mapped[int] = mapped_column(Integer, default=5)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    name: Mapped[str] = mapped_column(String(128), default="")
    queue: Mapped[str] = mapped_column(String(64), default="cpu")
    config_text: Mapped[str] = mapped_column(LongText)
    config_hash: Mapped[str] = mapped_column(String(64))
    config_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_configs.id", ondelete="SET NULL"), nullable=True
    )
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the kind's own payload fields for kinds without a workflow config (see qlp_core.protocol)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id"), nullable=True)
    #: the factor set a workflow's handler trains on (its versions are in the job's overrides)
    factor_set_id: Mapped[int | None] = mapped_column(ForeignKey("factor_sets.id", ondelete="SET NULL"),
                                                      nullable=True, index=True)
    #: the benchmark this job is one (config, seed) of, and the config's index in it
    benchmark_id: Mapped[int | None] = mapped_column(ForeignKey("benchmarks.id", ondelete="SET NULL"),
                                                     nullable=True, index=True)
    benchmark_entry: Mapped[int | None] = mapped_column(Integer, nullable=True)
    experiment_name: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    #: who submitted it, loaded with the job (the job list shows the name)
    user: Mapped[User | None] = relationship(lazy="joined", viewonly=True)
    worker: Mapped[str | None] = mapped_column(String(255), nullable=True)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(LongText, nullable=True)
    mlflow_experiment_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mlflow_run_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    metrics: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    log_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class JobLog(Base):
    __tablename__ = "job_logs"
    __table_args__ = (UniqueConstraint("job_id", "seq", name="uq_job_log_seq"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    ts: Mapped[datetime] = mapped_column(PreciseUTCDateTime)
    line: Mapped[str] = mapped_column(Text)


class Worker(Base):
    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    queues: Mapped[list[str]] = mapped_column(JSON, default=list)
    concurrency: Mapped[int] = mapped_column(Integer, default=1)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
