"""The factor library's dashboard pages end to end in Debian's Chromium against the session's real `qlp up`: three
factors made and evaluated through the API (the demo market's planted signal, a noise factor, a monotone transform
of the signal that the library flags redundant) and a factor set; then the library sorted by Rank IC in the API's
order, the editor marking a broken expression's position and refusing a look-ahead, a new factor saved, evaluated
from its dialog and followed to its end, an evaluation's charts and redundancy table, the factor sets pages, in
Chinese and English, and a viewer without New, Evaluate or Archive. Screenshots go to tests/browser/screenshots/,
named factors-*."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPORT
from tests.helpers import ROOT, RunningPlatform, service_missing

pytestmark = pytest.mark.e2e
BROWSER = ROOT / "tests" / "browser"
SHOTS = BROWSER / "screenshots"
TAG = "fdash"
SIGNAL = "$close / $vwap - 1"  # the planted signal's observable part (trainers/market.py)
FACTORS = {
    "signal": {"name": "fdash_signal", "expression": SIGNAL, "tags": [TAG, "price"],
               "description": "the demo market's planted signal"},
    "noise": {"name": "fdash_noise", "expression": "$open / Ref($close, 1) - 1", "tags": [TAG],
              "description": "the overnight gap: pure noise in the demo market"},
    "cubed": {"name": "fdash_cubed", "expression": f"Power({SIGNAL}, 3) * 1000", "tags": [TAG],
              "description": "a monotone transform of the signal"},
}
NEW_FACTOR = {"name": "fdash_new", "expression": "Mean($close, 5) / $close - 1"}
USERS = {"researcher": ("fdash-researcher", "Factor research 2026!"),
         "viewer": ("fdash-viewer", "Factor viewing 2026!")}
HORIZONS = [1, 5, 10, 20]
#: the demo workflow with the factor set's handler instead of Alpha158 (its dates need the 3-year demo market)
SET_WORKFLOW = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text().replace(
    "class: Alpha158\n", "class: FactorSetHandler\n").replace(
    "module_path: qlib.contrib.data.handler\n", "module_path: trainers.factor_handler\n")


def _needs_browser() -> None:
    if not Path("/usr/bin/chromium").exists() or not (BROWSER / "node_modules" / "playwright-core").is_dir():
        service_missing("Debian's chromium and tests/browser/node_modules (make browser)")
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        service_missing("the built dashboard (make dashboard)")


def _evaluate(c: Any, factor_id: int, dataset_id: int) -> int:
    r = c.post(f"/api/factors/{factor_id}/evaluate", json={"dataset_id": dataset_id, "market": "demo",
                                                           "horizons": HORIZONS})
    assert r.status_code == 202, r.text
    return int(r.json()["id"])


def _evaluation(p: RunningPlatform, c: Any, factor_id: int, job_id: int) -> dict[str, Any]:
    job = p.wait_job(job_id, timeout=240)
    assert job["state"] == "succeeded", job["error"]
    [e] = [e for e in c.get(f"/api/factors/{factor_id}/evaluations").json() if e["job_id"] == job_id]
    return dict(e)


def _library(p: RunningPlatform) -> dict[str, Any]:
    """A dataset of its own (so the redundancy library holds only these factors), the three factors evaluated (the
    signal first, so the transform finds it), a factor set of two of them and a workflow trained on it."""
    with p.client() as c:
        for role, (name, password) in USERS.items():
            r = c.post("/api/auth/users", json={"username": name, "password": password, "role": role})
            assert r.status_code == 201, r.text
    ds = p.generate_dataset("fdash", n_instruments=20, years=3, seed=21)
    with p.client() as c:
        made = {}
        for key, body in FACTORS.items():
            r = c.post("/api/factors", json=body)
            assert r.status_code == 201, r.text
            made[key] = r.json()
        ids = {k: f["id"] for k, f in made.items()}
        evaluations = {"signal": _evaluation(p, c, ids["signal"], _evaluate(c, ids["signal"], ds["id"]))}
        jobs = {k: _evaluate(c, ids[k], ds["id"]) for k in ("noise", "cubed")}
        evaluations.update({k: _evaluation(p, c, ids[k], j) for k, j in jobs.items()})
        r = c.post("/api/factor-sets", json={"name": "fdash-set", "description": "signal and noise",
                                             "factors": [{"factor_id": ids["signal"]}, {"factor_id": ids["noise"]}]})
        assert r.status_code == 201, r.text
        fs = r.json()
        r = c.post("/api/train", json={"config_text": SET_WORKFLOW, "dataset_id": ds["id"], "name": "fdash-set-run",
                                       "overrides": {"task.dataset.kwargs.handler.kwargs.factor_set": "fdash-set"}})
        assert r.status_code == 201, r.text
        trained = p.wait_job(r.json()["id"], timeout=300)
        assert trained["state"] == "succeeded", trained["error"]
        ranked = c.get("/api/factors", params={"sort": "rank_ic", "tag": TAG}).json()
    return {"dataset": ds, "ids": ids, "evaluations": evaluations, "set": fs, "ranked": ranked, "trained": trained}


def _first(per: dict[str, Any]) -> float:
    return float(per[min(per, key=int)])


def test_factor_pages_in_chromium(shared_platform: RunningPlatform) -> None:
    _needs_browser()
    p = shared_platform
    lib = _library(p)
    ids, evals = lib["ids"], lib["evaluations"]
    signal, noise, cubed = (evals[k]["summary"] for k in ("signal", "noise", "cubed"))
    # what the pages will be checked against: the signal scores, the noise does not, the transform repeats the signal
    assert _first(signal["rank_ic"]) > 0.03 and abs(_first(noise["rank_ic"])) < _first(signal["rank_ic"]), (
        signal["rank_ic"], noise["rank_ic"])
    assert cubed["redundant"] and cubed["redundancy"][0]["factor"] == FACTORS["signal"]["name"], cubed["redundancy"]
    assert not signal["redundancy"], signal["redundancy"]

    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("factors-*.png"):
        old.unlink()
    ds = lib["dataset"]
    spec = {
        "base": p.url, "shots": str(SHOTS), "tag": TAG,
        "researcher": {"username": USERS["researcher"][0], "password": USERS["researcher"][1]},
        "viewer": {"username": USERS["viewer"][0], "password": USERS["viewer"][1]},
        "factors": ids, "factors_names": {k: f["name"] for k, f in FACTORS.items()},
        "evaluations": {k: e["id"] for k, e in evals.items()}, "set_id": lib["set"]["id"], "new_set": "fdash-browser",
        "dataset_label": f"{ds['name']} v{ds['version']}", "new_factor": NEW_FACTOR,
    }
    r = subprocess.run(["node", "factors.mjs", json.dumps(spec)], cwd=BROWSER, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout.strip().splitlines()[-1])
    (SHOTS / "factors-report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    REPORT.append(f"factor page screenshots ({len(report['shots'])}): {SHOTS}/factors-*.png")
    assert report["errors"] == [], report["errors"]
    bad = [m for m in report["console_errors"] if "Failed to load resource" not in m]
    assert bad == [], bad
    assert not report.get("overflow"), report["overflow"]
    assert len(report["shots"]) == 21 and all(Path(s).stat().st_size > 10_000 for s in report["shots"])

    # the library, sorted by Rank IC: the API's order and numbers, in the DOM; the column turned round reverses it
    api_order = [(f["name"], _first(f["evaluation"]["summary"]["rank_ic"])) for f in lib["ranked"]]
    shown = [(row["name"], row["rank_ic"]) for row in report["library"]["rows"]]
    assert [n for n, _ in shown] == [n for n, _ in api_order], (shown, api_order)
    assert all(abs(a - b) < 1e-12 for (_, a), (_, b) in zip(shown, api_order, strict=True)), (shown, api_order)
    assert [v for _, v in shown] == sorted((v for _, v in shown), reverse=True)
    assert shown[-1][0] == FACTORS["noise"]["name"]
    assert [row["name"] for row in report["library"]["ascending"]] == [n for n, _ in reversed(api_order)]
    assert report["library"]["redundant"] == 1 and report["library"]["decay"] == 3, report["library"]
    assert "因子库" in report["library"]["nav"] and "因子集" in report["library"]["nav"]
    assert report["library"]["searched"] == [FACTORS["noise"]["name"]]

    # the editor: the broken expression's error at its position (the end: 13), the look-ahead refused, a valid one
    broken = report["broken"]
    assert broken["position"] == 13 and broken["col"] == 14 and broken["save_disabled"], broken
    marker = broken["marker"].splitlines()
    assert marker[0].rstrip() == "Ref($close, 5" and marker[1] == " " * 13 + "^", broken["marker"]
    assert broken["where"] == "第 1 行，第 14 列", broken
    assert "')'" in broken["expected"] and "expected ')'" in broken["message"], broken
    assert report["lookahead"]["save_disabled"] and "1 day ahead" in report["lookahead"]["lookahead"], report
    assert "未来" in report["lookahead"]["lookahead"]
    assert report["valid"]["lookback"] == "4 个交易日" and not report["valid"]["save_disabled"], report["valid"]
    assert report["valid"]["canonical"] == NEW_FACTOR["expression"]
    saved = report["saved"]
    with p.client() as c:
        [new] = [f for f in c.get("/api/factors", params={"q": NEW_FACTOR["name"]}).json()]
    assert saved["path"] == f"/factors/{new['id']}" and NEW_FACTOR["name"] in saved["title"], saved
    assert new["owner"] == USERS["researcher"][0] and new["latest"]["tags"] == [TAG], new
    assert saved["expression"] == NEW_FACTOR["expression"] and saved["archive"] == saved["new_version"] == 1

    # evaluated from its dialog (the defaults: horizons 1, 5, 10, 20 on market demo), followed to success
    ev = report["evaluate"]
    assert ev["horizons"] == "1, 5, 10, 20" and "demo" in ev["market"] and ev["state"] == "succeeded", ev
    with p.client() as c:
        [done] = c.get(f"/api/factors/{new['id']}/evaluations").json()
    assert done["state"] == "succeeded" and done["dataset_id"] == ds["id"] and done["horizons"] == HORIZONS, done
    assert ev["page"] == f"/factors/evaluations/{done['id']}" and ev["daily"] > 0 and ev["rows"] == 1, ev
    assert ev["rank_ic"] == f"{_first(done['summary']['rank_ic']):.4f}", ev

    # a factor someone else owns: evaluations listed, evaluate but no archive
    assert report["factor"] == {"evaluations": 1, "versions": 1, "evaluate": 1, "archive": 0, "links": 1}, report

    # the transform's evaluation: every chart drawn, the signal flagged in its redundancy table, its run linked
    cub = report["cubed"]
    assert all(cub[k] > 0 for k in ("daily", "decay", "quantiles", "quantile_means", "turnover", "coverage")), cub
    assert cub["decay"] == 2 * len(HORIZONS) and cub["quantile_means"] == 5, cub
    assert cub["canvases"] >= 6 and cub["horizons"] == len(HORIZONS) and cub["daily_5d"] > 0, cub
    assert cub["flagged"] == [FACTORS["signal"]["name"]] and cub["flag_on_page"] == 1, cub
    assert cub["redundancy_rows"] == len(cubed["redundancy"]) >= 1, cub
    assert cub["rank_ic_first"] == f"{_first(cubed['rank_ic']):.4f}", cub
    assert cub["run_link"] == f"/experiments/runs/{evals['cubed']['mlflow_run_id']}", cub
    assert cub["factor_link"] == f"/factors/{ids['cubed']}", cub
    # the signal's own evaluation (in English) has nothing to repeat
    sig = report["english"]["signal"]
    assert sig["redundancy_rows"] == 0 and sig["flagged"] == [] and sig["flag_on_page"] == 0 and sig["canvases"] >= 6

    # factor sets: listed with their member counts; one made in the dialog; a set's members and (no) runs
    sets = report["sets"]
    assert sets["count"] == "2" and sets["rows"] >= 1, sets
    with p.client() as c:
        [made] = [s for s in c.get("/api/factor-sets").json() if s["name"] == "fdash-browser"]
    assert sets["created"] == {"path": f"/factor-sets/{made['id']}", "title": "fdash-browser v1", "alpha158": 1}
    assert made["include_alpha158"] and [m["name"] for m in made["members"]] == [
        FACTORS["signal"]["name"], FACTORS["noise"]["name"]], made
    assert sets["page"]["members"] == [FACTORS["signal"]["name"], FACTORS["noise"]["name"]], sets
    # the run trained on the set, with its IC and Rank IC as the lineage shows them
    trained = lib["trained"]
    assert sets["page"]["runs"] == 1 and sets["page"]["run_ids"] == [trained["id"]], sets
    assert sets["page"]["run_ic"] == f"{trained['metrics']['IC']:.4f}", (sets, trained["metrics"])
    assert sets["page"]["run_rank_ic"] == f"{trained['metrics']['Rank IC']:.4f}", (sets, trained["metrics"])
    assert sets["page"]["run_link"] == f"/experiments/runs/{trained['mlflow_run_id']}", sets

    # English: the API's order again (the new factor, evaluated, among them), the editor's error in English words
    en = report["english"]
    assert "Factors" in en["nav"] and "Factor sets" in en["nav"]
    with p.client() as c:
        ranked = [f["name"] for f in c.get("/api/factors", params={"sort": "rank_ic", "tag": TAG}).json()]
    assert [row["name"] for row in en["rows"]] == ranked and NEW_FACTOR["name"] in ranked, (en["rows"], ranked)
    assert en["broken"]["position"] == 13 and en["broken"]["where"] == "line 1, column 14", en["broken"]
    assert en["broken"]["expected"] == "Expected: ')'", en["broken"]

    # a viewer sees no control that writes
    assert report["viewer"] == {"new_factor": 0, "evaluate": 0, "archive": 0, "new_version": 0, "new_set": 0}
