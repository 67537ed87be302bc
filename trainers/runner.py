"""Run one qrun-format Qlib workflow in this process and log it to MLflow: ``python -u -m trainers.runner SPEC.json``.

Protocol (stdout, one line each, flushed):

- ``QLP_RUN {"run_id": ..., "experiment_id": ...}`` as soon as the MLflow run exists;
- ``[qlp] <phase> in <seconds>s`` progress lines;
- ``QLP_RESULT {"run_id": ..., "experiment_id": ..., "metrics": {...}}`` last, exit code 0;
- or ``QLP_ERROR <reason>`` last: exit code 2 for a refused config (nothing imported, no run created),
  1 for any other failure (the traceback is printed first; an MLflow run that was started is marked FAILED).

Nothing here unpickles anything: the objects Qlib's records save are kept in memory, served back to the records
from there, and exported as Parquet/JSON (and LightGBM's text model) beside Qlib's own pickles.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from qlp_core.workflow_config import (
    ConfigError,
    apply_overrides,
    config_hash,
    flatten_params,
    load_config,
    prepare_config,
    validate_config,
)

if TYPE_CHECKING:
    import pandas as pd
    from mlflow import MlflowClient
    from mlflow.entities import Metric

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
MAX_ERROR_CHARS = 2000
_SAFE_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


class SpecError(ValueError):
    """The job spec file written by the worker is unusable."""


# ------------------------------------------------------------------------------------------------ spec


@dataclass(frozen=True)
class DatasetRef:
    """The registered dataset version a job trains on."""

    id: int
    name: str
    version: int
    path: str
    hash: str


@dataclass(frozen=True)
class JobSpec:
    """What the worker asks this process to run (SPEC.json)."""

    job_id: int
    config_text: str
    dataset: DatasetRef
    tracking_uri: str
    experiment_name: str
    user: str
    result_path: str
    overrides: dict[str, Any] = field(default_factory=dict)
    kernels: int | None = None

    @classmethod
    def from_dict(cls, data: Any) -> JobSpec:
        if not isinstance(data, dict):
            raise SpecError("the spec must be a JSON object")
        ds = data.get("dataset")
        if not isinstance(ds, dict):
            raise SpecError("spec.dataset must be an object")
        try:
            dataset = DatasetRef(
                id=_typed(ds, "id", int, "dataset."),
                name=_typed(ds, "name", str, "dataset."),
                version=_typed(ds, "version", int, "dataset."),
                path=_typed(ds, "path", str, "dataset."),
                hash=_typed(ds, "hash", str, "dataset."),
            )
            overrides = data.get("overrides") or {}
            if not isinstance(overrides, dict):
                raise SpecError("spec.overrides must be an object")
            kernels = data.get("kernels")
            if kernels is not None and (not isinstance(kernels, int) or isinstance(kernels, bool) or kernels < 1):
                raise SpecError("spec.kernels must be a positive integer or null")
            return cls(
                job_id=_typed(data, "job_id", int),
                config_text=_typed(data, "config_text", str),
                dataset=dataset,
                tracking_uri=_typed(data, "tracking_uri", str),
                experiment_name=_typed(data, "experiment_name", str),
                user=_typed(data, "user", str),
                result_path=_typed(data, "result_path", str),
                overrides=overrides,
                kernels=kernels,
            )
        except KeyError as e:
            raise SpecError(f"spec.{e.args[0]} is missing") from None


def _typed(data: dict[str, Any], key: str, kind: type, prefix: str = "") -> Any:
    if key not in data:
        raise KeyError(prefix + key)
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SpecError(f"spec.{prefix}{key} must be a {kind.__name__}")
    return value


def read_spec(path: str | Path) -> JobSpec:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SpecError(f"cannot read the spec {path}: {e}") from None
    return JobSpec.from_dict(data)


def build_config(spec: JobSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """load -> overrides -> validate -> prepare; returns (the user's config with overrides, the prepared one)."""
    config = load_config(spec.config_text)
    config = apply_overrides(config, spec.overrides)
    validate_config(config)
    prepared = prepare_config(
        config,
        provider_uri=spec.dataset.path,
        tracking_uri=spec.tracking_uri,
        experiment_name=spec.experiment_name,
        kernels=spec.kernels,
    )
    return config, prepared


# --------------------------------------------------------------------------------------------- output


def emit(kind: str, payload: Any) -> None:
    """Print one protocol line (``QLP_RUN``/``QLP_RESULT``/``QLP_ERROR``) on its own, flushed."""
    text = payload if isinstance(payload, str) else json.dumps(payload, allow_nan=False, separators=(",", ":"))
    sys.stderr.flush()
    sys.stdout.write(f"\n{kind} {text}\n")
    sys.stdout.flush()


def error_line(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 3] + "..."


class PhaseTimer:
    """Times named phases and prints ``[qlp] <phase> in 1.2s``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        took = time.perf_counter() - start
        self.seconds[phase] = round(took, 3)
        print(f"[qlp] {phase} in {took:.1f}s", flush=True)


# ------------------------------------------------------------------------------------ recorder hooks


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
        return obj.copy(deep=True) if _is_pandas(obj) else obj

    def log_metrics(self, step: int | None = None, **kwargs: Any) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        for key, value in kwargs.items():
            self._pending.append(Metric(key=key, value=float(value), timestamp=now, step=step or 0))

    def flush_metrics(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.client.log_batch(self.run_id, metrics=pending)


def _is_pandas(obj: Any) -> bool:
    import pandas as pd

    return isinstance(obj, (pd.DataFrame, pd.Series))


# ------------------------------------------------------------------------------------------- exports


def frame_for_parquet(obj: pd.DataFrame | pd.Series, default_name: str = "value") -> pd.DataFrame:
    """A copy with unique string column names and the index moved into columns, as Parquet wants."""
    import pandas as pd

    if isinstance(obj, pd.Series):
        df = obj.to_frame(name=str(obj.name) if obj.name is not None else default_name)
    else:
        df = obj.copy()
    if isinstance(df.columns, pd.MultiIndex):
        names = [".".join(str(p) for p in col if str(p) != "") or "value" for col in df.columns]
    else:
        names = [str(c) for c in df.columns]
    df.columns = _unique(names)
    if not isinstance(df.index, pd.RangeIndex):
        if df.index.nlevels == 1 and df.index.name is None:
            index_names = ["datetime" if isinstance(df.index, pd.DatetimeIndex) else "index"]
        else:
            index_names = [str(n) if n is not None else f"level_{i}" for i, n in enumerate(df.index.names)]
        taken = set(df.columns)
        index_names = _unique(index_names, taken)
        df.index = df.index.set_names(index_names)
        df = df.reset_index()
    return df


def _unique(names: list[str], taken: set[str] | None = None) -> list[str]:
    seen = set(taken or ())
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def write_parquet(obj: pd.DataFrame | pd.Series, path: Path, default_name: str = "value") -> None:
    df = frame_for_parquet(obj, default_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        df.to_parquet(path, index=False)
    except (TypeError, ValueError, ArithmeticError, ImportError) as first:
        # Mixed-type object columns: keep them as text rather than lose the export.
        objects = df.select_dtypes(include=["object"]).columns
        if len(objects) == 0:
            raise first
        df[objects] = df[objects].astype(str)
        df.to_parquet(path, index=False)


def frame_to_jsonable(obj: pd.DataFrame | pd.Series) -> Any:
    """Nested dicts keyed by the index levels (one column) or by column, then index levels."""
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        if obj.shape[1] == 1:
            return frame_to_jsonable(obj.iloc[:, 0])
        return {str(c): frame_to_jsonable(obj[c]) for c in obj.columns}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        parts = key if isinstance(key, tuple) else (key,)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(str(part), {})
        node[str(parts[-1])] = jsonable_number(value)
    return out


def jsonable_number(value: Any) -> Any:
    """A float for JSON, None for NaN/inf; non-numbers as text."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None if value is None else str(value)
    return number if math.isfinite(number) else None


def positions_frame(positions: dict[Any, Any]) -> pd.DataFrame:
    """Qlib's {date: Position} into rows: datetime, instrument, amount, price, weight, ..., cash, account value."""
    import pandas as pd

    rows = []
    for day, position in positions.items():
        holding = getattr(position, "position", position)
        if not isinstance(holding, dict):
            continue
        common = {
            "datetime": pd.Timestamp(day),
            "cash": jsonable_number(holding.get("cash")),
            "account_value": jsonable_number(holding.get("now_account_value")),
        }
        stocks = {k: v for k, v in holding.items() if isinstance(v, dict)}
        if not stocks:
            rows.append({**common, "instrument": None})
        for code, info in stocks.items():
            rows.append({**common, "instrument": str(code), **{str(k): jsonable_number(v) for k, v in info.items()}})
    return pd.DataFrame(rows)


def write_exports(objects: dict[str, Any], out_dir: Path) -> list[str]:
    """Safe copies of the records' objects under ``out_dir``; returns the relative paths written.

    DataFrames/Series become Parquet (risk/indicator analyses JSON), positions a Parquet table;
    anything else (the model, the dataset) is skipped here.
    """
    written: list[str] = []
    for key, obj in objects.items():
        parts = key.split("/")
        if not all(_SAFE_PART.fullmatch(p) and ".." not in p for p in parts):
            continue
        stem = parts[-1].removesuffix(".pkl")
        rel = "/".join([*parts[:-1], stem])
        if _is_pandas(obj):
            if stem.startswith(("port_analysis_", "indicator_analysis_")):
                target = out_dir / f"{rel}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(frame_to_jsonable(obj), indent=2, allow_nan=False))
            else:
                target = out_dir / f"{rel}.parquet"
                write_parquet(obj, target, default_name=stem)
        elif stem.startswith("positions_normal_") and isinstance(obj, dict):
            target = out_dir / f"{rel}.parquet"
            write_parquet(positions_frame(obj), target)
        else:
            continue
        written.append(target.relative_to(out_dir).as_posix())
    return written


def lightgbm_booster(model: Any) -> Any | None:
    """The LightGBM Booster inside a Qlib model (LGBModel and friends), if there is one."""
    try:
        import lightgbm
    except ImportError:
        return None
    booster = getattr(model, "model", None)
    return booster if isinstance(booster, lightgbm.Booster) else None


# --------------------------------------------------------------------------------------------- MLflow


def params_view(prepared: dict[str, Any]) -> dict[str, Any]:
    """The prepared config without the tracking settings (the tracking URI may carry credentials)."""
    view = dict(prepared)
    view["qlib_init"] = {k: v for k, v in (prepared.get("qlib_init") or {}).items() if k != "exp_manager"}
    return view


def job_tags(spec: JobSpec) -> dict[str, str]:
    return {
        "qlp.job_id": str(spec.job_id),
        "qlp.dataset_id": str(spec.dataset.id),
        "qlp.dataset_name": spec.dataset.name,
        "qlp.dataset_version": str(spec.dataset.version),
        "qlp.dataset_hash": spec.dataset.hash,
        "qlp.user": spec.user,
        "qlp.config_hash": config_hash(spec.config_text),
    }


def log_job_info(client: MlflowClient, run_id: str, spec: JobSpec, prepared: dict[str, Any]) -> None:
    """Params (the whole flattened config), qlp.* tags, the config texts and the dataset lineage."""
    import mlflow
    from mlflow.data.meta_dataset import MetaDataset
    from mlflow.data.sources import LocalArtifactDatasetSource  # type: ignore[attr-defined]
    from mlflow.entities import Param, RunTag

    view = params_view(prepared)
    params = [Param(k, v) for k, v in flatten_params(view).items()]
    tags = [RunTag(k, v) for k, v in job_tags(spec).items()]
    client.log_batch(run_id, params=params, tags=tags)
    client.log_text(run_id, spec.config_text, "config/workflow.yaml")
    client.log_text(run_id, yaml.safe_dump(view, sort_keys=False, allow_unicode=True), "config/effective.yaml")
    if spec.overrides:
        client.log_text(run_id, json.dumps(spec.overrides, indent=2, default=str), "config/overrides.json")
    ds = spec.dataset
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
    """Write and log exports/ (Parquet, JSON, metrics.json) and model/lightgbm.txt in one upload."""
    with tempfile.TemporaryDirectory(prefix="qlp-exports-") as tmp:
        root = Path(tmp)
        written = [f"exports/{p}" for p in write_exports(objects, root / "exports")]
        jsonable = {k: jsonable_number(v) for k, v in metrics.items()}  # NaN/inf as null
        (root / "exports" / "metrics.json").write_text(json.dumps(jsonable, indent=2, allow_nan=False))
        written.append("exports/metrics.json")
        booster = lightgbm_booster(model)
        if booster is not None:
            (root / "model").mkdir()
            booster.save_model(str(root / "model" / "lightgbm.txt"))
            written.append("model/lightgbm.txt")
        client.log_artifacts(run_id, str(root))
    return written


# ---------------------------------------------------------------------------------------------- task


def execute_task(task: dict[str, Any], recorder: Any, tap: RecorderTap, timer: PhaseTimer) -> Any:
    """What qlib.model.trainer._exe_task does (model, dataset, fit, placeholders, records), timed; returns the model."""
    from qlib.data.dataset import Dataset
    from qlib.model.base import Model
    from qlib.utils import auto_filter_kwargs, fill_placeholder, init_instance_by_config
    from qlib.workflow import R

    with timer("model and dataset built (features)"):
        model = init_instance_by_config(task["model"], accept_types=Model)
        dataset = init_instance_by_config(task["dataset"], accept_types=Dataset)
    reweighter = task.get("reweighter")
    with timer("model trained"):
        auto_filter_kwargs(model.fit)(dataset, reweighter=reweighter)
    with timer("model saved"):
        tap.flush_metrics()
        R.save_objects(**{"params.pkl": model})
        # as in qrun: the dataset is saved for online inference, without its data
        dataset.config(dump_all=False, recursive=True)
        R.save_objects(**{"dataset": dataset})
    task = fill_placeholder(task, {"<MODEL>": model, "<DATASET>": dataset})
    records = task.get("record", [])
    if isinstance(records, dict):
        records = [records]
    for record in records:
        r = init_instance_by_config(
            record,
            recorder=recorder,
            default_module="qlib.workflow.record_temp",
            try_kwargs={"model": model, "dataset": dataset},
        )
        with timer(f"{type(r).__name__} generated"):
            r.generate()
            tap.flush_metrics()
    return model


def skip_git_snapshot() -> None:
    """Stop Qlib's recorder from uploading ``git diff``/``git status`` of the working directory at run start.

    The workflow's code is its YAML (logged as config/), and the worker's directory is none of the run's business:
    inside a repository it would upload that repository's uncommitted changes; outside one git prints its usage.
    """
    from qlib.workflow.recorder import MLflowRecorder

    MLflowRecorder._log_uncommitted_code = _no_git_snapshot


def _no_git_snapshot(self: Any) -> None:
    return None


def run_job(spec: JobSpec, prepared: dict[str, Any], timer: PhaseTimer) -> dict[str, Any]:
    """Initialise Qlib, open the MLflow run, log everything and run the task; returns the result dict."""
    with timer("qlib initialised"):
        import qlib
        from mlflow import MlflowClient
        from qlib.workflow import R

        qlib.init(**prepared["qlib_init"])
        skip_git_snapshot()
    with R.start(experiment_name=spec.experiment_name, recorder_name=f"job-{spec.job_id}"):
        recorder = R.get_recorder()
        run_id, experiment_id = str(recorder.id), str(recorder.experiment_id)
        emit("QLP_RUN", {"run_id": run_id, "experiment_id": experiment_id})
        client = MlflowClient(tracking_uri=spec.tracking_uri)
        tap = RecorderTap(recorder, client)
        with timer("job info logged"):
            log_job_info(client, run_id, spec, prepared)
        model = execute_task(prepared["task"], recorder, tap, timer)
        with timer("exports logged"):
            tap.flush_metrics()
            metrics = run_metrics(client, run_id)
            log_exports(client, run_id, tap.objects, model, metrics)
        client.set_tag(run_id, "qlp.phase_seconds", json.dumps(timer.seconds))
    return {"run_id": run_id, "experiment_id": experiment_id, "metrics": finite_metrics(metrics)}


def write_result(path: str, result: dict[str, Any]) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2, allow_nan=False))
    os.replace(tmp, target)


# ---------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    from qlp_core.proc import die_with_parent

    die_with_parent()  # the supervising worker died: do not run on as an orphan
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        emit("QLP_ERROR", "usage: python -m trainers.runner SPEC.json")
        return EXIT_FAILED
    try:
        spec = read_spec(args[0])
    except SpecError as e:
        emit("QLP_ERROR", f"SpecError: {e}")
        return EXIT_FAILED
    timer = PhaseTimer()
    try:
        with timer("config validated"):
            _, prepared = build_config(spec)
    except ConfigError as e:
        emit("QLP_ERROR", " ".join(str(e).split()))
        return EXIT_REFUSED
    try:
        result = run_job(spec, prepared, timer)
        write_result(spec.result_path, result)
    except BaseException as e:  # SystemExit and KeyboardInterrupt included
        traceback.print_exc()
        sys.stderr.flush()
        emit("QLP_ERROR", error_line(e))
        return EXIT_FAILED
    emit("QLP_RESULT", result)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
