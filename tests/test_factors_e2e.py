"""Factors on the running platform: an evaluation is a job that logs a run of the `factors` experiment and stores its
statistics with the factor version (the planted signal scores a clearly positive Rank IC, a monotone transform of it
is flagged redundant), the CLI checks and evaluates, and a workflow trains on a factor set and records its versions."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tests.helpers import ROOT, RunningPlatform

pytestmark = pytest.mark.e2e
SIGNAL = "$close / $vwap - 1"  # the planted signal's observable part (trainers/market.py)


@pytest.fixture(scope="module")
def platform(shared_platform: RunningPlatform) -> RunningPlatform:
    return shared_platform


@pytest.fixture(scope="module")
def dataset(platform: RunningPlatform) -> dict[str, Any]:
    return platform.generate_dataset("factors-demo", n_instruments=40, years=3, seed=5)


def _cli(p: RunningPlatform, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(p.env, QLP_PASSWORD=p.password, COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "qlp_cli", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def _evaluate(p: RunningPlatform, factor_id: int, dataset: dict[str, Any]) -> dict[str, Any]:
    with p.client() as c:
        r = c.post(f"/api/factors/{factor_id}/evaluate", json={"dataset_id": dataset["id"], "market": "demo",
                                                               "horizons": [1, 5]})
        assert r.status_code == 202, r.text
        job = p.wait_job(r.json()["id"], timeout=300)
        assert job["state"] == "succeeded", job["error"]
        [e] = [e for e in c.get(f"/api/factors/{factor_id}/evaluations").json() if e["job_id"] == job["id"]]
        return dict(c.get(f"/api/factors/evaluations/{e['id']}").json())


def test_evaluations_score_the_signal_and_flag_a_repeat(platform: RunningPlatform, dataset: dict[str, Any]) -> None:
    with platform.client() as c:
        signal = c.post("/api/factors", json={"name": "e2e_signal", "expression": SIGNAL, "tags": ["e2e"]}).json()
        cubed = c.post("/api/factors", json={"name": "e2e_cubed", "expression": f"Power({SIGNAL}, 3) * 1000"}).json()
    first = _evaluate(platform, signal["id"], dataset)
    s = first["summary"]
    assert s["rank_ic"]["1"] > 0.04 and s["rank_t_stat"]["1"] > 3, s["rank_ic"]
    assert first["state"] == "succeeded" and first["dataset_hash"] == dataset["content_hash"]
    assert len(first["result"]["stats"]["days"]["dates"]) > 400 and first["mlflow_run_id"]
    second = _evaluate(platform, cubed["id"], dataset)
    [top, *_] = second["summary"]["redundancy"]
    assert top["factor"] == "e2e_signal" and top["corr"] > 0.95 and top["redundant"] and second["summary"]["redundant"]
    from mlflow.tracking import MlflowClient

    mlflow = MlflowClient(f"http://127.0.0.1:{platform.env['QLP_MLFLOW__PORT']}/mlflow")
    run = mlflow.get_run(first["mlflow_run_id"])
    assert run.data.tags["qlp.factor"] == "e2e_signal@v1" and run.data.params["expression"]
    assert abs(run.data.metrics["rank_ic_1d"] - s["rank_ic"]["1"]) < 1e-9
    assert mlflow.get_experiment(run.info.experiment_id).name == "factors"
    with platform.client() as c:
        ranked = [f["name"] for f in c.get("/api/factors", params={"sort": "rank_ic", "tag": "e2e"}).json()]
    assert ranked == ["e2e_signal"]


def test_the_cli_checks_and_lists(platform: RunningPlatform) -> None:
    ok = _cli(platform, "factor", "check", "Corr($close, Log($volume + 1), 10)")
    assert ok.returncode == 0 and "look-back 9 days" in ok.stdout, ok.stdout + ok.stderr
    bad = _cli(platform, "factor", "check", "Mean($close, )")
    assert bad.returncode == 1 and "at 13" in bad.stdout and "^" in bad.stdout, bad.stdout
    listed = _cli(platform, "factor", "list", "--sort", "rank_ic")
    assert listed.returncode == 0 and "e2e_signal@v1" in listed.stdout, listed.stdout + listed.stderr


def test_a_workflow_trains_on_a_factor_set_and_records_its_versions(platform: RunningPlatform,
                                                                    dataset: dict[str, Any]) -> None:
    with platform.client() as c:
        a = c.post("/api/factors", json={"name": "e2e_reversal", "expression": "Ref($close, 5) / $close - 1"}).json()
        b = c.post("/api/factors", json={"name": "e2e_vol", "expression": "Std($close / Ref($close, 1), 20)"}).json()
        fs = c.post("/api/factor-sets", json={"name": "e2e-set", "factors": [
            {"factor_id": a["id"]}, {"factor_id": b["id"]}]}).json()
        config = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text().replace(
            "class: Alpha158\n", "class: FactorSetHandler\n").replace(
            "module_path: qlib.contrib.data.handler\n", "module_path: trainers.factor_handler\n")
        r = c.post("/api/train", json={"config_text": config, "dataset_id": dataset["id"], "overrides": {
            "task.dataset.kwargs.handler.kwargs.factor_set": "e2e-set"}})
        assert r.status_code == 201, r.text
    job = platform.wait_job(r.json()["id"], timeout=400)
    assert job["state"] == "succeeded", job["error"]
    from mlflow.tracking import MlflowClient

    mlflow = MlflowClient(f"http://127.0.0.1:{platform.env['QLP_MLFLOW__PORT']}/mlflow")
    tags = mlflow.get_run(job["mlflow_run_id"]).data.tags
    assert tags["qlp.factor_set"] == "e2e-set@v1"
    assert tags["qlp.factor_versions"] == '["e2e_reversal@v1", "e2e_vol@v1"]'
    with platform.client() as c:
        runs = c.get("/api/train", params={"factor_set_id": fs["id"]}).json()
    assert [j["id"] for j in runs] == [job["id"]] and "IC" in job["metrics"]
