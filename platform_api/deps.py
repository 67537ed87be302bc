"""Shared typed dependencies: settings, the DB session (commits before the response), the calling principal
(JWT, API token, or the browser session cookie with its CSRF checks) and role requirements."""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Mapping
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from platform_api.auth.models import User
from platform_api.auth.principal import Principal
from platform_api.auth.security import TokenError, decode_access_token
from platform_api.auth.service import TOKEN_PREFIX, principal_from_api_token
from platform_api.db import MAX_ID, session_scope
from platform_api.domain_errors import Forbidden, Unauthenticated
from qlp_core.settings import Settings

_bearer = HTTPBearer(auto_error=False)
SESSION_COOKIE = "qlp_session"
#: The dashboard sends this header on every request; a cross-site page cannot (no CORS grant covers it), so a
#: cookie-authenticated state change without it is refused.
CSRF_HEADER = "x-qlp-csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A row id in a path (``/api/auth/users/{user_id}``): out of range is a 422, not a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(settings: SettingsDep, request: Request) -> Iterator[Session]:
    """The request's unit of work: commit on success, rollback on error, after-commit hooks last.
    Safe methods get a reading session (no write lock on SQLite)."""
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=request.method not in ("GET", "HEAD", "OPTIONS")) as session:
        yield session


# scope="function": commit before the response is sent, so a client never sees a write that may still fail.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def user_from_jwt(session: Session, settings: Settings, token: str, typ: str = "access") -> User:
    """Resolve a signed token (access or session) to an active user, or raise 401."""
    assert settings.auth.secret_key is not None
    try:
        claims = decode_access_token(
            token,
            key=settings.auth.secret_key.get_secret_value(),
            issuer=settings.auth.issuer,
            audience=settings.auth.audience,
            typ=typ,
        )
    except TokenError as exc:
        raise Unauthenticated(str(exc)) from exc
    try:
        user = session.get(User, int(claims["sub"]))
    except ValueError as exc:
        raise Unauthenticated("invalid token") from exc
    if user is None or not user.is_active or user.token_version != claims.get("ver"):
        raise Unauthenticated("token no longer valid")
    return user


def principal_from_bearer(session: Session, settings: Settings, token: str, area: str) -> Principal:
    """A JWT access token or an API token (which must cover ``area``)."""
    if token.startswith(TOKEN_PREFIX):
        principal = principal_from_api_token(session, token)
        if area not in principal.areas:
            raise Forbidden(f"this token is not valid for {area}")
        return principal
    user = user_from_jwt(session, settings, token)
    return Principal(user=user, role=user.role, via="jwt")


def user_from_token(session: Session, settings: Settings, token: str) -> Principal:
    """For the WebSocket's first message: any bearer token valid for the API."""
    return principal_from_bearer(session, settings, token, "api")


def same_origin(headers: Mapping[str, str]) -> bool:
    """The request's Origin (or, lacking it, Referer) names this host; true when the browser sent neither."""
    origin = headers.get("origin") or headers.get("referer")
    if not origin:
        return True
    return origin != "null" and urlsplit(origin).netloc == headers.get("host")


def principal_from_session(session: Session, settings: Settings, cookie: str) -> Principal:
    user = user_from_jwt(session, settings, cookie, typ="session")
    return Principal(user=user, role=user.role, via="session")


def get_current_principal(request: Request, session: SessionDep, settings: SettingsDep,
                          creds: BearerDep) -> Principal:
    if creds is not None and creds.scheme.lower() == "bearer":
        return principal_from_bearer(session, settings, creds.credentials, "api")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthenticated("not authenticated")
    if request.method not in SAFE_METHODS:  # CSRF: our own origin, and the header only our pages send
        if not same_origin(request.headers):
            raise Forbidden("cross-origin request refused")
        if not request.headers.get(CSRF_HEADER):
            raise Forbidden(f"a browser request that changes something needs the {CSRF_HEADER} header")
    return principal_from_session(session, settings, cookie)


CurrentUser = Annotated[Principal, Depends(get_current_principal)]


class RequireRole:
    """Dependency: the caller's effective role must be at least ``role`` (viewer < researcher < admin)."""

    def __init__(self, role: str) -> None:
        self.role = role

    def __call__(self, principal: CurrentUser) -> Principal:
        if not principal.at_least(self.role):
            raise Forbidden(f"needs role {self.role} or higher")
        return principal


ResearcherUser = Annotated[Principal, Depends(RequireRole("researcher"))]
AdminUser = Annotated[Principal, Depends(RequireRole("admin"))]


def researcher_briefly(request: Request, settings: SettingsDep, creds: BearerDep) -> Principal:
    """For routes that stream a long body: the caller, a researcher or more, resolved in a short unit of work of its
    own, so that no transaction (on SQLite, no write lock) stays open while the body arrives."""
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as session:
        return RequireRole("researcher")(get_current_principal(request, session, settings, creds))


#: A researcher (or admin), without a database session held for the request.
StreamingResearcher = Annotated[Principal, Depends(researcher_briefly)]


def require_trainer(settings: SettingsDep, creds: BearerDep) -> None:
    """Trainer workers authenticate with the shared trainer token."""
    assert settings.auth.trainer_token is not None
    expected = settings.auth.trainer_token.get_secret_value()
    if creds is None or not hmac.compare_digest(creds.credentials.encode(), expected.encode()):
        raise Unauthenticated("trainer token required")


TrainerAuth = Annotated[None, Depends(require_trainer)]
