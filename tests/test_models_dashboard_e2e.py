"""The model registry's pages end to end in Debian's Chromium against the session's real `qlp up`: two runs of the
shared two-config benchmark (real LightGBM runs on the demo dataset) registered as versions of one model, an admin's
policy guarding its @champion with a Rank IC bound between them; then in the browser a third version registered from
its run page, the models list, the model page, the passing version promoted through the dialog, the failing one
refused with its failed check listed, an admin's override with a reason recorded on the version page, the history
naming every action's user; the same pages in English; a viewer without Register, Promote or Edit. Screenshots go to
tests/browser/screenshots/, named models-*."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPORT
from tests.helpers import ROOT, RunningPlatform, service_missing
from tests.test_benchmarks import two_lgb_benchmark

pytestmark = pytest.mark.e2e
BROWSER = ROOT / "tests" / "browser"
SHOTS = BROWSER / "screenshots"
MODEL = "mdash-alpha"
POLICY = "mdash-gate"
REASON = "桌面组要求先上线观察一周 / desk asked for a week's shadow run"
USERS = {"researcher": ("mdash-researcher", "Model research 2026!"), "admin": ("mdash-admin", "Model admin 2026!"),
         "viewer": ("mdash-viewer", "Model viewing 2026!")}
EXCESS = "1day.excess_return_with_cost.annualized_return"


def _needs_browser() -> None:
    if not Path("/usr/bin/chromium").exists() or not (BROWSER / "node_modules" / "playwright-core").is_dir():
        service_missing("Debian's chromium and tests/browser/node_modules (make browser)")
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        service_missing("the built dashboard (make dashboard)")


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


def _who(p: RunningPlatform, role: str) -> httpx.Client:
    name, password = USERS[role]
    token = _ok(httpx.post(p.url + "/api/auth/login", json={"username": name, "password": password}, timeout=60))
    return httpx.Client(base_url=p.url, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=60)


def test_model_pages_in_chromium(shared_platform: RunningPlatform, tmp_path: Path) -> None:
    _needs_browser()
    p = shared_platform
    _, bench, _ = two_lgb_benchmark(p, tmp_path / "bench")
    runs = sorted((r for e in bench["entries"] for r in e["runs"] if r["state"] == "succeeded" and r["mlflow_run_id"]),
                  key=lambda r: r["metrics"]["Rank IC"])
    assert len(runs) == 6, runs
    fail, third, passing = runs[0], runs[2], runs[-1]
    assert passing["metrics"]["Rank IC"] > fail["metrics"]["Rank IC"], runs
    bound = round((passing["metrics"]["Rank IC"] + fail["metrics"]["Rank IC"]) / 2, 6)
    assert fail["metrics"]["Rank IC"] < bound < passing["metrics"]["Rank IC"]

    with p.client() as c:
        for role, (name, password) in USERS.items():
            _ok(c.post("/api/auth/users", json={"username": name, "password": password, "role": role}), 201)
        _ok(c.post("/api/model-policies", json={
            "name": POLICY, "model_name": MODEL, "aliases": ["champion"], "description": "Rank IC floor",
            "thresholds": {"min_rank_ic": bound}}), 201)
    with _who(p, "researcher") as r:
        v1 = _ok(r.post("/api/models", json={"name": MODEL, "run_id": passing["mlflow_run_id"], "notes": "pass"}), 201)
        v2 = _ok(r.post(f"/api/models/{MODEL}/versions", json={"run_id": fail["mlflow_run_id"]}), 201)
    assert (v1["version"], v2["version"]) == (1, 2)

    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("models-*.png"):
        old.unlink()
    spec = {
        "base": p.url, "shots": str(SHOTS), "model": MODEL, "policy": POLICY, "reason": REASON,
        **{role: {"username": n, "password": pw} for role, (n, pw) in USERS.items()},
        "pass": {"version": 1, "run_id": passing["mlflow_run_id"]},
        "fail": {"version": 2, "run_id": fail["mlflow_run_id"]},
        "third": {"run_id": third["mlflow_run_id"]},
    }
    out = subprocess.run(["node", "models.mjs", json.dumps(spec)], cwd=BROWSER, capture_output=True, text=True,
                         timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    (SHOTS / "models-report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    REPORT.append(f"model page screenshots ({len(report['shots'])}): {SHOTS}/models-*.png")
    assert report["errors"] == [], report["errors"]
    bad = [m for m in report["console_errors"] if "Failed to load resource" not in m]  # the gate's 409s
    assert bad == [], bad
    assert not report.get("overflow"), report["overflow"]
    assert len(report["shots"]) == 17 and all(Path(s).stat().st_size > 10_000 for s in report["shots"])

    with p.client() as c:
        v3 = _ok(c.get(f"/api/models/{MODEL}/versions/3"))
        v2_after = _ok(c.get(f"/api/models/{MODEL}/versions/2"))
        v1_after = _ok(c.get(f"/api/models/{MODEL}/versions/1"))
        history = _ok(c.get(f"/api/models/{MODEL}/history"))
        model = _ok(c.get(f"/api/models/{MODEL}"))
        ds = _ok(c.get(f"/api/data/datasets/{v3['lineage']['dataset_id']}"))
    researcher, admin = USERS["researcher"][0], USERS["admin"][0]

    # registered from the run page: the next version of the existing model, its lineage from the platform's records
    assert report["lang"] == "zh-CN" and "模型" in report["nav_zh"]
    reg = report["register"]
    assert reg["is_new"] == "0" and reg["kind"] == "已有模型的下一个版本", reg
    assert reg["done"].startswith(f"已注册 {MODEL} 版本 3"), reg
    assert reg["link"] == reg["page"] == f"/models/{MODEL}/versions/3", reg
    assert v3["run_id"] == third["mlflow_run_id"] and v3["registered_by"] == researcher
    assert v3["notes"] == "注册自运行页面"
    page3 = report["third_page"]
    lin = v3["lineage"]
    assert page3["title"] == f"{MODEL} · 版本 3" and page3["run"] == f"/experiments/runs/{third['mlflow_run_id']}"
    assert page3["job"] == f"/jobs/{third['job_id']}" == f"/jobs/{lin['job_id']}", page3
    assert page3["dataset"] == f"{ds['name']}@v{ds['version']} · #{ds['id']}", page3
    assert page3["dataset_link"] == f"/datasets/{ds['id']}"
    assert page3["dataset_hash"] == ds["content_hash"] == lin["dataset_hash"]
    assert page3["config_hash"] == lin["config_hash"]
    assert page3["model_class"] == lin["model_class"] == "LGBModel" and page3["by"] == researcher
    assert page3["notes"] == "注册自运行页面"
    assert page3["formats"] == [f["format"] for f in v3["model_files"]] and page3["formats"], page3
    assert page3["safe"] == [str(int(f["safe"])) for f in v3["model_files"]], page3
    assert "Rank IC" in page3["metric_keys"] and page3["metric_keys"][0] == "IC"

    # the list: filtered to the model, its latest version's metrics as the API has them
    lst = report["list"]
    m3 = v3["metrics"]
    assert lst["crumb"] == "模型" and lst["rows"] == 1 and lst["count"] == "共 1 个模型" and lst["filtered_out"] == 0
    assert lst["name"] == MODEL and lst["latest"] == "v3" and lst["aliases"] == "无", lst
    assert lst["metrics"] == {"IC": f"{m3['IC']:.4f}", "Rank IC": f"{m3['Rank IC']:.4f}",
                              EXCESS: f"{m3[EXCESS] * 100:.2f}%"}, lst

    # the model page: three versions newest first, the policy guarding @champion, the history so far
    mp = report["model"]
    assert mp["path"] == f"/models/{MODEL}" and mp["versions"] == ["3", "2", "1"], mp
    assert mp["runs"] == [f"/experiments/runs/{r['mlflow_run_id']}" for r in (third, fail, passing)], mp
    assert mp["datasets"] == [f"{ds['name']}@v{ds['version']}"] * 3 and mp["classes"] == ["LGBModel"] * 3, mp
    assert mp["safe"] == [str(int(v["safe_format"])) for v in (v3, v2_after, v1_after)] and mp["by"] == [researcher] * 3
    assert mp["rank_ic"] == [f"{r['metrics']['Rank IC']:.4f}" for r in (third, fail, passing)], mp
    assert mp["policies"] == [POLICY] and mp["policy_aliases"] == ["@champion"], mp
    assert mp["policy_bounds"] == [f"Rank IC ≥ {bound:.4f}"], mp
    assert mp["history"] == ["registered"] * 3, mp

    # the passing version promoted through the dialog
    pp = report["promote_pass"]
    assert pp["guard"] == POLICY and pp["bounds"] == [f"Rank IC ≥ {bound:.4f}"] and pp["holder"] == 0, pp
    assert pp["message"] == "版本 1 已成为 @champion", pp
    [dec] = pp["page"]["decisions"]
    assert dec["outcome"] == "promoted" and dec["checks"] == ["min_rank_ic"] and dec["verdicts"] == ["1"], dec
    assert dec["values"] == [f"{passing['metrics']['Rank IC']:.4f}"] and dec["bounds"] == [f"{bound:.4f}"], dec
    assert dec["by"].startswith(researcher) and pp["page"]["aliases"] == ["champion"], pp
    assert report["notes"] == "冠军候选：Rank IC 最高" == v1_after["notes"]

    # the failing one refused: the failed check listed with the API's reason; no override for a researcher
    pf = report["promote_fail"]
    assert pf["guard"] == POLICY and pf["holder"] == "当前由版本 1 持有", pf
    assert pf["title"] == "门禁拒绝了版本 2 晋升为 @champion", pf
    refused = [d for d in v2_after["decisions"] if d["outcome"] == "refused" and d["username"] == researcher]
    assert len(refused) == 1 and pf["checks"] == ["min_rank_ic"], (pf, refused)
    assert pf["reasons"] == [c["reason"] for c in refused[0]["checks"] if not c["passed"]], pf
    assert pf["values"] == [f"{fail['metrics']['Rank IC']:.4f}"] and pf["bounds"] == [f"{bound:.4f}"], pf
    assert pf["admin_only"] == 1 and pf["override_box"] == 0, pf
    assert [d["outcome"] for d in pf["page"]["decisions"]] == ["refused"] and pf["page"]["aliases"] == [], pf

    # an unguarded alias moves at once and comes off again
    ug = report["unguarded"]
    assert ug["guard"] == "" and ug["hint"] == "没有策略守护此别名：将立即移动。", ug
    assert ug["aliases"] == ["challenger"] and ug["after"] == [] and ug["events"] == ["alias_removed", "alias_set"], ug

    # the admin's override: a blank reason refused in the dialog, then recorded with the reason
    ov = report["override"]
    assert ov["checks"] == ["min_rank_ic"] and ov["blank"] == "请填写强制通过的理由", ov
    assert ov["message"] == "已强制通过门禁：版本 2 已成为 @champion", ov
    shown = ov["page"]["decisions"]
    assert [d["outcome"] for d in shown] == ["overridden", "refused", "refused"], shown
    assert shown[0]["override"] == REASON and shown[0]["by"].startswith(admin), shown
    assert [d["id"] for d in shown] == [d["id"] for d in v2_after["decisions"]]
    assert v2_after["decisions"][0]["override_reason"] == REASON and v2_after["aliases"] == ["champion"]
    assert ov["page"]["aliases"] == ["champion"] and ov["page"]["alias_events"][:2] == ["alias_set", "override"]
    assert report["model_after"] == {"aliases": ["champion"], "versions": ["2"], "rows": ["", "@champion", ""]}
    assert model["aliases"] == {"champion": 2}

    # the history: every action with its user, as the API lists it
    assert [(h["action"], h["user"]) for h in report["history"]] == [(e["action"], e["username"]) for e in history]
    got = [(h["action"], h["user"], h["target"]) for h in report["history"]]
    assert got == [
        ("alias_set", admin, "v2 · @champion"), ("override", admin, "v2 · @champion"),
        ("promotion_refused", admin, "v2 · @champion"),
        ("alias_removed", researcher, "v3 · @challenger"), ("alias_set", researcher, "v3 · @challenger"),
        ("promotion_refused", researcher, "v2 · @champion"), ("notes_edited", researcher, "v1"),
        ("alias_set", researcher, "v1 · @champion"), ("registered", researcher, "v3"),
        ("registered", researcher, "v2"), ("registered", researcher, "v1"),
    ], got
    assert report["history"][1]["detail"] == REASON and report["history"][0]["detail"] == "v1 → v2"

    # English
    en = report["en"]
    assert "Models" in report["nav_en"] and en["crumb"] == "Models", en
    assert en["heads"][:3] == ["Versions 3 versions", "Policies guarding its aliases", "History"], en
    assert en["count"].startswith("Models: ") and en["outcomes"] == ["Overridden", "Refused", "Refused"], en
    assert en["version"]["title"] == f"{MODEL} · version 2"

    # a viewer reads everything and changes nothing
    vw = report["viewer"]
    assert vw["promote"] == vw["edit"] == vw["remove"] == vw["register"] == 0, vw
    assert len(vw["decisions"]) == 3 and "模型" in vw["nav"], vw
