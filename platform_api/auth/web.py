"""Browser sign-in: the session cookie (HttpOnly, SameSite=Strict) that the dashboard, its API calls, its log
WebSocket and the MLflow UI behind the door all accept; set by the dashboard (`POST /api/auth/session`) or by
the plain login form this module serves when the dashboard is not built, and cleared on sign-out."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from platform_api.auth import service
from platform_api.auth.models import User
from platform_api.auth.schemas import LoginRequest, UserRead
from platform_api.auth.security import encode_access_token
from platform_api.deps import SESSION_COOKIE, SessionDep, SettingsDep
from platform_api.domain_errors import Forbidden, Unauthenticated
from platform_api.errors import problems
from platform_api.web.spa import index_response
from qlp_core.settings import Settings

router = APIRouter(include_in_schema=False)
session_router = APIRouter(prefix="/api/auth", tags=["auth"])

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>qlib-platform · 登录 Sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;background:#f4f6f8;display:flex;justify-content:center;
align-items:center;height:100vh;margin:0}}form{{background:#fff;padding:2rem 2.5rem;border-radius:8px;
box-shadow:0 2px 12px #0002;min-width:18rem}}label{{display:block;margin:.8rem 0 .2rem}}
input{{width:100%;padding:.5rem;box-sizing:border-box}}button{{margin-top:1.2rem;width:100%;padding:.6rem;
background:#1f6feb;color:#fff;border:0;border-radius:4px;font-size:1rem}}.err{{color:#b00020}}</style></head>
<body><form method="post" action="/login"><h2>qlib-platform</h2>{error}
<input type="hidden" name="next" value="{next}">
<label for="username">用户名 Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">密码 Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="signin">登录 Sign in</button></form></body></html>"""


def safe_next(target: str | None) -> str:
    """Only a local path may follow the login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/mlflow/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/mlflow/"
    return target


def _page(next_url: str, error: str = "", status: int = 200) -> HTMLResponse:
    err = f'<p class="err">{html.escape(error)}</p>' if error else ""
    return HTMLResponse(PAGE.format(error=err, next=html.escape(next_url, quote=True)), status_code=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


def _check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise Forbidden("cross-origin login refused")


def _set_session(resp: Response, request: Request, settings: Settings, user: User) -> None:
    """The session cookie: a signed session token; a refresh token is never issued to a browser."""
    assert settings.auth.secret_key is not None
    token, _ = encode_access_token(
        subject=user.id, role=user.role, version=user.token_version,
        key=settings.auth.secret_key.get_secret_value(), issuer=settings.auth.issuer,
        audience=settings.auth.audience, minutes=settings.server.session_hours * 60, typ="session",
    )
    resp.set_cookie(SESSION_COOKIE, token, max_age=int(settings.server.session_hours * 3600), httponly=True,
                    samesite="strict", secure=request.url.scheme == "https", path="/")


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The dashboard's sign-in page when it is built, else the plain form."""
    spa = index_response(request.app.state.settings)
    return spa if spa is not None else _page(safe_next(next))


@session_router.post("/session", response_model=UserRead, responses=problems(401, 403, 422, 429))
def create_session(body: LoginRequest, request: Request, response: Response, session: SessionDep,
                   settings: SettingsDep) -> UserRead:
    """Browser sign-in: sets the HttpOnly session cookie that the dashboard, `/api`, the log WebSocket and the
    MLflow UI accept, and returns the user. Failed logins are throttled like `/api/auth/login`."""
    _check_origin(request)
    client = request.client.host if request.client else "-"
    user = service.authenticate(session, request.app.state.login_throttle, body.username, body.password, client)
    _set_session(response, request, settings, user)
    response.headers["Cache-Control"] = "no-store"
    return UserRead.model_validate(user)


@session_router.delete("/session", status_code=204, response_model=None, responses=problems(422))
def end_session(response: Response) -> None:
    """Browser sign-out: clears the session cookie (`POST /api/auth/logout` also ends every other session)."""
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.post("/login")
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2048)] = "/mlflow/",
) -> Response:
    _check_origin(request)
    client = request.client.host if request.client else "-"
    target = safe_next(next)
    try:
        # a session cookie only: no refresh token is issued that nobody would ever receive
        user = service.authenticate(session, request.app.state.login_throttle, username, password, client)
    except Unauthenticated:
        return _page(target, "用户名或密码错误 Wrong username or password", 401)
    resp = RedirectResponse(target, status_code=303)
    _set_session(resp, request, settings, user)
    return resp


@router.post("/logout")
def logout_submit() -> Response:
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp
