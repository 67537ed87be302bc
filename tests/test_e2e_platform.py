"""End to end on the real thing: `qlp up` (MLflow server, Celery worker, API) as child processes, real Qlib
workflows on the generated market, and the MLflow server checked for what each run must hold.
A second platform runs the same job path on the real MariaDB with Redis as the broker."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from mlflow.tracking import MlflowClient

from tests.helpers import (
    REDIS_URL,
    ROOT,
    RunningPlatform,
    mariadb_database,
    platform_env,
    port_open,
    service_missing,
)

pytestmark = pytest.mark.e2e
BENCH_YAML = ROOT / "tests" / "data" / "benchmark_lgb_alpha158.yaml"
DEMO_YAML = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"


@pytest.fixture
def platform(shared_platform: RunningPlatform) -> RunningPlatform:
    """The session's one embedded platform (these tests only add jobs and datasets of their own)."""
    return shared_platform


def mlflow_client(p: RunningPlatform) -> MlflowClient:
    """Straight to the MLflow server (behind the door), to check what it really holds."""
    return MlflowClient(f"http://127.0.0.1:{p.env['QLP_MLFLOW__PORT']}/mlflow")


def cli(p: RunningPlatform, *args: str, timeout: float = 400, columns: int = 200) -> subprocess.CompletedProcess[str]:
    env = dict(p.env, QLP_PASSWORD=p.password, COLUMNS=str(columns))
    return subprocess.run([sys.executable, "-m", "qlp_cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def all_artifacts(client: MlflowClient, run_id: str, path: str = "") -> set[str]:
    out: set[str] = set()
    for f in client.list_artifacts(run_id, path):
        if f.is_dir:
            out |= all_artifacts(client, run_id, f.path)
        else:
            out.add(f.path)
    return out


_DEMO_DATASETS: dict[str, dict[str, Any]] = {}


def demo_dataset(p: RunningPlatform) -> dict[str, Any]:
    """The demo market of this platform, generated once by its worker (a market job)."""
    if p.url not in _DEMO_DATASETS:
        _DEMO_DATASETS[p.url] = p.generate_dataset("demo")
    return _DEMO_DATASETS[p.url]


def test_demo_command_end_to_end(platform: RunningPlatform) -> None:
    """`qlp demo` against the running platform: job succeeded, Rank IC > 0.03, the run complete in MLflow."""
    result = cli(platform, "demo", columns=60)  # a narrow terminal: links must still come out whole
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Rank IC" in result.stdout and "MLflow run:" in result.stdout
    assert "QLP_RUN" in result.stdout  # the live log was followed in the terminal
    assert "[qlp] market generated in" in result.stdout  # so was the market job's
    out = result.stdout.splitlines()
    link = out[out.index("MLflow run:") + 1]  # whole, on a line of its own, though > 60 chars
    assert link.startswith(platform.url + "/mlflow/#/experiments/") and "/runs/" in link
    assert f"The platform keeps running at {platform.url}" in result.stdout
    with platform.client() as c:
        job = c.get("/api/train", params={"limit": 1, "kind": "workflow"}).json()[0]
    assert job["state"] == "succeeded"
    assert job["metrics"]["Rank IC"] > 0.03, job["metrics"]
    client = mlflow_client(platform)
    run = client.get_run(job["mlflow_run_id"])
    assert run.info.status == "FINISHED"
    for name in ("IC", "ICIR", "Rank IC", "Rank ICIR", "1day.excess_return_with_cost.annualized_return",
                 "1day.excess_return_with_cost.max_drawdown", "1day.excess_return_without_cost.information_ratio"):
        assert name in run.data.metrics, name
    assert abs(run.data.metrics["Rank IC"] - job["metrics"]["Rank IC"]) < 1e-9
    params = run.data.params
    assert params["task.model.kwargs.learning_rate"] == "0.1"
    assert params["task.model.kwargs.num_leaves"] == "64"
    assert params["task.model.class"] == "LGBModel"
    tags = run.data.tags
    assert tags["qlp.job_id"] == str(job["id"]) and tags["qlp.user"] == "admin"
    ds = demo_dataset(platform)
    assert tags["qlp.dataset_hash"] == ds["content_hash"] and tags["qlp.dataset_id"] == str(ds["id"])
    assert tags["qlp.config_hash"] == job["config_hash"]
    inputs = run.inputs.dataset_inputs
    assert inputs and inputs[0].dataset.digest == ds["content_hash"][:36]  # MLflow keeps 36 characters
    assert inputs[0].dataset.name == f"demo@v{ds['version']}"
    arts = all_artifacts(client, run.info.run_id)
    for path in ("config/workflow.yaml", "exports/pred.parquet", "exports/sig_analysis/ic.parquet",
                 "exports/portfolio_analysis/report_normal_1day.parquet",
                 "exports/portfolio_analysis/port_analysis_1day.json", "exports/metrics.json",
                 "model/lightgbm.txt", "logs/job.log", "pred.pkl", "params.pkl"):
        assert path in arts, (path, sorted(arts))
    local = Path(client.download_artifacts(run.info.run_id, "exports/metrics.json"))
    assert json.loads(local.read_text())["Rank IC"] == pytest.approx(run.data.metrics["Rank IC"])
    with platform.client() as c:  # the dashboard's curves of the run, through the API
        series = c.get(f"/api/experiments/runs/{run.info.run_id}/series").json()
    assert len(series["dates"]) > 100 and any(v is not None for v in series["cum_excess_return_with_cost"]), series


def test_benchmark_yaml_via_cli_and_api(platform: RunningPlatform) -> None:
    ds = demo_dataset(platform)
    result = cli(platform, "submit", str(BENCH_YAML), "--dataset", "demo", "--experiment", "benchmark")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "succeeded" in result.stdout
    with platform.client() as c:
        job = c.post("/api/train", json={"config_text": BENCH_YAML.read_text(), "dataset_id": ds["id"],
                                         "experiment_name": "benchmark"}).json()
    done = platform.wait_job(job["id"])
    assert done["state"] == "succeeded", done["error"]
    for name in ("IC", "Rank IC", "1day.excess_return_with_cost.annualized_return"):
        assert name in done["metrics"]
    run = mlflow_client(platform).get_run(done["mlflow_run_id"])
    assert run.data.params["task.model.kwargs.num_leaves"] == "210"


def test_failing_config_ends_failed_with_reason(platform: RunningPlatform) -> None:
    ds = demo_dataset(platform)
    with platform.client() as c:
        refused = c.post("/api/train", json={"config_text": DEMO_YAML.read_text(), "dataset_id": ds["id"],
                                             "overrides": {"task.model.class": "NoSuchModel"}})
        assert refused.status_code == 422 and refused.json()["code"] == "refused"  # not on the allowlist
        # allowed, but Qlib refuses the loss when it builds the model
        job = c.post("/api/train", json={"config_text": DEMO_YAML.read_text(), "dataset_id": ds["id"],
                                         "overrides": {"task.model.kwargs.loss": "no-such-loss"}}).json()
        done = platform.wait_job(job["id"])
        assert done["state"] == "failed"
        assert "NotImplementedError" in done["error"]
        log = c.get(f"/api/train/{job['id']}/logs", params={"limit": 10000}).json()["lines"]
    text = "\n".join(ln["line"] for ln in log)
    assert "QLP_ERROR" in text and "gbdt.py" in text and f"job {job['id']} failed" in text
    if done["mlflow_run_id"]:
        assert mlflow_client(platform).get_run(done["mlflow_run_id"]).info.status == "FAILED"


def test_cancel_running_job_kills_it(platform: RunningPlatform) -> None:
    ds = demo_dataset(platform)
    with platform.client() as c:
        job = c.post("/api/train", json={"config_text": DEMO_YAML.read_text(), "dataset_id": ds["id"]}).json()
        t0 = time.monotonic()
        while True:  # wait until the MLflow run exists, i.e. the workflow is really running
            cur = c.get(f"/api/train/{job['id']}").json()
            if cur["mlflow_run_id"]:
                break
            assert time.monotonic() - t0 < 120, cur
            time.sleep(0.3)
        r = c.post(f"/api/train/{job['id']}/cancel")
        assert r.status_code == 200 and r.json()["cancel_requested"]
        t_cancel = time.monotonic()
        done = platform.wait_job(job["id"], timeout=60)
        stopped_in = time.monotonic() - t_cancel
    assert done["state"] == "cancelled"
    assert stopped_in < 15, stopped_in
    client = mlflow_client(platform)
    assert client.get_run(done["mlflow_run_id"]).info.status == "KILLED"
    assert "logs/job.log" in all_artifacts(client, done["mlflow_run_id"])


def test_status_sees_everything(platform: RunningPlatform) -> None:
    with platform.client() as c:
        body = c.get("/status").json()
        workers = c.get("/api/workers").json()
    assert all(body["dependencies"][k]["ok"] for k in ("database", "mlflow", "broker")), body
    assert body["workers"] and body["workers"][0]["hostname"]
    assert workers[0]["name"].startswith("embedded-1@")
    assert httpx.get(platform.url + "/status").status_code == 401


@pytest.mark.mariadb
@pytest.mark.redis
def test_job_path_on_mariadb_and_redis(platform: RunningPlatform, tmp_path: Path) -> None:
    """The same code on a server database and a server broker, logging to the first platform's MLflow."""
    if not port_open("127.0.0.1", 6379):
        service_missing("Redis at 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(REDIS_URL + "/14").flushdb()  # this test's own database
    with mariadb_database() as db_url:
        home = tmp_path / "home"
        env = platform_env(home, QLP_DB__URL=db_url, QLP_BROKER__URL=REDIS_URL + "/14",
                           QLP_MLFLOW__URL=f"http://127.0.0.1:{platform.env['QLP_MLFLOW__PORT']}")
        p2 = RunningPlatform(home, env, tmp_path / "up.log")
        p2.start()
        assert p2.proc is not None
        children: list[psutil.Process] = []
        try:
            ds = p2.generate_dataset("small", n_instruments=20, years=3)
            with p2.client() as c:
                job = c.post("/api/train", json={"config_text": DEMO_YAML.read_text(), "dataset_id": ds["id"],
                                                 "experiment_name": "mariadb-redis"}).json()
                done = p2.wait_job(job["id"])
                assert done["state"] == "succeeded", done["error"]
                assert c.get("/status").json()["dependencies"]["broker"]["ok"]
            import sqlalchemy as sa

            engine = sa.create_engine(db_url)
            with engine.connect() as conn:
                row = conn.execute(sa.text("SELECT state, log_count FROM jobs WHERE id=:i"), {"i": job["id"]}).one()
                n_lines = conn.execute(sa.text("SELECT COUNT(*) FROM job_logs WHERE job_id=:i"),
                                       {"i": job["id"]}).scalar_one()
            engine.dispose()
            assert row.state == "succeeded" and row.log_count == n_lines > 10
            run = mlflow_client(platform).get_run(done["mlflow_run_id"])
            assert "Rank IC" in run.data.metrics
            children = psutil.Process(p2.proc.pid).children(recursive=True)
            assert len(children) >= 2  # the worker and its pool child (MLflow is the first platform's)
        finally:
            p2.stop()
        # Ctrl-C (SIGINT) on `qlp up` stopped every child it started
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, alive


def test_up_refuses_an_mlflow_server_of_another_data_folder(platform: RunningPlatform, tmp_path: Path) -> None:
    """A second data folder pointed at the first one's MLflow port must not log into that store: `qlp up` refuses."""
    home = tmp_path / "other-home"
    env = platform_env(home, QLP_MLFLOW__PORT=platform.env["QLP_MLFLOW__PORT"])
    done = subprocess.run([sys.executable, "-m", "qlp_cli", "up"], env={**env, "COLUMNS": "300"}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout[-3000:]
    assert "it is not the MLflow server of" in done.stdout and str(home) in done.stdout
    assert not (home / "mlflow.db").exists()  # nothing of this folder went anywhere
