"""One error shape for every response (RFC 9457 problem details with a request id and a machine-readable code), the
handlers that map domain errors and HTTP errors to it, its OpenAPI documentation, and the request-id middleware."""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_api.domain_errors import DomainError
from qlp_core.logging_setup import RequestIdFilter, request_id_var
from qlp_core.problems import ProblemCode, code_for_status

log = logging.getLogger("qlp.api")
PROBLEM = "application/problem+json"


class RequestIdMiddleware:
    """Takes a sane incoming X-Request-ID or makes one; echoes it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if incoming and len(incoming) <= 64 and incoming.replace("-", "").isalnum() else uuid.uuid4().hex
        token = request_id_var.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this API is answered."""

    type: str = Field("about:blank", description="Always about:blank: ``code`` says what went wrong.")
    title: str = Field(description="The HTTP status phrase.")
    status: int = Field(description="The HTTP status code.")
    detail: str | list[dict[str, Any]] = Field(
        description="What went wrong, for people; a list of field errors when the request did not match its schema.")
    code: ProblemCode = Field(description="What went wrong, for programs: branch on this, never on ``detail``.")
    request_id: str = Field(description="Quote it when reporting: the service log has the same id.")


def problem(status: int, title: str, detail: Any = None, headers: dict[str, str] | None = None,
            code: ProblemCode | None = None) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail if detail is not None else title,
        "code": str(code or code_for_status(status)),
        "request_id": request_id_var.get(),
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_problem(exc: DomainError) -> JSONResponse:
    """A domain error as problem details; a route returns it instead of raising when the refusal itself is kept (the
    request's unit of work still commits: a gate decision that refused a promotion)."""
    return problem(exc.status, _title(exc.status), exc.detail, exc.headers, exc.code)


_DESCRIPTIONS = {
    400: "Bad request", 401: "Not authenticated", 403: "Not allowed for this role or token", 404: "Not found",
    409: "Conflicts with the current state", 410: "Gone", 413: "Body too large",
    422: "Refused: the request does not match its schema, or its content is not acceptable",
    429: "Too many requests", 502: "A dependency is unreachable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for these error statuses, all answered as problem details."""
    return {
        s: {"model": Problem, "description": _DESCRIPTIONS.get(s, "Error"), "content": {PROBLEM: {}}}
        for s in statuses
    }


#: Every authenticated route can answer these.
AUTHED = (401, 403, 422)


def operation_id(route: APIRoute) -> str:
    """Stable, readable operation ids: ``<first tag>_<function name>``, e.g. ``jobs_submit``."""
    tag = str(route.tags[0]).replace(" ", "_") if route.tags else "platform"
    return f"{tag}_{route.name}"


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_HTTP_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"})
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI document say what is answered: every error response as ``application/problem+json`` with
    the Problem schema (FastAPI puts a ``responses=`` model under ``application/json``, and documents its request
    validation error as ``HTTPValidationError`` in ``application/json``); a 400 wherever a body is read; no 422 for an
    operation without parameters or body (``AUTHED`` lists it for all: there is nothing to validate, and no service
    answers 422 for such an operation)."""
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses: dict[str, Any] = op["responses"]
            has_input = bool(op.get("parameters") or op.get("requestBody"))
            if op.get("requestBody"):  # a body that is not even text (not UTF-8): FastAPI answers 400
                responses.setdefault("400", {"description": "The body cannot be read (not UTF-8 text)",
                                             "content": {PROBLEM: {}}})
            for status, response in list(responses.items()):
                content = response.get("content") or {}
                is_fastapi_validation = status == "422" and any(
                    c.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError") for c in content.values())
                if status == "422" and not has_input:
                    del responses[status]  # nothing to validate: FastAPI never answers 422 here
                elif PROBLEM in content or is_fastapi_validation:
                    response["content"] = {PROBLEM: {"schema": dict(_PROBLEM_REF)}}
                    if is_fastapi_validation:
                        response["description"] = _DESCRIPTIONS[422]
    components = schema.get("components", {}).get("schemas", {})
    text = json.dumps(schema.get("paths", {}))
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        if f"/{name}\"" not in text:
            components.pop(name, None)
    return schema


def _allow(app: FastAPI, path: str) -> dict[str, str]:
    """``Allow`` for a 405 on a documented path: every method documented for it (Starlette names only those of the
    first route that matched the path, one of several when a path has one route per method)."""
    paths: dict[str, dict[str, Any]] = app.openapi().get("paths", {})
    matching = [t for t in paths if re.fullmatch(re.sub(r"\\\{[^/}]+\\\}", "[^/]+", re.escape(t)), path)]
    # a literal path (/api/data/datasets/generate) is routed before a template that also matches it
    templates = [path] if path in paths else matching
    methods = {m.upper() for t in templates for m in paths[t] if m.upper() in _HTTP_METHODS}
    if not methods:
        return {}  # not in the schema (the door, the trainer protocol): Starlette's own Allow stands
    if "GET" in methods:
        methods.add("HEAD")
    return {"Allow": ", ".join(sorted(methods))}


def _install_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _install_openapi(app)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return domain_problem(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), **_allow(app, request.url.path)}
        return problem(exc.status_code, _title(exc.status_code), exc.detail, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem(422, "Unprocessable Content", errors, code=ProblemCode.VALIDATION_FAILED)

    @app.exception_handler(Exception)
    async def _unhandled(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", type(exc).__name__)
        return problem(500, "Internal Server Error", "internal error; quote the request id when reporting it")


__all__ = ["AUTHED", "HTTPException", "Problem", "RequestIdFilter", "RequestIdMiddleware", "document_problems",
           "install_error_handlers", "operation_id", "problem", "problems"]
