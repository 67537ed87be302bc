"""Queries of the auth domain."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from platform_api.auth.models import ApiToken, RefreshToken, User


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def lock_active_admins(session: Session) -> list[int]:
    """Ids of the active admins, locked until the transaction ends (a locking read: it sees the latest commit)."""
    q = select(User.id).where(User.role == "admin", User.is_active.is_(True)).order_by(User.id).with_for_update()
    return list(session.scalars(q))


def add(session: Session, obj: User | RefreshToken) -> None:
    session.add(obj)
    session.flush()


def get_refresh(session: Session, token_hash: str) -> RefreshToken | None:
    return session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))


def revoke_all_refresh(session: Session, user_id: int) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.user_id == user_id).values(revoked=True))


def add_token(session: Session, token: ApiToken) -> ApiToken:
    session.add(token)
    session.flush()
    return token


def get_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def get_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def list_tokens(session: Session, user_id: int | None) -> list[ApiToken]:
    q = select(ApiToken).where(ApiToken.job_id.is_(None)).order_by(ApiToken.id)
    if user_id is not None:
        q = q.where(ApiToken.user_id == user_id)
    return list(session.scalars(q))


def revoke_job_tokens(session: Session, job_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.job_id == job_id).values(revoked=True))
