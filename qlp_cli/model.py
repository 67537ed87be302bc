"""`qlp model`: register a run's model, list the registry, show a model or a version, promote through the gate."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from qlp_cli.client import KEY_METRICS, Client, _check
from qlp_cli.common import console
from qlp_core.settings import get_settings

app = typer.Typer(help="The model registry: register runs' models, versions, aliases through the promotion gate.",
                  no_args_is_help=True)


def _print(text: str, style: str | None = None) -> None:
    console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)


def _version(v: dict[str, Any]) -> None:
    aliases = ", ".join(f"@{a}" for a in v["aliases"]) or "-"
    _print(f"{v['name']} version {v['version']}  aliases {aliases}  run {v['run_id']}")
    lineage = v.get("lineage")
    if lineage:
        _print(f"dataset {lineage['dataset_name']}@v{lineage['dataset_version']} (id {lineage['dataset_id']}, "
               f"hash {lineage['dataset_hash'][:12]}…)  config {lineage['config_hash'][:12]}…  job {lineage['job_id']}"
               + (f"  factor set {lineage['factor_set']}" if lineage["factor_set"] else ""))
    else:
        _print("made in MLflow directly: no verified lineage", "yellow")
    files = ", ".join(f"{f['path']} ({f['format']}{'' if f['safe'] else ', pickle-based'})" for f in v["model_files"])
    _print(f"model files: {files or '-'}")
    if v["notes"]:
        _print(f"notes: {v['notes']}")
    table = Table("metric", "value")
    for key in KEY_METRICS:
        if key in v["metrics"]:
            table.add_row(key, f"{v['metrics'][key]:.4f}")
    console.print(table)
    for d in v["decisions"]:
        _print(f"decision {d['id']} {d['created_at'][:19]} @{d['alias']} policy {d['policy_name']}: {d['outcome']} "
               f"by {d['username']}" + (f" — override: {d['override_reason']}" if d["override_reason"] else ""))
        for c in d["checks"]:
            _print(f"  {'✓' if c['passed'] else '✗'} {c['reason']}", None if c["passed"] else "red")
    if v.get("mlflow_url"):
        _print(f"MLflow run: {v['mlflow_url']}")


def register(
    run_id: Annotated[str, typer.Argument(help="The MLflow run id of a finished workflow job.")],
    name: Annotated[str, typer.Option("--name", help="The registered model (made when new).")],
    notes: Annotated[str, typer.Option(help="Notes on this version.")] = "",
) -> None:
    """Register a run's model as the next version of NAME, with its lineage."""
    client = Client(get_settings())
    v = client.post("/api/models", {"name": name, "run_id": run_id, "notes": notes})
    _print(f"registered {v['name']} version {v['version']}", "green")
    _version(v)


def list_models() -> None:
    """Registered models with their aliases and latest version."""
    client = Client(get_settings())
    table = Table("model", "latest", "aliases", "updated")
    for m in client.get("/api/models"):
        aliases = ", ".join(f"@{a}→v{v}" for a, v in sorted(m["aliases"].items())) or "-"
        table.add_row(m["name"], str(m["latest_version"] or "-"), aliases, (m["updated_at"] or "")[:19])
    console.print(table)


def show(
    name: Annotated[str, typer.Argument(help="The registered model.")],
    version: Annotated[int | None, typer.Option("--version", help="One version: lineage, metrics, decisions.")] = None,
) -> None:
    """A model (its versions, aliases and guarding policies) or one version of it."""
    client = Client(get_settings())
    if version is not None:
        _version(client.get(f"/api/models/{name}/versions/{version}"))
        return
    m = client.get(f"/api/models/{name}")
    aliases = ", ".join(f"@{a}→v{v}" for a, v in sorted(m["aliases"].items())) or "-"
    guards = ", ".join(f"@{g['alias']} by {g['policy']}" for g in m["guards"]) or "-"
    _print(f"{m['name']}  aliases {aliases}  guarded {guards}")
    table = Table("version", "aliases", "run", "created", "notes")
    for v in m["versions"]:
        table.add_row(str(v["version"]), ", ".join(v["aliases"]) or "-", v["run_id"] or "-",
                      (v["created_at"] or "")[:19], v["notes"][:60])
    console.print(table)


def promote(
    name: Annotated[str, typer.Argument(help="The registered model.")],
    version: Annotated[int, typer.Argument(help="The version to promote.")],
    alias: Annotated[str, typer.Option("--alias", help="champion, challenger, any name.")] = "champion",
    override_reason: Annotated[str | None, typer.Option(
        help="Admin only: promote despite a failed gate, saying why.")] = None,
) -> None:
    """Point ALIAS at VERSION, through the gate when a policy guards it (exit 1 when refused, with each check)."""
    client = Client(get_settings())
    body: dict[str, Any] = {"version": version}
    if override_reason is not None:
        body["override_reason"] = override_reason
    r = client.http.post(f"/api/models/{name}/aliases/{alias}", json=body)
    if r.status_code == 409 and r.json().get("code") == "gate_failed":
        _print(f"refused by the gate: {r.json()['detail']}", "red")
        raise typer.Exit(1)
    _check(r)
    p = r.json()
    was = f" (was v{p['previous_version']})" if p["previous_version"] else ""
    _print(f"{p['name']}@{p['alias']} → version {p['version']}{was}", "green")
    d = p.get("decision")
    if d:
        _print(f"decision {d['id']}: {d['outcome']} by policy {d['policy_name']}")
        for c in d["checks"]:
            _print(f"  {'✓' if c['passed'] else '✗'} {c['reason']}", None if c["passed"] else "yellow")
