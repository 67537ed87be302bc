"""The door: `/mlflow/...` proxied to the hidden MLflow server, bodies streamed both ways, deny by default.

Authentication: `Authorization: Bearer` (access JWT or an API token valid for MLflow) or, for the browser,
the session cookie set by `/login` (SameSite=Strict; state-changing requests must also come from our own
origin). Authorisation: the policy's role per endpoint. Forwarded to MLflow: the request minus credentials,
cookies, Origin and any X-Forwarded-*; with MLflow's own Host and our X-Forwarded-For."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from anyio import to_thread
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from starlette.background import BackgroundTask

from platform_api.auth.principal import Principal
from platform_api.db import session_scope
from platform_api.deps import SESSION_COOKIE, principal_from_bearer, principal_from_session, same_origin
from platform_api.door import policy
from qlp_core.settings import Settings

router = APIRouter(include_in_schema=False)
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
}
DROP_REQUEST = HOP_BY_HOP | {"authorization", "cookie", "origin", "referer", "forwarded", "x-real-ip"}
DROP_RESPONSE = {h for h in HOP_BY_HOP if h != "content-length"} | {"set-cookie", "server"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
NO_DIRECT_STORAGE = ("multipart_uploads_enabled", "multipart_downloads_enabled",
                     "presigned_upload_run_id_supported", "presigned_upload_model_id_supported")
CURRENT_USER = {"ajax-api/2.0/mlflow/users/current", "api/2.0/mlflow/users/current"}


def make_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=settings.mlflow_upstream,
        timeout=httpx.Timeout(connect=5.0, read=600.0, write=600.0, pool=30.0),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        follow_redirects=False,
    )


def _authenticate(settings: Settings, request: Request) -> Principal | None:
    auth = request.headers.get("authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as s:  # reads only: no write lock on SQLite
        if auth:
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise HTTPException(401, "bearer token required", {"WWW-Authenticate": "Bearer"})
            return principal_from_bearer(s, settings, token.strip(), "mlflow")
        if cookie:
            return principal_from_session(s, settings, cookie)
    return None


def _wants_html(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


async def _limited(stream: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:
            raise HTTPException(413, f"upload larger than {limit} bytes")
        yield chunk


async def _door_capabilities(resp: httpx.Response) -> dict[str, Any]:
    """Clients must move every artifact byte through the door: no presigned URLs straight to the bucket."""
    try:
        data: dict[str, Any] = json.loads(await resp.aread())
    finally:
        await resp.aclose()
    for key in NO_DIRECT_STORAGE:
        if key in data:
            data[key] = False
    return data


def _check_json(path: str, body: Any) -> str | None:
    if path.endswith("experiments/create"):
        return policy.artifact_location_problem(body.get("artifact_location") if isinstance(body, dict) else None)
    if path.endswith("model-versions/create"):
        return policy.source_problem(body.get("source") if isinstance(body, dict) else None)
    return None


@router.api_route("/mlflow", methods=METHODS)
async def door_root(request: Request) -> Response:
    return RedirectResponse(request.app.state.settings.mlflow.static_prefix + "/", status_code=308)


@router.api_route("/mlflow/{path:path}", methods=METHODS)
async def door(request: Request, path: str) -> Response:
    settings: Settings = request.app.state.settings
    raw_path = request.scope.get("raw_path", b"").decode("latin-1")
    problem = policy.path_problem(raw_path.split("?", 1)[0])
    if problem:
        raise HTTPException(400, problem)
    for name, value in request.query_params.multi_items():
        if name in ("path", "artifact_path") and (problem := policy.value_problem(name, value)):
            raise HTTPException(400, problem)
    rule = policy.match(request.method, path)
    if rule is None and not (request.method == "GET" and path in CURRENT_USER):
        raise HTTPException(404, f"{request.method} /mlflow/{path} is not exposed")

    principal = await to_thread.run_sync(_authenticate, settings, request)
    if principal is None:
        if _wants_html(request):
            return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)
        raise HTTPException(401, "not authenticated", {"WWW-Authenticate": "Bearer"})
    if rule is None:  # the UI asks who is signed in: our user, in MLflow's auth shape
        return JSONResponse({"user": {"id": principal.id, "username": principal.username,
                                      "is_admin": principal.role == "admin"}})
    if principal.via == "session" and request.method not in SAFE_METHODS and not same_origin(request.headers):
        raise HTTPException(403, "cross-origin request refused")
    if rule.refused is not None:
        raise HTTPException(403, f"{request.method} /mlflow/{path} is refused at the door: {rule.refused}")
    if not principal.at_least(rule.role):
        raise HTTPException(403, f"needs role {rule.role} or higher for {request.method} /mlflow/{path}")

    content: Any = None
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if rule.kind == "artifact":
            length = int(request.headers.get("content-length") or 0)
            if length > settings.mlflow.max_artifact_bytes:
                raise HTTPException(413, f"upload larger than {settings.mlflow.max_artifact_bytes} bytes")
            content = _limited(request.stream(), settings.mlflow.max_artifact_bytes)
        else:
            length = int(request.headers.get("content-length") or 0)
            if length > settings.mlflow.max_json_bytes:
                raise HTTPException(413, f"request body larger than {settings.mlflow.max_json_bytes} bytes")
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > settings.mlflow.max_json_bytes:
                    raise HTTPException(413, f"request body larger than {settings.mlflow.max_json_bytes} bytes")
            if rule.kind in ("json", "graphql") and body:
                try:
                    parsed = json.loads(body)
                except ValueError as exc:
                    raise HTTPException(400, "request body is not JSON") from exc
                problem = policy.graphql_problem(parsed) if rule.kind == "graphql" else _check_json(path, parsed)
                if problem:
                    raise HTTPException(400, problem)
            content = body

    upstream_path = request.url.path
    if rule.kind == "artifact":  # the unprefixed artifact routes stream; the prefixed ones buffer in MLflow
        upstream_path = "/" + path.removeprefix("ajax-")
    headers = {k: v for k, v in request.headers.items()
               if k.lower() not in DROP_REQUEST and not k.lower().startswith("x-forwarded-")}
    upstream = httpx.URL(settings.mlflow_upstream)
    headers["host"] = upstream.netloc.decode()
    headers["x-forwarded-for"] = request.client.host if request.client else "unknown"
    headers["x-qlp-user"] = principal.username
    client: httpx.AsyncClient = request.app.state.mlflow_client
    req = client.build_request(request.method, upstream_path, params=request.url.query or None,
                               headers=headers, content=content)
    try:
        resp = await client.send(req, stream=True)
    except httpx.HTTPError as exc:
        raise HTTPException(502, f"MLflow is unreachable ({type(exc).__name__})") from exc
    if rule.kind == "server_info" and resp.status_code == 200:
        return JSONResponse(await _door_capabilities(resp))
    out_headers = {k: v for k, v in resp.headers.items() if k.lower() not in DROP_RESPONSE}
    location = resp.headers.get("location")
    if location:  # never reveal the hidden server's address
        parts = urlsplit(location)
        out_headers["location"] = parts.path + (f"?{parts.query}" if parts.query else "")
    return StreamingResponse(resp.aiter_raw(), status_code=resp.status_code, headers=out_headers,
                             background=BackgroundTask(resp.aclose))
