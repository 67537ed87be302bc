"""A benchmark's parent run in MLflow, written by the API itself over MLflow's REST API (bounded timeouts): created
with the benchmark, ended with the leaderboard's means and standard deviations once every job has ended."""

from __future__ import annotations

import time

import httpx

from platform_api.domain_errors import Unavailable
from qlp_core.settings import Settings

TIMEOUT_S = 10.0


def _experiment_id(c: httpx.Client, name: str) -> str:
    r = c.get("experiments/get-by-name", params={"experiment_name": name})
    if r.status_code == 200:
        return str(r.json()["experiment"]["experiment_id"])
    r = c.post("experiments/create", json={"name": name})
    if r.status_code == 200:
        return str(r.json()["experiment_id"])
    r = c.get("experiments/get-by-name", params={"experiment_name": name})  # created meanwhile by a job
    r.raise_for_status()
    return str(r.json()["experiment"]["experiment_id"])


def create(settings: Settings, experiment: str, tags: dict[str, str]) -> tuple[str, str]:
    """(experiment id, run id) of a new RUNNING parent run in ``experiment`` (created when missing)."""
    try:
        with httpx.Client(base_url=settings.tracking_uri + "/api/2.0/mlflow/", timeout=TIMEOUT_S) as c:
            experiment_id = _experiment_id(c, experiment)
            r = c.post("runs/create", json={"experiment_id": experiment_id, "start_time": int(time.time() * 1000),
                                            "tags": [{"key": k, "value": v} for k, v in tags.items()]})
            r.raise_for_status()
            return experiment_id, str(r.json()["run"]["info"]["run_id"])
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise Unavailable(f"MLflow could not take the benchmark's parent run ({type(exc).__name__})") from exc


def close(settings: Settings, run_id: str, metrics: dict[str, float], status: str) -> None:
    """Log ``metrics`` on the parent run and end it with ``status``."""
    now = int(time.time() * 1000)
    items = [{"key": k, "value": v, "timestamp": now, "step": 0} for k, v in metrics.items()]
    with httpx.Client(base_url=settings.tracking_uri + "/api/2.0/mlflow/", timeout=TIMEOUT_S) as c:
        for i in range(0, len(items), 1000):
            c.post("runs/log-batch", json={"run_id": run_id, "metrics": items[i:i + 1000]}).raise_for_status()
        c.post("runs/update", json={"run_id": run_id, "status": status, "end_time": now}).raise_for_status()
