"""A workflow run in MLflow: hooks on Qlib's recorder (no unpickling, batched metrics), the run's params, tags,
config texts and dataset lineage, its exports, and its final metrics."""

from __future__ import annotations

import json
import math
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from qlp_core.protocol import WorkflowPayload
from qlp_core.workflow_config import config_hash, flatten_params
from trainers.exports import is_pandas, jsonable_number, lightgbm_booster, write_exports
from trainers.series import series_export

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from mlflow.entities import Metric


class RecorderTap:
    """Hooks on the active Qlib recorder *instance*.

    - ``save_objects``: keeps the in-memory objects the records save (and still lets Qlib upload its pickles);
    - ``load_object``: serves the records' loads from those objects, so nothing is downloaded and unpickled;
    - ``log_metrics``: buffers Qlib's one-call-per-metric logging and sends it with ``log_batch``.
    """

    def __init__(self, recorder: Any, client: MlflowClient) -> None:
        self.run_id: str = recorder.id
        self.client = client
        self.objects: dict[str, Any] = {}
        self._pending: list[Metric] = []
        original_save = recorder.save_objects

        def save_objects(local_path: Any = None, artifact_path: str | None = None, **kwargs: Any) -> Any:
            for name, obj in kwargs.items():
                self.objects[f"{artifact_path}/{name}" if artifact_path else name] = obj
            return original_save(local_path=local_path, artifact_path=artifact_path, **kwargs)

        recorder.__dict__.update(save_objects=save_objects, load_object=self.load_object, log_metrics=self.log_metrics)

    def load_object(self, name: str, unpickler: Any = None) -> Any:
        from qlib.utils.exceptions import LoadObjectError

        if name not in self.objects:
            raise LoadObjectError(f"{name} was not saved by this run (loading other artifacts is disabled)")
        obj = self.objects[name]
        return obj.copy(deep=True) if is_pandas(obj) else obj

    def log_metrics(self, step: int | None = None, **kwargs: Any) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        for key, value in kwargs.items():
            self._pending.append(Metric(key=key, value=float(value), timestamp=now, step=step or 0))

    def flush_metrics(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.client.log_batch(self.run_id, metrics=pending)



def params_view(prepared: dict[str, Any]) -> dict[str, Any]:
    """The prepared config without the tracking settings (the tracking URI may carry credentials)."""
    view = dict(prepared)
    view["qlib_init"] = {k: v for k, v in (prepared.get("qlib_init") or {}).items() if k != "exp_manager"}
    return view


def job_tags(job_id: int, user: str, payload: WorkflowPayload) -> dict[str, str]:
    return {
        "qlp.job_id": str(job_id),
        "qlp.dataset_id": str(payload.dataset.id),
        "qlp.dataset_name": payload.dataset.name,
        "qlp.dataset_version": str(payload.dataset.version),
        "qlp.dataset_hash": payload.dataset.hash,
        "qlp.user": user,
        "qlp.config_hash": config_hash(payload.config_text),
    }


def factor_set_tags(prepared: dict[str, Any]) -> dict[str, str]:
    """A run on a factor set records its set and every factor version it trained on."""
    handler = (((prepared.get("task") or {}).get("dataset") or {}).get("kwargs") or {}).get("handler")
    kwargs = handler.get("kwargs") if isinstance(handler, dict) else None
    if not isinstance(kwargs, dict) or not kwargs.get("factor_set"):
        return {}
    names = [str(pair[0]) for pair in kwargs.get("factors") or [] if isinstance(pair, list | tuple) and pair]
    return {"qlp.factor_set": str(kwargs["factor_set"]), "qlp.factor_versions": json.dumps(names)[:5000],
            "qlp.factor_set_alpha158": str(bool(kwargs.get("include_alpha158")))}


def log_job_info(client: MlflowClient, run_id: str, job_id: int, user: str, payload: WorkflowPayload,
                 prepared: dict[str, Any]) -> None:
    """Params (the whole flattened config), qlp.* tags, the config texts and the dataset lineage."""
    import mlflow
    from mlflow.data.meta_dataset import MetaDataset
    from mlflow.data.sources import LocalArtifactDatasetSource  # type: ignore[attr-defined]
    from mlflow.entities import Param, RunTag

    view = params_view(prepared)
    params = [Param(k, v) for k, v in flatten_params(view).items()]
    tags = [RunTag(k, v) for k, v in {**job_tags(job_id, user, payload), **factor_set_tags(prepared)}.items()]
    client.log_batch(run_id, params=params, tags=tags)
    client.log_text(run_id, payload.config_text, "config/workflow.yaml")
    client.log_text(run_id, yaml.safe_dump(view, sort_keys=False, allow_unicode=True), "config/effective.yaml")
    if payload.overrides:
        client.log_text(run_id, json.dumps(payload.overrides, indent=2, default=str), "config/overrides.json")
    ds = payload.dataset
    # MetaDataset leaves Dataset.profile unimplemented; Dataset is no ABC, so only type checkers mind.
    dataset = MetaDataset(  # type: ignore[abstract]
        source=LocalArtifactDatasetSource(ds.path),
        name=f"{ds.name}@v{ds.version}",
        digest=ds.hash[:36],  # MLflow stores at most 36 characters of digest; the full hash is in the tags
    )
    mlflow.log_input(
        dataset,
        context="training",
        tags={"qlp.dataset_id": str(ds.id), "qlp.dataset_version": str(ds.version), "qlp.dataset_hash": ds.hash},
    )


def run_metrics(client: MlflowClient, run_id: str) -> dict[str, float]:
    """The run's metrics as MLflow holds them (latest value per key)."""
    metrics = client.get_run(run_id).data.metrics
    return {k: float(metrics[k]) for k in sorted(metrics)}


def finite_metrics(metrics: dict[str, float]) -> dict[str, float]:
    """Only the finite values: the result JSON promises plain numbers (NaN/inf stay visible in MLflow)."""
    return {k: v for k, v in metrics.items() if math.isfinite(v)}


def log_exports(
    client: MlflowClient, run_id: str, objects: dict[str, Any], model: Any, metrics: dict[str, Any]
) -> list[str]:
    """Write and log exports/ (Parquet, JSON, metrics.json, series.json) and model/lightgbm.txt in one upload."""
    with tempfile.TemporaryDirectory(prefix="qlp-exports-") as tmp:
        root = Path(tmp)
        written = [f"exports/{p}" for p in write_exports(objects, root / "exports")]
        jsonable = {k: jsonable_number(v) for k, v in metrics.items()}  # NaN/inf as null
        (root / "exports" / "metrics.json").write_text(json.dumps(jsonable, indent=2, allow_nan=False))
        written.append("exports/metrics.json")
        series = series_export(objects)
        if series is not None:  # the dashboard's curves: daily returns and IC as plain JSON
            (root / "exports" / "series.json").write_text(json.dumps(series, separators=(",", ":"), allow_nan=False))
            written.append("exports/series.json")
        booster = lightgbm_booster(model)
        if booster is not None:
            (root / "model").mkdir()
            booster.save_model(str(root / "model" / "lightgbm.txt"))
            written.append("model/lightgbm.txt")
        client.log_artifacts(run_id, str(root))
    return written


def skip_git_snapshot() -> None:
    """Stop Qlib's recorder from uploading ``git diff``/``git status`` of the working directory at run start.

    The workflow's code is its YAML (logged as config/), and the worker's directory is none of the run's business:
    inside a repository it would upload that repository's uncommitted changes; outside one git prints its usage.
    """
    from qlib.workflow.recorder import MLflowRecorder

    MLflowRecorder._log_uncommitted_code = _no_git_snapshot


def _no_git_snapshot(self: Any) -> None:
    return None
