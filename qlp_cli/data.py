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
    append: Annotated[bool, typer.Option(help="Add the upload's days or instruments to the newest version (which "
                                         "must not change): the new version stores only what changed.")] = False,
    follow: Annotated[bool, typer.Option(help="Follow the ingest job's log until it ends.")] = True,
) -> None:
    """Upload market data and ingest it on a worker as the next version of a dataset."""
    client = Client(get_settings())
    filename, total, chunks = _body(path)
    params: dict[str, Any] = {"filename": filename, "map": _mapping(map_), "benchmark": benchmark, "market": market,
                              "prices": prices, "description": description, "append": append}
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
    if follow:
        _follow_to_version(client, job["id"])


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size:,.1f} GB"


def _follow_to_version(client: Client, job_id: int) -> None:
    """Follow a job that makes a version to its end; print the version, or why there is none (exit 1)."""
    follow_logs(client, job_id)
    job = client.get(f"/api/train/{job_id}")
    if job["state"] != "succeeded" or job.get("dataset_id") is None:
        console.print(f"{job['kind']} {job['state']}: {job.get('error') or 'no version registered'}", style="red",
                      markup=False, soft_wrap=True)
        raise typer.Exit(1)
    ds = client.get(f"/api/data/datasets/{job['dataset_id']}")
    warnings = len((ds.get("validation") or {}).get("warnings", []))
    console.print(f"[green]registered {ds['name']}@v{ds['version']}[/] (id {ds['id']}, {ds['instruments']} "
                  f"instruments, {ds['calendar_start']}..{ds['calendar_end']}, {warnings} warnings, stored "
                  f"{_size(ds.get('stored_bytes'))} new of {_size(ds['size_bytes'])}, hash {ds['content_hash'][:12]}…)")


def _changed(ds: dict[str, Any]) -> str:
    c = ds.get("changes") or {}
    if not ds.get("base_id"):
        return "first"
    parts = []
    if c.get("days_added"):
        parts.append(f"+{c['days_added']} days from {c.get('first_new_day')}")
    if c.get("instruments_added"):
        parts.append(f"+{len(c['instruments_added'])} instruments")
    if c.get("instruments_removed"):
        parts.append(f"-{len(c['instruments_removed'])} instruments")
    if c.get("markets_added"):
        parts.append("+market " + ", ".join(c["markets_added"]))
    parts.append(f"{c.get('appended', 0)} files grew, {c.get('rewritten', 0)} rewritten, {c.get('added', 0)} new")
    return "; ".join(parts)


def list_versions(
    name: Annotated[str | None, typer.Argument(help="Only this dataset's versions.")] = None,
) -> None:
    """Dataset versions, newest first: size, what each stored and what it changed against its base."""
    from rich.table import Table

    client = Client(get_settings())
    rows = client.get("/api/data/datasets", **({"name": name} if name else {}))
    table = Table("id", "version", "instruments", "days", "markets", "stored / size", "changes", "state")
    for ds in rows:
        v = ds.get("validation") or {}
        state = "archived" if ds.get("archived_at") else (f"{len(v.get('warnings', []))} warnings" if v else "")
        table.add_row(str(ds["id"]), f"{ds['name']}@v{ds['version']}", str(ds["instruments"]),
                      f"{ds['calendar_start']}..{ds['calendar_end']}", ", ".join(ds["markets"]),
                      f"{_size(ds.get('stored_bytes'))} / {_size(ds['size_bytes'])}", _changed(ds), state)
    console.print(table)


def archive(dataset_id: Annotated[int, typer.Argument(help="The version's id.")]) -> None:
    """Archive a version (admin): no new job may use it; runs that used it keep it."""
    client = Client(get_settings())
    r = client.http.post(f"/api/data/datasets/{dataset_id}/archive")
    _check(r)
    ds = r.json()
    console.print(f"archived {ds['name']}@v{ds['version']} at {ds['archived_at']}")


def universe(
    dataset_id: Annotated[int, typer.Argument(help="The base version's id: the universe makes its next version.")],
    market: Annotated[str, typer.Option(help="The universe's market name (not all or index).")],
    top: Annotated[int, typer.Option(help="Members: the top N instruments by average traded value.")],
    window: Annotated[int, typer.Option(help="Trading days the average covers (before each monthly rebalance).")]
        = 60,
    min_days: Annotated[int | None, typer.Option(help="Traded days an instrument needs in the window "
                                                 "(default: half of it).")] = None,
    description: Annotated[str, typer.Option(help="The new version's description.")] = "",
    follow: Annotated[bool, typer.Option(help="Follow the job's log until it ends.")] = True,
) -> None:
    """Define a universe by rule (top N by traded value, rebalanced monthly) as the next version of a dataset."""
    client = Client(get_settings())
    rule: dict[str, Any] = {"n": top, "window": window, "rebalance": "monthly"}
    if min_days is not None:
        rule["min_days"] = min_days
    r = client.http.post(f"/api/data/datasets/{dataset_id}/universes",
                         json={"market": market, "description": description, "rule": rule})
    _check(r)
    job = r.json()
    console.print(f"queued universe job [bold]{job['id']}[/] ({job['name']})")
    if follow:
        _follow_to_version(client, job["id"])
