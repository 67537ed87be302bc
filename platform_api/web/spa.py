"""Serves the built dashboard: hashed assets cached immutably (gzipped once, for clients that take it),
index.html for every page path (SPA fallback), with a Content-Security-Policy that allows no eval and no inline
script."""

from __future__ import annotations

import gzip
import mimetypes
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from platform_api.domain_errors import NotFound
from qlp_core.settings import Settings

router = APIRouter(include_in_schema=False)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "frontend" / "dist"
#: the API's own top-level paths: never answered with the page
RESERVED = ("api/", "ws/", "mlflow/", "mlflow", "api", "ws", "docs", "openapi.json", "health", "status",
            "login", "logout", "assets")
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # Element Plus and ECharts set style attributes
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".map", ".txt", ".html"}


def dashboard_dir(settings: Settings) -> Path:
    return settings.server.dashboard_dir or DEFAULT_DIR


def index_response(settings: Settings) -> HTMLResponse | None:
    """index.html with the page headers, or None when the dashboard is not built."""
    index = dashboard_dir(settings) / "index.html"
    try:
        body = index.read_bytes()
    except OSError:
        return None
    return HTMLResponse(body, headers=PAGE_HEADERS)


def _not_built(settings: Settings) -> NotFound:
    return NotFound(f"the dashboard is not built ({dashboard_dir(settings)} has no index.html): run `make demo`, "
                    "or `npm ci && npm run build` in frontend/")


@lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


@router.get("/assets/{name:path}", response_model=None)
def asset(name: str, request: Request) -> Response:
    """A hashed build asset: its name changes with its content, so it is cached for a year."""
    root = (dashboard_dir(request.app.state.settings) / "assets").resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound("no such asset")
    headers = {"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff", "Vary": "Accept-Encoding"}
    if path.suffix in COMPRESSIBLE and "gzip" in request.headers.get("accept-encoding", ""):
        body = _gzipped(path, path.stat().st_mtime_ns)
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(body, media_type=media, headers={**headers, "Content-Encoding": "gzip"})
    return FileResponse(path, headers=headers)


@router.get("/")
def home(request: Request) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    page = index_response(settings)
    if page is None:
        raise _not_built(settings)
    return page


@router.get("/{path:path}")
def page(path: str, request: Request) -> HTMLResponse:
    """Any other dashboard path (the app's router shows the page, or its own not-found page)."""
    first = path.split("/", 1)[0]
    if first in RESERVED or "." in path.rsplit("/", 1)[-1]:
        raise NotFound("no such page")
    settings: Settings = request.app.state.settings
    response = index_response(settings)
    if response is None:
        raise _not_built(settings)
    return response
