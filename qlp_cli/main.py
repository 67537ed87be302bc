"""The `qlp` command: the commands of every group under one Typer app."""

from __future__ import annotations

import typer

from qlp_cli import bench, client, data, demo, factor, model, schema, serve

app = typer.Typer(help="qlib-platform: Qlib workflows tracked in MLflow.", no_args_is_help=True)
app.command()(serve.up)
app.command()(serve.worker)
app.command()(serve.migrate)
app.command("mlflow")(serve.mlflow_cmd)
app.command()(client.submit)
app.command()(client.logs)
app.command()(demo.demo)
app.command()(schema.openapi)
data.app.command()(data.ingest)
data.app.command("list")(data.list_versions)
data.app.command()(data.archive)
data.app.command()(data.universe)
app.add_typer(data.app, name="data")
factor.app.command()(factor.check)
factor.app.command("list")(factor.list_factors)
factor.app.command("eval")(factor.evaluate)
app.add_typer(factor.app, name="factor")
bench.app.command()(bench.run)
bench.app.command()(bench.show)
app.add_typer(bench.app, name="bench")
model.app.command()(model.register)
model.app.command("list")(model.list_models)
model.app.command()(model.show)
model.app.command()(model.promote)
app.add_typer(model.app, name="model")
