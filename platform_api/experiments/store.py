"""MLflow's tracking store as the experiments domain reads it: its REST API under the static prefix, over the API's
own async httpx client (``app.state.mlflow_client``); MLflow's errors become domain errors."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from platform_api.domain_errors import NotFound, Refused, Unavailable
from qlp_core.settings import Settings

#: Pages of experiments read for one listing (1,000 each): a bound, not a limit anyone should reach.
MAX_EXPERIMENT_PAGES = 20


class ArtifactTooLarge(Exception):
    """The artifact is larger than the caller will read."""


class MlflowStore:
    """Read-only calls to the hidden MLflow server (never through the door: this is the API itself)."""

    def __init__(self, client: httpx.AsyncClient, prefix: str) -> None:
        self.client = client
        self.prefix = prefix.rstrip("/")
        self.api = f"{self.prefix}/api/2.0/mlflow"

    async def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                    body: dict[str, Any] | None = None, missing: str | None = None) -> dict[str, Any] | None:
        """One REST call; None for MLflow's RESOURCE_DOES_NOT_EXIST when ``missing`` is None, else NotFound."""
        try:
            resp = await self.client.request(method, f"{self.api}/{path}", params=params, json=body)
        except httpx.HTTPError as exc:
            raise Unavailable(f"MLflow is unreachable ({type(exc).__name__})") from exc
        if resp.status_code == 200:
            data = resp.json()
            return data if isinstance(data, dict) else {}
        error = _error(resp)
        if resp.status_code == 404 or error.get("error_code") == "RESOURCE_DOES_NOT_EXIST":
            if missing is not None:
                raise NotFound(missing)
            return None
        if resp.status_code == 400 and error.get("error_code") == "INVALID_PARAMETER_VALUE":
            raise Refused(f"MLflow refused the request: {str(error.get('message', ''))[:300]}")
        raise Unavailable(f"MLflow answered {resp.status_code} to {path}")

    async def experiments(self) -> list[dict[str, Any]]:
        """Every experiment, active and deleted (the caller picks)."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(MAX_EXPERIMENT_PAGES):
            body: dict[str, Any] = {"max_results": 1000, "view_type": "ALL"}
            if token:
                body["page_token"] = token
            data = await self._call("POST", "experiments/search", body=body) or {}
            found.extend(data.get("experiments") or [])
            token = data.get("next_page_token")
            if not token:
                break
        return found

    async def experiment(self, experiment_id: str) -> dict[str, Any] | None:
        data = await self._call("GET", "experiments/get", params={"experiment_id": experiment_id})
        return (data or {}).get("experiment")

    async def search_runs(self, experiment_ids: list[str], filter_string: str, order_by: list[str],
                          max_results: int, page_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        body: dict[str, Any] = {"experiment_ids": experiment_ids, "filter": filter_string, "order_by": order_by,
                                "max_results": max_results, "run_view_type": "ACTIVE_ONLY"}
        if page_token:
            body["page_token"] = page_token
        data = await self._call("POST", "runs/search", body=body) or {}
        return list(data.get("runs") or []), data.get("next_page_token") or None

    async def run(self, run_id: str) -> dict[str, Any] | None:
        """The run (info, data), or None when MLflow has no such run or it was deleted."""
        data = await self._call("GET", "runs/get", params={"run_id": run_id})
        run = (data or {}).get("run")
        if not run or (run.get("info") or {}).get("lifecycle_stage") == "deleted":
            return None
        return dict(run)

    async def artifacts(self, run_id: str, limit: int) -> tuple[list[dict[str, Any]], bool]:
        """The run's artifacts, directories first visited first (breadth-first); at most ``limit`` entries, and
        whether the listing stopped there."""
        entries: list[dict[str, Any]] = []
        folders = [""]
        listed = 0
        while folders:
            path = folders.pop(0)
            listed += 1
            if listed > limit:  # one call per folder: bounded too
                return entries, True
            token: str | None = None
            while True:
                params = {"run_id": run_id, "path": path}
                if token:
                    params["page_token"] = token
                data = await self._call("GET", "artifacts/list", params=params) or {}
                for f in data.get("files") or []:
                    if len(entries) >= limit:
                        return entries, True
                    entries.append(f)
                    if f.get("is_dir"):
                        folders.append(str(f.get("path", "")))
                token = data.get("next_page_token")
                if not token:
                    break
        return entries, False

    async def artifact(self, run_id: str, path: str, max_bytes: int) -> bytes | None:
        """One artifact's bytes (None when it does not exist); larger than ``max_bytes`` is refused unread."""
        url = f"{self.prefix}/get-artifact"
        try:
            async with self.client.stream("GET", url, params={"path": path, "run_uuid": run_id}) as resp:
                if resp.status_code == 404:
                    return None
                if resp.status_code != 200:
                    raise Unavailable(f"MLflow answered {resp.status_code} for the artifact {path}")
                if int(resp.headers.get("content-length") or 0) > max_bytes:
                    raise ArtifactTooLarge(f"{path} is larger than {max_bytes} bytes")
                body = b""
                async for chunk in resp.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise ArtifactTooLarge(f"{path} is larger than {max_bytes} bytes")
                return body
        except httpx.HTTPError as exc:
            raise Unavailable(f"MLflow is unreachable ({type(exc).__name__})") from exc


def _error(resp: httpx.Response) -> dict[str, Any]:
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def get_store(request: Request) -> MlflowStore:
    settings: Settings = request.app.state.settings
    return MlflowStore(request.app.state.mlflow_client, settings.mlflow.static_prefix)


StoreDep = Annotated[MlflowStore, Depends(get_store)]
