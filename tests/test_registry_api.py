"""The model registry and the promotion gate against a real MLflow server (the session's `qlp up`): runs made here
with MLflow's client as the platform's trainers log them (qlp.* tags, Qlib's metric names, model/lightgbm.txt and
params.pkl), their jobs and dataset versions in the in-process API's own database; registered, promoted, overridden
and read back through /api/models, the door refusing alias writes."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from mlflow.entities import Metric, RunTag
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from platform_api.data.models import Dataset
from platform_api.db import session_scope
from platform_api.factors.models import FactorSet
from platform_api.jobs.models import Job
from tests.conftest import Api, start_api
from tests.helpers import RunningPlatform, make_settings

pytestmark = pytest.mark.e2e
IC, DD = "IC", "1day.excess_return_with_cost.max_drawdown"
ER = "1day.excess_return_with_cost.annualized_return"


@dataclass
class World:
    api: Api
    mlflow: MlflowClient
    experiment: str
    datasets: dict[str, int]  # v1, v2 -> dataset id
    factor_set: int

    def run(self, metrics: dict[str, float], dataset: str = "v1", *, job_state: str = "succeeded",
            status: str = "FINISHED", job: bool = True, model: bool = True, factor_set: bool = False) -> str:
        """A run as a platform workflow job logs it, and (``job``) the job that logged it."""
        ds = self.datasets[dataset]
        url = self.api.settings.db.url
        assert url is not None
        job_id = None
        if job:
            with session_scope(url) as s:
                row = Job(kind="workflow", state=job_state, name="wf", config_text="task: {}", config_hash="c" * 64,
                          overrides={}, experiment_name="registry", metrics={}, dataset_id=ds,
                          factor_set_id=self.factor_set if factor_set else None)
                s.add(row)
                s.flush()
                job_id = row.id
        run = self.mlflow.create_run(self.experiment, tags={
            "qlp.job_id": str(job_id or 999_999), "qlp.dataset_id": str(ds), "qlp.dataset_hash": f"{ds:064x}",
            "qlp.user": "researcher", "qlp.config_hash": "c" * 64})
        rid = run.info.run_id
        now = int(time.time() * 1000)
        tags = [RunTag("qlp.factor_versions", '["mom@v2", "rev@v1"]')] if factor_set else []
        self.mlflow.log_batch(rid, metrics=[Metric(k, v, now, 0) for k, v in metrics.items()], tags=tags)
        self.mlflow.log_param(rid, "task.model.class", "LGBModel")
        if model:
            self.mlflow.log_text(rid, "tree\nversion=v4\n", "model/lightgbm.txt")
            self.mlflow.log_text(rid, "not really a pickle", "params.pkl")
        self.mlflow.log_text(rid, "{}", "exports/metrics.json")
        if status != "RUNNING":
            self.mlflow.set_terminated(rid, status)
        if job_id is not None:
            with session_scope(url) as s:
                row = s.get(Job, job_id)
                assert row is not None
                row.mlflow_run_id = rid
        return rid

    def h(self, role: str) -> dict[str, str]:
        return self.api.headers(role)


@pytest.fixture(scope="module")
def world(shared_platform: RunningPlatform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = make_settings(tmp_path_factory.mktemp("registry-api"),
                             mlflow={"port": int(shared_platform.env["QLP_MLFLOW__PORT"])})
    client = MlflowClient(f"http://127.0.0.1:{shared_platform.env['QLP_MLFLOW__PORT']}/mlflow")
    for api in start_api(settings):
        assert settings.db.url is not None
        ids = {}
        with session_scope(settings.db.url) as s:
            for v in (1, 2):
                ds = Dataset(name="demo", version=v, path=f"/nowhere/{v}", content_hash="0" * 64, source={},
                             instruments=50, markets=["all"], benchmarks=[], fields=["close"],
                             calendar_start=date(2020, 1, 1), calendar_end=date(2022, 12, 30), size_bytes=1)
                s.add(ds)
                s.flush()
                ds.content_hash = f"{ds.id:064x}"  # what the runs' qlp.dataset_hash tags say
                ids[f"v{v}"] = ds.id
            fs = FactorSet(name="momentum", version=3, factor_version_ids=[], include_alpha158=True)
            s.add(fs)
            s.flush()
            fs_id = fs.id
        experiment = client.create_experiment(f"registry-{uuid.uuid4().hex[:8]}")
        try:
            yield World(api, client, experiment, ids, fs_id)
        finally:
            client.delete_experiment(experiment)


def _name() -> str:
    return f"m-{uuid.uuid4().hex[:10]}"


def ok(r: Any, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    return r.json()


def register(w: World, name: str, run_id: str, role: str = "researcher", notes: str = "") -> dict[str, Any]:
    return dict(ok(w.api.client.post("/api/models", json={"name": name, "run_id": run_id, "notes": notes},
                                     headers=w.h(role)), 201))


def promote(w: World, name: str, version: int, alias: str = "champion", role: str = "researcher",
            **body: Any) -> Any:
    return w.api.client.post(f"/api/models/{name}/aliases/{alias}", json={"version": version, **body},
                             headers=w.h(role))


def version(w: World, name: str, v: int) -> dict[str, Any]:
    return dict(ok(w.api.client.get(f"/api/models/{name}/versions/{v}", headers=w.h("viewer"))))


def holder(w: World, name: str, alias: str = "champion") -> int | None:
    try:
        return int(w.mlflow.get_model_version_by_alias(name, alias).version)
    except MlflowException:
        return None


def test_register_with_lineage_from_the_platform_records(world: World) -> None:
    w, name = world, _name()
    rid = w.run({IC: 0.05, "Rank IC": 0.04, ER: 0.12, DD: -0.08, "l2.valid": 0.9}, factor_set=True)
    out = register(w, name, rid, notes="first try")
    assert out["name"] == name and out["version"] == 1 and out["run_id"] == rid
    assert out["source"] == f"runs:/{rid}/model" and out["registered_via_api"] is True
    assert out["notes"] == "first try" and out["registered_by"] == "researcher"
    lineage = out["lineage"]
    assert lineage["dataset_id"] == w.datasets["v1"] and lineage["dataset_name"] == "demo"
    assert lineage["dataset_version"] == 1 and lineage["dataset_hash"] == f"{w.datasets['v1']:064x}"
    assert lineage["config_hash"] == "c" * 64 and lineage["model_class"] == "LGBModel"
    assert lineage["factor_set"] == "momentum@v3" and lineage["factor_versions"] == ["mom@v2", "rev@v1"]
    assert lineage["job_id"] is not None and lineage["run_id"] == rid
    files = {f["path"]: f for f in out["model_files"]}
    assert files["model/lightgbm.txt"] == {"path": "model/lightgbm.txt", "format": "lightgbm_text", "safe": True}
    assert files["params.pkl"]["format"] == "pickle" and files["params.pkl"]["safe"] is False
    assert out["safe_format"] is True
    assert out["metrics"] == pytest.approx({IC: 0.05, "Rank IC": 0.04, ER: 0.12, DD: -0.08})  # Qlib's key metrics
    assert out["mlflow_url"].endswith(f"/runs/{rid}") and out["decisions"] == []
    assert [(e["action"], e["username"]) for e in out["history"]] == [("registered", "researcher")]
    # MLflow's registry holds the version, with the lineage as tags and the notes as its description
    mv = w.mlflow.get_model_version(name, "1")
    assert mv.run_id == rid and mv.description == "first try"
    assert mv.tags["qlp.dataset_hash"] == f"{w.datasets['v1']:064x}" and mv.tags["qlp.safe_format"] == "true"
    assert mv.tags["qlp.dataset_version"] == "demo@v1" and mv.tags["qlp.factor_set"] == "momentum@v3"

    second = ok(w.api.client.post(f"/api/models/{name}/versions", json={"run_id": w.run({IC: 0.06}, "v2")},
                                  headers=w.h("researcher")), 201)
    assert second["version"] == 2 and second["lineage"]["dataset_version"] == 2
    listed = {m["name"]: m for m in ok(w.api.client.get("/api/models", headers=w.h("viewer")))}
    assert listed[name]["latest_version"] == 2 and listed[name]["aliases"] == {}
    detail = ok(w.api.client.get(f"/api/models/{name}", headers=w.h("viewer")))
    assert [v["version"] for v in detail["versions"]] == [2, 1] and detail["guards"] == []

    edited = ok(w.api.client.patch(f"/api/models/{name}/versions/1", json={"notes": "kept for the record"},
                                   headers=w.h("researcher2")))
    assert edited["notes"] == "kept for the record"
    assert edited["history"][0]["action"] == "notes_edited" and edited["history"][0]["username"] == "researcher2"
    assert edited["history"][0]["details"] == {"before": "first try", "after": "kept for the record"}
    assert w.mlflow.get_model_version(name, "1").description == "kept for the record"


def test_bad_registrations_are_refused_and_store_nothing(world: World) -> None:
    w, name = world, _name()
    before = len(w.mlflow.search_registered_models(max_results=1000))
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"run_id": uuid.uuid4().hex}, 404, "no such run"),
        ({"run_id": w.run({IC: 0.1}, job=False)}, 422, "not a workflow run of the platform"),
        ({"run_id": w.run({IC: 0.1}, job_state="failed")}, 422, "only a succeeded workflow job"),
        ({"run_id": w.run({IC: 0.1}, status="RUNNING")}, 422, "only a finished run"),
        ({"run_id": w.run({IC: 0.1}, model=False)}, 422, "logged no model"),
    ]
    for body, status, reason in cases:
        r = w.api.client.post("/api/models", json={"name": name, **body}, headers=w.h("researcher"))
        assert r.status_code == status and reason in r.json()["detail"], (body, r.text)
    for body in ({"name": "bad name", "run_id": uuid.uuid4().hex}, {"name": name, "run_id": "X" * 32},
                 {"name": name}, {"name": "../x", "run_id": uuid.uuid4().hex},
                 {"name": name, "run_id": uuid.uuid4().hex, "notes": "x" * 10_001}):
        r = w.api.client.post("/api/models", json=body, headers=w.h("researcher"))
        assert r.status_code == 422 and r.json()["code"] == "validation_failed", (body, r.text)
    r = w.api.client.post(f"/api/models/{name}/versions", json={"run_id": w.run({IC: 0.1})},
                          headers=w.h("researcher"))
    assert r.status_code == 404 and "no such model" in r.json()["detail"]
    assert len(w.mlflow.search_registered_models(max_results=1000)) == before  # MLflow got nothing
    assert w.api.client.get(f"/api/models/{name}", headers=w.h("viewer")).status_code == 404
    assert w.api.client.get(f"/api/models/{name}/history", headers=w.h("viewer")).status_code == 404

    rid = w.run({IC: 0.1})
    register(w, name, rid)
    r = w.api.client.post("/api/models", json={"name": name, "run_id": rid}, headers=w.h("researcher"))
    assert r.status_code == 409 and "version 1" in r.json()["detail"]
    for path in (f"/api/models/{name}/versions/9", f"/api/models/{_name()}/versions/1"):
        assert w.api.client.get(path, headers=w.h("viewer")).status_code == 404
    assert [e["action"] for e in ok(w.api.client.get(f"/api/models/{name}/history", headers=w.h("viewer")))] == [
        "registered"]


def _policy(w: World, name: str, model: str | None, aliases: list[str], role: str = "admin", **rest: Any) -> Any:
    return w.api.client.post("/api/model-policies", json={"name": name, "model_name": model, "aliases": aliases,
                                                          **rest}, headers=w.h(role))


def test_the_gate_guards_champion(world: World) -> None:
    w, name = world, _name()
    thresholds = {"min_ic": 0.03, "max_drawdown": 0.15, "min_excess_return": 0.0}
    beats = {"metric": "ic", "margin": 0.01}
    assert _policy(w, f"p-{name}", name, ["champion"], role="researcher", thresholds=thresholds).status_code == 403
    created = ok(_policy(w, f"p-{name}", name, ["champion"], thresholds=thresholds, beats_champion=beats), 201)
    assert created["aliases"] == ["champion"] and created["model_name"] == name
    assert created["thresholds"]["min_ic"] == 0.03 and created["beats_champion"] == beats
    assert [e["action"] for e in created["history"]] == ["policy_created"]

    def reg(metrics: dict[str, float], dataset: str = "v1") -> int:
        return int(register(w, name, w.run(metrics, dataset))["version"])

    weak = reg({IC: 0.01, DD: -0.05, ER: 0.1})
    good = reg({IC: 0.05, DD: -0.10, ER: 0.2})
    close = reg({IC: 0.055, DD: -0.10, ER: 0.2})
    better = reg({IC: 0.07, DD: -0.10, ER: 0.2})
    elsewhere = reg({IC: 0.09, DD: -0.10, ER: 0.2}, "v2")
    no_ic = reg({DD: -0.01, ER: 0.3})
    deep = reg({IC: 0.2, DD: -0.3, ER: 0.3})
    assert ok(w.api.client.get(f"/api/models/{name}", headers=w.h("viewer")))["guards"] == [
        {"alias": "champion", "policy": f"p-{name}"}]

    # a version that fails the gate cannot take champion; the decision is recorded with its numbers
    r = promote(w, name, weak)
    assert r.status_code == 409 and r.json()["code"] == "gate_failed", r.text
    assert "IC 0.01 < 0.03" in r.json()["detail"] and holder(w, name) is None
    [d] = version(w, name, weak)["decisions"]
    assert d["outcome"] == "refused" and d["passed"] is False and d["username"] == "researcher"
    checks = {c["check"]: c for c in d["checks"]}
    assert checks["min_ic"] == {"check": "min_ic", "metric": "IC", "value": 0.01, "threshold": 0.03, "passed": False,
                                "reason": "IC 0.01 < 0.03"}
    assert checks["max_drawdown"]["passed"] is True and checks["max_drawdown"]["threshold"] == -0.15
    assert checks["min_excess_return"]["value"] == pytest.approx(0.1)
    assert checks["beats_champion"]["passed"] is True and "no holder" in checks["beats_champion"]["reason"]
    assert d["metrics"] == pytest.approx({IC: 0.01, DD: -0.05, ER: 0.1}) and d["champion"] is None
    assert d["policy_snapshot"]["thresholds"]["min_ic"] == 0.03

    # one that passes can
    p = ok(promote(w, name, good))
    assert p["version"] == good and p["previous_version"] is None and p["decision"]["outcome"] == "promoted"
    assert holder(w, name) == good
    assert version(w, name, good)["aliases"] == ["champion"]
    rows = ok(w.api.client.get(f"/api/models/{name}", headers=w.h("viewer")))["versions"]
    assert {r["version"]: r["aliases"] for r in rows}[good] == ["champion"]  # the model's versions list them too

    # beats the champion by at least the margin, on the same dataset version
    r = promote(w, name, close)
    assert r.status_code == 409 and "does not beat it by 0.01" in r.json()["detail"], r.text
    d = version(w, name, close)["decisions"][0]
    beat = next(c for c in d["checks"] if c["check"] == "beats_champion")
    assert beat["value"] == pytest.approx(0.055) and beat["threshold"] == pytest.approx(0.06)
    assert d["champion"]["version"] == good and d["champion"]["metrics"][IC] == pytest.approx(0.05)
    p = ok(promote(w, name, better))
    assert p["previous_version"] == good and holder(w, name) == better
    # a champion trained on another dataset version cannot be compared: refused, and the decision says so
    r = promote(w, name, elsewhere)
    assert r.status_code == 409 and "not the same dataset version" in r.json()["detail"], r.text
    assert "demo@v1" in r.json()["detail"] and "demo@v2" in r.json()["detail"]
    # a missing metric fails its threshold with that reason; a drawdown deeper than allowed fails
    r = promote(w, name, no_ic)
    assert r.status_code == 409 and "the run has no IC metric" in r.json()["detail"]
    r = promote(w, name, deep)
    assert r.status_code == 409 and "is deeper than -0.15" in r.json()["detail"]
    assert holder(w, name) == better

    # an override needs admin and a reason, and is recorded
    r = promote(w, name, elsewhere, override_reason="the v2 market fixes a data error")
    assert r.status_code == 403 and "needs admin" in r.json()["detail"]
    assert version(w, name, elsewhere)["decisions"][0]["note"].startswith("an override was asked for by researcher")
    r = promote(w, name, elsewhere, role="admin", override_reason="   ")
    assert r.status_code == 422 and r.json()["code"] == "refused"
    r = promote(w, name, elsewhere, role="admin", override_reason="")
    assert r.status_code == 422 and r.json()["code"] == "validation_failed"
    assert holder(w, name) == better
    p = ok(promote(w, name, elsewhere, role="admin", override_reason="the v2 market fixes a data error"))
    assert p["decision"]["outcome"] == "overridden" and p["decision"]["passed"] is False
    assert p["decision"]["override_reason"] == "the v2 market fixes a data error"
    assert holder(w, name) == elsewhere
    outcomes = [(d["outcome"], d["username"]) for d in version(w, name, elsewhere)["decisions"]]
    assert outcomes == [("overridden", "admin"), ("refused", "researcher"), ("refused", "researcher")]
    assert promote(w, name, elsewhere, role="admin").status_code == 409  # holds it already

    # unguarded aliases move without a gate; reserved or malformed ones are refused
    p = ok(promote(w, name, weak, alias="challenger"))
    assert p["decision"] is None and holder(w, name, "challenger") == weak
    for alias in ("latest", "v3"):
        r = promote(w, name, weak, alias=alias)
        assert r.status_code == 422 and "reserved" in r.json()["detail"], alias
    for alias in ("bad.alias", "-x", "x" * 65):
        assert promote(w, name, weak, alias=alias).status_code == 422, alias
    assert promote(w, name, 99).status_code == 404
    assert promote(w, _name(), 1).status_code == 404

    # a guarded alias comes off only by an admin with a reason (else the next candidate has nothing to beat)
    r = w.api.client.delete(f"/api/models/{name}/aliases/champion", headers=w.h("researcher"))
    assert r.status_code == 403
    r = w.api.client.delete(f"/api/models/{name}/aliases/champion", headers=w.h("admin"))
    assert r.status_code == 422 and "reason" in r.json()["detail"]
    assert holder(w, name) == elsewhere
    ok(w.api.client.delete(f"/api/models/{name}/aliases/champion", params={"reason": "retired"},
                           headers=w.h("admin")))
    assert holder(w, name) is None
    ok(w.api.client.delete(f"/api/models/{name}/aliases/challenger", headers=w.h("researcher")))
    assert w.api.client.delete(f"/api/models/{name}/aliases/challenger",
                               headers=w.h("researcher")).status_code == 404

    # the history lists every change and who made it
    events = ok(w.api.client.get(f"/api/models/{name}/history", headers=w.h("viewer")))
    seen = [(e["action"], e["version"], e["alias"], e["username"]) for e in reversed(events)]
    assert seen[:7] == [("registered", v, None, "researcher") for v in (weak, good, close, better, elsewhere,
                                                                          no_ic, deep)]
    assert seen[7:] == [
        ("promotion_refused", weak, "champion", "researcher"),
        ("alias_set", good, "champion", "researcher"),
        ("promotion_refused", close, "champion", "researcher"),
        ("alias_set", better, "champion", "researcher"),
        ("promotion_refused", elsewhere, "champion", "researcher"),
        ("promotion_refused", no_ic, "champion", "researcher"),
        ("promotion_refused", deep, "champion", "researcher"),
        ("promotion_refused", elsewhere, "champion", "researcher"),
        ("override", elsewhere, "champion", "admin"),
        ("alias_set", elsewhere, "champion", "admin"),
        ("alias_set", weak, "challenger", "researcher"),
        ("alias_removed", elsewhere, "champion", "admin"),
        ("alias_removed", weak, "challenger", "researcher"),
    ]
    override = next(e for e in events if e["action"] == "override")
    assert override["details"]["reason"] == "the v2 market fixes a data error" and override["decision_id"]
    assert next(e for e in events if e["action"] == "alias_removed" and e["alias"] == "champion")["details"] == {
        "reason": "retired"}


def test_policies_scope_update_and_bad_bodies(world: World) -> None:
    w, name, other = world, _name(), _name()
    alias = f"prod{uuid.uuid4().hex[:6]}"
    every = ok(_policy(w, f"every-{alias}", None, [alias], thresholds={"min_rank_ic": 0.5}), 201)
    assert every["model_name"] is None
    assert _policy(w, f"again-{alias}", None, [alias]).status_code == 409  # the same scope and alias
    assert _policy(w, f"every-{alias}", name, ["x"]).status_code == 409  # the name
    ok(_policy(w, f"own-{alias}", name, [alias], thresholds={}), 201)  # a model's own guard wins for that model
    v1 = int(register(w, name, w.run({IC: 0.01, "Rank IC": 0.01}))["version"])
    o1 = int(register(w, other, w.run({IC: 0.01, "Rank IC": 0.01}))["version"])
    assert ok(promote(w, name, v1, alias=alias))["decision"]["policy_name"] == f"own-{alias}"
    r = promote(w, other, o1, alias=alias)
    assert r.status_code == 409 and f"every-{alias}" in r.json()["detail"] and "Rank IC 0.01 < 0.5" in r.text

    # an update replaces the policy, keeps the decisions made before as they were, and is in its history
    body = {"description": "looser", "model_name": None, "aliases": [alias, "staging"],
            "thresholds": {"min_rank_ic": 0.0}}
    assert w.api.client.put(f"/api/model-policies/every-{alias}", json=body,
                            headers=w.h("researcher")).status_code == 403
    updated = ok(w.api.client.put(f"/api/model-policies/every-{alias}", json=body, headers=w.h("admin")))
    assert updated["aliases"] == [alias, "staging"] and updated["thresholds"]["min_rank_ic"] == 0.0
    assert [e["action"] for e in updated["history"]] == ["policy_updated", "policy_created"]
    assert updated["history"][0]["details"]["before"]["thresholds"]["min_rank_ic"] == 0.5
    assert ok(promote(w, other, o1, alias=alias))["decision"]["outcome"] == "promoted"
    old = version(w, other, o1)["decisions"][-1]
    assert old["outcome"] == "refused" and old["policy_snapshot"]["thresholds"]["min_rank_ic"] == 0.5
    listed = {p["name"] for p in ok(w.api.client.get("/api/model-policies", headers=w.h("viewer")))}
    assert {f"every-{alias}", f"own-{alias}"} <= listed
    assert ok(w.api.client.get(f"/api/model-policies/own-{alias}", headers=w.h("viewer")))["model_name"] == name
    assert w.api.client.get("/api/model-policies/nope", headers=w.h("viewer")).status_code == 404
    assert w.api.client.put("/api/model-policies/nope", json=body, headers=w.h("admin")).status_code == 404

    bad: list[tuple[dict[str, Any], str]] = [
        ({"aliases": ["a", "a"]}, "refused"),
        ({"aliases": ["latest"]}, "refused"),
        ({"aliases": []}, "validation_failed"),
        ({"aliases": ["a"], "beats_champion": {"metric": "sharpe", "margin": 0.1}}, "validation_failed"),
        ({"aliases": ["a"], "beats_champion": {"metric": "ic", "margin": -1}}, "validation_failed"),
        ({"aliases": ["a"], "thresholds": {"max_drawdown": -0.1}}, "validation_failed"),
        ({"aliases": ["a"], "thresholds": {"min_sharpe": 1}}, "validation_failed"),
        ({"aliases": ["a"], "model_name": "../x"}, "validation_failed"),
    ]
    for extra, code in bad:
        r = w.api.client.post("/api/model-policies", json={"name": f"bad-{uuid.uuid4().hex[:6]}", **extra},
                              headers=w.h("admin"))
        assert r.status_code == 422 and r.json()["code"] == code, (extra, r.text)


def test_viewers_read_and_cannot_write(world: World) -> None:
    w, name = world, _name()
    rid = w.run({IC: 0.05})
    vh = w.h("viewer")
    assert w.api.client.post("/api/models", json={"name": name, "run_id": rid}, headers=vh).status_code == 403
    register(w, name, rid)
    writes = [
        ("POST", f"/api/models/{name}/versions", {"run_id": w.run({IC: 0.05})}),
        ("PATCH", f"/api/models/{name}/versions/1", {"notes": "x"}),
        ("POST", f"/api/models/{name}/aliases/champion", {"version": 1}),
        ("DELETE", f"/api/models/{name}/aliases/champion", None),
        ("POST", "/api/model-policies", {"name": "v", "aliases": ["a"]}),
        ("PUT", "/api/model-policies/v", {"aliases": ["a"]}),
    ]
    for method, path, body in writes:
        r = w.api.client.request(method, path, json=body, headers=vh)
        assert r.status_code == 403, (method, path, r.text)
    for path in ("/api/models", f"/api/models/{name}", f"/api/models/{name}/versions/1",
                 f"/api/models/{name}/history", "/api/model-policies"):
        assert w.api.client.get(path, headers=vh).status_code == 200, path
        assert w.api.client.get(path).status_code == 401, path
    assert version(w, name, 1)["history"][0]["action"] == "registered"  # nothing else happened


def test_the_door_refuses_alias_writes_and_stage_transitions(world: World) -> None:
    w, name = world, _name()
    register(w, name, w.run({IC: 0.05}))
    for role in ("admin", "researcher"):
        r = w.api.client.post("/mlflow/api/2.0/mlflow/registered-models/alias", headers=w.h(role),
                              json={"name": name, "alias": "champion", "version": "1"})
        assert r.status_code == 403 and "/api/models" in r.json()["detail"], r.text
        r = w.api.client.post("/mlflow/ajax-api/2.0/mlflow/model-versions/transition-stage", headers=w.h(role),
                              json={"name": name, "version": "1", "stage": "Production"})
        assert r.status_code == 403 and "/api/models" in r.json()["detail"], r.text
    assert holder(w, name) is None
    assert w.mlflow.get_model_version(name, "1").current_stage == "None"
    # reads pass the door
    r = w.api.client.get("/mlflow/api/2.0/mlflow/registered-models/get", params={"name": name}, headers=w.h("viewer"))
    assert r.status_code == 200 and r.json()["registered_model"]["name"] == name


def test_the_cli_registers_lists_shows_and_promotes(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from qlp_cli import client as cli_client
    from qlp_cli import model as cli_model
    from qlp_cli.main import app

    w, name = world, _name()

    class As:
        """The in-process API's client (its event loop holds the API's MLflow client), as one user."""

        def __init__(self, role: str) -> None:
            self.headers = w.h(role)

        def get(self, path: str, **kw: Any) -> Any:
            return w.api.client.get(path, headers=self.headers, **kw)

        def post(self, path: str, **kw: Any) -> Any:
            return w.api.client.post(path, headers=self.headers, **kw)

    def as_user(role: str) -> None:
        def make(_: object) -> cli_client.Client:
            c = object.__new__(cli_client.Client)
            c.base, c.token, c.http = "http://testserver", w.api.tokens[role], As(role)  # type: ignore[assignment]
            return c

        monkeypatch.setattr(cli_model, "Client", make)
        monkeypatch.setattr(cli_model, "get_settings", lambda: None)

    runner = CliRunner()
    ok(_policy(w, f"cli-{name}", name, ["champion"], thresholds={"min_ic": 0.03}), 201)
    as_user("researcher")
    weak, good = w.run({IC: 0.01}), w.run({IC: 0.05})
    out = runner.invoke(app, ["model", "register", weak, "--name", name, "--notes", "cli"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and f"registered {name} version 1" in out.output and "demo@v1" in out.output, out.output
    assert runner.invoke(app, ["model", "register", good, "--name", name]).exit_code == 0
    out = runner.invoke(app, ["model", "promote", name, "1", "--alias", "champion"], env={"COLUMNS": "200"})
    assert out.exit_code == 1 and "refused by the gate" in out.output and "IC 0.01 < 0.03" in out.output, out.output
    out = runner.invoke(app, ["model", "promote", name, "1", "--override-reason", "because"], env={"COLUMNS": "200"})
    assert out.exit_code == 1 and "403" in out.output and "needs admin" in out.output, out.output
    out = runner.invoke(app, ["model", "promote", name, "2"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and f"{name}@champion → version 2" in out.output, out.output
    as_user("viewer")
    out = runner.invoke(app, ["model", "list"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and name in out.output and "@champion→v2" in out.output, out.output
    out = runner.invoke(app, ["model", "show", name], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and f"@champion by cli-{name}" in out.output, out.output
    out = runner.invoke(app, ["model", "show", name, "--version", "1"], env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "refused by researcher" in out.output and "✗ IC 0.01 < 0.03" in out.output, out.output
    assert holder(w, name) == 2
