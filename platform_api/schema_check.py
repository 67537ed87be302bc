"""Request bodies are held to the JSON Schema the API publishes for them. Pydantic's lax mode takes more than that
schema allows (``true`` for an integer, ``"5"`` for 5, ``0`` for a date); a client generated from /openapi.json must
be able to trust that what the schema refuses, the API refuses (422 ``validation_failed``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter
from starlette.requests import HTTPConnection, Request


@cache
def _validator(body_type: Any) -> Draft202012Validator:
    return Draft202012Validator(TypeAdapter(body_type).json_schema(mode="validation"))


async def body_matches_schema(connection: HTTPConnection) -> None:
    """App-wide dependency: a JSON body that breaks its published schema is refused before pydantic coerces it.
    Routes outside the schema (the trainer protocol, the MLflow door) are left to their models."""
    route = connection.scope.get("route")
    if not isinstance(connection, Request) or not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    if route.body_field is None or "json" not in connection.headers.get("content-type", ""):
        return
    validator = _validator(route.body_field.field_info.annotation)
    try:
        body: Any = await connection.json()
    except ValueError:
        return  # not JSON: FastAPI's own parsing answers it
    errors = [
        {"type": f"schema_{e.validator}", "loc": ("body", *e.absolute_path), "msg": e.message[:300]}
        for e in validator.iter_errors(body)
    ]
    if errors:
        raise RequestValidationError(errors)
