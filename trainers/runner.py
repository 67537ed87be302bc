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
import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qlp_core.proc import die_with_parent
from qlp_core.protocol import RunnerSpec, WorkflowPayload
from qlp_core.workflow_config import ConfigError, apply_overrides, load_config, prepare_config, validate_config
from trainers import numerics, qlib_compat
from trainers.feature_cache import FeatureRequest, build_dataset, request_from_settings
from trainers.tracking import (
    TORCH_MODELS,
    RecorderTap,
    finite_metrics,
    log_exports,
    log_job_info,
    run_metrics,
    skip_git_snapshot,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2
MAX_ERROR_CHARS = 2000


class SpecError(ValueError):
    """The job spec file written by the worker is unusable."""


def read_spec(path: str | Path) -> RunnerSpec:
    try:
        spec = RunnerSpec.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise SpecError(f"cannot read the spec {path}: {e}") from None
    except ValidationError as e:
        first = e.errors()[0]
        raise SpecError(f"the spec {path} is not a runner spec: {first['loc']}: {first['msg']}") from None
    if not isinstance(spec.payload, WorkflowPayload):
        raise SpecError(f"the spec is for a {spec.payload.kind} job, not a workflow")
    return spec


def build_config(spec: RunnerSpec) -> tuple[dict[str, Any], dict[str, Any]]:
    """load -> overrides -> validate -> prepare; returns (the user's config with overrides, the prepared one)."""
    payload = spec.payload
    assert isinstance(payload, WorkflowPayload)
    config = apply_overrides(load_config(payload.config_text), payload.overrides)
    validate_config(config)
    prepared = prepare_config(config, provider_uri=payload.dataset.path, tracking_uri=spec.tracking_uri,
                              experiment_name=payload.experiment_name, kernels=spec.kernels)
    return config, prepared


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


def prepare_torch(model_config: dict[str, Any]) -> None:
    """Before a Qlib torch model is built: :func:`pin_cuda_view`, and torch's scheduler as Qlib calls it."""
    named = f"{model_config.get('module_path', '')}.{model_config.get('class', '')}"
    if TORCH_MODELS in named:
        pin_cuda_view()
        qlib_compat.accept_scheduler_verbose()


def pin_cuda_view() -> None:
    """On a worker that hides the host's GPUs from its jobs (``CUDA_VISIBLE_DEVICES`` empty), fix CUDA's view of the
    devices before a torch model is built: ADARNN sets ``CUDA_VISIBLE_DEVICES`` from its ``GPU`` kwarg, which would
    otherwise make the device visible again (CUDA reads the variable once, when torch first asks it)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") == "":
        import torch

        torch.cuda.is_available()


def execute_task(task: dict[str, Any], recorder: Any, tap: RecorderTap, timer: PhaseTimer,
                 features: FeatureRequest | None = None) -> Any:
    """What qlib.model.trainer._exe_task does (model, dataset, fit, placeholders, records), timed; returns the model.
    The dataset's processed data comes from the host's feature cache when ``features`` has an entry for it."""
    from mlflow.entities import RunTag
    from qlib.model.base import Model
    from qlib.utils import auto_filter_kwargs, fill_placeholder, init_instance_by_config
    from qlib.workflow import R

    with timer("model and dataset built (features)"):
        prepare_torch(task["model"])
        model = init_instance_by_config(task["model"], accept_types=Model)
        dataset, cache = build_dataset(task["dataset"], features)
    tap.client.log_batch(tap.run_id, tags=[RunTag(k, v) for k, v in cache.tags().items()])
    fit_kwargs: dict[str, Any] = {"reweighter": task.get("reweighter")}
    with timer("model trained"), tap.epochs(model) as scores:
        if scores is not None:  # a torch model: each epoch's scores reach the job log and MLflow as they come
            fit_kwargs["evals_result"] = scores
        auto_filter_kwargs(model.fit)(dataset, **fit_kwargs)
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


def run_job(spec: RunnerSpec, prepared: dict[str, Any], timer: PhaseTimer) -> dict[str, Any]:
    """Initialise Qlib, open the MLflow run, log everything and run the task; returns the result dict."""
    with timer("qlib initialised"):
        import qlib
        from mlflow import MlflowClient
        from qlib.workflow import R

        qlib.init(**prepared["qlib_init"])
        qlib_compat.apply()
        skip_git_snapshot()
    payload = spec.payload
    assert isinstance(payload, WorkflowPayload)
    with R.start(experiment_name=payload.experiment_name, recorder_name=f"job-{spec.job_id}"):
        recorder = R.get_recorder()
        run_id, experiment_id = str(recorder.id), str(recorder.experiment_id)
        emit("QLP_RUN", {"run_id": run_id, "experiment_id": experiment_id})
        client = MlflowClient(tracking_uri=spec.tracking_uri)
        tap = RecorderTap(recorder, client)
        with timer("job info logged"):
            log_job_info(client, run_id, spec.job_id, spec.user, payload, prepared)
        features = request_from_settings(payload.dataset.hash, prepared["qlib_init"])
        model = execute_task(prepared["task"], recorder, tap, timer, features)
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
    die_with_parent()  # the supervising worker died: do not run on as an orphan
    numerics.pin()
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
