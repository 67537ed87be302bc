"""Builds and starts the MLflow tracking server from our settings: backend store upgraded first (refusing to
serve on a schema it cannot upgrade), artifacts proxied to a folder or S3, served under the door's prefix,
allowed hosts pinned, job execution off. It listens on loopback or a private network; users reach it only
through the API's door."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx

from qlp_core.proc import spawn
from qlp_core.settings import Settings, write_private


class MLflowStartError(RuntimeError):
    """The MLflow server did not come up; the message names its log."""


def server_command(settings: Settings) -> list[str]:
    m = settings.mlflow
    assert m.backend_store_uri is not None and m.artifacts_destination is not None
    return [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", m.backend_store_uri,
        "--artifacts-destination", m.artifacts_destination,
        "--serve-artifacts",
        "--static-prefix", m.static_prefix,
        "--host", m.host,
        "--port", str(m.port),
        "--workers", str(m.workers),
    ]


def allowed_hosts(settings: Settings) -> str:
    """The Host headers MLflow accepts: its own address (the door sends exactly that)."""
    m = settings.mlflow
    hosts = {f"{m.host}:{m.port}", f"127.0.0.1:{m.port}", f"localhost:{m.port}"}
    if m.url:
        hosts.add(httpx.URL(m.url).netloc.decode())
    return ",".join(sorted(hosts))


def server_env(settings: Settings) -> dict[str, str]:
    """The server's environment: S3 credentials live here only; our own secrets never do."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QLP_AUTH__", "QLP_DB__"))}
    m = settings.mlflow
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
    env["MLFLOW_SERVER_ALLOWED_HOSTS"] = allowed_hosts(settings)
    if m.s3_endpoint_url:
        env["MLFLOW_S3_ENDPOINT_URL"] = m.s3_endpoint_url
    if m.s3_access_key_id and m.s3_secret_access_key:
        env["AWS_ACCESS_KEY_ID"] = m.s3_access_key_id.get_secret_value()
        env["AWS_SECRET_ACCESS_KEY"] = m.s3_secret_access_key.get_secret_value()
    env.setdefault("AWS_DEFAULT_REGION", m.s3_region)
    return env


def upgrade_backend(settings: Settings, log_path: Path) -> None:
    """`mlflow db upgrade` on a SQL backend store; a failure refuses the start (never serve on a stale schema)."""
    uri = settings.mlflow.backend_store_uri
    assert uri is not None
    if not uri.startswith(("sqlite:", "mysql", "postgresql", "mssql")):
        return
    if uri.startswith("sqlite:///"):
        Path(uri[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as out:
        done = subprocess.run([sys.executable, "-m", "mlflow", "db", "upgrade", uri], stdout=out,
                              stderr=subprocess.STDOUT, env=server_env(settings), timeout=600)
    if done.returncode != 0:
        raise MLflowStartError(f"the MLflow backend store could not be upgraded (exit {done.returncode}); "
                               f"refusing to serve on it; see {log_path}")


def prepare(settings: Settings, log_path: Path) -> None:
    """Make the local artifact folder and upgrade the backend store (slow: seconds)."""
    dest = settings.mlflow.artifacts_destination
    if dest and "://" not in dest:
        Path(dest).mkdir(parents=True, exist_ok=True)
    upgrade_backend(settings, log_path)


def launch(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """Start the server as a child process (call from a thread-free moment); :func:`wait_ready` next."""
    return spawn(server_command(settings), log_path=log_path, env=server_env(settings))


def _home_marker(settings: Settings) -> str:
    """The name of the (deleted, so hidden) experiment that tells this data folder's MLflow store from others."""
    path = settings.home / "home_id"
    if not path.exists():
        write_private(path, secrets.token_hex(8) + "\n")
    return "qlp-home-" + path.read_text().strip()


def mark_ours(settings: Settings) -> None:
    """Leave this data folder's mark in the store of the MLflow server we just started."""
    base = f"{settings.tracking_uri}/api/2.0/mlflow/experiments"
    name = _home_marker(settings)
    with httpx.Client(timeout=10) as c:
        found = c.get(f"{base}/get-by-name", params={"experiment_name": name})
        if found.status_code == 200:
            return
        created = c.post(f"{base}/create", json={"name": name, "tags": [
            {"key": "qlp.note", "value": "marks the MLflow store of one qlib-platform data folder"}]})
        created.raise_for_status()
        c.post(f"{base}/delete", json={"experiment_id": created.json()["experiment_id"]}).raise_for_status()


def serves_our_store(settings: Settings) -> bool:
    """True when the MLflow server answering at the tracking URI holds this data folder's mark (MLflow finds
    deleted experiments by name too): a server of another data folder, or anyone else's, does not."""
    try:
        r = httpx.get(f"{settings.tracking_uri}/api/2.0/mlflow/experiments/get-by-name",
                      params={"experiment_name": _home_marker(settings)}, timeout=5)
    except httpx.HTTPError:
        return False
    return r.status_code == 200


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
