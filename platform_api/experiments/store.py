"""MLflow's tracking store and model registry as the API uses them: its REST API under the static prefix, over the
API's own async httpx client (``app.state.mlflow_client``); MLflow's errors become domain errors. The experiments
domain reads runs here; the registry domain reads and writes registered models, versions, aliases and tags."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import Depends, Request

from platform_api.domain_errors import Conflict, NotFound, Refused, Unavailable
from qlp_core.settings import Settings

#: Pages of experiments read for one listing (1,000 each): a bound, not a limit anyone should reach.
MAX_EXPERIMENT_PAGES = 20
#: Pages of registered models (1,000 each) or model versions (1,000 each) read for one listing.
MAX_REGISTRY_PAGES = 20
#: One REST call's bound (the shared client's long read timeout is for the door's streamed artifacts): a request that
#: holds a unit of work, such as a promotion, never waits long on MLflow.
REST_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


class ArtifactTooLarge(Exception):
    """The artifact is larger than the caller will read."""


class MlflowStore:
    """Calls to the hidden MLflow server (never through the door: this is the API itself). Tracking is read only;
    registry writes are the registry domain's, after its own checks."""

    def __init__(self, client: httpx.AsyncClient, prefix: str) -> None:
        self.client = client
        self.prefix = prefix.rstrip("/")
        self.api = f"{self.prefix}/api/2.0/mlflow"

    async def _call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                    body: dict[str, Any] | None = None, missing: str | None = None) -> dict[str, Any] | None:
        """One REST call; None for MLflow's RESOURCE_DOES_NOT_EXIST when ``missing`` is None, else NotFound."""
        try:
            resp = await self.client.request(method, f"{self.api}/{path}", params=params, json=body,
                                             timeout=REST_TIMEOUT)
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
        if error.get("error_code") == "RESOURCE_ALREADY_EXISTS":
            raise Conflict(f"MLflow: {str(error.get('message', ''))[:300]}")
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


    # ----- the model registry ----------------------------------------------------------------------------------

    async def registered_models(self) -> list[dict[str, Any]]:
        """Every registered model (with its aliases and latest versions), prompts included (the caller picks)."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(MAX_REGISTRY_PAGES):
            params: dict[str, Any] = {"max_results": 1000}
            if token:
                params["page_token"] = token
            data = await self._call("GET", "registered-models/search", params=params) or {}
            found.extend(data.get("registered_models") or [])
            token = data.get("next_page_token")
            if not token:
                break
        return found

    async def registered_model(self, name: str) -> dict[str, Any] | None:
        data = await self._call("GET", "registered-models/get", params={"name": name})
        return (data or {}).get("registered_model")

    async def create_registered_model(self, name: str, description: str, tags: dict[str, str]) -> dict[str, Any]:
        """A new registered model; Conflict when the name is taken."""
        body = {"name": name, "description": description, "tags": [{"key": k, "value": v} for k, v in tags.items()]}
        data = await self._call("POST", "registered-models/create", body=body, missing=f"no such model: {name}")
        return dict((data or {}).get("registered_model") or {})

    async def model_versions(self, name: str) -> list[dict[str, Any]]:
        """Every version of a registered model (``name`` is one the caller validated: no quotes in it)."""
        found: list[dict[str, Any]] = []
        token: str | None = None
        for _ in range(MAX_REGISTRY_PAGES):
            params: dict[str, Any] = {"filter": f"name='{name}'", "max_results": 1000}
            if token:
                params["page_token"] = token
            data = await self._call("GET", "model-versions/search", params=params) or {}
            found.extend(data.get("model_versions") or [])
            token = data.get("next_page_token")
            if not token:
                break
        return found

    async def model_version(self, name: str, version: int) -> dict[str, Any] | None:
        data = await self._call("GET", "model-versions/get", params={"name": name, "version": str(version)})
        return (data or {}).get("model_version")

    async def create_model_version(self, name: str, source: str, run_id: str, description: str,
                                   tags: dict[str, str]) -> dict[str, Any]:
        body = {"name": name, "source": source, "run_id": run_id, "description": description,
                "tags": [{"key": k, "value": v} for k, v in tags.items()]}
        data = await self._call("POST", "model-versions/create", body=body, missing=f"no such model: {name}")
        return dict((data or {}).get("model_version") or {})

    async def update_model_version(self, name: str, version: int, description: str) -> None:
        await self._call("PATCH", "model-versions/update",
                         body={"name": name, "version": str(version), "description": description},
                         missing=f"no version {version} of model {name}")

    async def set_model_version_tag(self, name: str, version: int, key: str, value: str) -> None:
        await self._call("POST", "model-versions/set-tag",
                         body={"name": name, "version": str(version), "key": key, "value": value},
                         missing=f"no version {version} of model {name}")

    async def set_alias(self, name: str, alias: str, version: int) -> None:
        await self._call("POST", "registered-models/alias",
                         body={"name": name, "alias": alias, "version": str(version)},
                         missing=f"no version {version} of model {name}")

    async def delete_alias(self, name: str, alias: str) -> None:
        await self._call("DELETE", "registered-models/alias", body={"name": name, "alias": alias},
                         missing=f"model {name} has no alias {alias}")


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
