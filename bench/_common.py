"""What the benches share: the ``--smoke`` sizes, an MLflow server already running, and the MLflow tracking URI
of a platform."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from qlp_core.settings import MLflowSettings

STATIC_PREFIX = str(MLflowSettings.model_fields["static_prefix"].default)  # MLflow serves under it: the door's path


def parse_args(ap: argparse.ArgumentParser, smoke: dict[str, Any]) -> argparse.Namespace:
    """Adds ``--smoke`` (the sizes in ``smoke`` as defaults: seconds, the same code paths and the same printed
    lines; options given explicitly still win) and ``--mlflow-port``, then parses the command line."""
    sizes = ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in smoke.items())
    ap.add_argument("--smoke", action="store_true",
                    help=f"tiny sizes ({sizes}): runs in seconds, same code paths and printed lines (the tests)")
    ap.add_argument("--mlflow-port", type=int, default=None,
                    help="use the MLflow server that `QLP_MLFLOW__PORT=PORT qlp mlflow` runs on this port of "
                    "127.0.0.1 instead of each platform starting its own (~15 s)")
    if ap.parse_known_args()[0].smoke:
        ap.set_defaults(**smoke)
    return ap.parse_args()


def mlflow_env(args: argparse.Namespace) -> dict[str, str]:
    """Environment for the bench's platform: with ``--mlflow-port``, an MLflow server run elsewhere (`qlp up`
    then starts none). The port as well, for what derives the server's URL from it (another API process)."""
    if not args.mlflow_port:
        return {}
    return {"QLP_MLFLOW__URL": f"http://127.0.0.1:{args.mlflow_port}", "QLP_MLFLOW__PORT": str(args.mlflow_port)}


def tracking_uri(env: dict[str, str]) -> str:
    """The MLflow server of a platform started with ``env``, as the MLflow client needs it: under the prefix."""
    base = env.get("QLP_MLFLOW__URL") or f"http://127.0.0.1:{env['QLP_MLFLOW__PORT']}"
    return base.rstrip("/") + env.get("QLP_MLFLOW__STATIC_PREFIX", STATIC_PREFIX)



def ts(value: str) -> float:
    """A timestamp the API wrote (ISO 8601) as seconds since the epoch."""
    return datetime.fromisoformat(value).timestamp()
