"""HTTP routes of the auth domain: login, refresh, logout, me, and user administration."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

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
from platform_api.deps import AdminUser, CurrentUser, SessionDep, SettingsDep

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=TokenPair)
def login(body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep) -> TokenPair:
    client = request.client.host if request.client else "-"
    throttle: service.LoginThrottle = request.app.state.login_throttle
    return service.login(session, settings, throttle, body.username, body.password, client)


@router.post("/refresh", response_model=TokenPair)
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    return service.refresh(session, settings, body.refresh_token)


@router.post("/logout", status_code=204)
def logout(principal: CurrentUser, session: SessionDep) -> None:
    service.logout(session, session.merge(principal.user))


@router.get("/me", response_model=UserRead)
def me(principal: CurrentUser) -> UserRead:
    return UserRead.model_validate(principal.user)


@router.post("/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, principal: CurrentUser, session: SessionDep) -> TokenCreated:
    """A long-lived token for scripts and trainer hosts (`Authorization: Bearer`, or MLFLOW_TRACKING_TOKEN)."""
    if principal.via == "token":
        raise HTTPException(403, "tokens cannot mint tokens; log in with a password")
    row, raw = service.create_token(session, principal, body)
    return TokenCreated(**TokenRead.model_validate(row).model_dump(), token=raw)


@router.get("/tokens", response_model=list[TokenRead])
def list_tokens(principal: CurrentUser, session: SessionDep, all_users: bool = False) -> list[TokenRead]:
    if all_users and not principal.at_least("admin"):
        raise HTTPException(403, "needs role admin")
    rows = repo.list_tokens(session, None if all_users else principal.id)
    return [TokenRead.model_validate(r) for r in rows]


@router.delete("/tokens/{token_id}", response_model=TokenRead)
def revoke_token(token_id: int, principal: CurrentUser, session: SessionDep) -> TokenRead:
    return TokenRead.model_validate(service.revoke_token(session, principal, token_id))


@router.get("/users", response_model=list[UserRead])
def list_users(_: AdminUser, session: SessionDep) -> list[UserRead]:
    return [UserRead.model_validate(u) for u in repo.list_users(session)]


@router.post("/users", response_model=UserRead, status_code=201)
def create_user(body: UserCreate, _: AdminUser, session: SessionDep) -> UserRead:
    return UserRead.model_validate(service.create_user(session, body))


@router.patch("/users/{user_id}", response_model=UserRead)
def update_user(user_id: int, body: UserUpdate, _: AdminUser, session: SessionDep) -> UserRead:
    user = repo.get_user(session, user_id)
    if user is None:
        raise HTTPException(404, "no such user")
    return UserRead.model_validate(service.update_user(session, user, body))
