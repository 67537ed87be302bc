"""The dashboard end to end in Debian's Chromium against the session's real `qlp up`: sign-in in zh-CN, a demo
workflow submitted from the editor with its live log cut and resumed, the run and a comparison with curves,
English, and a viewer without submit or cancel; a dataset's tabs (validation report of an ingested version with
warnings, its versions with an appended one, a universe, its lineage), a file uploaded through the dialog with its
progress and its ingest job followed, and an admin archiving a version. Screenshots of every page go to
tests/browser/screenshots/."""

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


def _ingest(p: RunningPlatform, c: Any, name: str, data: bytes, **params: Any) -> dict[str, Any]:
    """Upload ``data`` as a version of ``name`` through the API and wait for its ingest job; the new version."""
    query = {"filename": "bars.csv", "benchmark": ["DEMOIDX"], "market": "demo", **params}
    r = c.post(f"/api/data/datasets/{name}/versions", params=query, content=data,
               headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 202, r.text
    job = p.wait_job(r.json()["id"], timeout=300)
    assert job["state"] == "succeeded", job
    return dict(c.get(f"/api/data/datasets/{job['dataset_id']}").json())


def _dataset_versions(p: RunningPlatform, c: Any, ds: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """From the demo dataset's folder: a long CSV with holes in two symbols (missing_days warnings) ingested as v1 of
    a name of its own, its last 21 days appended as v2, a top-10 universe on v2 as v3; and the CSV with holes as a file
    for the browser to upload."""
    from trainers.ingest import ReadOptions, bars_from_frame, read_qlib_folder
    from trainers.ingest.export import export_bars

    folder = p.home / "datasets" / ds["name"] / f"v{ds['version']}"
    assert (folder / "calendars").is_dir(), folder
    bars = read_qlib_folder(folder)
    frame = bars.frame.copy()
    frame["symbol"] = frame["symbol"].astype(str)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    days = sorted(frame["date"].unique())
    cut = days[-21]
    head, tail = frame[frame["date"] < cut], frame[frame["date"] >= cut]
    stocks = [s for s in sorted(frame["symbol"].unique()) if s not in bars.benchmarks]
    holes = {stocks[1]: days[100:105], stocks[3]: days[200:203], stocks[6]: days[300:302]}
    for sym, gone in holes.items():
        head = head[~((head["symbol"] == sym) & head["date"].isin(gone))]
    opts = ReadOptions(benchmarks=bars.benchmarks)

    def csv(part: Any, where: str) -> bytes:
        [path] = export_bars(bars_from_frame(part, opts), scratch / where, layout="long")
        return path.read_bytes()

    first = csv(head, "head")
    v1 = _ingest(p, c, "dash-ingest", first, description="demo export with holes")
    v2 = _ingest(p, c, "dash-ingest", csv(tail, "tail"), append="true", description="the last month appended")
    r = c.post(f"/api/data/datasets/{v2['id']}/universes",
               json={"market": "top10", "description": "top 10 by traded value",
                     "rule": {"n": 10, "window": 20, "rebalance": "monthly"}})
    assert r.status_code == 202, r.text
    job = p.wait_job(r.json()["id"], timeout=300)
    assert job["state"] == "succeeded", job
    v3 = dict(c.get(f"/api/data/datasets/{job['dataset_id']}").json())
    upload = scratch / "upload" / "dash-upload.csv"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(first)
    # a file the validation rejects: 15 consecutive days of one symbol missing (an error past max_missing_days)
    bad = scratch / "upload" / "dash-bad.csv"
    bad.write_bytes(csv(head[~((head["symbol"] == stocks[2]) & head["date"].isin(days[300:315]))], "bad"))
    return {"v1": v1, "v2": v2, "v3": v3, "holes": {k: len(v) for k, v in holes.items()}, "upload": upload,
            "bad": bad, "bad_symbol": stocks[2]}


def test_dashboard_in_chromium(shared_platform: RunningPlatform, tmp_path: Path) -> None:
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
        versions = _dataset_versions(p, c, ds, tmp_path)
        other_job = p.wait_job(other.json()["id"], timeout=400)
        assert other_job["state"] == "succeeded", other_job
    v1, v2, v3 = versions["v1"], versions["v2"], versions["v3"]
    warned = {w["symbol"]: w["count"] for w in v1["validation"]["warnings"] if w["check"] == "missing_days"}
    assert warned == versions["holes"], v1["validation"]
    assert v2["base_id"] == v1["id"] and v2["changes"]["days_added"] == 21, v2
    assert "top10" in v3["markets"] and v3["base_id"] == v2["id"], v3
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    spec = {
        "base": p.url, "shots": str(SHOTS), "config": DEMO, "bad_config": BAD, "dataset_id": ds["id"],
        "other_run_id": other_job["mlflow_run_id"],
        "researcher": {"username": USERS["researcher"][0], "password": USERS["researcher"][1]},
        "viewer": {"username": USERS["viewer"][0], "password": USERS["viewer"][1]},
        "admin": {"username": "admin", "password": p.password},
        "ingested": {"v1": v1["id"], "v2": v2["id"], "v3": v3["id"]}, "upload_file": str(versions["upload"]),
        "upload_name": "dash-upload", "bad_file": str(versions["bad"]),
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

    # the dataset's tabs: the report of the version with holes (table and chart), the versions of its name, the
    # universe's market and its members, the runs trained on the demo dataset
    val = report["validation"]
    assert val["warnings"] == len(v1["validation"]["warnings"]) > 0 and val["errors"] == 0, val
    assert val["rows"] >= len(warned) and val["chart_points"] >= len(warned), val
    assert val["filtered"] == len(warned), val
    assert report["validation_none"] == 1, report["validation_none"]
    assert report["versions"]["count"] == 3 and "21" in report["versions"]["changes_v2"], report["versions"]
    assert report["versions"]["storage_v2"], report["versions"]
    assert report["universes"]["markets"] >= 2 and report["universes"]["members"] > 0, report["universes"]
    assert report["universes"]["member_market"] == "top10", report["universes"]
    assert report["lineage"]["rows"] >= 2 and report["lineage"]["run_links"] >= 2, report["lineage"]
    # the upload through the dialog: the bytes went up (100%), its ingest job ended well, its version opened
    up = report["upload"]
    assert up["percent"] == 100 and up["state"] == "succeeded", up
    # the rejected file: its job failed, the dialog shows the error naming the symbol's hole; no version was made
    bad = report["upload_bad"]
    assert bad["state"] == "failed" and bad["failed_alert"] == 1, bad
    assert versions["bad_symbol"] in bad["error"] and "missing" in bad["error"], bad
    with p.client() as c:
        assert c.get("/api/data/datasets", params={"name": "dash-bad"}).json() == []
    with p.client() as c:
        made = c.get("/api/data/datasets", params={"name": "dash-upload"}).json()
    assert [d["version"] for d in made] == [1] and up["path"] == f"/datasets/{made[0]['id']}", (up, made)
    assert made[0]["content_hash"] == v1["content_hash"], made
    # an admin archived it from its versions tab; a viewer sees no upload, universe or archive control
    assert report["archived"]["badge"] == 1, report["archived"]
    with p.client() as c:
        assert c.get(f"/api/data/datasets/{made[0]['id']}").json()["archived_at"] is not None
    hidden = {"upload": 0, "generate": 0, "universe": 0, "archive": 0}
    assert report["viewer_datasets"] == hidden, report["viewer_datasets"]
