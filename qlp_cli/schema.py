"""`qlp openapi`: the API's OpenAPI schema as JSON, without starting anything (the dashboard's client is
generated from it)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from qlp_core.settings import Settings


def openapi(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here instead of standard output")] = None,
) -> None:
    """Print the API's OpenAPI schema (the same document the server serves at /openapi.json)."""
    from platform_api.app import create_app

    with tempfile.TemporaryDirectory(prefix="qlp-openapi-") as home:
        app = create_app(Settings.model_validate({"home": Path(home), "mode": "embedded"}))
        text = json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
