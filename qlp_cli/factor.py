"""`qlp factor`: check an expression, list the library, evaluate a factor on a dataset version."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from qlp_cli.client import Client, _check, follow_logs
from qlp_cli.common import console
from qlp_core.settings import get_settings

app = typer.Typer(help="Factors: check expressions, the library, evaluations.", no_args_is_help=True)


def check(expression: Annotated[str, typer.Argument(help="A Qlib expression, e.g. 'Ref($close, 5) / $close - 1'.")],
          ) -> None:
    """Parse an expression as the platform vets it: the canonical text, fields, look-back and look-ahead, or the
    error with a caret under its position (exit 1)."""
    client = Client(get_settings())
    r = client.http.post("/api/factors/check", json={"expression": expression})
    _check(r)
    out = r.json()
    if not out["valid"]:
        err = out["error"]
        console.print(expression, markup=False, highlight=False)
        console.print(" " * err["position"] + "^", markup=False, highlight=False)
        console.print(f"at {err['position']}: {err['message']}", style="red", markup=False)
        raise typer.Exit(1)
    info = out["info"]
    lookback = "all history" if info["lookback"] is None else f"{info['lookback']} days"
    console.print(f"[green]valid[/]: {info['canonical']}", highlight=False)
    console.print(f"fields {', '.join(info['fields']) or '-'}; look-back {lookback}; operators "
                  f"{', '.join(info['operators']) or '-'}", highlight=False)
    for why in info["lookahead"]:
        console.print(f"[yellow]look-ahead[/]: {why}", highlight=False)


def _num(summary: dict[str, Any], key: str) -> str:
    per = summary.get(key) or {}
    if not isinstance(per, dict) or not per:
        return "-"
    first = per[sorted(per, key=int)[0]]
    return "-" if first is None else f"{first:.4f}"


def list_factors(
    sort: Annotated[str, typer.Option(help="name, created, rank_ic, ic, rank_icir, decay or turnover.")] = "name",
    tag: Annotated[str | None, typer.Option(help="Only factors with this tag.")] = None,
) -> None:
    """The factor library with each factor's latest evaluation (first horizon)."""
    client = Client(get_settings())
    params: dict[str, Any] = {"sort": sort}
    if tag:
        params["tag"] = tag
    table = Table("id", "factor", "owner", "tags", "look-back", "IC", "Rank IC", "Rank ICIR", "expression")
    for f in client.get("/api/factors", **params):
        s = (f.get("evaluation") or {}).get("summary") or {}
        v = f["latest"]
        table.add_row(str(f["id"]), f"{f['name']}@v{f['latest_version']}", f.get("owner") or "-",
                      ", ".join(v["tags"]), "-" if v["lookback"] is None else str(v["lookback"]), _num(s, "ic"),
                      _num(s, "rank_ic"), _num(s, "rank_icir"), v["expression"])
    console.print(table)


def evaluate(
    name: Annotated[str, typer.Argument(help="The factor's name.")],
    dataset: Annotated[int, typer.Option("--dataset", help="The dataset version's id.")],
    market: Annotated[str, typer.Option(help="One of the version's markets.")] = "all",
    horizon: Annotated[list[int], typer.Option(help="Forward-return horizons in days (repeatable).")] = [1, 5, 10, 20],  # noqa: B006
    version: Annotated[int | None, typer.Option(help="Factor version (default: the latest).")] = None,
    follow: Annotated[bool, typer.Option(help="Follow the job's log until it ends.")] = True,
) -> None:
    """Evaluate a factor on a dataset version as a job; print its IC, Rank IC and redundancy."""
    client = Client(get_settings())
    matches = [f for f in client.get("/api/factors", archived=True) if f["name"] == name]
    if not matches:
        console.print(f"no factor named {name}", style="red", markup=False)
        raise typer.Exit(1)
    body: dict[str, Any] = {"dataset_id": dataset, "market": market, "horizons": horizon}
    if version is not None:
        body["version"] = version
    r = client.http.post(f"/api/factors/{matches[0]['id']}/evaluate", json=body)
    _check(r)
    job = r.json()
    console.print(f"queued evaluation job [bold]{job['id']}[/] ({job['name']})")
    if not follow:
        return
    follow_logs(client, job["id"])
    job = client.get(f"/api/train/{job['id']}")
    if job["state"] != "succeeded":
        console.print(f"evaluation {job['state']}: {job.get('error')}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    [e] = [e for e in client.get(f"/api/factors/{matches[0]['id']}/evaluations") if e["job_id"] == job["id"]]
    s = e["summary"]
    table = Table("horizon", "IC", "Rank IC", "Rank ICIR", "t-stat", "long-short")
    for h in e["horizons"]:
        k = str(h)

        def cell(key: str, k: str = k) -> str:
            value = (s.get(key) or {}).get(k)
            return "-" if value is None else f"{value:.4f}"

        table.add_row(f"{h}d", cell("ic"), cell("rank_ic"), cell("rank_icir"), cell("rank_t_stat"),
                      cell("long_short"))
    console.print(table)
    for match in (s.get("redundancy") or [])[:5]:
        flag = " [yellow](redundant)[/]" if match.get("redundant") else ""
        console.print(f"closest: {match.get('factor')} rank corr {match.get('corr'):.3f}{flag}")
