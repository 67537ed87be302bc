"""Tables of the data domain: immutable dataset versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from platform_api.db import Base, UTCDateTime, utcnow


class Dataset(Base):
    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_dataset_name_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(1024))
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    instruments: Mapped[int] = mapped_column(Integer)
    markets: Mapped[list[str]] = mapped_column(JSON)
    benchmarks: Mapped[list[str]] = mapped_column(JSON)
    fields: Mapped[list[str]] = mapped_column(JSON)
    freq: Mapped[str] = mapped_column(String(16), default="day")
    calendar_start: Mapped[date] = mapped_column(Date)
    calendar_end: Mapped[date] = mapped_column(Date)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(1024), default="")
    #: the validation report of an ingested version (its warnings; an ingest with errors registers nothing)
    validation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: the store's packs its manifest references (manifests/<content_hash>.json); None until it is stored
    packs: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    #: bytes this version added to the store (what no earlier version of the name held)
    stored_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: files added, unchanged, appended, rewritten, removed against ``base_id``, and the days/instruments added
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    base_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
