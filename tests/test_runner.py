"""The workflow runner end to end: real Qlib on a small generated market, logging to a local MLflow (sqlite)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
DATASET_HASH = "ab" * 32

# The demo config is laid out for 3 years from 2020; the test market has 2, so move the dates (and keep it quick).
OVERRIDES: dict[str, Any] = {
    "task.dataset.kwargs.handler.kwargs.end_time": "2021-12-20",
    "task.dataset.kwargs.handler.kwargs.fit_end_time": "2020-12-31",
    "task.dataset.kwargs.segments": {
        "train": ["2020-01-01", "2020-12-31"],
        "valid": ["2021-01-01", "2021-06-30"],
        "test": ["2021-07-01", "2021-12-20"],
    },
    "task.record.2.kwargs.config.backtest.start_time": "2021-07-01",
    "task.record.2.kwargs.config.backtest.end_time": "2021-12-20",
    "task.model.kwargs.learning_rate": 0.2,
    "task.model.kwargs.num_threads": 1,
    "task.model.kwargs.num_boost_round": 60,
}


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainers.market import generate_market

    folder = tmp_path_factory.mktemp("market")
    generate_market(folder, n_instruments=20, years=2, seed=0)
    return folder


def write_spec(tmp: Path, market: Path, config_text: str, overrides: dict[str, Any], job_id: int) -> Path:
    spec = {
        "job_id": job_id,
        "user": "alice",
        "tracking_uri": f"sqlite:///{tmp / 'mlflow.db'}",
        "result_path": str(tmp / "out" / "result.json"),
        "kernels": 1,
        "payload": {
            "kind": "workflow",
            "config_text": config_text,
            "overrides": overrides,
            "dataset": {"id": 7, "name": "demo", "version": 3, "path": str(market), "hash": DATASET_HASH},
            "experiment_name": "runner-test",
        },
    }
    path = tmp / f"spec-{job_id}.json"
    path.write_text(json.dumps(spec))
    return path


def run_runner(spec: Path, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    cwd.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-u", "-m", "trainers.runner", str(spec)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def protocol_lines(output: str, kind: str) -> list[str]:
    return [line[len(kind) + 1 :] for line in output.splitlines() if line.startswith(kind + " ")]


def last_line(output: str) -> str:
    return [line for line in output.splitlines() if line.strip()][-1]


def all_artifacts(client: Any, run_id: str, path: str | None = None) -> set[str]:
    found: set[str] = set()
    for item in client.list_artifacts(run_id, path):
        found |= all_artifacts(client, run_id, item.path) if item.is_dir else {item.path}
    return found


def test_demo_workflow_runs_and_is_logged(tmp_path: Path, market: Path) -> None:
    import lightgbm
    import pandas as pd
    from mlflow import MlflowClient

    config_text = DEMO.read_text()
    spec = write_spec(tmp_path, market, config_text, OVERRIDES, job_id=41)
    started = time.monotonic()
    proc = run_runner(spec, tmp_path / "scratch")
    took = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout[-6000:]
    print(f"runner took {took:.1f}s")

    run_lines = protocol_lines(proc.stdout, "QLP_RUN")
    assert len(run_lines) == 1
    run = json.loads(run_lines[0])
    assert last_line(proc.stdout).startswith("QLP_RESULT ")
    result = json.loads(protocol_lines(proc.stdout, "QLP_RESULT")[0])
    assert result == json.loads((tmp_path / "out" / "result.json").read_text())
    assert (result["run_id"], result["experiment_id"]) == (run["run_id"], run["experiment_id"])
    assert "[qlp] model trained in " in proc.stdout
    assert "QLP_ERROR" not in proc.stdout

    client = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    mlrun = client.get_run(run["run_id"])
    assert mlrun.info.status == "FINISHED"
    assert mlrun.info.run_name == "job-41"
    assert client.get_experiment(run["experiment_id"]).name == "runner-test"

    metrics = mlrun.data.metrics
    for name in ("IC", "Rank IC", "ICIR", "1day.excess_return_with_cost.annualized_return", "1day.ffr", "l2.valid"):
        assert name in metrics, name
    assert result["metrics"] == {k: v for k, v in metrics.items() if math.isfinite(v)}
    assert -1 < metrics["IC"] < 1

    params = mlrun.data.params
    assert params["task.model.kwargs.learning_rate"] == "0.2"
    assert params["task.model.class"] == "LGBModel"
    assert params["task.dataset.kwargs.segments.test"] == '["2021-07-01", "2021-12-20"]'
    assert params["task.record.0.kwargs.model"] == "<MODEL>"
    assert params["qlib_init.provider_uri"] == str(market)
    assert not any(k.startswith("qlib_init.exp_manager") for k in params)  # the tracking URI stays out

    tags = mlrun.data.tags
    assert tags["qlp.job_id"] == "41"
    assert tags["qlp.dataset_id"] == "7"
    assert tags["qlp.dataset_name"] == "demo"
    assert tags["qlp.dataset_version"] == "3"
    assert tags["qlp.dataset_hash"] == DATASET_HASH
    assert tags["qlp.user"] == "alice"
    from qlp_core.workflow_config import config_hash

    assert tags["qlp.config_hash"] == config_hash(config_text)

    assert mlrun.inputs is not None
    (dataset_input,) = mlrun.inputs.dataset_inputs
    assert dataset_input.dataset.name == "demo@v3"
    assert dataset_input.dataset.digest == DATASET_HASH[:36]
    assert json.loads(dataset_input.dataset.source) == {"uri": str(market)}
    input_tags = {t.key: t.value for t in dataset_input.tags}
    assert input_tags["mlflow.data.context"] == "training"
    assert input_tags["qlp.dataset_hash"] == DATASET_HASH

    artifacts = all_artifacts(client, run["run_id"])
    expected = {
        "config/workflow.yaml",
        "config/effective.yaml",
        "config/overrides.json",
        "exports/pred.parquet",
        "exports/label.parquet",
        "exports/sig_analysis/ic.parquet",
        "exports/sig_analysis/ric.parquet",
        "exports/portfolio_analysis/report_normal_1day.parquet",
        "exports/portfolio_analysis/positions_normal_1day.parquet",
        "exports/portfolio_analysis/port_analysis_1day.json",
        "exports/portfolio_analysis/indicator_analysis_1day.json",
        "exports/metrics.json",
        "exports/series.json",
        "model/lightgbm.txt",
        "pred.pkl",  # Qlib's own pickles are still there, beside the safe copies
        "params.pkl",
    }
    assert expected <= artifacts, expected - artifacts
    assert not any(a.startswith("code_") for a in artifacts)  # no git diff/status of the worker's directory

    local = Path(client.download_artifacts(run["run_id"], "", str(tmp_path / "dl")))
    assert (local / "config" / "workflow.yaml").read_text() == config_text
    pred = pd.read_parquet(local / "exports" / "pred.parquet")
    assert list(pred.columns) == ["datetime", "instrument", "score"]
    assert pred["datetime"].min() >= pd.Timestamp("2021-07-01")
    assert pred["instrument"].nunique() == 20
    ic = pd.read_parquet(local / "exports" / "sig_analysis" / "ic.parquet")
    assert list(ic.columns) == ["datetime", "ic"]
    assert ic["ic"].mean() == pytest.approx(metrics["IC"])
    report = pd.read_parquet(local / "exports" / "portfolio_analysis" / "report_normal_1day.parquet")
    assert {"datetime", "return", "bench", "cost", "turnover"} <= set(report.columns)
    port = json.loads((local / "exports" / "portfolio_analysis" / "port_analysis_1day.json").read_text())
    assert port["excess_return_with_cost"]["annualized_return"] == pytest.approx(
        metrics["1day.excess_return_with_cost.annualized_return"]
    )
    indicators = json.loads((local / "exports" / "portfolio_analysis" / "indicator_analysis_1day.json").read_text())
    assert set(indicators) == {"ffr", "pa", "pos"}
    series = json.loads((local / "exports" / "series.json").read_text())  # the dashboard's curves, plain JSON
    assert series["report"]["dates"] == [d.strftime("%Y-%m-%d") for d in report["datetime"]]
    assert series["report"]["return"] == pytest.approx(list(report["return"]))
    assert series["ic"]["dates"] == [d.strftime("%Y-%m-%d") for d in ic["datetime"]]
    assert series["ic"]["ic"] == pytest.approx(list(ic["ic"])) and len(series["ic"]["rank_ic"]) == len(ic)
    exported = json.loads((local / "exports" / "metrics.json").read_text())
    assert exported["IC"] == pytest.approx(metrics["IC"])

    booster = lightgbm.Booster(model_file=str(local / "model" / "lightgbm.txt"))
    assert booster.num_feature() == 158  # Alpha158
    assert 1 <= booster.num_trees() <= 60


def test_refused_config_exits_2_before_anything_runs(tmp_path: Path, market: Path) -> None:
    config_text = DEMO.read_text().replace("module_path: qlib.contrib.model.gbdt", "module_path: os")
    spec = write_spec(tmp_path, market, config_text, {}, job_id=42)
    started = time.monotonic()
    proc = run_runner(spec, tmp_path / "scratch", timeout=60)
    assert proc.returncode == 2, proc.stdout[-4000:]
    assert last_line(proc.stdout).startswith(
        "QLP_ERROR task.model.module_path 'os' is not allowed: a model may only come from qlib.contrib.model."
    )
    assert "QLP_RUN" not in proc.stdout
    assert not (tmp_path / "mlflow.db").exists()  # no MLflow store touched, so no run
    assert not (tmp_path / "out" / "result.json").exists()
    assert time.monotonic() - started < 10  # refused before Qlib or MLflow are even imported


def test_refused_override_exits_2(tmp_path: Path, market: Path) -> None:
    spec = write_spec(tmp_path, market, DEMO.read_text(), {"task.model": "file:///tmp/model.pkl"}, job_id=43)
    proc = run_runner(spec, tmp_path / "scratch", timeout=60)
    assert proc.returncode == 2
    assert last_line(proc.stdout).startswith("QLP_ERROR task.model: file: URIs are not allowed")
    assert not (tmp_path / "mlflow.db").exists()


def test_failing_workflow_exits_1_and_marks_the_run_failed(tmp_path: Path, market: Path) -> None:
    from mlflow import MlflowClient

    config_text = DEMO.read_text().replace("loss: mse", "loss: no-such-loss")  # vetted fine, fails in Qlib
    assert config_text != DEMO.read_text()
    spec = write_spec(tmp_path, market, config_text, {}, job_id=44)
    proc = run_runner(spec, tmp_path / "scratch", timeout=120)
    assert proc.returncode == 1, proc.stdout[-4000:]
    assert "Traceback (most recent call last)" in proc.stdout
    error = last_line(proc.stdout)
    assert error.startswith("QLP_ERROR NotImplementedError") and "gbdt.py" in proc.stdout  # raised in Qlib
    (run_line,) = protocol_lines(proc.stdout, "QLP_RUN")
    run = json.loads(run_line)
    client = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    assert client.get_run(run["run_id"]).info.status == "FAILED"
    assert not (tmp_path / "out" / "result.json").exists()


# ------------------------------------------------------------------------- in-process: exports and the spec


def test_exports_turn_awkward_frames_into_parquet_and_json(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd
    from qlib.backtest.position import Position

    from trainers.exports import write_exports

    days = pd.date_range("2021-01-04", periods=3, freq="B")
    index = pd.MultiIndex.from_product([days, ["A", "B"]], names=["datetime", "instrument"])
    multi_cols = pd.DataFrame(
        np.arange(12.0).reshape(6, 2), index=index, columns=pd.MultiIndex.from_tuples([("feature", "x"), ("label", "")])
    )
    int_cols = pd.DataFrame({0: [1.0, 2.0], 1: ["a", 3]}, index=pd.Index(days[:2]))  # mixed object column
    risk = pd.concat(
        {
            "excess_return_with_cost": pd.DataFrame({"risk": [0.1, float("nan")]}, index=["mean", "max_drawdown"]),
            "excess_return_without_cost": pd.DataFrame({"risk": [0.2, -0.1]}, index=["mean", "max_drawdown"]),
        }
    )
    positions = {
        days[0]: Position(cash=100.0),
        days[1]: Position(cash=50.0, position_dict={"A": {"amount": 10, "price": 5.0}}),
    }
    objects = {
        "pred.pkl": pd.Series([0.1] * 6, index=index),
        "label.pkl": multi_cols,
        "sig_analysis/ic.pkl": pd.Series([0.1, 0.2, 0.3], index=days),
        "portfolio_analysis/odd.pkl": int_cols,
        "portfolio_analysis/port_analysis_1day.pkl": risk,
        "portfolio_analysis/positions_normal_1day.pkl": positions,
        "params.pkl": object(),  # the model: not exported here
        "../escape.pkl": pd.Series([1.0]),
    }
    written = set(write_exports(objects, tmp_path))
    assert written == {
        "pred.parquet",
        "label.parquet",
        "sig_analysis/ic.parquet",
        "portfolio_analysis/odd.parquet",
        "portfolio_analysis/port_analysis_1day.json",
        "portfolio_analysis/positions_normal_1day.parquet",
    }
    assert list(pd.read_parquet(tmp_path / "pred.parquet").columns) == ["datetime", "instrument", "pred"]
    assert list(pd.read_parquet(tmp_path / "label.parquet").columns) == ["datetime", "instrument", "feature.x", "label"]
    assert list(pd.read_parquet(tmp_path / "sig_analysis" / "ic.parquet").columns) == ["datetime", "ic"]
    odd = pd.read_parquet(tmp_path / "portfolio_analysis" / "odd.parquet")
    assert list(odd.columns) == ["datetime", "0", "1"] and list(odd["1"]) == ["a", "3"]
    port = json.loads((tmp_path / "portfolio_analysis" / "port_analysis_1day.json").read_text())
    assert port == {
        "excess_return_with_cost": {"mean": 0.1, "max_drawdown": None},
        "excess_return_without_cost": {"mean": 0.2, "max_drawdown": -0.1},
    }
    held = pd.read_parquet(tmp_path / "portfolio_analysis" / "positions_normal_1day.parquet")
    assert len(held) == 2 and held["instrument"].isna().tolist() == [True, False]
    assert held.loc[1, "instrument"] == "A"
    assert held.loc[1, "amount"] == 10 and held.loc[1, "cash"] == 50.0
    assert not (tmp_path.parent / "escape.parquet").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"job_id": "x"}, "job_id"),
        ({"payload": {"kind": "workflow", "config_text": None}}, "payload"),
        ({"payload": {"kind": "probe", "lines": 1}}, "not a workflow"),
        ({"kernels": 0}, "kernels"),
    ],
)
def test_bad_specs_are_refused(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    from trainers.runner import SpecError, read_spec

    path = write_spec(tmp_path, tmp_path, "task: {}", {}, job_id=1)
    assert read_spec(path).payload.dataset.version == 3  # type: ignore[union-attr]
    spec = json.loads(path.read_text())
    spec.update(change)
    path.write_text(json.dumps(spec))
    with pytest.raises(SpecError, match=expected):
        read_spec(path)
