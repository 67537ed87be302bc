"""Queries of the registry domain: registered versions, policies and their guards, gate decisions, the history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_api.auth.models import User
from platform_api.data.models import Dataset
from platform_api.factors.models import FactorSet
from platform_api.registry.models import GateDecision, ModelPolicy, PolicyGuard, RegisteredVersion, RegistryEvent

MAX_ROWS = 1000


def dataset(session: Session, dataset_id: int) -> Dataset | None:
    return session.get(Dataset, dataset_id)


def factor_set(session: Session, factor_set_id: int) -> FactorSet | None:
    return session.get(FactorSet, factor_set_id)


def username(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.username if user is not None else None


def version(session: Session, model_name: str, number: int) -> RegisteredVersion | None:
    return session.scalar(select(RegisteredVersion).where(RegisteredVersion.model_name == model_name,
                                                          RegisteredVersion.version == number))


def versions(session: Session, model_name: str) -> dict[int, RegisteredVersion]:
    rows = session.scalars(select(RegisteredVersion).where(RegisteredVersion.model_name == model_name))
    return {r.version: r for r in rows}


def version_of_run(session: Session, model_name: str, run_id: str) -> RegisteredVersion | None:
    return session.scalar(select(RegisteredVersion).where(RegisteredVersion.model_name == model_name,
                                                          RegisteredVersion.run_id == run_id).limit(1))


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


# ----- policies -----------------------------------------------------------------------------------------------

def policies(session: Session) -> list[ModelPolicy]:
    return list(session.scalars(select(ModelPolicy).order_by(ModelPolicy.name)))


def policy(session: Session, name: str) -> ModelPolicy | None:
    return session.scalar(select(ModelPolicy).where(ModelPolicy.name == name))


def guard_for(session: Session, model_name: str, alias: str) -> PolicyGuard | None:
    """The guard of ``model_name@alias``: the model's own first, else the every-model one."""
    rows = list(session.scalars(select(PolicyGuard).where(PolicyGuard.alias == alias,
                                                          PolicyGuard.model_name.in_([model_name, ""]))))
    rows.sort(key=lambda g: g.model_name != model_name)
    return rows[0] if rows else None


def guards_of_model(session: Session, model_name: str) -> list[PolicyGuard]:
    return list(session.scalars(select(PolicyGuard).where(PolicyGuard.model_name.in_([model_name, ""]))
                                .order_by(PolicyGuard.alias)))


def guards_taken(session: Session, model_name: str, aliases: list[str], policy_id: int | None) -> list[PolicyGuard]:
    """Guards of another policy on the same scope and aliases."""
    query = select(PolicyGuard).where(PolicyGuard.model_name == model_name, PolicyGuard.alias.in_(aliases))
    if policy_id is not None:
        query = query.where(PolicyGuard.policy_id != policy_id)
    return list(session.scalars(query))


# ----- decisions and history ----------------------------------------------------------------------------------

def decisions(session: Session, model_name: str, number: int) -> list[GateDecision]:
    return list(session.scalars(select(GateDecision).where(GateDecision.model_name == model_name,
                                                           GateDecision.version == number)
                                .order_by(GateDecision.id.desc()).limit(MAX_ROWS)))


def events(session: Session, model_name: str, number: int | None = None) -> list[RegistryEvent]:
    query = select(RegistryEvent).where(RegistryEvent.model_name == model_name)
    if number is not None:
        query = query.where(RegistryEvent.version == number)
    return list(session.scalars(query.order_by(RegistryEvent.id.desc()).limit(MAX_ROWS)))


def policy_events(session: Session, name: str) -> list[RegistryEvent]:
    return list(session.scalars(select(RegistryEvent).where(
        RegistryEvent.policy_name == name, RegistryEvent.action.like("policy_%")).order_by(
        RegistryEvent.id.desc()).limit(MAX_ROWS)))
