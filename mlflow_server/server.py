"""Builds and starts the MLflow tracking server from our settings (job execution off, loopback by default)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from platform_api.proc import spawn
from platform_api.settings import Settings


def server_command(settings: Settings) -> list[str]:
    m = settings.mlflow
    assert m.backend_store_uri is not None and m.artifacts_destination is not None
    return [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", m.backend_store_uri,
        "--artifacts-destination", m.artifacts_destination,
        "--serve-artifacts",
        "--host", m.host,
        "--port", str(m.port),
        "--workers", str(m.workers),
    ]


def server_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QLP_AUTH__", "QLP_DB__"))}
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
    return env


def start(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """Start the server as a child process; call :func:`wait_ready` next."""
    if settings.mlflow.artifacts_destination and "://" not in settings.mlflow.artifacts_destination:
        Path(settings.mlflow.artifacts_destination).mkdir(parents=True, exist_ok=True)
    return spawn(server_command(settings), log_path=log_path, env=server_env(settings))


class MLflowStartError(RuntimeError):
    """The MLflow server did not come up; the message names its log."""


def is_up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(url: str, proc: subprocess.Popen[bytes] | None, timeout: float, log_path: Path) -> float:
    """Poll ``/health`` until it answers; fail early if the process exits. Returns seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise MLflowStartError(f"MLflow server exited with code {proc.returncode}; see {log_path}")
        if is_up(url):
            return time.monotonic() - t0
        time.sleep(0.3)
    raise MLflowStartError(f"MLflow server did not answer within {timeout:.0f}s; see {log_path}")
