"""`qlp data`: datasets from the command line; `qlp data ingest` uploads market data (a progress bar, streamed) and
follows the ingest job to its new version or to the problems that rejected it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from qlp_cli.client import Client, _check, follow_logs
from qlp_cli.common import console
from qlp_core.qlib_data import tar_stream
from qlp_core.settings import get_settings

app = typer.Typer(help="Datasets: ingest your own market data as versions.", no_args_is_help=True)
CHUNK = 1 << 20


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        yield from iter(lambda: fh.read(CHUNK), b"")


def _archive_name(folder: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", folder.resolve().name).strip(".-") or "upload"
    return f"{stem[:100]}.tar"


def _body(path: Path) -> tuple[str, int, Iterator[bytes]]:
    """(file name, size for the bar, chunks): a folder goes as a tar made on the fly."""
    if path.is_dir():
        total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
        return _archive_name(path), total, tar_stream(path, CHUNK)
    return path.name, path.stat().st_size, _file_chunks(path)


def _mapping(items: list[str]) -> list[str]:
    for item in items:
        if "=" not in item and ":" not in item:
            raise typer.BadParameter(f"--map {item!r}: expected source=ours")
    return items


def ingest(
    path: Annotated[Path, typer.Argument(help="A CSV, .csv.gz or Parquet file, an archive (.zip, .tar, .tar.gz), or a "
                                         "folder of such files or a Qlib folder (sent as a tar).", exists=True)],
    name: Annotated[str, typer.Option("--name", help="Dataset name: the upload becomes its next version.")],
    map_: Annotated[list[str], typer.Option("--map", help="Column mapping source=ours (repeatable), e.g. "
                                            "trade_date=date.")] = [],  # noqa: B006
    benchmark: Annotated[list[str], typer.Option(help="A benchmark index instrument (repeatable).")] = [],  # noqa: B006
    date_format: Annotated[str | None, typer.Option(help="strptime format of the dates (default: detected).")] = None,
    market: Annotated[str, typer.Option(help="Name of the instrument list besides all.txt.")] = "all",
    prices: Annotated[str, typer.Option(help="adjusted (as given) or raw (adjusted by the factor column).")] =
        "adjusted",
    description: Annotated[str, typer.Option(help="The version's description.")] = "",
    follow: Annotated[bool, typer.Option(help="Follow the ingest job's log until it ends.")] = True,
) -> None:
    """Upload market data and ingest it on a worker as the next version of a dataset."""
    client = Client(get_settings())
    filename, total, chunks = _body(path)
    params: dict[str, Any] = {"filename": filename, "map": _mapping(map_), "benchmark": benchmark, "market": market,
                              "prices": prices, "description": description}
    if date_format:
        params["date_format"] = date_format
    with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  console=console, transient=False) as progress:
        task = progress.add_task(f"uploading {filename}", total=total or None)

        def counted() -> Iterator[bytes]:
            for chunk in chunks:
                progress.advance(task, len(chunk))
                yield chunk

        r = client.http.post(f"/api/data/datasets/{name}/versions", params=params, content=counted(),
                             headers={"Content-Type": "application/octet-stream"}, timeout=None)
    _check(r)
    job = r.json()
    console.print(f"queued ingest job [bold]{job['id']}[/] for {name}")
    if not follow:
        return
    follow_logs(client, job["id"])
    job = client.get(f"/api/train/{job['id']}")
    if job["state"] != "succeeded" or job.get("dataset_id") is None:
        console.print(f"ingest {job['state']}: {job.get('error') or 'no version registered'}", style="red",
                      markup=False, soft_wrap=True)
        raise typer.Exit(1)
    ds = client.get(f"/api/data/datasets/{job['dataset_id']}")
    warnings = len((ds.get("validation") or {}).get("warnings", []))
    console.print(f"[green]registered {ds['name']}@v{ds['version']}[/] (id {ds['id']}, {ds['instruments']} "
                  f"instruments, {ds['calendar_start']}..{ds['calendar_end']}, {warnings} warnings, hash "
                  f"{ds['content_hash'][:12]}…)")
