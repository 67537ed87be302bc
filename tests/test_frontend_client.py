"""The dashboard's committed API client (frontend/src/api/schema.d.ts) matches the live API's OpenAPI schema."""

from __future__ import annotations

import shutil
import subprocess

from tests.helpers import ROOT, RunningPlatform, service_missing

FRONTEND = ROOT / "frontend"


def test_committed_client_types_match_the_live_schema(shared_platform: RunningPlatform) -> None:
    if shutil.which("node") is None or not (FRONTEND / "node_modules" / "openapi-typescript").is_dir():
        service_missing("node with frontend/node_modules (make frontend-check installs them)")
    r = subprocess.run(["node", "scripts/gen-api.mjs", "--check", "--from", shared_platform.url + "/openapi.json"],
                       cwd=FRONTEND, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "matches" in r.stdout
