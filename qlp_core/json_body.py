"""Request bodies held to the JSON Schema they publish. Pydantic's lax mode takes more than that schema allows
(``true`` for an integer, ``"5"`` for 5, ``0`` for a date); a client generated from the OpenAPI document must be able
to trust that what the schema refuses, the API refuses too."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

_SCALARS = (str, int, float, bool, type(None))


def _plain_json(data: Any, depth: int = 0) -> bool:
    """Only what JSON decodes to: a body as it arrived, not a model built in code from Python objects."""
    if depth > 64:
        return False
    if isinstance(data, _SCALARS):
        return True
    if isinstance(data, list):
        return all(_plain_json(v, depth + 1) for v in data)
    if isinstance(data, dict):
        return all(isinstance(k, str) and _plain_json(v, depth + 1) for k, v in data.items())
    return False


@cache
def _validator(model: type[BaseModel]) -> Draft202012Validator:
    # imported on first use: jsonschema costs ~2 s to import here, and every job process imports the protocol
    from jsonschema import Draft202012Validator

    return Draft202012Validator(model.model_json_schema(mode="validation"))


def warm_validators() -> None:
    """Import jsonschema now (an API does it at start-up, so no request waits for it)."""
    import jsonschema  # noqa: F401


class JsonBody(BaseModel):
    """Base of every model a route takes as its JSON body: input that breaks the model's published schema is refused
    (422) before pydantic's coercions; then the model's own validation runs as usual."""

    @model_validator(mode="before")
    @classmethod
    def _held_to_schema(cls, data: Any) -> Any:
        if isinstance(data, dict) and _plain_json(data):
            errors = sorted(_validator(cls).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
            if errors:
                reasons = "; ".join(f"{'.'.join(map(str, e.absolute_path)) or 'body'}: {e.message[:200]}"
                                    for e in errors[:5])
                raise PydanticCustomError("schema_mismatch", "does not match the schema: {reasons}",
                                          {"reasons": reasons})
        return data
