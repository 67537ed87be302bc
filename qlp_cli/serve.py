"""Commands that run the platform's processes: `qlp up` (the embedded platform: database, MLflow server, trainer
workers and the API on one port), `qlp worker`, `qlp migrate`, `qlp mlflow`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Annotated, Any

import typer

from qlp_cli.common import admin_file, console
from qlp_core.settings import Settings, get_settings, write_private


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
            write_private(admin_file(s), password + "\n")
            console.print(
                f"[bold green]Created user 'admin'[/] with password [bold]{password}[/] "
                f"(shown once; kept 0600 in {admin_file(s)})"
            )

    def start_children(self, workers: int) -> None:
        from mlflow_server.server import (
            MLflowStartError,
            is_up,
            launch,
            mark_ours,
            prepare,
            serves_our_store,
            wait_ready,
        )

        s = self.settings
        assert s.storage.log_dir is not None
        if s.mlflow.url is None:
            if is_up(s.tracking_uri):
                if not serves_our_store(s):
                    console.print(f"[red]Something else answers at {s.tracking_uri}: it is not the MLflow server of "
                                  f"{s.home} (its store lacks this data folder's mark), so runs would go to another "
                                  "store. Stop it, or give this platform another port with QLP_MLFLOW__PORT.[/]",
                                  soft_wrap=True)
                    raise typer.Exit(1)
                console.print(f"MLflow of {s.home} already answers at {s.tracking_uri}; using it")
            else:
                log_path = s.storage.log_dir / "mlflow.log"
                try:
                    with console.status("Upgrading the MLflow backend store…"):
                        prepare(s, log_path)
                    proc = launch(s, log_path)  # outside the spinner: no thread may run while we fork
                    self.children.append(("mlflow", proc))
                    with console.status(f"Starting MLflow at {s.tracking_uri} (about 15 s)…"):
                        took = wait_ready(s.tracking_uri, proc, s.mlflow.startup_timeout_s, log_path)
                    mark_ours(s)
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


def migrate() -> None:
    """Upgrade the platform database to the newest migration."""
    from platform_api.db import prepare_database

    settings = get_settings()
    assert settings.db.url is not None
    prepare_database(settings.db.url)
    console.print("platform database at the newest migration")



def mlflow_cmd() -> None:
    """Run the MLflow tracking server alone, in the foreground (for a separate host)."""
    from mlflow_server.server import server_command, server_env, upgrade_backend

    settings = get_settings("worker")
    assert settings.storage.log_dir is not None
    upgrade_backend(settings, settings.storage.log_dir / "mlflow-upgrade.log")
    os.execvpe(sys.executable, server_command(settings), server_env(settings))


