"""HTTP routes of the auth domain: login, refresh, logout, me, and user administration."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from platform_api.auth import repository as repo
from platform_api.auth import service
from platform_api.auth.schemas import (
    LoginRequest,
    RefreshRequest,
    TokenCreate,
    TokenCreated,
    TokenPair,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from platform_api.deps import AdminUser, CurrentUser, RowId, SessionDep, SettingsDep
from platform_api.errors import AUTHED, problems

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=TokenPair, responses=problems(401, 422, 429))
def login(body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Password login: a short-lived access token and a single-use refresh token. Failed logins are throttled."""
    client = request.client.host if request.client else "-"
    throttle: service.LoginThrottle = request.app.state.login_throttle
    return service.login(session, settings, throttle, body.username, body.password, client)


@router.post("/refresh", response_model=TokenPair, responses=problems(401, 422))
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """A new token pair for a refresh token, which then stops working (rotation)."""
    return service.refresh(session, settings, body.refresh_token)


@router.post("/logout", status_code=204, response_model=None, responses=problems(*AUTHED))
def logout(principal: CurrentUser, session: SessionDep) -> None:
    """Ends every session of the caller: all its access and refresh tokens stop working."""
    service.logout(session, session.merge(principal.user))


@router.get("/me", response_model=UserRead, responses=problems(*AUTHED))
def me(principal: CurrentUser) -> UserRead:
    return UserRead.model_validate(principal.user)


@router.post("/tokens", response_model=TokenCreated, status_code=201, responses=problems(*AUTHED))
def create_token(body: TokenCreate, principal: CurrentUser, session: SessionDep) -> TokenCreated:
    """A long-lived token for scripts and trainer hosts (`Authorization: Bearer`, or MLFLOW_TRACKING_TOKEN).
    403 when called with a token (log in with a password) or when the scope is above the caller's role."""
    row, raw = service.create_token(session, principal, body)
    return TokenCreated(**TokenRead.model_validate(row).model_dump(), token=raw)


@router.get("/tokens", response_model=list[TokenRead], responses=problems(*AUTHED))
def list_tokens(principal: CurrentUser, session: SessionDep,
                all_users: bool = Query(False, description="every user's tokens (admin only)")) -> list[TokenRead]:
    return [TokenRead.model_validate(r) for r in service.list_tokens(session, principal, all_users)]


@router.delete("/tokens/{token_id}", response_model=TokenRead, responses=problems(*AUTHED, 404))
def revoke_token(token_id: RowId, principal: CurrentUser, session: SessionDep) -> TokenRead:
    """Revoke one of your tokens (an admin: anyone's)."""
    return TokenRead.model_validate(service.revoke_token(session, principal, token_id))


@router.get("/users", response_model=list[UserRead], responses=problems(*AUTHED))
def list_users(_: AdminUser, session: SessionDep) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in repo.list_users(session)]


@router.post("/users", response_model=UserRead, status_code=201, responses=problems(*AUTHED, 409))
def create_user(body: UserCreate, _: AdminUser, session: SessionDep) -> UserRead:
    """422 also for a password that is common, equals the username or has fewer than 4 distinct characters."""
    return UserRead.model_validate(service.create_user(session, body))


@router.patch("/users/{user_id}", response_model=UserRead, responses=problems(*AUTHED, 404, 409))
def update_user(user_id: RowId, body: UserUpdate, _: AdminUser, session: SessionDep) -> UserRead:
    """Change role, active state or password (the user's sessions end). 409 with code ``last_admin`` when the
    change would leave no active admin; 422 also for a weak password (see create_user)."""
    return UserRead.model_validate(service.update_user(session, user_id, body))
