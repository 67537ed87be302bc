"""Tables of the factors domain: factors and their immutable versions, evaluations, and factor sets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_api.db import Base, LongText, UTCDateTime, utcnow


class Factor(Base):
    __tablename__ = "factors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    versions: Mapped[list[FactorVersion]] = relationship(
        back_populates="factor", order_by="FactorVersion.version", lazy="selectin")


class FactorVersion(Base):
    """One version of a factor: never edited (an edit is the next version)."""

    __tablename__ = "factor_versions"
    __table_args__ = (UniqueConstraint("factor_id", "version", name="uq_factor_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    factor_id: Mapped[int] = mapped_column(ForeignKey("factors.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    expression: Mapped[str] = mapped_column(String(4000))
    description: Mapped[str] = mapped_column(String(2048), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: what the parser found: fields read, look-back in trading days (None: unbounded), look-ahead reasons
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    lookback: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lookahead: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    factor: Mapped[Factor] = relationship(back_populates="versions")


class FactorEvaluation(Base):
    """The evaluation of a factor version on a dataset version: its job, its summary and its charts' data."""

    __tablename__ = "factor_evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    factor_version_id: Mapped[int] = mapped_column(ForeignKey("factor_versions.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True)
    dataset_hash: Mapped[str] = mapped_column(String(64))
    market: Mapped[str] = mapped_column(String(64))
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)
    horizons: Mapped[list[int]] = mapped_column(JSON)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True, index=True)
    mlflow_run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: per-horizon IC / Rank IC mean, ICIR, t-stat; long-short; turnover; coverage; the closest library factors
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the charts' series (JSON text)
    result: Mapped[str] = mapped_column(LongText, default="")
    #: the store object holding this evaluation's factor ranks (the library other hosts compare with); None: not kept
    ranks_object: Mapped[str | None] = mapped_column(String(160), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FactorSet(Base):
    """A named, versioned list of factor versions (optionally with Alpha158) that a workflow names as its handler."""

    __tablename__ = "factor_sets"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_factor_set_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    factor_version_ids: Mapped[list[int]] = mapped_column(JSON)
    include_alpha158: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(String(2048), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
