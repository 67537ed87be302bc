"""`qlp demo`: generate the demo market on a worker, train the demo workflow on it, follow its log, print the
results and how to look at the run."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from qlp_cli.client import Client, api_up, follow_logs, print_link, print_result
from qlp_cli.common import console
from qlp_core.proc import spawn, stop
from qlp_core.settings import Settings, get_settings

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "trainers" / "configs" / "demo_lgb_alpha158.yaml"


def demo(
    instruments: Annotated[int, typer.Option(help="Instruments in the synthetic market.")] = 50,
    years: Annotated[float, typer.Option(help="Years of business days.")] = 3,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 0,
    keep_running: Annotated[bool, typer.Option(help="Leave the platform it started running afterwards.")] = False,
) -> None:
    """Generate the demo market on a worker, train the demo workflow on it, follow its log, print the results.

    Uses a running platform at the configured API URL, or starts the embedded one for the demo."""
    settings = get_settings()
    started: subprocess.Popen[bytes] | None = None
    if not api_up(settings):
        started = _start_platform(settings, detached=keep_running)
    ok = False
    job: dict[str, Any] = {}
    try:
        client = Client(settings)
        console.print(f"Generating the demo market ({instruments} instruments × {years} years) on a worker…")
        gen = client.post("/api/data/datasets/generate", {
            "name": "demo", "description": "synthetic market with a planted signal",
            "n_instruments": instruments, "years": years, "seed": seed})
        follow_logs(client, gen["id"])
        gen = client.get(f"/api/train/{gen['id']}")
        if gen["state"] != "succeeded":
            console.print(f"[red]generating the market failed: {gen['error']}[/]")
            raise typer.Exit(1)
        ds = client.get(f"/api/data/datasets/{gen['dataset_id']}")
        console.print(f"dataset [bold]{ds['name']}@v{ds['version']}[/] (id {ds['id']}, hash {ds['content_hash'][:12]}, "
                      f"{ds['instruments']} instruments, {ds['calendar_start']}..{ds['calendar_end']})")
        job = client.post("/api/train", {"config_text": DEMO_CONFIG.read_text(), "dataset_id": ds["id"],
                                         "name": "demo", "experiment_name": "demo"})
        console.print(f"submitted job [bold]{job['id']}[/]; following its log")
        follow_logs(client, job["id"])
        job = client.get(f"/api/train/{job['id']}")
        print_result(job)
        ok = job["state"] == "succeeded"
    finally:
        if started is not None and not keep_running:
            with console.status("Stopping the embedded platform…"):
                stop(started, sig=signal.SIGINT, timeout=30)
    _how_to_look(settings, job, started, keep_running)
    raise typer.Exit(0 if ok else 1)


def _start_platform(settings: Settings, *, detached: bool) -> subprocess.Popen[bytes]:
    assert settings.storage.log_dir is not None
    log_path = settings.storage.log_dir / "qlp-up.log"
    console.print(f"Starting the embedded platform (log: {log_path})…")
    started = spawn([sys.executable, "-m", "qlp_cli", "up"], log_path=log_path, die_with_us=not detached)
    with console.status("Waiting for the API (MLflow takes about 15 s to start)…"):
        t0 = time.monotonic()
        while not api_up(settings):
            if started.poll() is not None:
                console.print(f"[red]the platform exited with code {started.returncode}; see {log_path}[/]")
                console.print(log_path.read_text()[-3000:], markup=False)
                raise typer.Exit(1)
            if time.monotonic() - t0 > 180:
                console.print(f"[red]the API did not come up in 180 s; see {log_path}[/]")
                raise typer.Exit(1)
            time.sleep(0.5)
    console.print(f"platform up in {time.monotonic() - t0:.1f}s")
    return started


def _how_to_look(settings: Settings, job: dict[str, Any], started: subprocess.Popen[bytes] | None,
                 keep_running: bool) -> None:
    """Tell the user where the run is, whole links only (a wrapped link cannot be clicked)."""
    url = job.get("mlflow_url")
    if started is None:
        console.print(f"The platform keeps running at {settings.server.api_url}.", soft_wrap=True)
    elif keep_running:
        console.print(f"The platform keeps running at {settings.server.api_url} (pid {started.pid}; "
                      f"stop it with: kill -INT {started.pid}).", soft_wrap=True)
    else:
        console.print("The embedded platform has stopped. To look at the run, start it again with: qlp up",
                      soft_wrap=True)
        console.print("(or run the demo with --keep-running next time)", soft_wrap=True)
    base = settings.server.api_url
    console.print(f"Sign in to the dashboard at {base}/login (user admin, password in "
                  f"{settings.home / 'admin_password'}), then open the job, its run, or the run in the MLflow UI:",
                  soft_wrap=True)
    print_link(f"{base}/jobs/{job['id']}")
    if job.get("mlflow_run_id"):
        print_link(f"{base}/experiments/runs/{job['mlflow_run_id']}")
    if url:
        print_link(url)
