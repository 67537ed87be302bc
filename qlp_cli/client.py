"""The client commands: an authenticated HTTP client for the API, `qlp submit` and `qlp logs` (live over the
WebSocket, resuming after a dropped connection)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from qlp_cli.common import admin_file, console
from qlp_core.metrics import KEY_METRICS
from qlp_core.settings import Settings, get_settings


class Client:
    """A small authenticated client for the CLI: token from QLP_TOKEN, QLP_USERNAME/QLP_PASSWORD, or the
    embedded admin password file."""

    def __init__(self, settings: Settings) -> None:
        assert settings.server.api_url is not None
        self.base = settings.server.api_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base, timeout=30)
        token = os.environ.get("QLP_TOKEN")
        if not token:
            user = os.environ.get("QLP_USERNAME", "admin")
            password = os.environ.get("QLP_PASSWORD")
            if password is None and admin_file(settings).exists():
                password = admin_file(settings).read_text().strip()
            if password is None:
                console.print("[red]No credentials: set QLP_TOKEN or QLP_USERNAME/QLP_PASSWORD[/]")
                raise typer.Exit(2)
            r = self.http.post("/api/auth/login", json={"username": user, "password": password})
            _check(r)
            token = r.json()["access_token"]
        self.token = token
        self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        r = self.http.get(path, params=params)
        _check(r)
        return r.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        r = self.http.post(path, json=body)
        _check(r)
        return r.json()


def _check(r: httpx.Response) -> None:
    if r.status_code >= 400:
        try:
            body = r.json()
            detail, code = body.get("detail"), body.get("code", "")
        except ValueError:
            detail, code = r.text, ""
        console.print(f"{r.request.method} {r.request.url.path} → {r.status_code} {code}: {detail}", style="red",
                      markup=False, soft_wrap=True)
        raise typer.Exit(1)


def _parse_sets(sets: list[str]) -> dict[str, Any]:
    from qlp_core.workflow_config import load_value  # values read as the config's own (``lr=1e-3`` is a number)

    out: dict[str, Any] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set {item!r}: expected key=value")
        out[key.strip()] = load_value(value)
    return out


def _resolve_dataset(client: Client, ref: str) -> dict[str, Any]:
    if ref.isdigit():
        result: dict[str, Any] = client.get(f"/api/data/datasets/{ref}")
        return result
    name, _, version = ref.partition("@v")
    found = client.get("/api/data/datasets", name=name)
    if version:
        found = [d for d in found if str(d["version"]) == version]
    if not found:
        console.print(f"[red]no dataset {ref}[/]")
        raise typer.Exit(1)
    return dict(found[0])


def follow_logs(client: Client, job_id: int, offset: int = 0) -> str:
    """Print the job's log from ``offset`` over the WebSocket, resuming after a dropped connection."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    ws_url = client.base.replace("http://", "ws://").replace("https://", "wss://") + f"/ws/train/{job_id}"
    state = "unknown"
    for _attempt in range(30):
        try:
            with connect(ws_url, open_timeout=10, max_size=2**20) as ws:
                ws.send(json.dumps({"type": "follow", "token": client.token, "offset": offset}))
                for raw in ws:
                    frame = json.loads(raw)
                    kind = frame.get("type")
                    if kind == "logs":
                        for line in frame["lines"]:
                            console.print(line["line"], markup=False, highlight=False, soft_wrap=True)
                        offset = frame["lines"][-1]["seq"] + 1
                    elif kind == "status":
                        state = frame["state"]
                        console.print(f"[bold cyan]── job {job_id}: {state}[/]")
                    elif kind == "end":
                        return str(frame["state"])
        except (ConnectionClosed, OSError) as exc:
            console.print(f"[yellow]log stream interrupted ({type(exc).__name__}); resuming at {offset}[/]")
            time.sleep(1)
    return state


def api_up(settings: Settings) -> bool:
    try:
        return httpx.get(f"{settings.server.api_url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def print_link(url: str) -> None:
    """A URL on a line of its own, never wrapped or cropped by the console (so terminals keep it clickable)."""
    console.print(url, soft_wrap=True, overflow="ignore", crop=False, markup=False, highlight=False)


def print_result(job: dict[str, Any]) -> None:
    table = Table(title=f"job {job['id']} · {job['state']}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name in KEY_METRICS:
        if name in job["metrics"]:
            table.add_row(name, f"{job['metrics'][name]:.4f}")
    console.print(table)
    if job.get("error"):
        console.print(f"[red]error: {job['error']}[/]")
    if job.get("mlflow_url"):
        console.print("MLflow run:")
        print_link(job["mlflow_url"])


def submit(
    config: Annotated[Path, typer.Argument(help="qrun-format workflow YAML.", exists=True, dir_okay=False)],
    dataset: Annotated[str, typer.Option(help="Dataset id, NAME or NAME@vN.")],
    set_: Annotated[list[str], typer.Option("--set", help="Override: dotted.key=value (repeatable).")] = [],  # noqa: B006
    experiment: Annotated[str | None, typer.Option(help="MLflow experiment name.")] = None,
    follow: Annotated[bool, typer.Option(help="Follow the log until the job ends.")] = True,
) -> None:
    """Submit a workflow config as a training job."""
    settings = get_settings()
    client = Client(settings)
    ds = _resolve_dataset(client, dataset)
    job = client.post("/api/train", {"config_text": config.read_text(), "dataset_id": ds["id"],
                                     "overrides": _parse_sets(set_), "experiment_name": experiment})
    console.print(f"submitted job [bold]{job['id']}[/] on {ds['name']}@v{ds['version']}")
    if follow:
        follow_logs(client, job["id"])
        job = client.get(f"/api/train/{job['id']}")
        print_result(job)
        raise typer.Exit(0 if job["state"] == "succeeded" else 1)


def logs(
    job_id: int,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep following until the job ends.")] = False,
    offset: Annotated[int, typer.Option(help="First line to show.")] = 0,
) -> None:
    """Print a job's log (from an offset), or follow it live."""
    client = Client(get_settings())
    if follow:
        follow_logs(client, job_id, offset)
        return
    while True:
        page = client.get(f"/api/train/{job_id}/logs", offset=offset, limit=5000)
        for line in page["lines"]:
            console.print(line["line"], markup=False, highlight=False, soft_wrap=True)
        if not page["lines"]:
            break
        offset = page["next_offset"]


