"""The `qlp` command line: run the embedded platform, a worker, the demo; submit jobs and follow their logs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from qlp_core.settings import Settings, get_settings, write_private

app = typer.Typer(help="qlib-platform: Qlib workflows tracked in MLflow.", no_args_is_help=True)
console = Console()
DEMO_CONFIG = Path(__file__).resolve().parent.parent / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
KEY_METRICS = ("IC", "ICIR", "Rank IC", "Rank ICIR", "1day.excess_return_with_cost.annualized_return",
               "1day.excess_return_with_cost.information_ratio", "1day.excess_return_with_cost.max_drawdown")


def _admin_file(settings: Settings) -> Path:
    return settings.home / "admin_password"


# ----- the embedded platform -------------------------------------------------------------
class Platform:
    """The embedded platform's children: MLflow server and trainer workers; the API runs in this process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def prepare(self) -> None:
        from platform_api.auth.service import ensure_admin
        from platform_api.db import prepare_database, session_scope

        s = self.settings
        s.home.mkdir(parents=True, exist_ok=True)
        assert s.db.url is not None
        with console.status("Migrating the platform database…"):
            prepare_database(s.db.url)
        with session_scope(s.db.url) as session:
            password = ensure_admin(session)
        if password:
            write_private(_admin_file(s), password + "\n")
            console.print(
                f"[bold green]Created user 'admin'[/] with password [bold]{password}[/] "
                f"(shown once; kept 0600 in {_admin_file(s)})"
            )

    def start_children(self, workers: int) -> None:
        from mlflow_server.server import MLflowStartError, is_up, launch, prepare, wait_ready

        s = self.settings
        assert s.storage.log_dir is not None
        if s.mlflow.url is None:
            if is_up(s.tracking_uri):
                console.print(f"MLflow already answers at {s.tracking_uri}; using it")
            else:
                log_path = s.storage.log_dir / "mlflow.log"
                try:
                    with console.status("Upgrading the MLflow backend store…"):
                        prepare(s, log_path)
                    proc = launch(s, log_path)  # outside the spinner: no thread may run while we fork
                    self.children.append(("mlflow", proc))
                    with console.status(f"Starting MLflow at {s.tracking_uri} (about 15 s)…"):
                        took = wait_ready(s.tracking_uri, proc, s.mlflow.startup_timeout_s, log_path)
                except MLflowStartError as exc:
                    self.stop()
                    console.print(f"[red]{exc}[/]")
                    raise typer.Exit(1) from exc
                console.print(f"MLflow ready at {s.tracking_uri} in {took:.1f}s")
        from qlp_core.proc import spawn

        for i in range(workers):
            name = f"embedded-{i + 1}@{os.uname().nodename}"
            proc = spawn(
                [sys.executable, "-m", "qlp_cli", "worker", "--name", name,
                 "--concurrency", str(s.server.worker_concurrency), "--queues", s.broker.default_queue],
                log_path=s.storage.log_dir / f"worker-{i + 1}.log",
            )
            self.children.append((f"worker {name}", proc))
        if workers:
            console.print(f"Started {workers} trainer worker(s); logs in {s.storage.log_dir}")

    def stop(self) -> None:
        from qlp_core.proc import stop

        for name, proc in reversed(self.children):
            code = stop(proc, sig=signal.SIGTERM, timeout=10)
            console.print(f"stopped {name} (exit {code})")
        self.children.clear()


@app.command()
def up(
    workers: Annotated[int | None, typer.Option(help="Trainer workers to start (default from settings).")] = None,
) -> None:
    """Run the embedded platform: database, MLflow server, trainer workers and the API on one port."""
    import uvicorn

    from platform_api.app import create_app

    settings = get_settings()

    def _terminate(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    # uvicorn re-raises SIGTERM after its graceful shutdown: turn it into an exception so the children are
    # stopped below instead of the process vanishing under them.
    signal.signal(signal.SIGTERM, _terminate)
    platform = Platform(settings)
    platform.prepare()
    platform.start_children(settings.server.workers if workers is None else workers)
    console.print(f"[bold]API[/] on {settings.server.api_url} · MLflow UI {settings.mlflow_public_url} · Ctrl-C stops")
    try:
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host=settings.server.host, port=settings.server.port,
                           log_level="info", ws_max_size=64 * 1024, ws_ping_interval=20.0)
        )
        server.run()
    finally:
        platform.stop()


WORKER_CHILD_ENV = "QLP_WORKER_SUPERVISED"


def _supervise_worker(argv: list[str]) -> int:
    """Keep one worker child alive: restart it with back-off when it exits unasked; forward stop signals."""
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def _stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    from qlp_core.proc import die_with_parent

    die_with_parent(signal.SIGTERM)
    backoff = 1.0
    first = True
    while True:
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "qlp_cli", *argv],
                                 env={**os.environ, WORKER_CHILD_ENV: "1"})
        code = child.wait()
        if stopping:
            return 0
        if first and time.monotonic() - started < 10:
            return code or 1  # it never came up: a setting is wrong, restarting will not help
        first = False
        # Celery leaves on some broker failures (even with exit code 0): a worker never stops unasked
        if time.monotonic() - started > 60:
            backoff = 1.0
        console.print(f"[yellow]worker exited with code {code}; starting it again in {backoff:.0f}s[/]")
        time.sleep(backoff)
        backoff = min(backoff * 2, 30.0)


@app.command()
def worker(
    queues: Annotated[str, typer.Option("--queues", "--queue", "-Q",
                                        help="Queue(s) to consume, comma-separated: cpu, gpu, any name.")] = "cpu",
    concurrency: Annotated[int, typer.Option(help="Jobs run at once.")] = 1,
    name: Annotated[str | None, typer.Option(help="Worker node name (name@host).")] = None,
) -> None:
    """Run one trainer worker (needs the API URL, the trainer token and the broker URL).

    The Celery worker runs in a child process that is started again if it dies on its own (Celery gives up
    on some broker failures, e.g. a Redis restart); SIGTERM/SIGINT stop it for good."""
    from qlp_core.logging_setup import setup_logging
    from qlp_core.proc import die_with_parent

    if not os.environ.get(WORKER_CHILD_ENV):
        raise typer.Exit(_supervise_worker(sys.argv[1:]))
    settings = get_settings("worker")
    assert settings.storage.log_dir is not None
    die_with_parent(signal.SIGTERM)
    setup_logging(settings.storage.log_dir, "worker-" + (name or str(os.getpid())).split("@")[0],
                  max_bytes=settings.storage.log_max_bytes, backups=settings.storage.log_backups)
    from trainers.worker import main

    main([q.strip() for q in queues.split(",") if q.strip()], concurrency, name)


@app.command()
def migrate() -> None:
    """Upgrade the platform database to the newest migration."""
    from platform_api.db import prepare_database

    settings = get_settings()
    assert settings.db.url is not None
    prepare_database(settings.db.url)
    console.print("platform database at the newest migration")


@app.command("mlflow")
def mlflow_cmd() -> None:
    """Run the MLflow tracking server alone, in the foreground (for a separate host)."""
    from mlflow_server.server import server_command, server_env, upgrade_backend

    settings = get_settings("worker")
    assert settings.storage.log_dir is not None
    upgrade_backend(settings, settings.storage.log_dir / "mlflow-upgrade.log")
    os.execvpe(sys.executable, server_command(settings), server_env(settings))


# ----- client commands ------------------------------------------------------------------------
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
            if password is None and _admin_file(settings).exists():
                password = _admin_file(settings).read_text().strip()
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
            detail = r.json().get("detail")
        except ValueError:
            detail = r.text
        console.print(f"[red]{r.request.method} {r.request.url.path} → {r.status_code}: {detail}[/]")
        raise typer.Exit(1)


def _parse_sets(sets: list[str]) -> dict[str, Any]:
    import yaml

    out: dict[str, Any] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set {item!r}: expected key=value")
        out[key.strip()] = yaml.safe_load(value)
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


def print_result(client: Client, settings: Settings, job: dict[str, Any]) -> None:
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
        console.print(f"MLflow run: [link={job['mlflow_url']}]{job['mlflow_url']}[/link]")


@app.command()
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
        print_result(client, settings, job)
        raise typer.Exit(0 if job["state"] == "succeeded" else 1)


@app.command()
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


def _api_up(settings: Settings) -> bool:
    try:
        return httpx.get(f"{settings.server.api_url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@app.command()
def demo(
    instruments: Annotated[int, typer.Option(help="Instruments in the synthetic market.")] = 50,
    years: Annotated[float, typer.Option(help="Years of business days.")] = 3,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 0,
    keep_running: Annotated[bool, typer.Option(help="Leave the platform running afterwards.")] = False,
) -> None:
    """Generate the demo market, register it, train the demo workflow, follow its log, print the results.

    Uses a running platform at the configured API URL, or starts the embedded one for the demo."""
    settings = get_settings()
    started: subprocess.Popen[bytes] | None = None
    if not _api_up(settings):
        from qlp_core.proc import spawn

        assert settings.storage.log_dir is not None
        log_path = settings.storage.log_dir / "qlp-up.log"
        console.print(f"Starting the embedded platform (log: {log_path})…")
        started = spawn([sys.executable, "-m", "qlp_cli", "up"], log_path=log_path)
        with console.status("Waiting for the API (MLflow takes about 15 s to start)…"):
            t0 = time.monotonic()
            while not _api_up(settings):
                if started.poll() is not None:
                    console.print(f"[red]the platform exited with code {started.returncode}; see {log_path}[/]")
                    console.print(log_path.read_text()[-3000:], markup=False)
                    raise typer.Exit(1)
                if time.monotonic() - t0 > 180:
                    console.print(f"[red]the API did not come up in 180 s; see {log_path}[/]")
                    raise typer.Exit(1)
                time.sleep(0.5)
        console.print(f"platform up in {time.monotonic() - t0:.1f}s")
    ok = False
    try:
        client = Client(settings)
        with console.status(f"Generating the demo market ({instruments} instruments × {years} years)…"):
            t0 = time.monotonic()
            ds = client.post("/api/data/datasets", {
                "name": "demo",
                "description": "synthetic market with a planted signal",
                "source": {"kind": "synthetic", "n_instruments": instruments, "years": years, "seed": seed},
            })
        console.print(f"dataset [bold]{ds['name']}@v{ds['version']}[/] (id {ds['id']}, hash {ds['content_hash'][:12]}, "
                      f"{ds['instruments']} instruments, {ds['calendar_start']}..{ds['calendar_end']}) "
                      f"in {time.monotonic() - t0:.1f}s")
        job = client.post("/api/train", {"config_text": DEMO_CONFIG.read_text(), "dataset_id": ds["id"],
                                         "name": "demo", "experiment_name": "demo"})
        console.print(f"submitted job [bold]{job['id']}[/]; following its log")
        follow_logs(client, job["id"])
        job = client.get(f"/api/train/{job['id']}")
        print_result(client, settings, job)
        ok = job["state"] == "succeeded"
    finally:
        if started is not None and not keep_running:
            from qlp_core.proc import stop

            with console.status("Stopping the embedded platform…"):
                stop(started, sig=signal.SIGINT, timeout=30)
    raise typer.Exit(0 if ok else 1)


if __name__ == "__main__":
    app()
