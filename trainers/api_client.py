"""The worker's HTTP client for the platform API's trainer protocol (trainer token, bounded retries)."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

log = logging.getLogger("qlp.trainer.api")
RETRY_STATUS = {502, 503, 504}


class Conflict(RuntimeError):
    """The API refused a state change (HTTP 409): someone else owns the job, or it is over."""


class TrainerAPI:
    def __init__(self, base_url: str, token: str, timeout: float = 15.0) -> None:
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self.client.close()

    def post(self, path: str, body: dict[str, Any], *, attempts: int = 8) -> Any:
        """POST with retries on network errors and 502/503/504 (exponential back-off, capped at 5 s)."""
        delay = 0.25
        for i in range(attempts):
            try:
                r = self.client.post(path, json=body)
            except httpx.TransportError as exc:
                if i == attempts - 1:
                    raise
                log.warning("API %s unreachable (%s); retrying", path, type(exc).__name__)
            else:
                if r.status_code == 409:
                    raise Conflict(_detail(r))
                if r.status_code not in RETRY_STATUS:
                    r.raise_for_status()
                    return r.json() if r.content else None
                if i == attempts - 1:
                    r.raise_for_status()
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        return None

    # ----- protocol -----
    def claim(self, job_id: int, worker: str, hostname: str) -> dict[str, Any]:
        body = {"worker": worker, "hostname": hostname}
        result: dict[str, Any] = self.post(f"/api/internal/jobs/{job_id}/claim", body)
        return result

    def heartbeat(self, job_id: int, worker: str) -> dict[str, Any]:
        result: dict[str, Any] = self.post(f"/api/internal/jobs/{job_id}/heartbeat", {"worker": worker}, attempts=2)
        return result

    def logs(self, job_id: int, worker: str, lines: list[dict[str, Any]]) -> None:
        self.post(f"/api/internal/jobs/{job_id}/logs", {"worker": worker, "lines": lines})

    def run_info(self, job_id: int, worker: str, run_id: str, experiment_id: str) -> None:
        self.post(
            f"/api/internal/jobs/{job_id}/run",
            {"worker": worker, "mlflow_run_id": run_id, "mlflow_experiment_id": experiment_id},
        )

    def finish(self, job_id: int, worker: str, state: str, error: str | None, metrics: dict[str, float]) -> None:
        self.post(
            f"/api/internal/jobs/{job_id}/finish",
            {"worker": worker, "state": state, "error": error, "metrics": metrics},
            attempts=20,
        )

    def worker_heartbeat(self, body: dict[str, Any]) -> None:
        self.post("/api/internal/workers/heartbeat", body, attempts=1)


def _detail(r: httpx.Response) -> str:
    try:
        return str(r.json().get("detail"))
    except ValueError:
        return r.text[:200]
