"""The model zoo: one of Qlib's published benchmark configs per model family, run through the platform on the demo
market, each changed only in market, benchmark, dates and (torch models) epochs and thread counts; and the capture of
torch models' per-epoch scores as MLflow metrics with steps."""

from __future__ import annotations

import math
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from qlp_core.workflow_config import load_config, validate_config

ROOT = Path(__file__).resolve().parents[1]
ZOO = ROOT / "tests" / "data" / "qlib_benchmarks"
#: One published config per family (tests/data/qlib_benchmarks/README.md says which families are left out, and why).
CONFIGS = sorted(ZOO.glob("*/workflow_config_*.yaml"))

# The demo market (trainers.market.generate_market): business days from 2020-01-01 for 3 years. Its first two
# years, so that twenty-one jobs take minutes, not an hour, on two cores: a year to train on, nine months to
# validate and a quarter to test and backtest. Models skip a last partial batch (drop_last), and with no batch their
# validation score is NaN and they stop (TabNet: EOFError, Localformer: UnboundLocalError): the validation segment
# must hold a whole batch, Localformer's 8,192 rows (164 days of 50 instruments; the demo workflow validates on 130).
DEMO_MARKET, DEMO_BENCHMARK = "demo", "DEMOIDX"
DEMO_START, DEMO_END = "2020-01-01", "2021-12-31"
DEMO_SEGMENTS = {"train": ["2020-01-01", "2020-12-31"], "valid": ["2021-01-01", "2021-09-30"],
                 "test": ["2021-10-01", "2021-12-31"]}
# Qlib's segment names for the same spans (TabNet pre-trains on its own two).
SEGMENT_OF = {"train": "train", "valid": "valid", "test": "test", "pretrain": "train", "pretrain_validation": "valid"}
EPOCHS = 2
THREADS = 2
# How a torch model counts its training: epochs, or (DNNModelPytorch) steps with an evaluation every eval_steps.
EPOCH_KWARGS = {"DNNModelPytorch": ("max_steps",), "TabnetModel": ("n_epochs", "pretrain_n_epochs")}
EPOCH_LEAVES = ("n_epochs", "pretrain_n_epochs", "max_steps")
THREAD_KWARGS = ("num_threads", "nthread", "thread_count")


def demo_overrides(config: dict[str, Any], epochs: int = EPOCHS) -> dict[str, Any]:
    """The job overrides that run a published benchmark config on the demo market: its market, benchmark and dates;
    a torch model's epoch count (DNNModelPytorch: its steps) and DataLoader workers (none: the main process loads);
    the gradient-boosting libraries' thread counts, and CatBoost's GPU-only Poisson bootstrap as its CPU counterpart
    (Bernoulli, with the config's subsample). Nothing else of the config changes."""
    task = config["task"]
    out: dict[str, Any] = {}
    handler = "task.dataset.kwargs.handler.kwargs"
    out |= {f"{handler}.instruments": DEMO_MARKET, f"{handler}.start_time": DEMO_START,
            f"{handler}.end_time": DEMO_END, f"{handler}.fit_start_time": DEMO_SEGMENTS["train"][0],
            f"{handler}.fit_end_time": DEMO_SEGMENTS["train"][1]}
    for name in task["dataset"]["kwargs"]["segments"]:
        out[f"task.dataset.kwargs.segments.{name}"] = DEMO_SEGMENTS[SEGMENT_OF[name]]
    records = task.get("record") or []
    for i, record in enumerate(records if isinstance(records, list) else [records]):
        backtest = ((record.get("kwargs") or {}).get("config") or {}).get("backtest")
        if isinstance(backtest, dict):
            where = f"task.record.{i}.kwargs.config.backtest"
            out |= {f"{where}.start_time": DEMO_SEGMENTS["test"][0], f"{where}.end_time": DEMO_SEGMENTS["test"][1],
                    f"{where}.benchmark": DEMO_BENCHMARK}
    model, kwargs = task["model"], task["model"].get("kwargs") or {}
    for key in THREAD_KWARGS:
        if key in kwargs:
            out[f"task.model.kwargs.{key}"] = THREADS
    if kwargs.get("bootstrap_type") == "Poisson":  # CatBoost has it only on GPU; on CPU, the same subsample
        out["task.model.kwargs.bootstrap_type"] = "Bernoulli"
    if str(model.get("module_path", "")).startswith("qlib.contrib.model.pytorch_"):
        for key in EPOCH_KWARGS.get(model["class"], ("n_epochs",)):
            steps = epochs * int(kwargs.get("eval_steps", 20)) if key == "max_steps" else epochs
            out[f"task.model.kwargs.{key}"] = steps
        if "n_jobs" in kwargs:
            out["task.model.kwargs.n_jobs"] = 0
    return out


def family(path: Path) -> str:
    return path.parent.name


def is_torch(config: dict[str, Any]) -> bool:
    return str(config["task"]["model"].get("module_path", "")).startswith("qlib.contrib.model.pytorch_")


# ------------------------------------------------------------------------------------------- fast checks


def test_fixtures_are_the_published_files() -> None:
    assert len(CONFIGS) >= 20, CONFIGS
    for path in CONFIGS:
        head = path.read_text().splitlines()[:2]
        assert head[0].startswith(f"# From Qlib's published benchmarks: microsoft/qlib examples/benchmarks/"
                                  f"{family(path)}/{path.name} "), (path, head)
        assert "Licensed under the MIT License" in head[1], path
    readme = (ZOO / "README.md").read_text()
    for excluded in ("GATs", "HIST", "IGMTF", "TFT"):
        assert f"**{excluded}**" in readme


@pytest.mark.parametrize("path", CONFIGS, ids=family)
def test_demo_adaptation_changes_only_market_benchmark_dates_epochs_threads(path: Path) -> None:
    from qlp_core.workflow_config import apply_overrides

    config = load_config(path.read_text())
    overrides = demo_overrides(config)
    allowed = ("task.dataset.kwargs.handler.kwargs.", "task.dataset.kwargs.segments.", "task.record.",
               "task.model.kwargs.")
    for key in overrides:
        assert key.startswith(allowed), key
        leaf = key.rsplit(".", 1)[1]
        if key.startswith("task.model.kwargs."):
            assert leaf in (*EPOCH_LEAVES, "n_jobs", "bootstrap_type", *THREAD_KWARGS), key
        elif key.startswith("task.record."):
            assert leaf in ("start_time", "end_time", "benchmark"), key
    adapted = apply_overrides(config, overrides)
    validate_config(adapted)  # the published config, adapted, passes the platform's vetting
    handler = adapted["task"]["dataset"]["kwargs"]["handler"]["kwargs"]
    assert handler["instruments"] == DEMO_MARKET and handler["start_time"] == DEMO_START
    # the rest is as published: model kwargs other than epochs/threads, processors, labels, strategy
    model = config["task"]["model"]["kwargs"] or {}
    assert {k: v for k, v in adapted["task"]["model"]["kwargs"].items() if f"task.model.kwargs.{k}" not in overrides} \
        == {k: v for k, v in model.items() if f"task.model.kwargs.{k}" not in overrides}
    for key in ("infer_processors", "learn_processors", "label"):
        assert handler.get(key) == config["task"]["dataset"]["kwargs"]["handler"]["kwargs"].get(key)
    if is_torch(config):
        assert any(k.endswith(("n_epochs", "max_steps")) for k in overrides), overrides


def test_published_numbers_parse_as_qrun_reads_them() -> None:
    """qrun reads YAML 1.2 (ruamel.yaml): ``lr: 1e-3`` is a number there, and must be one here (torch's optimisers
    refuse a string)."""
    config = load_config((ZOO / "GRU" / "workflow_config_gru_Alpha158.yaml").read_text())
    assert config["task"]["model"]["kwargs"]["lr"] == pytest.approx(2e-4)
    assert yaml.safe_load("lr: 1e-3")["lr"] == "1e-3"  # what PyYAML's YAML 1.1 resolver alone makes of it



# ------------------------------------------------------------------------------------ per-epoch metrics, devices


class FakeClient:
    """What RecorderTap sends to MLflow: one entry per log_batch call."""

    def __init__(self) -> None:
        self.batches: list[list[Any]] = []

    def log_batch(self, run_id: str, metrics: Any = (), **_: Any) -> None:
        self.batches.append(list(metrics))

    def points(self, key: str) -> list[tuple[int, float]]:
        return [(m.step, m.value) for batch in self.batches for m in batch if m.key == key]


class FakeRecorder:
    id = "run-1"

    def save_objects(self, **_: Any) -> None:
        return None


def torch_like(module: str, name: str, fit: Any) -> Any:
    """An object whose class looks like one of Qlib's torch models to the tap (its module and name)."""
    return type(name, (), {"__module__": module, "fit": fit})()


def test_torch_epoch_scores_become_metrics_with_steps_as_they_come(capsys: pytest.CaptureFixture[str]) -> None:
    from qlib.utils import auto_filter_kwargs

    from trainers.tracking import RecorderTap

    client = FakeClient()
    tap = RecorderTap(FakeRecorder(), client)  # type: ignore[arg-type]
    sent_before: list[int] = []

    def fit(self: Any, dataset: Any, evals_result: Any = None, save_path: Any = None) -> None:
        """As Qlib's pytorch_gru does it: two lists, one value each per epoch, then its own copy to the recorder."""
        evals_result["train"], evals_result["valid"] = [], []
        for epoch in range(3):
            evals_result["train"].append(-1.0 + epoch / 10)
            evals_result["valid"].append(-0.9 + epoch / 10)
            sent_before.append(len(client.points("valid")))
        for key, values in evals_result.items():
            for i, v in enumerate(values):
                tap.log_metrics(step=i, **{key: v})

    model = torch_like("qlib.contrib.model.pytorch_gru", "GRU", fit)
    with tap.epochs(model) as scores:
        assert scores is not None
        auto_filter_kwargs(model.fit)("dataset", evals_result=scores)
    tap.flush_metrics()
    assert sent_before == [1, 2, 3]  # each epoch reached MLflow before the next one began
    assert client.points("train") == [(0, -1.0), (1, pytest.approx(-0.9)), (2, pytest.approx(-0.8))]
    assert [step for step, _ in client.points("valid")] == [0, 1, 2]  # the model's own copy was not sent twice
    out = capsys.readouterr().out.splitlines()
    assert out == ["[qlp] epoch 0: train -1.000000, valid -0.900000", "[qlp] epoch 1: train -0.900000, valid -0.800000",
                   "[qlp] epoch 2: train -0.800000, valid -0.700000"]


def test_dicts_of_metrics_and_text_only_epochs(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from trainers.tracking import RecorderTap

    client = FakeClient()
    tap = RecorderTap(FakeRecorder(), client)  # type: ignore[arg-type]

    def tra_fit(self: Any, dataset: Any, evals_result: Any) -> None:  # TRA: a dict of metrics per segment
        evals_result["train"], evals_result["valid"] = [], []
        evals_result["valid"].append({"IC": 0.05, "MSE": 0.98})

    with tap.epochs(torch_like("qlib.contrib.model.pytorch_tra", "TRAModel", tra_fit)) as scores:
        tra_fit(None, None, scores)
    assert client.points("IC.valid") == [(0, 0.05)] and client.points("MSE.valid") == [(0, 0.98)]

    def add_fit(self: Any, dataset: Any, evals_result: Any) -> None:  # ADD: text only, through Qlib's logger
        log = logging.getLogger("qlib.ADD")
        log.setLevel(logging.INFO)  # as Qlib's get_module_logger sets it
        for epoch in range(2):
            log.info("Epoch%d:", epoch)
            log.info("ic/train: 0.100000, loss/train: 0.900000")
            log.info("ic/valid: 0.050000, loss/valid: 0.950000")

    with tap.epochs(torch_like("qlib.contrib.model.pytorch_add", "ADD", add_fit)) as scores:
        add_fit(None, None, scores)
    assert [s for s, _ in client.points("ic.valid")] == [0, 1] and client.points("loss.train")[0] == (0, 0.9)

    def tcts_fit(self: Any, dataset: Any) -> None:  # TCTS: prints
        for epoch in range(2):
            print("Epoch:", epoch)
            print(f"valid {0.99 - epoch / 100:.6f}, test {0.98:.6f}")

    with tap.epochs(torch_like("qlib.contrib.model.pytorch_tcts", "TCTS", tcts_fit)):
        tcts_fit(None, None)
    assert client.points("valid") == [(0, 0.99), (1, 0.98)] and [s for s, _ in client.points("test")] == [0, 1]
    assert not any(type(h).__name__ == "_LineHandler" for h in logging.getLogger("qlib").handlers)  # removed
    out = capsys.readouterr().out
    assert "[qlp] epoch 1: ic.train 0.100000, loss.train 0.900000, ic.valid 0.050000, loss.valid 0.950000" in out
    assert "Epoch: 1\nvalid 0.980000, test 0.980000\n[qlp] epoch 1: valid 0.980000, test 0.980000" in out

    with tap.epochs(torch_like("qlib.contrib.model.gbdt", "LGBModel", None)) as none:
        assert none is None  # LightGBM logs its own per-iteration metrics


def test_a_cpu_worker_hides_the_gpus_from_its_jobs() -> None:
    from types import SimpleNamespace

    from trainers.executor import job_environment
    from trainers.worker import uses_gpu

    host = {"PATH": "/bin", "QLP_AUTH__TRAINER_TOKEN": "secret", "CUDA_VISIBLE_DEVICES": "0,1"}
    cpu = job_environment(host, gpu=False)
    assert cpu["CUDA_VISIBLE_DEVICES"] == "" and "QLP_AUTH__TRAINER_TOKEN" not in cpu
    assert job_environment(host, gpu=True)["CUDA_VISIBLE_DEVICES"] == "0,1"
    settings = SimpleNamespace(worker=SimpleNamespace(gpu=None))
    assert uses_gpu(settings, ["gpu"]) and not uses_gpu(settings, ["cpu"])  # type: ignore[arg-type]
    settings.worker.gpu = True
    assert uses_gpu(settings, ["cpu"])  # type: ignore[arg-type]


def test_torch_models_train_on_the_cpu_where_cuda_is_hidden() -> None:
    """Qlib takes cuda:GPU only when torch sees a device; ADARNN sets CUDA_VISIBLE_DEVICES itself, after the runner
    fixed CUDA's view. In a job process of a CPU worker (CUDA_VISIBLE_DEVICES empty) both build on the CPU."""
    import os
    import subprocess
    import sys

    code = (
        "from trainers.runner import prepare_torch\n"
        "prepare_torch({'class': 'ADARNN', 'module_path': 'qlib.contrib.model.pytorch_adarnn'})\n"
        "from qlib.contrib.model.pytorch_adarnn import ADARNN\n"
        "from qlib.contrib.model.pytorch_gru import GRU\n"
        "from qlib.contrib.model.pytorch_nn import DNNModelPytorch\n"  # its scheduler takes torch<2.7's verbose
        "print(ADARNN(d_feat=6, GPU=0).device, GRU(d_feat=6, GPU=0).device, DNNModelPytorch(GPU=0).device)\n"
    )
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split()[-3:] == ["cpu", "cpu", "cpu"], out.stdout



def test_filter_col_state_is_cached() -> None:
    """FilterCol (the Alpha158 processors of GRU, ALSTM, TCN, Localformer, TRA) keeps its fitted columns as an object
    array of text: the feature cache stores it as text and gives the same array back."""
    import numpy as np

    from trainers.feature_cache import decode_value, encode_value

    cols = np.union1d(np.array(["KLEN", "CORR5"], dtype=object), ["RESI5"])
    arrays: dict[str, Any] = {}
    meta = encode_value(cols, arrays, "p.0.col_list")
    back = decode_value(meta, arrays, "p.0.col_list")
    assert back.dtype == object and back.tolist() == cols.tolist() == ["CORR5", "KLEN", "RESI5"]
    assert arrays["p.0.col_list"].dtype.kind == "U"


# ------------------------------------------------------------------------------------------- through the platform

#: Qlib's metrics every run must hold as finite numbers (SigAnaRecord, PortAnaRecord).
QLIB_METRICS = ("IC", "ICIR", "Rank IC", "Rank ICIR", "1day.excess_return_with_cost.annualized_return",
                "1day.excess_return_with_cost.information_ratio", "1day.excess_return_with_cost.max_drawdown",
                "1day.excess_return_without_cost.annualized_return")
#: The per-epoch metric of a torch family and how many epochs it reports (TRA scores dicts of metrics per segment and
#: counts its pre-training epochs too; DNNModelPytorch reports each evaluation).
EPOCH_METRIC = {"TRA": "IC.valid", "ADD": "ic.valid"}
EPOCH_COUNT = {"TRA": 2 * EPOCHS}
#: Torch families without per-epoch metrics.
NO_EPOCH_METRICS: frozenset[str] = frozenset()
JOB_TIMEOUT_S = 900  # a guard: a job stuck past it is cancelled (the worker is shared)


#: Families whose two epochs take many minutes on two cores (ADD: one epoch of its 5,000-row batches took 3 min,
#: 6.8 GB; TCTS: its first epoch ran past 5 min): the test runs them where QLP_ZOO_FAMILIES names them (or is "all").
SLOW = frozenset({"ADD", "TCTS"})


#: What `make test` runs (two cores: every family takes 15-25 minutes): each library the zoo extra brings — XGBoost,
#: CatBoost, a torch model on tables (MLP) and a recurrent one (LSTM); LightGBM and Linear run in the other e2e tests.
DEFAULT_FAMILIES = frozenset({"XGBoost", "CatBoost", "MLP", "LSTM"})


def zoo_configs(chosen: str | None) -> list[Path]:
    """The configs to run: :data:`DEFAULT_FAMILIES`; ``most`` (every family but the slow ones); ``all``; or the
    families named, comma-separated (``QLP_ZOO_FAMILIES``)."""
    if chosen == "all":
        return CONFIGS
    if chosen == "most":
        names = {family(p) for p in CONFIGS} - SLOW
    else:
        names = set(chosen.split(",")) if chosen else set(DEFAULT_FAMILIES)
    return [p for p in CONFIGS if family(p) in names]


@pytest.mark.e2e
@pytest.mark.timeout(3600)  # QLP_ZOO_FAMILIES=most: nineteen jobs, 15-25 minutes on two cores
def test_every_family_runs_from_its_published_config(shared_platform: Any) -> None:
    from tests.conftest import REPORT

    p = shared_platform
    started = time.monotonic()
    dataset = p.generate_dataset("zoo")  # the demo market, as `qlp demo` generates it
    submitted: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    try:
        with p.client() as c:
            for path in zoo_configs(os.environ.get("QLP_ZOO_FAMILIES")):
                text = path.read_text()
                config = load_config(text)
                r = c.post("/api/train", json={"config_text": text, "dataset_id": dataset["id"],
                                               "overrides": demo_overrides(config), "experiment_name": "model-zoo"})
                assert r.status_code == 201, (family(path), r.text)
                submitted[family(path)] = (r.json(), config)
        failures, seconds = check_zoo_jobs(p, submitted)
    finally:  # nothing of this test runs on: the session's other tests share the worker
        with p.client() as c:
            for job, _ in submitted.values():
                c.post(f"/api/train/{job['id']}/cancel")
    REPORT.append("model zoo, seconds per job: " + ", ".join(f"{k} {v:.0f}" for k, v in seconds.items())
                  + f"; whole test {time.monotonic() - started:.0f}s")
    assert not failures, "\n\n".join(failures)


def check_zoo_jobs(p: Any, submitted: dict[str, tuple[dict[str, Any], dict[str, Any]]]) -> tuple[list[str],
                                                                                                 dict[str, float]]:
    """Wait for each job in turn; what is wrong with each, and how long each ran."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(f"http://127.0.0.1:{p.env['QLP_MLFLOW__PORT']}/mlflow")
    failures: list[str] = []
    seconds: dict[str, float] = {}
    for name, (job, config) in submitted.items():
        try:
            done = p.wait_job(job["id"], timeout=JOB_TIMEOUT_S)
        except AssertionError as exc:
            with p.client() as c:
                c.post(f"/api/train/{job['id']}/cancel")
            done = p.wait_job(job["id"], timeout=60)
            failures.append(f"{name}: {exc}")
        with p.client() as c:
            log = c.get(f"/api/train/{job['id']}/logs", params={"limit": 10000}).json()["lines"]
        lines = [ln["line"] for ln in log]
        if done["started_at"] and done["finished_at"]:
            took = datetime.fromisoformat(done["finished_at"]) - datetime.fromisoformat(done["started_at"])
            seconds[name] = took.total_seconds()
        if done["state"] != "succeeded":
            failures.append(f"{name}: {done['state']}: {done['error']}\n" + "\n".join(lines[-40:]))
            continue
        run = client.get_run(done["mlflow_run_id"])
        metrics = run.data.metrics
        missing = [m for m in QLIB_METRICS if not math.isfinite(metrics.get(m, math.nan))]
        if missing:
            failures.append(f"{name}: no finite {missing} in {sorted(metrics)}")
        if is_torch(config) and name not in NO_EPOCH_METRICS:
            key = EPOCH_METRIC.get(name, "valid")
            steps = sorted(m.step for m in client.get_metric_history(run.info.run_id, key))
            if steps != list(range(EPOCH_COUNT.get(name, EPOCHS))):
                failures.append(f"{name}: steps of {key!r}: {steps}")
            if not any(ln.startswith("[qlp] epoch 0: ") for ln in lines):
                failures.append(f"{name}: no per-epoch line in the job log")
    return failures, seconds
