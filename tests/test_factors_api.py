"""The factor library's API: expressions vetted by our parser (errors with their position), versions, archiving,
evaluation jobs, factor sets resolved into a workflow's handler when the job is submitted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Api
from tests.helpers import ROOT, generate_dataset

MOMENTUM = "Ref($close, 5) / $close - 1"
FACTOR_SET_YAML = (ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()


def create(api: Api, name: str = "momentum", expression: str = MOMENTUM, role: str = "researcher",
           **extra: Any) -> Any:
    return api.client.post("/api/factors", json={"name": name, "expression": expression, **extra},
                           headers=api.headers(role))


def test_a_factor_is_created_with_what_the_parser_found(api: Api) -> None:
    r = create(api, tags=["momentum", "price"], description="5-day reversal")
    assert r.status_code == 201, r.text
    f = r.json()
    assert f["name"] == "momentum" and f["latest_version"] == 1 and f["owner"] == "researcher"
    v = f["latest"]
    assert v["fields"] == ["close"] and v["lookback"] == 5 and v["lookahead"] == []
    assert v["tags"] == ["momentum", "price"] and len(f["versions"]) == 1
    listed = api.client.get("/api/factors", headers=api.headers("viewer")).json()
    assert [x["name"] for x in listed] == ["momentum"] and listed[0]["evaluation"] is None
    assert create(api).status_code == 409


@pytest.mark.parametrize(("expression", "position"), [
    ("Mean($close, )", 13),
    ("Foo($close)", 0),
    ("__import__('os').system('id')", 0),
    ("$close.__class__", 6),
])
def test_bad_expressions_are_refused_with_their_position(api: Api, expression: str, position: int) -> None:
    r = create(api, expression=expression)
    assert r.status_code == 422 and f"at {position}" in r.json()["detail"], r.text
    check = api.client.post("/api/factors/check", json={"expression": expression}, headers=api.headers("researcher"))
    assert check.status_code == 200 and check.json()["valid"] is False
    assert check.json()["error"]["position"] == position
    assert api.client.get("/api/factors", headers=api.headers("viewer")).json() == []


def test_the_check_reports_lookback_and_lookahead(api: Api) -> None:
    r = api.client.post("/api/factors/check", json={"expression": "Corr($close, Log($volume + 1), 10)"},
                        headers=api.headers("researcher"))
    info = r.json()["info"]
    assert r.json()["valid"] and info["fields"] == ["close", "volume"] and info["lookback"] == 9
    future = api.client.post("/api/factors/check", json={"expression": "Ref($close, -2) / $close - 1"},
                             headers=api.headers("researcher")).json()
    assert future["valid"] and future["info"]["lookahead"]
    r = create(api, name="leak", expression="Ref($close, -2) / $close - 1")
    assert r.status_code == 422 and "future" in r.json()["detail"]


def test_an_edit_is_a_new_version_and_archiving_stops_edits(api: Api) -> None:
    f = create(api).json()
    r = api.client.post(f"/api/factors/{f['id']}/versions", json={"expression": "Ref($close, 10) / $close - 1"},
                        headers=api.headers("researcher2"))
    assert r.status_code == 403  # only the owner or an admin
    r = api.client.post(f"/api/factors/{f['id']}/versions", json={"expression": "Ref($close, 10) / $close - 1",
                                                                  "tags": ["momentum"]},
                        headers=api.headers("researcher"))
    assert r.status_code == 201 and r.json()["latest_version"] == 2
    assert r.json()["versions"][0]["expression"] == f["latest"]["expression"]  # v1 as it was
    assert r.json()["latest"]["lookback"] == 10
    assert api.client.post(f"/api/factors/{f['id']}/archive", headers=api.headers("researcher")).status_code == 200
    r = api.client.post(f"/api/factors/{f['id']}/versions", json={"expression": MOMENTUM},
                        headers=api.headers("researcher"))
    assert r.status_code == 422 and "archived" in r.json()["detail"]
    assert api.client.get("/api/factors", headers=api.headers("viewer")).json() == []
    assert len(api.client.get("/api/factors", params={"archived": True}, headers=api.headers("viewer")).json()) == 1


def test_a_viewer_may_not_write(api: Api) -> None:
    assert create(api, role="viewer").status_code == 403
    assert api.client.post("/api/factors/check", json={"expression": MOMENTUM},
                           headers=api.headers("viewer")).status_code == 403


def test_an_evaluation_is_a_job_on_a_dataset_version(api: Api, tmp_path: Path) -> None:
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=6,
                          years=1)
    f = create(api).json()
    body = {"dataset_id": ds["id"], "market": "demo", "horizons": [1, 5]}
    r = api.client.post(f"/api/factors/{f['id']}/evaluate", json=body, headers=api.headers("researcher"))
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["kind"] == "factor_eval" and job["dataset_id"] == ds["id"] and "momentum@v1" in job["name"]
    [e] = api.client.get(f"/api/factors/{f['id']}/evaluations", headers=api.headers("viewer")).json()
    assert e["job_id"] == job["id"] and e["state"] == "queued" and e["horizons"] == [1, 5]
    assert e["dataset_hash"] == ds["content_hash"] and e["summary"] == {}
    bad = api.client.post(f"/api/factors/{f['id']}/evaluate", json={**body, "market": "nope"},
                          headers=api.headers("researcher"))
    assert bad.status_code == 422 and "no market" in bad.json()["detail"]
    assert api.client.post(f"/api/factors/{f['id']}/evaluate", json={**body, "horizons": [0]},
                           headers=api.headers("researcher")).status_code == 422


def test_a_factor_set_fills_a_workflows_handler(api: Api, tmp_path: Path) -> None:
    ds = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen", n_instruments=6,
                          years=1)
    a = create(api).json()
    b = create(api, name="volume_trend", expression="Mean($volume, 5) / Mean($volume, 20)").json()
    r = api.client.post("/api/factor-sets", json={"name": "starter", "factors": [{"factor_id": a["id"]},
                                                                                 {"factor_id": b["id"]}]},
                        headers=api.headers("researcher"))
    assert r.status_code == 201, r.text
    fs = r.json()
    assert fs["version"] == 1 and [m["name"] for m in fs["members"]] == ["momentum", "volume_trend"]
    config = FACTOR_SET_YAML.replace("class: Alpha158\n", "class: FactorSetHandler\n").replace(
        "module_path: qlib.contrib.data.handler\n", "module_path: trainers.factor_handler\n")
    assert "FactorSetHandler" in config
    overrides = {"task.dataset.kwargs.handler.kwargs.factor_set": "starter"}
    r = api.client.post("/api/train", json={"config_text": config, "dataset_id": ds["id"], "overrides": overrides},
                        headers=api.headers("researcher"))
    assert r.status_code == 201, r.text
    job = r.json()
    kw = "task.dataset.kwargs.handler.kwargs"
    assert job["overrides"][f"{kw}.factor_set"] == "starter@v1"
    assert job["overrides"][f"{kw}.factors"] == [["momentum@v1", a["latest"]["expression"]],
                                                 ["volume_trend@v1", b["latest"]["expression"]]]
    runs = api.client.get("/api/train", params={"factor_set_id": fs["id"]}, headers=api.headers("viewer")).json()
    assert [j["id"] for j in runs] == [job["id"]]
    missing = api.client.post("/api/train", json={"config_text": config, "dataset_id": ds["id"], "overrides": {
        f"{kw}.factor_set": "nope"}}, headers=api.headers("researcher"))
    assert missing.status_code == 404
    dup = api.client.post("/api/factor-sets", json={"name": "x", "factors": [{"factor_id": a["id"]},
                                                                            {"factor_id": a["id"]}]},
                          headers=api.headers("researcher"))
    assert dup.status_code == 422
