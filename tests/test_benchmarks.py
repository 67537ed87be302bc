"""Benchmarks on the running platform: two configs × three seeds through `qlp bench run`, fanned out as jobs whose
runs are children of the benchmark's MLflow parent run; the leaderboard's means and standard deviations equal those
computed from the child runs' metrics in MLflow, its Markdown export has Qlib's layout, the parent run ends with the
means; bad input is refused with its reason. The leaderboard arithmetic on its own, in process."""

from __future__ import annotations

import math
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from platform_api.benchmarks.leaderboard import COLUMNS, markdown, spread
from tests.helpers import ROOT, RunningPlatform
from tests.test_e2e_platform import cli, demo_dataset, mlflow_client

DEMO = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()


def test_spread_and_markdown() -> None:
    s = spread([0.01, 0.03, float("nan"), 0.02])
    assert s["n"] == 3 and s["mean"] == pytest.approx(0.02) and s["std"] == pytest.approx(0.01)
    assert spread([0.5])["std"] is None and spread([])["mean"] is None
    cols = {m: spread([0.01, 0.03]) for _, m in COLUMNS}
    text = markdown("demo@v1", [("LightGBM", cols, 2), ("a|b", {m: spread([]) for _, m in COLUMNS}, 0)])
    head, rule, row, empty = text.splitlines()
    assert head == ("| Model Name | Dataset | IC | ICIR | Rank IC | Rank ICIR | Annualized Return | "
                    "Information Ratio | Max Drawdown | Seeds |")
    assert rule == "|---|---|---|---|---|---|---|---|---|---|"
    assert row == "| LightGBM | demo@v1 | " + " | ".join(["0.0200±0.0141"] * 7) + " | 2 |"
    assert empty.startswith("| a\\|b | demo@v1 | - |")


def _config(rounds: int, leaves: int) -> str:
    config = yaml.safe_load(DEMO)
    kwargs = config["task"]["model"]["kwargs"]
    kwargs.update(num_boost_round=rounds, num_leaves=leaves, early_stopping_rounds=rounds)
    return yaml.safe_dump(config, sort_keys=False)


Benchmarked = tuple[subprocess.CompletedProcess[str], dict[str, Any], Path]
_BENCHMARKS: dict[str, Benchmarked] = {}


def two_lgb_benchmark(p: RunningPlatform, folder: Path) -> Benchmarked:
    """The session platform's benchmark of two LightGBM configs × 3 seeds on the demo dataset, run once through
    `qlp bench run` (other modules reuse it): the CLI's output, the benchmark as the API ends it, its Markdown."""
    if p.url not in _BENCHMARKS:
        ds = demo_dataset(p)
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for name, rounds, leaves in (("lgb_small", 30, 16), ("lgb_wide", 40, 48)):
            files.append(folder / f"{name}.yaml")
            files[-1].write_text(_config(rounds, leaves))
        md = folder / "leaderboard.md"
        out = cli(p, "bench", "run", *map(str, files), "--dataset", str(ds["id"]), "--seeds", "3", "--name",
                  "two-lgb", "--markdown", str(md), timeout=600)
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
        with p.client() as c:
            [bench] = [b for b in c.get("/api/benchmarks").json() if b["name"] == "two-lgb"]
            _BENCHMARKS[p.url] = (out, c.get(f"/api/benchmarks/{bench['id']}").json(), md)
    return _BENCHMARKS[p.url]


def test_a_benchmark_of_two_configs_over_three_seeds(shared_platform: RunningPlatform, tmp_path: Path) -> None:
    p = shared_platform
    ds = demo_dataset(p)
    out, detail, md = two_lgb_benchmark(p, tmp_path / "bench")
    assert "2 configs × 3 seeds = 6 jobs" in out.stdout and "6/6 runs ended" in out.stdout
    bench = detail
    assert detail["state"] == "succeeded" and detail["jobs_done"] == detail["jobs_total"] == 6
    assert [e["name"] for e in detail["entries"]] == ["lgb_small", "lgb_wide"]

    mlflow = mlflow_client(p)
    parent = detail["parent_run_id"]
    children = mlflow.search_runs([detail["mlflow_experiment_id"]], f"tags.mlflow.parentRunId = '{parent}'")
    assert len(children) == 6
    for entry in detail["entries"]:
        runs = [r for r in children if r.data.tags["qlp.benchmark_config"] == entry["name"]]
        assert sorted(int(r.data.tags["qlp.seed"]) for r in runs) == [0, 1, 2]
        for _, metric in COLUMNS:
            values = [r.data.metrics[metric] for r in runs]
            got = entry["columns"][metric]
            assert got["n"] == 3 and math.isclose(got["mean"], statistics.fmean(values), rel_tol=0, abs_tol=1e-12)
            assert math.isclose(got["std"], statistics.stdev(values), rel_tol=0, abs_tol=1e-12), (metric, values)
        assert len({r.data.metrics["IC"] for r in runs}) > 1  # the seed reached the model: the runs differ
        row = next(ln for ln in md.read_text().splitlines() if ln.startswith(f"| {entry['name']} |"))
        ic = entry["columns"]["IC"]
        assert f"| {ic['mean']:.4f}±{ic['std']:.4f} |" in row and row.endswith("| 3 |")
    assert md.read_text().startswith("| Model Name | Dataset | IC | ICIR |")
    assert f"| {ds['name']}@v{ds['version']} |" in md.read_text()

    t0 = time.monotonic()  # the reaper ends the parent run with the means once every job has ended
    while (run := mlflow.get_run(parent)).info.status == "RUNNING":
        assert time.monotonic() - t0 < 60, "the parent run was never ended"
        time.sleep(1)
    assert run.info.status == "FINISHED" and run.data.tags["qlp.benchmark_id"] == str(bench["id"])
    small = detail["entries"][0]["columns"]["Rank IC"]
    assert math.isclose(run.data.metrics["lgb_small/Rank IC/mean"], small["mean"], abs_tol=1e-12)


def test_bad_benchmarks_are_refused_with_their_reason(shared_platform: RunningPlatform) -> None:
    p = shared_platform
    ds = demo_dataset(p)
    broken = DEMO.replace("module_path: qlib.contrib.model.gbdt", "module_path: os", 1)
    base = {"name": "bad", "dataset_id": ds["id"], "n_seeds": 2}
    with p.client() as c:
        before = len(c.get("/api/benchmarks").json())
        jobs_before = c.get("/api/train", params={"limit": 1}).json()
        for body, status, why in [
            ({**base, "configs": [{"config_text": DEMO}, {"config_text": broken}]}, 422, "configs.1"),
            ({**base, "configs": [{"config_text": DEMO}, {"config_text": DEMO}]}, 422, "two configs are named"),
            ({**base, "configs": [{"config_text": DEMO, "config_id": 1}]}, 422, "configs.0"),
            ({**base, "configs": [{"config_text": DEMO}], "n_seeds": 0}, 422, "n_seeds"),
            ({**base, "configs": [{"config_text": DEMO}], "seeds": [1, 1]}, 422, "seeds"),
            ({**base, "configs": [{"config_id": 999999}]}, 404, "no stored config"),
            ({**base, "dataset_id": 999999, "configs": [{"config_text": DEMO}]}, 404, ""),
        ]:
            r = c.post("/api/benchmarks", json=body)
            assert r.status_code == status and why in r.text, (body.get("configs"), r.status_code, r.text[:300])
        assert len(c.get("/api/benchmarks").json()) == before  # nothing was stored
        assert c.get("/api/train", params={"limit": 1}).json() == jobs_before
        assert c.get("/api/benchmarks/999999").status_code == 404
