"""The dashboard end to end in Debian's Chromium against the session's real `qlp up`: sign-in in zh-CN, a demo
workflow submitted from the editor with its live log cut and resumed, the run and a comparison with curves,
English, and a viewer without submit or cancel. Screenshots of every page go to tests/browser/screenshots/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPORT
from tests.helpers import ROOT, RunningPlatform, service_missing

pytestmark = pytest.mark.e2e
BROWSER = ROOT / "tests" / "browser"
SHOTS = BROWSER / "screenshots"
DEMO = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()
#: the demo with its model class taken from a module outside the allowlist, refused at that line
MODEL_MODULE = "module_path: qlib.contrib.model.gbdt"
BAD = DEMO.replace(MODEL_MODULE, "module_path: os", 1)
BAD_LINE = DEMO.splitlines().index(next(x for x in DEMO.splitlines() if x.strip() == MODEL_MODULE)) + 1
USERS = {"researcher": ("dash-researcher", "Dash research 2026!"), "viewer": ("dash-viewer", "Dash viewing 2026!")}


def _needs_browser() -> None:
    if not Path("/usr/bin/chromium").exists() or not (BROWSER / "node_modules" / "playwright-core").is_dir():
        service_missing("Debian's chromium and tests/browser/node_modules (make browser)")
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        service_missing("the built dashboard (make dashboard)")


def _all_lines(c: Any, job_id: int) -> list[str]:
    lines: list[str] = []
    offset = 0
    while True:
        page = c.get(f"/api/train/{job_id}/logs", params={"offset": offset, "limit": 10000}).json()
        lines += [line["line"] for line in page["lines"]]
        if not page["lines"]:
            return lines
        offset = page["next_offset"]


def test_dashboard_in_chromium(shared_platform: RunningPlatform) -> None:
    _needs_browser()
    p = shared_platform
    with p.client() as c:
        for role, (name, password) in USERS.items():
            r = c.post("/api/auth/users", json={"username": name, "password": password, "role": role})
            assert r.status_code == 201, r.text
        ds = p.generate_dataset("dash")
        # the second run of the comparison: the same workflow with another learning rate
        other = c.post("/api/train", json={"config_text": DEMO, "dataset_id": ds["id"], "name": "dash-other",
                                          "overrides": {"task.model.kwargs.learning_rate": 0.05}})
        assert other.status_code == 201, other.text
        other_job = p.wait_job(other.json()["id"], timeout=400)
        assert other_job["state"] == "succeeded", other_job
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    spec = {
        "base": p.url, "shots": str(SHOTS), "config": DEMO, "bad_config": BAD, "dataset_id": ds["id"],
        "other_run_id": other_job["mlflow_run_id"],
        "researcher": {"username": USERS["researcher"][0], "password": USERS["researcher"][1]},
        "viewer": {"username": USERS["viewer"][0], "password": USERS["viewer"][1]},
        "admin": {"username": "admin", "password": p.password},
    }
    r = subprocess.run(["node", "dashboard.mjs", json.dumps(spec)], cwd=BROWSER, capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    (SHOTS / "report.json").write_text(json.dumps({k: v for k, v in report.items() if k != "download_text"}, indent=2))
    REPORT.append(f"dashboard screenshots ({len(report['shots'])}): {SHOTS}")
    assert report["errors"] == [], report["errors"]
    # no CSP violation, no script error; a 401 before sign-in is the only expected failed load
    bad = [m for m in report["console_errors"] if "Failed to load resource" not in m]
    assert bad == [], bad

    # sign-in: sent to the login page, then back where the user was going, in Chinese
    assert report["login_redirect"] in ("/login?next=/jobs&reason=required", "/login?next=%2Fjobs&reason=required")
    assert report["after_login"] == "/jobs" and report["lang"] == "zh-CN"
    assert "任务" in report["nav_zh"] and "实验" in report["nav_zh"]
    # the editor vets as you type: the refused class is shown at its line, and submit waits
    assert report["editor_error_line"] == BAD_LINE, (report["editor_error_line"], BAD_LINE)
    assert f"{BAD_LINE}" in report["editor_error"] and "not allowed" in report["editor_error"], report["editor_error"]
    assert report["submit_disabled_on_error"] is True

    # no polling storms: the Overview refreshes at most once a second, not at all in a hidden tab; the job page
    # takes its state from the WebSocket
    assert 0 < report["idle_requests_8s"] <= 8, report["idle_requests_8s"]
    assert report["hidden_requests_8s"] == 0, report["hidden_requests_8s"]
    live = report["job_requests_while_live"]
    assert live["requests"] <= live["seconds"], live
    # the job: submitted by the researcher on the dataset, succeeded; its lines arrived live
    with p.client() as c:
        job = c.get(f"/api/train/{report['job_id']}").json()
        lines = _all_lines(c, job["id"])
    assert report["final_state"] == job["state"] == "succeeded", job
    assert job["dataset_id"] == ds["id"] and job["user_id"] is not None
    running = [s for s in report["live_counts"] if s["state"] == "running" and s["count"] > 0]
    assert running, report["live_counts"]
    # cut mid-run, resumed: every line exactly once, in order, none missing
    assert report["ws_cuts"] == 1 and report["reconnects"] >= 1 and report["ws_connects"] >= 2, report
    assert report["count_at_cut"] < job["log_count"]
    assert report["count"] == report["next"] == job["log_count"] == len(lines) > 0
    assert report["download_text"].splitlines() == lines

    # the run and the comparison have curves
    assert report["run_id"] == job["mlflow_run_id"]
    assert report["run_points"] > 0
    assert all(v > 0 for v in report["compare_points"].values()), report["compare_points"]
    assert "IC" in report["compare_table"]
    assert report["candle_points"] > 0
    # English, and the viewer's view
    assert "Jobs" in report["nav_en"] and "Experiments" in report["nav_en"]
    assert report["viewer"] == {"cancel": 0, "nav_training": 0, "nav_admin": 0, "submit": 0,
                                "training_redirect": "/"}, report["viewer"]
    assert len(report["shots"]) >= 18 and all(Path(s).stat().st_size > 10_000 for s in report["shots"])
