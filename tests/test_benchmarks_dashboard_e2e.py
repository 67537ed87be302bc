"""The benchmarks pages end to end in Debian's Chromium against the session's real `qlp up`: a benchmark of two small
configs × three seeds made through the API and run to its end, then in Chinese and English the list, the benchmark's
leaderboard whose cells are the API's means and standard deviations, the best of each column marked, the order after
sorting by each column, the box plot drawing every seed, the runs and their links, the Markdown copied and downloaded
equal to `leaderboard.md`; the new-benchmark dialog refusing a broken YAML with the API's reason and submitting a
stored config on a queue no worker serves, cancelled from its page; a viewer without New or Cancel. Screenshots go to
tests/browser/screenshots/, named benchmarks-*."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPORT
from tests.helpers import ROOT, RunningPlatform, service_missing
from tests.test_benchmarks import DEMO, _config, demo_dataset

pytestmark = pytest.mark.e2e
BROWSER = ROOT / "tests" / "browser"
SHOTS = BROWSER / "screenshots"
USERS = {"researcher": ("bdash-researcher", "Bench research 2026!"), "viewer": ("bdash-viewer", "Bench viewing 2026!")}
#: the demo with its model class taken from a module outside the allowlist
BROKEN = DEMO.replace("module_path: qlib.contrib.model.gbdt", "module_path: os", 1)
PARKED = {"name": "bdash-parked", "queue": "bdash-parked", "seeds": 2}  # a queue no worker serves: its jobs wait
DD = "1day.excess_return_with_cost.max_drawdown"
EXCESS = "1day.excess_return_with_cost.annualized_return"
LABELS = {
    "zh": ["IC", "ICIR", "Rank IC", "Rank ICIR", "年化收益 (含费)", "信息比率 (含费)", "最大回撤 (含费)"],
    "en": ["IC", "ICIR", "Rank IC", "Rank ICIR", "Ann. return (w/ cost)", "IR (w/ cost)", "Max DD (w/ cost)"],
}


def _needs_browser() -> None:
    if not Path("/usr/bin/chromium").exists() or not (BROWSER / "node_modules" / "playwright-core").is_dir():
        service_missing("Debian's chromium and tests/browser/node_modules (make browser)")
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        service_missing("the built dashboard (make dashboard)")


def _wait_ended(c: Any, bench_id: int, timeout: float = 420) -> dict[str, Any]:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        detail: dict[str, Any] = c.get(f"/api/benchmarks/{bench_id}").json()
        if detail["state"] not in ("queued", "running"):
            return detail
        time.sleep(1)
    raise AssertionError(f"benchmark {bench_id} still {detail['state']} after {timeout}s")


def _cell(spread: dict[str, Any]) -> str:
    mean, std = spread["mean"], spread["std"]
    if mean is None:
        return "—"
    return f"{mean:.4f} ± {std:.4f}" if std is not None else f"{mean:.4f}"


def _best(entries: list[dict[str, Any]], metric: str) -> set[str]:
    """The configs with the column's best mean (max; for max drawdown closest to 0), none when all are equal."""
    scores = {e["name"]: (-abs(m) if metric == DD else m) for e in entries
              if (m := e["columns"][metric]["mean"]) is not None}
    if len(scores) < 2 or len(set(scores.values())) == 1:
        return set()
    top = max(scores.values())
    return {n for n, s in scores.items() if s == top}


def _by_mean(entries: list[dict[str, Any]], metric: str, reverse: bool) -> list[str]:
    return [e["name"] for e in sorted(entries, key=lambda e: e["columns"][metric]["mean"], reverse=reverse)]


def test_benchmark_pages_in_chromium(shared_platform: RunningPlatform) -> None:
    _needs_browser()
    p = shared_platform
    ds = demo_dataset(p)
    with p.client() as c:
        for role, (name, password) in USERS.items():
            r = c.post("/api/auth/users", json={"username": name, "password": password, "role": role})
            assert r.status_code == 201, r.text
        r = c.post("/api/benchmarks", json={
            "name": "bdash-two", "dataset_id": ds["id"], "n_seeds": 3,
            "configs": [{"name": "lgb_small", "config_text": _config(10, 8)},
                        {"name": "lgb_wide", "config_text": _config(20, 32)}]})
        assert r.status_code == 201, r.text
        bench_id = r.json()["id"]
        stored = c.post("/api/configs", json={"name": "bdash-stored", "text": _config(10, 8)})
        assert stored.status_code == 201, stored.text
        waiting = c.post("/api/benchmarks", json={"name": "bdash-waiting", "dataset_id": ds["id"], "n_seeds": 1,
                                                  "configs": [{"config_text": DEMO}], "queue": PARKED["queue"]})
        assert waiting.status_code == 201, waiting.text
        # the reason the dialog must show for the broken YAML: the API's own
        refused = c.post("/api/benchmarks", json={"name": "bdash-broken", "dataset_id": ds["id"], "n_seeds": 2,
                                                  "configs": [{"config_text": BROKEN}]})
        assert refused.status_code == 422 and "configs.0" in refused.json()["detail"], refused.text
        detail = _wait_ended(c, bench_id)
        markdown = c.get(f"/api/benchmarks/{bench_id}/leaderboard.md").text
        listed = [b["id"] for b in c.get("/api/benchmarks").json()]
    assert detail["state"] == "succeeded" and detail["jobs_done"] == detail["jobs_total"] == 6, detail
    entries = detail["entries"]
    metrics = [col["metric"] for col in detail["columns"]]
    assert [e["name"] for e in entries] == ["lgb_small", "lgb_wide"]
    # a column whose descending order is not the API's order, for the sorted screenshot
    shot_sort = next((m for m in metrics if _by_mean(entries, m, True) != ["lgb_small", "lgb_wide"]), metrics[0])

    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("benchmarks-*.png"):
        old.unlink()
    spec = {
        "base": p.url, "shots": str(SHOTS), "bench_id": bench_id, "waiting_id": waiting.json()["id"],
        "researcher": {"username": USERS["researcher"][0], "password": USERS["researcher"][1]},
        "viewer": {"username": USERS["viewer"][0], "password": USERS["viewer"][1]},
        "dataset_label": f"{ds['name']} v{ds['version']} · #{ds['id']}", "broken_config": BROKEN,
        "stored": {"id": stored.json()["id"], "name": "bdash-stored"}, "parked": PARKED, "shot_sort": shot_sort,
    }
    try:
        r = subprocess.run(["node", "benchmarks.mjs", json.dumps(spec)], cwd=BROWSER, capture_output=True, text=True,
                           timeout=300)
    finally:
        with p.client() as c:
            c.post(f"/api/benchmarks/{spec['waiting_id']}/cancel")
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    (SHOTS / "benchmarks-report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    REPORT.append(f"benchmark page screenshots ({len(report['shots'])}): {SHOTS}/benchmarks-*.png")
    assert report["errors"] == [], report["errors"]
    bad = [m for m in report["console_errors"] if "Failed to load resource" not in m]  # the dialog's 422
    assert bad == [], bad
    assert not report.get("overflow"), report["overflow"]
    assert len(report["shots"]) == 18 and all(Path(s).stat().st_size > 10_000 for s in report["shots"])

    # the list: newest first as the API lists them, the finished benchmark's size, progress and state
    assert report["lang"] == "zh-CN" and "基准测试" in report["nav_zh"] and "Benchmarks" in report["nav_en"]
    assert report["list_zh"]["crumb"] == "基准测试" and report["list_en"]["crumb"] == "Benchmarks"
    assert [row["id"] for row in report["list_zh"]["rows"]] == listed, (report["list_zh"]["rows"], listed)
    [row] = [row for row in report["list_zh"]["rows"] if row["id"] == bench_id]
    assert row == {**row, "name": "bdash-two", "size": "2 个配置 × 3 个种子", "done": 6, "total": 6,
                   "state": "succeeded"}, row
    assert f"{ds['name']}@v{ds['version']}" in row["text"] and "成功" in row["text"], row
    [row_en] = [row for row in report["list_en"]["rows"] if row["id"] == bench_id]
    assert row_en["size"] == "2 × 3" and "Succeeded" in row_en["text"], row_en
    assert report["list_zh"]["new"] == 1

    # the leaderboard, in both languages: the API's means ± stds, runs succeeded of all, the best of each column
    for lang in ("zh", "en"):
        page = report[lang]
        assert page["path"] == f"/benchmarks/{bench_id}" and page["state"] == "succeeded", page
        assert page["title"] == f"#{bench_id} bdash-two" and page["seeds"] == "0, 1, 2", page
        assert page["dataset"] == f"{ds['name']}@v{ds['version']}" and page["cancel"] == 0, page
        assert page["size"] == ("2 个配置 × 3 个种子" if lang == "zh" else "2 × 3"), page
        assert page["parent_run"] == f"/experiments/runs/{detail['parent_run_id']}", page
        heads = page["board"]["heads"]
        assert [h["metric"] for h in heads] == metrics and [h["label"] for h in heads] == LABELS[lang], heads
        rows = page["board"]["rows"]
        assert [r["name"] for r in rows] == ["lgb_small", "lgb_wide"], rows
        for shown, entry in zip(rows, entries, strict=True):
            assert shown["model"] == entry["model"] == "LGBModel" and shown["runs"] == "3/3", shown
            assert shown["cells"] == {m: _cell(entry["columns"][m]) for m in metrics}, (shown, entry["columns"])
            assert set(shown["best"]) == {m for m in metrics if entry["name"] in _best(entries, m)}, shown
        # the box plot: a box per config, a dot per seed, on a drawn canvas
        box = page["boxplot"]
        assert box["metric"] == "Rank IC" and box["points"] == 6 and box["boxes"] == 2, box
        assert box["canvases"] >= 1 and min(box["canvas_size"]) > 100, box
        # every run, with its seed, metrics and links
        runs = page["runs"]
        want = [(e["name"], run) for e in entries for run in sorted(e["runs"], key=lambda r: r["seed"])]
        assert [(r["config"], r["seed"]) for r in runs] == [(n, str(run["seed"])) for n, run in want], runs
        for shown_run, (_, run) in zip(runs, want, strict=True):
            assert shown_run["state"] == "succeeded" and shown_run["job"] == f"/jobs/{run['job_id']}", shown_run
            assert shown_run["run"] == f"/experiments/runs/{run['mlflow_run_id']}", shown_run
            assert shown_run["ic"] == f"{run['metrics']['IC']:.4f}", shown_run
            assert shown_run["rank_ic"] == f"{run['metrics']['Rank IC']:.4f}", shown_run
            assert shown_run["excess"] == f"{run['metrics'][EXCESS] * 100:.2f}%", shown_run
    assert report["zh"]["boxplot_ic"]["metric"] == "IC" and report["zh"]["boxplot_ic"]["points"] == 6

    # sorting: by each column's mean, descending then ascending, then back to the API's order
    assert list(report["sorted"]) == metrics
    for metric, steps in report["sorted"].items():
        assert steps["desc"] == {"order": "desc", "names": _by_mean(entries, metric, True)}, (metric, steps)
        assert steps["asc"] == {"order": "asc", "names": _by_mean(entries, metric, False)}, (metric, steps)
        assert steps["none"] == {"order": "", "names": ["lgb_small", "lgb_wide"]}, (metric, steps)
    assert report["sorted_shot"] == _by_mean(entries, shot_sort, True)

    # the Markdown: downloaded and copied, each exactly GET leaderboard.md
    assert report["download_name"] == "bdash-two-leaderboard.md"
    assert report["download_text"] == markdown == report["copy_text"], (report["download_text"], markdown)
    assert report["copy_message"] == "排行榜已复制为 Markdown"
    assert report["parent_run_page"] == f"/experiments/runs/{detail['parent_run_id']}"

    # the dialog: the broken YAML refused with the API's reason, in the dialog, in both languages
    reason = f"422: {refused.json()['detail']}"
    assert report["dialog_error"] == reason and report["dialog_error_en"] == reason, (report["dialog_error"], reason)
    assert report["dialog_still_open"] and report["dialog_path"] == "/benchmarks"
    assert report["dialog_jobs"] == "2 个任务"
    # … then the stored config submitted on the parked queue, opened, and cancelled by its owner
    with p.client() as c:
        [made] = [b for b in c.get("/api/benchmarks").json() if b["name"] == PARKED["name"]]
        made_detail = c.get(f"/api/benchmarks/{made['id']}").json()
        queues = {c.get(f"/api/train/{run['job_id']}").json()["queue"] for run in made_detail["entries"][0]["runs"]}
    created = report["created"]
    assert created["path"] == f"/benchmarks/{made['id']}" and created["title"] == f"#{made['id']} {PARKED['name']}"
    assert created["state"] == "queued" and created["cancel"] == 1 and created["live"] == 1, created
    assert [r["name"] for r in created["board"]] == ["stored_cfg"] and created["board"][0]["runs"] == "0/2", created
    assert created["after_cancel"] == "failed" and created["cancel_after"] == 0, created
    assert created["runs_states"] == ["cancelled", "cancelled"], created
    assert made_detail["state"] == "failed" and made_detail["seeds"] == [0, 1] and queues == {PARKED["queue"]}
    assert made_detail["created_by"] != detail["created_by"]  # the researcher's, not the admin's

    # a viewer: no New; a benchmark still queued has no Cancel for them, the Markdown is theirs to copy
    assert report["viewer"] == {"rows": len(listed) + 1, "new": 0, "state": "queued", "cancel": 0, "copy": 1}
