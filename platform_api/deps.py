"""Shared typed dependencies: settings, the DB session (commits after the handler), the current user and roles."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from platform_api.auth.models import User
from platform_api.auth.schemas import ROLE_RANK
from platform_api.auth.security import TokenError, decode_access_token
from platform_api.db import AFTER_COMMIT_KEY, run_after_commit, session_factory
from platform_api.settings import Settings

_bearer = HTTPBearer(auto_error=False)


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """The request's unit of work: commit on success, rollback on error, after-commit hooks last."""
    assert settings.db.url is not None
    session = session_factory(settings.db.url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(AFTER_COMMIT_KEY, None)
        raise
    finally:
        session.close()
    run_after_commit(session)


# scope="function": commit before the response is sent, so a client never sees a write that may still fail.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]

UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def user_from_token(session: Session, settings: Settings, token: str) -> User:
    """Resolve an access token to an active user, or raise 401."""
    assert settings.auth.secret_key is not None
    try:
        claims = decode_access_token(
            token,
            key=settings.auth.secret_key.get_secret_value(),
            issuer=settings.auth.issuer,
            audience=settings.auth.audience,
        )
    except TokenError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), UNAUTHORIZED) from exc
    try:
        user = session.get(User, int(claims["sub"]))
    except ValueError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid token", UNAUTHORIZED) from exc
    if user is None or not user.is_active or user.token_version != claims.get("ver"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "token no longer valid", UNAUTHORIZED)
    return user


def get_current_user(session: SessionDep, settings: SettingsDep, creds: BearerDep) -> User:
    if creds is None or creds.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated", UNAUTHORIZED)
    return user_from_token(session, settings, creds.credentials)


CurrentUser = Annotated[User, Depends(get_current_user)]


class RequireRole:
    """Dependency: the current user must hold at least ``role`` (viewer < researcher < admin)."""

    def __init__(self, role: str) -> None:
        self.role = role

    def __call__(self, user: CurrentUser) -> User:
        if ROLE_RANK[user.role] < ROLE_RANK[self.role]:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"needs role {self.role} or higher")
        return user


ResearcherUser = Annotated[User, Depends(RequireRole("researcher"))]
AdminUser = Annotated[User, Depends(RequireRole("admin"))]


def require_trainer(settings: SettingsDep, creds: BearerDep) -> None:
    """Trainer workers authenticate with the shared trainer token."""
    assert settings.auth.trainer_token is not None
    expected = settings.auth.trainer_token.get_secret_value()
    if creds is None or not hmac.compare_digest(creds.credentials.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "trainer token required", UNAUTHORIZED)


TrainerAuth = Annotated[None, Depends(require_trainer)]
