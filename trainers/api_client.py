"""The worker's HTTP client for the API's trainer protocol (``qlp_core.protocol`` models both ways; trainer token;
bounded retries). Refusals carry the problem's machine-readable code."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from qlp_core.problems import ProblemCode, code_for_status
from qlp_core.protocol import (
    UPLOAD_HASH_HEADER,
    ClaimRequest,
    DatasetRegistered,
    FinishRequest,
    HeartbeatResponse,
    JobEnded,
    JobSpec,
    LogBatch,
    LogLine,
    LogsStored,
    RunInfo,
    WorkerHeartbeat,
    WorkerRef,
)

log = logging.getLogger("qlp.trainer.api")
RETRY_STATUS = {502, 503, 504}
M = TypeVar("M", bound=BaseModel)


class Refusal(RuntimeError):
    """The API refused the call (a 4xx): ``code`` says why (e.g. another worker won the claim)."""

    def __init__(self, status: int, code: ProblemCode, detail: str) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail = status, code, detail


class TrainerAPI:
    def __init__(self, base_url: str, token: str, timeout: float = 15.0) -> None:
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self.client.close()

    def call(self, method: str, path: str, body: BaseModel | None, answer: type[M] | None, *, attempts: int = 8,
             **kwargs: Any) -> M | None:
        """One protocol call, retried on network errors and 502/503/504 (exponential back-off, capped at 5 s)."""
        delay = 0.25
        content = body.model_dump_json().encode() if body is not None else kwargs.pop("content", None)
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})} if body is not None else \
            kwargs.pop("headers", None)
        for i in range(attempts):
            try:
                r = self.client.request(method, path, content=content, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                if i == attempts - 1:
                    raise
                log.warning("API %s unreachable (%s); retrying", path, type(exc).__name__)
            else:
                if r.status_code in RETRY_STATUS and i < attempts - 1:
                    pass
                elif 400 <= r.status_code < 500:
                    raise _refusal(r)
                else:
                    r.raise_for_status()
                    return answer.model_validate_json(r.content) if answer is not None and r.content else None
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
        return None

    # ----- protocol -----
    def claim(self, job_id: int, worker: str, hostname: str) -> JobSpec:
        spec = self.call("POST", f"/api/internal/jobs/{job_id}/claim", ClaimRequest(worker=worker, hostname=hostname),
                         JobSpec)
        assert spec is not None
        return spec

    def heartbeat(self, job_id: int, worker: str) -> HeartbeatResponse | None:
        return self.call("POST", f"/api/internal/jobs/{job_id}/heartbeat", WorkerRef(worker=worker),
                         HeartbeatResponse, attempts=2)

    def logs(self, job_id: int, worker: str, lines: list[LogLine]) -> None:
        self.call("POST", f"/api/internal/jobs/{job_id}/logs", LogBatch(worker=worker, lines=lines), LogsStored)

    def run_info(self, job_id: int, worker: str, run_id: str, experiment_id: str) -> None:
        self.call("POST", f"/api/internal/jobs/{job_id}/run",
                  RunInfo(worker=worker, mlflow_run_id=run_id, mlflow_experiment_id=experiment_id), None)

    def upload_dataset(self, job_id: int, worker: str, chunks: Iterator[bytes], digest: str) -> DatasetRegistered:
        """A folder the job produced, as a tar stream (sent once: a stream cannot be replayed)."""
        out = self.call("PUT", f"/api/internal/jobs/{job_id}/dataset", None, DatasetRegistered, attempts=1,
                        content=chunks, params={"worker": worker}, timeout=600,
                        headers={UPLOAD_HASH_HEADER: digest, "Content-Type": "application/x-tar"})
        assert out is not None
        return out

    def factor_result(self, job_id: int, worker: str, run_id: str | None, summary: dict[str, Any],
                      result: dict[str, Any], ranks_object: str | None = None) -> None:
        """An evaluation job's results (JSON: NaN is sent as null), and where it put the factor's ranks."""
        body = json.dumps({"worker": worker, "run_id": run_id, "summary": summary, "result": result,
                           "ranks_object": ranks_object},
                          allow_nan=False, separators=(",", ":")).encode()
        self.call("PUT", f"/api/internal/jobs/{job_id}/factor-result", None, None, content=body,
                  headers={"Content-Type": "application/json"}, timeout=120)

    def finish(self, job_id: int, worker: str, state: str, error: str | None, metrics: dict[str, float]) -> None:
        body = FinishRequest.model_validate({"worker": worker, "state": state, "error": error, "metrics": metrics})
        self.call("POST", f"/api/internal/jobs/{job_id}/finish", body, JobEnded, attempts=20)

    def worker_heartbeat(self, body: WorkerHeartbeat) -> None:
        self.call("POST", "/api/internal/workers/heartbeat", body, None, attempts=1)


def log_line(seq: int, line: str) -> LogLine:
    return LogLine(seq=seq, ts=datetime.now(UTC), line=line)


def _refusal(r: httpx.Response) -> Refusal:
    try:
        body = r.json()
        code = ProblemCode(body.get("code"))
        detail = str(body.get("detail"))
    except (ValueError, AttributeError):
        code, detail = code_for_status(r.status_code), r.text[:200]
    return Refusal(r.status_code, code, detail)
