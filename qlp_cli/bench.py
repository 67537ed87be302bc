"""`qlp bench`: run a benchmark (configs × seeds on one dataset version) and print its leaderboard."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from qlp_cli.client import Client, _check, _resolve_dataset
from qlp_cli.common import console
from qlp_core.settings import get_settings

app = typer.Typer(help="Benchmarks: configs × seeds, their leaderboard.", no_args_is_help=True)


def _cell(spread: dict[str, Any]) -> str:
    mean, std = spread.get("mean"), spread.get("std")
    if mean is None:
        return "-"
    return f"{mean:.4f}±{std:.4f}" if std is not None else f"{mean:.4f}"


def print_leaderboard(bench: dict[str, Any]) -> None:
    table = Table("config", "model", "runs", *(c["heading"] for c in bench["columns"]))
    for e in bench["entries"]:
        runs = f"{e['states'].get('succeeded', 0)}/{len(e['runs'])}"
        table.add_row(e["name"], e["model"], runs, *(_cell(e["columns"][c["metric"]]) for c in bench["columns"]))
    console.print(table)


def run(
    configs: Annotated[list[Path], typer.Argument(help="qrun-format workflow YAMLs.", exists=True, dir_okay=False)],
    dataset: Annotated[str, typer.Option(help="Dataset id, NAME or NAME@vN.")],
    seeds: Annotated[int, typer.Option(help="Runs per config, seeds 0 … N-1.", min=1, max=20)] = 5,
    name: Annotated[str | None, typer.Option(help="The benchmark's name (default: from the files).")] = None,
    queue: Annotated[str | None, typer.Option(help="The workers' queue.")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Write the leaderboard as Markdown here.")] = None,
    follow: Annotated[bool, typer.Option(help="Wait until every run has ended.")] = True,
) -> None:
    """Train every config once per seed on a dataset version, as jobs across the workers; print the leaderboard
    (mean±std over the seeds of Qlib's benchmark columns). Exit 1 when a run failed."""
    client = Client(get_settings())
    ds = _resolve_dataset(client, dataset)
    body = {"name": name or "-".join(p.stem for p in configs)[:64], "dataset_id": ds["id"], "n_seeds": seeds,
            "queue": queue, "configs": [{"name": p.stem[:64], "config_text": p.read_text()} for p in configs]}
    bench = client.post("/api/benchmarks", body)
    console.print(f"benchmark [bold]{bench['id']}[/]: {len(configs)} configs × {seeds} seeds = "
                  f"{bench['jobs_total']} jobs on {ds['name']}@v{ds['version']}")
    last = -1
    while follow and bench["state"] in ("queued", "running"):
        time.sleep(2)
        bench = client.get(f"/api/benchmarks/{bench['id']}")
        if bench["jobs_done"] != last:
            last = bench["jobs_done"]
            console.print(f"{last}/{bench['jobs_total']} runs ended")
    print_leaderboard(bench)
    if markdown is not None:
        r = client.http.get(f"/api/benchmarks/{bench['id']}/leaderboard.md")
        _check(r)
        markdown.write_text(r.text)
        console.print(f"leaderboard written to {markdown}")
    raise typer.Exit(0 if bench["state"] in ("succeeded", "queued", "running") else 1)


def show(benchmark_id: Annotated[int, typer.Argument(help="The benchmark's id.")]) -> None:
    """A benchmark's leaderboard."""
    bench = Client(get_settings()).get(f"/api/benchmarks/{benchmark_id}")
    console.print(f"benchmark {bench['id']} {bench['name']} on {bench['dataset']}: {bench['state']}, "
                  f"{bench['jobs_done']}/{bench['jobs_total']} runs ended")
    print_leaderboard(bench)
