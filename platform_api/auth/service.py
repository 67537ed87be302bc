"""Auth logic: users, login with throttling, token pairs, refresh rotation, logout."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from platform_api.auth import repository as repo
from platform_api.auth.models import ApiToken, RefreshToken, User
from platform_api.auth.principal import ROLE_RANK, SCOPE_ROLE, Principal, lower_role
from platform_api.auth.schemas import MIN_PASSWORD, TokenCreate, TokenPair, UserCreate, UserRead, UserUpdate
from platform_api.auth.security import (
    encode_access_token,
    hash_password,
    hash_token,
    new_opaque_token,
    verify_password,
)
from platform_api.db import WRITE_OPTION, after_commit
from platform_api.domain_errors import Conflict, Forbidden, NotFound, Refused, Throttled, Unauthenticated
from qlp_core.problems import ProblemCode
from qlp_core.settings import Settings

COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "password12", "password123", "1234567890", "12345678910", "qwertyuiop",
        "iloveyou123", "admin12345", "administrator", "letmein123", "welcome123", "changeme123",
        "qwerty12345", "1q2w3e4r5t", "passw0rd123", "abc1234567", "0123456789", "1111111111",
    }
)

log = logging.getLogger("qlp.auth")


def check_password_policy(password: str, username: str = "") -> None:
    """The rules beyond the schema's length bounds (which state ``MIN_PASSWORD`` too): not common, not the
    username, not repetitive."""
    if len(password) < MIN_PASSWORD:
        raise Refused(f"password must have at least {MIN_PASSWORD} characters")
    if password.lower() in COMMON_PASSWORDS or (username and password.lower() == username.lower()):
        raise Refused("password is too common")
    if len(set(password)) < 4:
        raise Refused("password is too repetitive")


class LoginThrottle:
    """At most ``limit`` failed logins per (username, client) in ``window`` seconds; answers 429 past that."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._fails: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: tuple[str, str]) -> None:
        now = time.monotonic()
        with self._lock:
            q = self._fails.get(key)
            while q and now - q[0] > self.window:
                q.popleft()
            if q and len(q) >= self.limit:
                retry = int(self.window - (now - q[0])) + 1
                raise Throttled("too many failed logins; try again later", headers={"Retry-After": str(retry)})

    def fail(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._fails.setdefault(key, deque()).append(time.monotonic())

    def success(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._fails.pop(key, None)


_DUMMY_HASH = hash_password(secrets.token_hex(8))


def _issue_pair(session: Session, settings: Settings, user: User) -> TokenPair:
    assert settings.auth.secret_key is not None
    access, exp = encode_access_token(
        subject=user.id,
        role=user.role,
        version=user.token_version,
        key=settings.auth.secret_key.get_secret_value(),
        issuer=settings.auth.issuer,
        audience=settings.auth.audience,
        minutes=settings.auth.access_token_minutes,
    )
    refresh = new_opaque_token("qlpr_")
    repo.add(
        session,
        RefreshToken(
            user_id=user.id,
            token_hash=hash_token(refresh),
            expires_at=datetime.now(UTC) + timedelta(days=settings.auth.refresh_token_days),
        ),
    )
    return TokenPair(access_token=access, expires_at=exp, refresh_token=refresh, user=UserRead.model_validate(user))


def authenticate(session: Session, throttle: LoginThrottle, username: str, password: str, client: str) -> User:
    """The active user with this password (throttled per username and client), or Unauthenticated."""
    key = (username.lower(), client)
    throttle.check(key)
    user = repo.get_user_by_name(session, username)
    ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    if not user or not ok or not user.is_active:
        throttle.fail(key)
        raise Unauthenticated("wrong username or password")
    throttle.success(key)
    return user


def login(
    session: Session, settings: Settings, throttle: LoginThrottle, username: str, password: str, client: str
) -> TokenPair:
    """An API login: an access token and a refresh token."""
    return _issue_pair(session, settings, authenticate(session, throttle, username, password, client))


def refresh(session: Session, settings: Settings, token: str) -> TokenPair:
    row = repo.get_refresh(session, hash_token(token))
    if row is None or row.revoked or row.expires_at < datetime.now(UTC):
        raise Unauthenticated("refresh token is invalid, expired or revoked")
    user = repo.get_user(session, row.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("user is disabled")
    row.revoked = True  # rotation: each refresh token works once
    return _issue_pair(session, settings, user)


def logout(session: Session, user: User) -> None:
    """Ends every session of the user: refresh tokens revoked, outstanding access tokens invalidated."""
    user.token_version += 1
    repo.revoke_all_refresh(session, user.id)


def create_user(session: Session, data: UserCreate) -> User:
    check_password_policy(data.password, data.username)
    if repo.get_user_by_name(session, data.username):
        raise Conflict(f"user {data.username!r} exists")
    user = User(username=data.username, password_hash=hash_password(data.password), role=data.role)
    repo.add(session, user)
    return user


def get_user_or_404(session: Session, user_id: int) -> User:
    user = repo.get_user(session, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def update_user(session: Session, user_id: int, data: UserUpdate) -> User:
    """Change a user's role, state or password; refused (409 ``last_admin``) when no active admin would remain."""
    # Lock the active admins first (FOR UPDATE on server databases; SQLite's write transaction is exclusive
    # already): two concurrent demotions of the last two admins then run one after the other, and the second
    # sees the first.
    repo.lock_active_admins(session)
    user = get_user_or_404(session, user_id)
    if data.password is not None:
        check_password_policy(data.password, user.username)
    was_admin = user.role == "admin" and user.is_active
    changed_auth = False
    if data.role is not None and data.role != user.role:
        user.role, changed_auth = data.role, True
    if data.is_active is not None and data.is_active != user.is_active:
        user.is_active, changed_auth = data.is_active, True
    if data.password is not None:
        user.password_hash, changed_auth = hash_password(data.password), True
    if was_admin and not (user.role == "admin" and user.is_active):
        ensure_an_admin_remains(session, f"demote or disable {user.username!r}")
    if changed_auth:
        logout(session, user)
    session.flush()
    return user


def ensure_an_admin_remains(session: Session, change: str) -> None:
    """After a change in this transaction (flushed here), at least one active admin must be left; the caller's
    unit of work rolls the change back otherwise."""
    session.flush()
    if not repo.lock_active_admins(session):
        raise Conflict(f"cannot {change}: the platform would have no active admin left; make another user an "
                       "admin first", code=ProblemCode.LAST_ADMIN)


def ensure_admin(session: Session) -> str | None:
    """Create the first admin with a random password when no user exists; return that password once."""
    if repo.count_users(session) > 0:
        return None
    password = secrets.token_urlsafe(18)
    repo.add(session, User(username="admin", password_hash=hash_password(password), role="admin"))
    return password


# ----- API tokens -----------------------------------------------------------------------------
TOKEN_PREFIX = "qlp_"


def create_token(session: Session, principal: Principal, data: TokenCreate) -> tuple[ApiToken, str]:
    """A scoped token, never above the creator's own role; returns the row and the secret (shown once)."""
    if principal.via == "token":
        raise Forbidden("tokens cannot mint tokens; log in with a password")
    if ROLE_RANK[SCOPE_ROLE[data.scope]] > ROLE_RANK[principal.role]:
        raise Forbidden(f"scope {data.scope} is above your role {principal.role}")
    raw = new_opaque_token(TOKEN_PREFIX)
    expires = datetime.now(UTC) + timedelta(days=data.expires_in_days) if data.expires_in_days else None
    row = ApiToken(user_id=principal.id, name=data.name, token_hash=hash_token(raw), prefix=raw[:10],
                   scope=data.scope, areas=sorted(set(data.areas)), expires_at=expires)
    return repo.add_token(session, row), raw


def list_tokens(session: Session, principal: Principal, all_users: bool) -> list[ApiToken]:
    """The caller's tokens; every user's for an admin who asks."""
    if all_users and not principal.at_least("admin"):
        raise Forbidden("needs role admin")
    return repo.list_tokens(session, None if all_users else principal.id)


def create_job_token(session: Session, user_id: int, job_id: int, hours: float) -> str:
    """What a job's workflow logs to MLflow with: write access to MLflow only, revoked when the job ends."""
    raw = new_opaque_token(TOKEN_PREFIX)
    repo.add_token(session, ApiToken(
        user_id=user_id, name=f"job-{job_id}", token_hash=hash_token(raw), prefix=raw[:10], scope="write",
        areas=["mlflow"], job_id=job_id, expires_at=datetime.now(UTC) + timedelta(hours=hours)))
    return raw


def revoke_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    row = repo.get_token(session, token_id)
    if row is None or (row.user_id != principal.id and principal.role != "admin"):
        raise NotFound("no such token")
    row.revoked = True
    return row


def principal_from_api_token(session: Session, raw: str) -> Principal:
    """Resolve an API token, or raise 401 (unknown, revoked, expired, or its user disabled)."""
    row = repo.get_token_by_hash(session, hash_token(raw))
    now = datetime.now(UTC)
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at < now):
        raise Unauthenticated("token is invalid, expired or revoked")
    user = repo.get_user(session, row.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("user is disabled")
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:  # at most once a minute
        # its own short write, after the request's unit of work: a GET's session only reads (on SQLite, turning
        # a reader into a writer mid-transaction fails at once when another writer got in between)
        engine, token_id = session.get_bind(), row.id
        after_commit(session, lambda: _touch_token(engine, token_id, now))
    return Principal(user=user, role=lower_role(user.role, SCOPE_ROLE[row.scope]), via="token",
                     areas=frozenset(row.areas), token_id=row.id)


def _touch_token(engine: Any, token_id: int, when: datetime) -> None:
    """Best effort: a busy database costs a stale last_used_at, never a failed request."""
    try:
        with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when))
    except SQLAlchemyError as exc:
        log.debug("last_used_at of token %s not recorded: %s", token_id, exc)
