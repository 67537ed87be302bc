"""The experiments domain against a real MLflow server (the session's `qlp up`): runs made here with MLflow's client,
as the platform's trainers log them (qlp.* tags, the flattened config's task.model.class, exports/series.json), read
back through the in-process API: filters, sorting, paging, refusals, run details, series maths, comparison."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient

from platform_api.db import session_scope
from platform_api.jobs.models import Job, JobState
from tests.conftest import Api, start_api
from tests.helpers import RunningPlatform, make_settings

pytestmark = pytest.mark.e2e
R = "/api/experiments/runs"


def ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


def business_days(start: str, n: int) -> list[str]:
    d = date.fromisoformat(start)
    out: list[str] = []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += timedelta(days=1)
    return out


# run 1's series: a 5-day report and 22 days of IC starting a day later (the union has days of only one of them)
REPORT_DAYS = business_days("2024-01-02", 5)
RETURN = [0.01, -0.02, 0.03, 0.00, 0.01]
BENCH = [0.00, 0.01, 0.01, 0.01, -0.01]
COST = [0.001, 0.001, 0.0, 0.002, 0.001]
TURNOVER = [0.5, 0.2, None, 0.1, 0.3]
IC_DAYS = business_days("2024-01-03", 22)
IC = [i / 100 for i in range(22)]
RANK_IC: list[float | None] = [0.02] * 22
RANK_IC[5] = None  # a day without a value: every 20-day window over it has no mean


def series_doc(report_days: list[str], ret: list[Any], bench: list[Any], cost: list[Any], turnover: list[Any],
               ic_days: list[str] | None = None, ic: list[Any] | None = None,
               rank_ic: list[Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"report": {"dates": report_days, "return": ret, "bench": bench, "cost": cost,
                                      "turnover": turnover}}
    if ic_days is not None:
        doc["ic"] = {"dates": ic_days, "ic": ic, "rank_ic": rank_ic}
    return doc


@dataclass
class Seeded:
    exp_a: str
    exp_b: str
    marker: str
    runs: dict[str, str]  # r1..r4 -> run id
    names: dict[str, str]  # exp id -> name


@pytest.fixture(scope="module")
def mlflow(shared_platform: RunningPlatform) -> MlflowClient:
    """Straight to the session platform's MLflow server (as the trainers' runs land there)."""
    return MlflowClient(f"http://127.0.0.1:{shared_platform.env['QLP_MLFLOW__PORT']}/mlflow")


@pytest.fixture(scope="module")
def api(shared_platform: RunningPlatform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The API in process, its own database, reading the session platform's MLflow server."""
    settings = make_settings(tmp_path_factory.mktemp("experiments-api"),
                             mlflow={"port": int(shared_platform.env["QLP_MLFLOW__PORT"])})
    yield from start_api(settings)


@pytest.fixture(scope="module")
def seeded(mlflow: MlflowClient) -> Iterator[Seeded]:
    tag = uuid.uuid4().hex[:8]
    exp_a = mlflow.create_experiment(f"exp-a-{tag}", tags={"team": "alpha"})
    exp_b = mlflow.create_experiment(f"exp-b-{tag}")
    marker = mlflow.create_experiment(f"qlp-home-{tag}")  # active, yet one of ours: never listed
    now = int(time.time() * 1000)

    def make(exp: str, name: str, start: str, status: str, model: str, dataset: int, user: str, job: int,
             metrics: dict[str, float], team: str, series: dict[str, Any] | None = None) -> str:
        run = mlflow.create_run(exp, start_time=ms(start), run_name=name, tags={
            "qlp.job_id": str(job), "qlp.dataset_id": str(dataset), "qlp.user": user, "team": team})
        rid = run.info.run_id
        mlflow.log_batch(rid, metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
                         params=[Param("task.model.class", model), Param("task.model.kwargs.num_leaves", "64")],
                         tags=[RunTag("mlflow.log-model.history", "x" * 3000)])
        if series is not None:
            mlflow.log_text(rid, json.dumps(series), "exports/series.json")
        mlflow.log_text(rid, "{}", "exports/metrics.json")
        if status != "RUNNING":
            mlflow.set_terminated(rid, status, end_time=ms(start) + 60_000)
        return rid

    runs = {
        "r1": make(exp_a, "job-11", "2024-01-10T09:00:00", "FINISHED", "LGBModel", 1, "alice", 11, {
            "IC": 0.05, "Rank IC": 0.04, "ICIR": 0.5, "l2.valid": 0.9,
            "1day.excess_return_with_cost.annualized_return": 0.10,
            "1day.excess_return_with_cost.max_drawdown": -0.08, "1day.excess_return_with_cost.std": 0.01,
        }, "alpha", series_doc(REPORT_DAYS, RETURN, BENCH, COST, TURNOVER, IC_DAYS, IC, RANK_IC)),
        "r2": make(exp_a, "job-12", "2024-02-10T09:00:00", "FINISHED", "XGBModel", 2, "bob", 12, {
            "IC": 0.07, "Rank IC": 0.03, "ICIR": 0.4, "l2.valid": 0.8,
            "1day.excess_return_with_cost.annualized_return": 0.20,
            "1day.excess_return_with_cost.max_drawdown": -0.12, "1day.excess_return_with_cost.std": 0.02,
        }, "beta", series_doc(["2024-01-08", "2024-01-09", "2024-01-10"], [0.01, 0.02, 0.03], [0.0, 0.0, 0.0],
                              [0.0, 0.0, 0.0], [0.1, 0.1, 0.1])),
        "r3": make(exp_a, "job-13", "2024-03-10T23:59:00", "FAILED", "LGBModel", 1, "bob", 13,
                   {"IC": 0.01, "custom.metric": 1.5}, "it's"),
        "r4": make(exp_b, "job-14", "2024-04-01T00:00:00", "RUNNING", "LGBModel", 2, "alice", 14,
                   {"IC": 0.03}, "alpha"),
    }
    names = {exp_a: f"exp-a-{tag}", exp_b: f"exp-b-{tag}"}
    try:
        yield Seeded(exp_a, exp_b, marker, runs, names)
    finally:
        for exp in (exp_a, exp_b, marker):
            mlflow.delete_experiment(exp)


def get(api: Api, path: str, role: str = "viewer", **params: Any) -> Any:
    r = api.client.get(path, params=params, headers=api.headers(role))
    assert r.status_code == 200, r.text
    return r.json()


def names_of(page: dict[str, Any], s: Seeded) -> list[str]:
    by_id = {v: k for k, v in s.runs.items()}
    return [by_id[r["run_id"]] for r in page["runs"] if r["run_id"] in by_id]


def both(s: Seeded, **params: Any) -> dict[str, Any]:
    return {"experiment_id": [s.exp_a, s.exp_b], **params}


def test_experiments_are_listed_without_the_marker(api: Api, seeded: Seeded) -> None:
    listed = {e["experiment_id"]: e for e in get(api, "/api/experiments")}
    assert seeded.exp_a in listed and seeded.exp_b in listed and seeded.marker not in listed
    assert not any(e["name"].startswith("qlp-home-") for e in listed.values())
    a = listed[seeded.exp_a]
    assert a["name"] == seeded.names[seeded.exp_a] and a["lifecycle_stage"] == "active"
    assert a["tags"]["team"] == "alpha" and a["creation_time"] is not None


def test_runs_rows_and_filters(api: Api, seeded: Seeded) -> None:
    s = seeded
    page = get(api, R, experiment_id=s.exp_a)
    assert names_of(page, s) == ["r3", "r2", "r1"] and page["next_page_token"] is None  # newest first
    r1 = next(r for r in page["runs"] if r["run_id"] == s.runs["r1"])
    assert r1 == {
        "run_id": s.runs["r1"], "run_name": "job-11", "experiment_id": s.exp_a,
        "experiment_name": s.names[s.exp_a], "status": "FINISHED", "start_time": "2024-01-10T09:00:00Z",
        "end_time": "2024-01-10T09:01:00Z", "user": "alice", "model_class": "LGBModel", "dataset_id": 1,
        "job_id": 11, "metrics": pytest.approx({
            "IC": 0.05, "Rank IC": 0.04, "ICIR": 0.5, "l2.valid": 0.9,
            "1day.excess_return_with_cost.annualized_return": 0.10,
            "1day.excess_return_with_cost.max_drawdown": -0.08, "1day.excess_return_with_cost.std": 0.01}),
        "mlflow_url": f"/mlflow/#/experiments/{s.exp_a}/runs/{s.runs['r1']}",
    }
    assert set(names_of(get(api, R), s)) == {"r1", "r2", "r3", "r4"}  # default: every active experiment
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"dataset_id": 1}, ["r3", "r1"]),
        ({"model_class": "LGBModel"}, ["r4", "r3", "r1"]),
        ({"user": "alice"}, ["r4", "r1"]),
        ({"tag": "team=alpha"}, ["r4", "r1"]),
        ({"tag": "team=it's"}, ["r3"]),  # a quote in the value reads back exactly
        ({"tag": ["team=alpha", "qlp.job_id=14"]}, ["r4"]),
        ({"since": "2024-02-10", "until": "2024-03-10"}, ["r3", "r2"]),  # both days included
        ({"until": "2024-01-10"}, ["r1"]),
        ({"status": "FAILED"}, ["r3"]),
        ({"status": "RUNNING"}, ["r4"]),
        ({"dataset_id": 2, "user": "alice"}, ["r4"]),
        ({"user": "nobody"}, []),
    ]
    for params, expected in cases:
        assert names_of(get(api, R, **both(s, **params)), s) == expected, params


def test_sort_by_metric_both_ways_and_page(api: Api, seeded: Seeded) -> None:
    s = seeded
    assert names_of(get(api, R, experiment_id=s.exp_a, sort="metrics.IC"), s) == ["r2", "r1", "r3"]
    assert names_of(get(api, R, experiment_id=s.exp_a, sort="metrics.IC", order="asc"), s) == ["r3", "r1", "r2"]
    assert names_of(get(api, R, experiment_id=s.exp_a, sort="metrics.Rank IC", order="desc"), s)[:2] == ["r1", "r2"]
    assert names_of(get(api, R, **both(s, sort="run_name", order="asc")), s) == ["r1", "r2", "r3", "r4"]
    assert names_of(get(api, R, **both(s, sort="params.task.model.class", order="desc")), s)[0] == "r2"

    seen: list[str] = []
    token = None
    for _ in range(3):
        page = get(api, R, **both(s, limit=3, sort="start_time", order="asc", **({"page_token": token} if token
                                                                                 else {})))
        seen += names_of(page, s)
        token = page["next_page_token"]
        if token is None:
            break
    assert seen == ["r1", "r2", "r3", "r4"] and token is None

    page = get(api, R, experiment_id=s.exp_a)
    assert page["metric_keys"] == [
        "IC", "ICIR", "Rank IC", "1day.excess_return_with_cost.annualized_return",
        "1day.excess_return_with_cost.max_drawdown", "1day.excess_return_with_cost.std", "custom.metric", "l2.valid"]


@pytest.mark.parametrize(("path", "params", "reason"), [
    (R, {"sort": "metrics.`IC`"}, None),
    (R, {"sort": "attributes.status"}, None),
    (R, {"sort": "metrics.IC; DROP"}, None),
    (R, {"tag": "no-value"}, None),
    (R, {"tag": "bad`key=1"}, None),
    (R, {"tag": "team=say \"it's\""}, "both single and double quotes"),
    (R, {"tag": "team=ends\\"}, "backslash"),
    (R, {"user": "a\nb"}, "control characters"),
    (R, {"since": "2024-03-01", "until": "2024-02-01"}, "since is after until"),
    (R, {"limit": 0}, None),
    (R, {"limit": 1001}, None),
    (R, {"status": "DONE"}, None),
    (R, {"page_token": "not a token"}, None),
    (R, {"page_token": "eyJvZmZzZXQiOiAxZTMwfQ=="}, "handed out"),  # MLflow's format, not signed by us
    (R + "/not-a-run-id", {}, None),
    (R + "/" + "A" * 32 + "/series", {}, None),
    ("/api/experiments/compare", {"run_ids": [uuid.uuid4().hex for _ in range(9)]}, None),
    ("/api/experiments/compare", {}, None),
])
def test_bad_input_is_a_422(api: Api, seeded: Seeded, path: str, params: dict[str, Any], reason: str | None) -> None:
    r = api.client.get(path, params=params, headers=api.headers("viewer"))
    assert r.status_code == 422, (params, r.text)
    body = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    if reason:
        assert body["code"] == "refused" and reason in body["detail"], body


def test_unknown_runs_are_404_and_reads_need_a_login(api: Api, seeded: Seeded) -> None:
    unknown = uuid.uuid4().hex
    for path, params in ((f"{R}/{unknown}", {}), (f"{R}/{unknown}/series", {}),
                         ("/api/experiments/compare", {"run_ids": [seeded.runs["r1"], unknown]})):
        r = api.client.get(path, params=params, headers=api.headers("viewer"))
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
        assert unknown in r.json()["detail"]
    r = api.client.get(R, params={"experiment_id": [seeded.exp_a, "987654321"]}, headers=api.headers("viewer"))
    assert r.status_code == 404 and "987654321" in r.json()["detail"]
    dup = api.client.get("/api/experiments/compare", params={"run_ids": [seeded.runs["r1"]] * 2},
                         headers=api.headers("viewer"))
    assert dup.status_code == 422 and "distinct" in dup.json()["detail"]
    for path in ("/api/experiments", R, f"{R}/{seeded.runs['r1']}"):
        assert api.client.get(path).status_code == 401


def test_run_detail_with_its_job(api: Api, seeded: Seeded) -> None:
    r1 = seeded.runs["r1"]
    assert api.settings.db.url is not None
    with session_scope(api.settings.db.url) as s:
        job = Job(state=JobState.SUCCEEDED, name="made r1", config_text="", config_hash="h", overrides={},
                  experiment_name=seeded.names[seeded.exp_a], metrics={}, mlflow_run_id=r1,
                  mlflow_experiment_id=seeded.exp_a)
        s.add(job)
        s.flush()
        job_id = job.id
    detail = get(api, f"{R}/{r1}")
    assert detail["run"]["run_id"] == r1 and detail["run"]["dataset_id"] == 1
    assert detail["params"] == {"task.model.class": "LGBModel", "task.model.kwargs.num_leaves": "64"}
    assert detail["tags"]["qlp.user"] == "alice" and detail["tags"]["team"] == "alpha"
    assert "mlflow.log-model.history" not in detail["tags"]
    arts = {a["path"]: a for a in detail["artifacts"]}
    assert arts["exports"]["is_dir"] is True and arts["exports"]["file_size"] is None
    assert arts["exports/series.json"]["is_dir"] is False and arts["exports/series.json"]["file_size"] > 100
    assert "exports/metrics.json" in arts and detail["artifacts_truncated"] is False
    assert detail["job"]["id"] == job_id and detail["job"]["mlflow_run_id"] == r1
    assert detail["job"]["mlflow_url"].endswith(f"/#/experiments/{seeded.exp_a}/runs/{r1}")
    assert get(api, f"{R}/{seeded.runs['r2']}")["job"] is None


def test_series_maths(api: Api, seeded: Seeded) -> None:
    out = get(api, f"{R}/{seeded.runs['r1']}/series")
    days = sorted(set(REPORT_DAYS) | set(IC_DAYS))
    assert out["run_id"] == seeded.runs["r1"] and out["dates"] == days
    for name in ("cum_excess_return", "drawdown", "turnover", "ic", "rank_ic_rolling_20"):
        assert len(out[name]) == len(days)

    def on_report(name: str) -> list[Any]:
        return [out[name][days.index(d)] for d in REPORT_DAYS]

    def on_ic(name: str) -> list[Any]:
        return [out[name][days.index(d)] for d in IC_DAYS]

    assert on_report("cum_excess_return") == pytest.approx([0.01, -0.02, 0.0, -0.01, 0.01])
    assert on_report("cum_excess_return_with_cost") == pytest.approx([0.009, -0.022, -0.002, -0.014, 0.005])
    assert on_report("drawdown") == pytest.approx([0.0, -0.031, -0.011, -0.023, -0.004])
    assert on_report("drawdown_without_cost") == pytest.approx([0.0, -0.03, -0.01, -0.02, 0.0])
    assert on_report("turnover") == pytest.approx(TURNOVER)
    only_ic = [days.index(d) for d in IC_DAYS if d not in REPORT_DAYS]
    assert only_ic and all(out["cum_excess_return"][i] is None for i in only_ic)  # the report has no such day
    assert out["ic"][0] is None and out["cum_excess_return"][0] == pytest.approx(0.01)  # nor the IC this one
    assert on_ic("ic") == pytest.approx(IC)
    rolling = on_ic("ic_rolling_20")
    assert rolling[:19] == [None] * 19
    assert rolling[19:] == pytest.approx([sum(IC[i - 19:i + 1]) / 20 for i in range(19, 22)])
    assert on_ic("rank_ic")[5] is None and on_ic("rank_ic_rolling_20") == [None] * 22  # every window holds the gap

    r = api.client.get(f"{R}/{seeded.runs['r3']}/series", headers=api.headers("viewer"))
    assert r.status_code == 404 and "no exported series" in r.json()["detail"]


def test_compare_aligns_dates_and_marks_the_best(api: Api, seeded: Seeded) -> None:
    ids = [seeded.runs[k] for k in ("r1", "r2", "r3")]
    out = get(api, "/api/experiments/compare", run_ids=ids)
    days = sorted(set(REPORT_DAYS) | set(IC_DAYS) | {"2024-01-08", "2024-01-09", "2024-01-10"})
    assert out["dates"] == days
    assert [c["run"]["run_id"] for c in out["runs"]] == ids
    one, two, three = (c["series"] for c in out["runs"])
    for series in (one, two, three):
        assert all(len(v) == len(days) for v in series.values())
    assert all(v is None for values in three.values() for v in values)  # r3 exported no series
    at = {d: i for i, d in enumerate(days)}
    assert [two["cum_excess_return"][at[d]] for d in ("2024-01-08", "2024-01-09", "2024-01-10")] == pytest.approx(
        [0.01, 0.03, 0.06])
    assert two["cum_excess_return"][at["2024-01-02"]] is None and two["ic"] == [None] * len(days)
    assert one["cum_excess_return"][at["2024-01-08"]] == pytest.approx(0.01)
    assert out["metric_keys"][:3] == ["IC", "ICIR", "Rank IC"]
    r1, r2 = seeded.runs["r1"], seeded.runs["r2"]
    assert out["best"] == {
        "IC": r2, "ICIR": r1, "Rank IC": r1, "l2.valid": r2, "custom.metric": seeded.runs["r3"],  # a loss: 0.8 < 0.9
        "1day.excess_return_with_cost.annualized_return": r2,
        "1day.excess_return_with_cost.max_drawdown": r1,  # -0.08 beats -0.12
        "1day.excess_return_with_cost.std": r1,  # lower is better
    }
    single = get(api, "/api/experiments/compare", role="researcher", run_ids=[r2])
    assert single["dates"] == ["2024-01-08", "2024-01-09", "2024-01-10"] and single["best"]["IC"] == r2


def test_the_trainers_series_export() -> None:
    import pandas as pd

    from trainers.series import series_export

    days = pd.to_datetime(["2024-01-03", "2024-01-02", "2024-01-04"])  # out of order: exported sorted
    report = pd.DataFrame({"return": [0.02, 0.01, float("nan")], "bench": [0.0, 0.01, 0.0], "cost": [0.001] * 3,
                           "turnover": [0.3, 0.2, 0.1], "account": [1e8] * 3}, index=days.rename("datetime"))
    ic = pd.Series([0.1, float("nan")], index=pd.to_datetime(["2024-01-02", "2024-01-03"]))
    ric = pd.Series([0.2, 0.3], index=pd.to_datetime(["2024-01-03", "2024-01-04"]))
    doc = series_export({"portfolio_analysis/report_normal_1day.pkl": report, "sig_analysis/ic.pkl": ic,
                         "sig_analysis/ric.pkl": ric, "pred.pkl": pd.Series([1.0])})
    assert doc == {
        "report": {"dates": ["2024-01-02", "2024-01-03", "2024-01-04"], "return": [0.01, 0.02, None],
                   "bench": [0.01, 0.0, 0.0], "cost": [0.001] * 3, "turnover": [0.2, 0.3, 0.1]},
        "ic": {"dates": ["2024-01-02", "2024-01-03", "2024-01-04"], "ic": [0.1, None, None],
               "rank_ic": [None, 0.2, 0.3]},
    }
    json.dumps(doc, allow_nan=False)  # plain JSON: no NaN anywhere
    assert series_export({"sig_analysis/ic.pkl": ic}) == {
        "ic": {"dates": ["2024-01-02", "2024-01-03"], "ic": [0.1, None], "rank_ic": [None, None]}}
    assert series_export({"pred.pkl": pd.Series([1.0])}) is None
