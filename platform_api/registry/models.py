"""Tables of the registry domain: what MLflow's registry cannot hold — the verified lineage and notes of each version
registered through the API, the promotion policies and the aliases they guard, every gate decision with its numbers,
and the history of every change with who made it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from platform_api.db import Base, UTCDateTime, utcnow


class RegisteredVersion(Base):
    """A model version registered through ``/api/models``: its run, the job that made it and the lineage read from
    the platform's own records when it was registered (never from tags anyone could have set)."""

    __tablename__ = "registry_versions"
    __table_args__ = (UniqueConstraint("model_name", "version", name="uq_registry_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_name: Mapped[str] = mapped_column(String(128), index=True)
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[str] = mapped_column(String(32), index=True)
    experiment_id: Mapped[str] = mapped_column(String(64))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True)
    dataset_name: Mapped[str] = mapped_column(String(64))
    dataset_version: Mapped[int] = mapped_column(Integer)
    dataset_hash: Mapped[str] = mapped_column(String(64))
    config_hash: Mapped[str] = mapped_column(String(64))
    model_class: Mapped[str | None] = mapped_column(String(128), nullable=True)
    factor_set: Mapped[str | None] = mapped_column(String(80), nullable=True)
    factor_versions: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(256))
    #: the run's model files: [{path, format, safe}]; ``safe`` = loadable without unpickling
    model_files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModelPolicy(Base):
    """A named promotion policy: thresholds on the test segment's metrics and an optional margin over the alias's
    current holder; it guards the aliases of its ``guards``."""

    __tablename__ = "model_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    description: Mapped[str] = mapped_column(String(2048), default="")
    #: {min_ic, min_rank_ic, min_icir, min_rank_icir, min_excess_return, min_information_ratio, max_drawdown}
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: {metric, margin} or None
    beats_champion: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    guards: Mapped[list[PolicyGuard]] = relationship(back_populates="policy", cascade="all, delete-orphan",
                                                     order_by="PolicyGuard.id", lazy="selectin")


class PolicyGuard(Base):
    """One alias a policy guards, of one registered model or (``model_name`` empty) of every model; a model's own
    guard wins over the every-model one, and no two policies guard the same alias of the same scope."""

    __tablename__ = "model_policy_guards"
    __table_args__ = (UniqueConstraint("model_name", "alias", name="uq_policy_guard"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("model_policies.id", ondelete="CASCADE"), index=True)
    model_name: Mapped[str] = mapped_column(String(128), default="")
    alias: Mapped[str] = mapped_column(String(64))
    policy: Mapped[ModelPolicy] = relationship(back_populates="guards")


class GateDecision(Base):
    """One pass through the gate: the candidate, the alias, the policy as it was, each check with its value,
    threshold and verdict, the holder it was compared with, the outcome and who asked (an override's reason)."""

    __tablename__ = "model_gate_decisions"
    __table_args__ = (Index("ix_gate_decisions_model_version", "model_name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_name: Mapped[str] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer)
    alias: Mapped[str] = mapped_column(String(64))
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("model_policies.id", ondelete="SET NULL"), nullable=True)
    policy_name: Mapped[str] = mapped_column(String(64))
    #: the policy's thresholds and margin when it decided
    policy_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    passed: Mapped[bool] = mapped_column(Boolean)
    #: promoted | refused | overridden
    outcome: Mapped[str] = mapped_column(String(16))
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: the candidate's test-segment metrics the checks read
    metrics: Mapped[dict[str, float]] = mapped_column(JSON)
    #: the alias's holder when it decided: {version, run_id, dataset_id, metrics} or None
    champion: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: why the outcome is a refusal beyond the checks (an override asked for by a non-admin)
    note: Mapped[str] = mapped_column(String(512), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegistryEvent(Base):
    """A change in the registry and who made it: registered, notes_edited, alias_set, alias_removed, override,
    promotion_refused, policy_created, policy_updated."""

    __tablename__ = "registry_events"
    __table_args__ = (Index("ix_registry_events_model", "model_name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    model_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    alias: Mapped[str | None] = mapped_column(String(64), nullable=True)
    policy_name: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("model_gate_decisions.id", ondelete="SET NULL"),
                                                    nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
