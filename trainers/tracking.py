"""A workflow run in MLflow: hooks on Qlib's recorder (no unpickling, batched metrics), the run's params, tags,
config texts and dataset lineage, its exports, and its final metrics."""

from __future__ import annotations

import io
import json
import logging
import math
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml

from qlp_core.protocol import WorkflowPayload
from qlp_core.workflow_config import config_hash, flatten_params
from trainers import model_exports
from trainers.exports import is_pandas, jsonable_number, write_exports
from trainers.series import series_export

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from mlflow.entities import Metric


class RecorderTap:
    """Hooks on the active Qlib recorder *instance*.

    - ``save_objects``: keeps the in-memory objects the records save (and still lets Qlib upload its pickles);
    - ``load_object``: serves the records' loads from those objects, so nothing is downloaded and unpickled;
    - ``log_metrics``: buffers Qlib's one-call-per-metric logging and sends it with ``log_batch`` (at least every
      few seconds while a model logs as it trains);
    - :meth:`epochs`: a torch model's per-epoch scores as metrics with steps, sent each epoch.
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
        self._last_flush = time.monotonic()
        self._epoch_points: set[tuple[str, int]] = set()  # sent by the epoch capture: a model's own copy is dropped

    def load_object(self, name: str, unpickler: Any = None) -> Any:
        from qlib.utils.exceptions import LoadObjectError

        if name not in self.objects:
            raise LoadObjectError(f"{name} was not saved by this run (loading other artifacts is disabled)")
        obj = self.objects[name]
        return obj.copy(deep=True) if is_pandas(obj) else obj

    def log_metrics(self, step: int | None = None, **kwargs: Any) -> None:
        # Qlib's GRU logs its evals_result itself once it is done: those points were sent by the epoch capture
        self._add_metrics(step or 0, {k: v for k, v in kwargs.items() if (k, step or 0) not in self._epoch_points})

    def _add_metrics(self, step: int, metrics: dict[str, Any]) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self._pending.extend(Metric(key=k, value=float(v), timestamp=now, step=step) for k, v in metrics.items())
        # a model that logs every step while it trains (DNNModelPytorch) shows its curve while it runs
        if len(self._pending) >= MAX_PENDING_METRICS or time.monotonic() - self._last_flush >= METRICS_FLUSH_S:
            self.flush_metrics()

    def flush_metrics(self) -> None:
        self._last_flush = time.monotonic()
        while self._pending:
            batch, self._pending = self._pending[:MAX_PENDING_METRICS], self._pending[MAX_PENDING_METRICS:]
            self.client.log_batch(self.run_id, metrics=batch)

    @contextmanager
    def epochs(self, model: Any) -> Iterator[EpochScores | None]:
        """While a Qlib torch model trains: the ``evals_result`` to hand its ``fit``, whose per-epoch scores become
        metrics (the epoch as step) and job-log lines as they come; for ADD and TCTS, which keep none there, their
        epoch lines (ADD's log records, TCTS's prints) are read instead. None for other models (LightGBM logs its own
        per-iteration metrics; the others have no epochs)."""
        cls = type(model)
        if not cls.__module__.startswith(TORCH_MODELS):
            yield None
            return
        scores = EpochScores(self._log_epoch)
        if (cls.__module__, cls.__name__) not in TEXT_SCORED:
            yield scores
            return
        reader = EpochText(self._log_epoch)
        handler = _LineHandler(reader.feed)
        qlib_logger = logging.getLogger("qlib")
        qlib_logger.addHandler(handler)
        try:
            with redirect_stdout(_LineTee(sys.stdout, reader.feed)):
                yield scores
        finally:
            qlib_logger.removeHandler(handler)

    def _log_epoch(self, step: int, metrics: dict[str, float], done: bool) -> None:
        self._add_metrics(step, metrics)
        self._epoch_points.update((key, step) for key in metrics)
        if done:  # the epoch's last score: the job log shows it and MLflow has it now
            self.flush_metrics()


#: The modules of Qlib's torch models.
TORCH_MODELS = "qlib.contrib.model.pytorch_"
METRICS_FLUSH_S = 5.0
MAX_PENDING_METRICS = 1000  # MLflow's LogBatch limit


#: Torch models whose ``fit`` keeps no per-epoch scores in ``evals_result``: ADD logs them as text
#: (``ic/valid: 0.03, loss/valid: 0.99``), TCTS prints them (``Epoch: 3`` … ``valid 0.99, test 0.98``).
TEXT_SCORED = frozenset({("qlib.contrib.model.pytorch_add", "ADD"), ("qlib.contrib.model.pytorch_tcts", "TCTS")})
_NUMBER = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|nan|inf)"
_EPOCH_START = re.compile(r"^Epoch:? ?(\d+):?$")
_SLASHED = re.compile(rf"(\w+)/(\w+)\s*:\s*({_NUMBER})")  # ADD: <metric>/<segment>: <value>
_TCTS_SCORES = re.compile(rf"^valid ({_NUMBER}), test ({_NUMBER})$")


def epoch_line(step: int, metrics: dict[str, float]) -> str:
    """The job-log line of one epoch's scores."""
    return f"[qlp] epoch {step}: " + ", ".join(f"{name} {value:.6f}" for name, value in metrics.items())


class EpochText:
    """Reads a torch model's epoch lines (log records, prints) into per-epoch metrics: an ``Epoch N`` line starts
    epoch N; ADD's ``<metric>/<segment>: <value>`` become ``<metric>.<segment>``, TCTS's ``valid X, test Y`` become
    ``valid`` and ``test``; an epoch is done (line printed, metrics sent) with its valid scores."""

    def __init__(self, report: Callable[[int, dict[str, float], bool], None]) -> None:
        self._report = report
        self._epoch: int | None = None
        self._scores: dict[str, float] = {}

    def feed(self, line: str) -> None:
        line = line.strip()
        if (start := _EPOCH_START.match(line)) is not None:
            self._epoch, self._scores = int(start.group(1)), {}
            return
        if self._epoch is None:
            return
        if (tcts := _TCTS_SCORES.match(line)) is not None:
            metrics, done = {"valid": float(tcts.group(1)), "test": float(tcts.group(2))}, True
        else:
            pairs = _SLASHED.findall(line)
            metrics = {f"{name}.{segment}": float(value) for name, segment, value in pairs}
            done = any(segment == "valid" for _, segment, _ in pairs)
        if not metrics:
            return
        self._scores |= metrics
        if done:
            print(epoch_line(self._epoch, self._scores), flush=True)
        self._report(self._epoch, metrics, done)


class _LineHandler(logging.Handler):
    def __init__(self, feed: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self._feed = feed

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._feed(record.getMessage())
        except Exception:  # a metric that cannot be sent must not stop the training
            self.handleError(record)


class _LineTee(io.TextIOBase):
    """Writes through to ``out`` and hands each complete line to ``feed``."""

    def __init__(self, out: TextIO, feed: Callable[[str], None]) -> None:
        super().__init__()
        self._out, self._feed, self._partial = out, feed, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._out.write(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._feed(line)
        return len(text)

    def flush(self) -> None:
        self._out.flush()

    def fileno(self) -> int:
        return self._out.fileno()

    def isatty(self) -> bool:
        return self._out.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._out.encoding


class EpochScores(dict[str, Any]):
    """A torch model's ``evals_result`` that reports each score as the model appends it.

    Qlib's torch models set ``evals_result["train"] = []`` and ``["valid"]`` (TRA also ``["test"]``) and append one
    value per epoch (DNNModelPytorch: per evaluation): Qlib's score, the negated loss for ``metric: loss``, else the
    metric. Each becomes a metric under Qlib's own name (``train``, ``valid``; for TRA's dicts of metrics
    ``IC.valid``, ``MSE.train``, …, named like LightGBM's ``l2.valid``) with the epoch as its step, and each epoch a
    job-log line ``[qlp] epoch N: train …, valid …``, printed and sent when its ``valid`` score comes."""

    def __init__(self, report: Callable[[int, dict[str, float], bool], None]) -> None:
        super().__init__()
        self._report = report

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, list) and not isinstance(value, _ScoreList):
            scores = _ScoreList(self, str(key))
            for item in value:
                scores.append(item)
            value = scores
        super().__setitem__(key, value)

    def scored(self, key: str, step: int, item: Any) -> None:
        metrics = _score_metrics(key, item)
        done = key == "valid"
        if done:
            print(epoch_line(step, self._step_scores(step, metrics)), flush=True)
        self._report(step, metrics, done)

    def _step_scores(self, step: int, latest: dict[str, float]) -> dict[str, float]:
        """Every score of ``step`` so far (other lists first), for the epoch's line."""
        out: dict[str, float] = {}
        for key, scores in self.items():
            if isinstance(scores, _ScoreList) and key != "valid" and len(scores) > step:
                out |= _score_metrics(key, scores[step])
        return out | latest


class _ScoreList(list[Any]):
    def __init__(self, owner: EpochScores, key: str) -> None:
        super().__init__()
        self._owner, self._key = owner, key

    def append(self, item: Any) -> None:
        super().append(item)
        self._owner.scored(self._key, len(self) - 1, item)

    def extend(self, items: Any) -> None:
        for item in items:
            self.append(item)


def _score_metrics(key: str, item: Any) -> dict[str, float]:
    """One appended score as metrics: a number under the list's name, a dict's numbers as ``<name>.<list>``."""
    if isinstance(item, dict):
        out = {}
        for name, value in item.items():
            number = _number(value)
            if number is not None:
                out[f"{name}.{key}"] = number
        return out
    number = _number(item)
    return {} if number is None else {key: number}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None



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
        **payload.run_tags,
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
    """Write and log exports/ (Parquet, JSON, metrics.json, series.json) and model/ (the model in a safe format:
    LightGBM's text model, XGBoost UBJSON, CatBoost's format, linear JSON, torch tensors) in one upload."""
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
        try:  # the model in a format that loads without a pickle (trainers.model_exports), where it has one
            written += [f"model/{name}" for name in model_exports.export(model, root / "model")]
        except model_exports.NoSafeFormat as exc:
            print(f"[qlp] model kept only as Qlib's pickle: {exc}", flush=True)
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
