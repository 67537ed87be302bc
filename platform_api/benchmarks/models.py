"""Tables of the benchmarks domain: a benchmark (configs × seeds on one dataset version) and its MLflow parent run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.db import Base, UTCDateTime, utcnow


class Benchmark(Base):
    """Every config of ``configs`` trained once per seed of ``seeds`` on one dataset version: one job each (its
    ``benchmark_id`` and ``benchmark_entry``: the config's index), each job's run a child of ``parent_run_id``."""

    __tablename__ = "benchmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True)
    #: [{name, config_hash, model, seed_path}] in the order of the jobs' ``benchmark_entry``
    configs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    seeds: Mapped[list[int]] = mapped_column(JSON)
    experiment_name: Mapped[str] = mapped_column(String(128))
    mlflow_experiment_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    parent_run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: the parent run was ended (with the leaderboard's means as its metrics) once every job had ended
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
