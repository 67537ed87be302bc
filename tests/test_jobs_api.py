"""Job lifecycle through the API and the trainer protocol: submit, claim once, heartbeat, logs with
resume (HTTP and WebSocket, no gap, no duplicate), cancel, failure, and the refusals on the way."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.conftest import Api
from tests.helpers import generate_dataset

DEMO = (Path(__file__).resolve().parent.parent / "trainers" / "configs" / "demo_lgb_alpha158.yaml").read_text()


@pytest.fixture
def dataset(api: Api, tmp_path: Path) -> dict[str, Any]:
    return generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen-1",
                            n_instruments=5, years=0.5)


def submit(api: Api, dataset: dict[str, Any], role: str = "researcher", **extra: Any) -> Any:
    return api.client.post("/api/train", headers=api.headers(role),
                           json={"config_text": DEMO, "dataset_id": dataset["id"], **extra})


def lines(start: int, stop: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    return [{"seq": i, "ts": now, "line": f"line {i}"} for i in range(start, stop)]


def test_dataset_registered_with_hash_and_metadata(api: Api, dataset: dict[str, Any], tmp_path: Path) -> None:
    assert dataset["version"] == 1 and len(dataset["content_hash"]) == 64
    assert dataset["instruments"] == 5 and "demo" in dataset["markets"] and dataset["benchmarks"] == ["DEMOIDX"]
    assert {"open", "close", "vwap", "factor", "change"} <= set(dataset["fields"])
    got = api.client.get(f"/api/data/datasets/{dataset['id']}", headers=api.headers("viewer")).json()
    assert got == dataset
    assert dataset["source"]["kind"] == "synthetic" and dataset["source"]["n_instruments"] == 5
    # the same content again is the same version; a new seed is a new version
    again = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen-2",
                             n_instruments=5, years=0.5)
    assert again["id"] == dataset["id"]
    v2 = generate_dataset(api.client, api.headers("researcher"), api.trainer, tmp_path / "gen-3",
                          n_instruments=5, years=0.5, seed=7)
    assert v2["version"] == 2 and v2["content_hash"] != dataset["content_hash"]


def test_market_generation_is_a_job(api: Api, tmp_path: Path) -> None:
    """The API never computes a market: generating one queues a market job; only its worker's upload, checked
    against the hash it declares, registers the version; other jobs and other workers cannot upload."""
    r = api.client.post("/api/data/datasets/generate", headers=api.headers("researcher"), json={"name": "gen"})
    assert r.status_code == 202 and r.json()["kind"] == "market" and r.json()["state"] == "queued"
    assert api.client.post("/api/data/datasets/generate", headers=api.headers("viewer"),
                           json={"name": "gen"}).status_code == 403
    job_id = r.json()["id"]
    claim = api.client.post(f"/api/internal/jobs/{job_id}/claim", headers=api.trainer, json={"worker": "w1"})
    assert claim.status_code == 200 and claim.json()["payload"]["kind"] == "market"
    assert claim.json()["tracking_token"] == ""  # a market job logs no MLflow run
    from qlp_core.qlib_data import content_hash, tar_stream
    from trainers.market import generate_market

    folder = tmp_path / "m"
    generate_market(folder, n_instruments=5, years=0.5)
    body, digest = b"".join(tar_stream(folder)), content_hash(folder)
    url = f"/api/internal/jobs/{job_id}/dataset"
    assert api.client.put(url, params={"worker": "w1"}, content=body,
                          headers={**api.headers("admin"), "X-Content-SHA256": digest}).status_code == 401
    other = api.client.put(url, params={"worker": "w2"}, content=body,
                           headers={**api.trainer, "X-Content-SHA256": digest})
    assert other.status_code == 409 and other.json()["code"] == "job_not_yours"
    wrong = api.client.put(url, params={"worker": "w1"}, content=body,
                           headers={**api.trainer, "X-Content-SHA256": "0" * 64})
    assert wrong.status_code == 422 and "arrived with hash" in wrong.json()["detail"]
    assert api.client.get("/api/data/datasets", headers=api.headers("viewer")).json() == []
    ok = api.client.put(url, params={"worker": "w1"}, content=body, headers={**api.trainer, "X-Content-SHA256": digest})
    assert ok.status_code == 200 and ok.json()["created"] and ok.json()["version"] == 1
    job = api.client.get(f"/api/train/{job_id}", headers=api.headers("viewer")).json()
    assert job["dataset_id"] == ok.json()["dataset_id"]


@pytest.mark.parametrize("name", ["../evil", "..%2f", "a/b", "", "x" * 65, "a\\b"])
def test_bad_dataset_names_refused(api: Api, name: str) -> None:
    r = api.client.post("/api/data/datasets/generate", headers=api.headers("researcher"), json={"name": name})
    assert r.status_code == 422 and r.json()["code"] == "validation_failed"
    assert api.client.get("/api/train", headers=api.headers("admin")).json() == []


@pytest.mark.parametrize("path", ["../../etc", "/etc", "file:///etc", "..\\..\\etc", "/tmp"])
def test_folder_import_confined(api: Api, path: str) -> None:
    r = api.client.post("/api/data/datasets", headers=api.headers("admin"),
                        json={"name": "imp", "source": {"kind": "folder", "path": path}})
    assert r.status_code == 422, r.text
    assert api.client.get("/api/data/datasets", headers=api.headers("admin")).json() == []


def test_refused_config_creates_nothing(api: Api, dataset: dict[str, Any]) -> None:
    evil = DEMO.replace("module_path: qlib.contrib.model.gbdt", "module_path: os")
    assert evil != DEMO
    r = submit(api, dataset, config_text=evil)
    assert r.status_code == 422 and "os" in r.json()["detail"]
    tagged = "task: !!python/object/apply:os.system ['id']"
    r = api.client.post("/api/train", headers=api.headers("researcher"),
                        json={"config_text": tagged, "dataset_id": dataset["id"]})
    assert r.status_code == 422
    assert api.client.get("/api/train", params={"kind": "workflow"}, headers=api.headers("admin")).json() == []
    assert submit(api, {"id": 999}).status_code == 404


def test_viewer_403_on_submit(api: Api, dataset: dict[str, Any]) -> None:
    assert submit(api, dataset, role="viewer").status_code == 403


def test_lifecycle_claim_logs_resume_finish(api: Api, dataset: dict[str, Any]) -> None:
    job = submit(api, dataset).json()
    assert job["state"] == "queued" and job["config_hash"]
    jid = job["id"]
    # trainer endpoints take the trainer token only
    assert api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w1"}).status_code == 401
    assert api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w1"},
                           headers=api.headers("admin")).status_code == 401
    spec = api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w1"}, headers=api.trainer)
    assert spec.status_code == 200
    spec_body = spec.json()
    assert spec_body["payload"]["kind"] == "workflow" and spec_body["log_offset"] == 0
    assert spec_body["payload"]["dataset"]["hash"] == dataset["content_hash"]
    assert spec_body["user"] == "researcher" and spec_body["attempt"] == 1
    # only one worker can win the claim
    lost = api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w2"}, headers=api.trainer)
    assert lost.status_code == 409 and lost.json()["code"] == "job_not_claimable"
    beat = api.client.post(f"/api/internal/jobs/{jid}/heartbeat", json={"worker": "w1"}, headers=api.trainer).json()
    assert beat == {"state": "running", "cancel_requested": False}
    # another worker may not write this job's log
    assert api.client.post(f"/api/internal/jobs/{jid}/logs", json={"worker": "w2", "lines": lines(0, 1)},
                           headers=api.trainer).status_code == 409
    post = lambda ls: api.client.post(f"/api/internal/jobs/{jid}/logs",  # noqa: E731
                                      json={"worker": "w1", "lines": ls}, headers=api.trainer).json()["stored"]
    assert post(lines(0, 100)) == 100
    assert post(lines(0, 100)) == 0  # a retried batch stores nothing twice
    assert post(lines(90, 150)) == 50
    seen: list[int] = []
    offset = 0
    while True:
        page = api.client.get(f"/api/train/{jid}/logs", params={"offset": offset, "limit": 37},
                              headers=api.headers("viewer")).json()
        if not page["lines"]:
            break
        seen += [ln["seq"] for ln in page["lines"]]
        assert [ln["line"] for ln in page["lines"]] == [f"line {s}" for s in range(offset, page["next_offset"])]
        offset = page["next_offset"]
    assert seen == list(range(150))

    # WebSocket from an offset while running, live lines, then the end frame
    with api.client.websocket_connect(f"/ws/train/{jid}") as ws:
        ws.send_json({"type": "follow", "token": api.tokens["viewer"], "offset": 140})
        assert ws.receive_json() == {"type": "status", "job_id": jid, "state": "running"}
        history = ws.receive_json()
        assert history["type"] == "logs" and [ln["seq"] for ln in history["lines"]] == list(range(140, 150))
        assert history["lines"][0]["line"] == "line 140"
        assert post(lines(150, 160)) == 10
        live = ws.receive_json()  # one frame carries the whole stored batch
        assert live["type"] == "logs" and [ln["seq"] for ln in live["lines"]] == list(range(150, 160))
        assert [ln["line"] for ln in live["lines"]] == [f"line {i}" for i in range(150, 160)]
        run = api.client.post(f"/api/internal/jobs/{jid}/run", headers=api.trainer,
                              json={"worker": "w1", "mlflow_run_id": "abc", "mlflow_experiment_id": "1"})
        assert run.status_code == 204
        fin = api.client.post(f"/api/internal/jobs/{jid}/finish", headers=api.trainer,
                              json={"worker": "w1", "state": "succeeded", "metrics": {"IC": 0.05}})
        assert fin.status_code == 200 and fin.json() == {"job_id": jid, "state": "succeeded"}
        url = api.client.get(f"/api/train/{jid}", headers=api.headers("viewer")).json()["mlflow_url"]
        assert url.endswith("/#/experiments/1/runs/abc")
        assert ws.receive_json()["state"] == "succeeded"
        end = ws.receive_json()
        assert end == {"type": "end", "job_id": jid, "state": "succeeded", "next_offset": 160}
    done = api.client.get(f"/api/train/{jid}", headers=api.headers("viewer")).json()
    assert done["state"] == "succeeded" and done["metrics"] == {"IC": 0.05} and done["log_count"] == 160
    assert done["config_text"] == DEMO
    # a finished job cannot be finished or cancelled again
    assert api.client.post(f"/api/internal/jobs/{jid}/finish", headers=api.trainer,
                           json={"worker": "w1", "state": "failed"}).status_code == 409
    assert api.client.post(f"/api/train/{jid}/cancel", headers=api.headers("researcher")).status_code == 409


def test_ws_resume_after_the_end(api: Api, dataset: dict[str, Any]) -> None:
    jid = submit(api, dataset).json()["id"]
    api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w"}, headers=api.trainer)
    api.client.post(f"/api/internal/jobs/{jid}/logs", json={"worker": "w", "lines": lines(0, 30)}, headers=api.trainer)
    api.client.post(f"/api/internal/jobs/{jid}/finish", json={"worker": "w", "state": "failed", "error": "boom"},
                    headers=api.trainer)
    for offset in (0, 17, 29, 30):
        with api.client.websocket_connect(f"/ws/train/{jid}") as ws:
            ws.send_json({"type": "follow", "token": api.tokens["viewer"], "offset": offset})
            frames = []
            while True:
                f = ws.receive_json()
                frames.append(f)
                if f["type"] == "end":
                    break
        assert frames[0]["type"] == "status" and frames[0]["state"] == "failed"
        assert [ln["seq"] for f in frames if f["type"] == "logs" for ln in f["lines"]] == list(range(offset, 30))
        assert frames[-1]["state"] == "failed"
    job = api.client.get(f"/api/train/{jid}", headers=api.headers("viewer")).json()
    assert job["state"] == "failed" and job["error"] == "boom"


@pytest.mark.parametrize(
    ("first", "code"),
    [({"type": "follow", "token": "bad", "offset": 0}, 4401), ({"type": "hello"}, 4400),
     ({"type": "follow", "token": "x", "offset": -1}, 4400)],
)
def test_ws_refusals(api: Api, dataset: dict[str, Any], first: dict[str, Any], code: int) -> None:
    jid = submit(api, dataset).json()["id"]
    with api.client.websocket_connect(f"/ws/train/{jid}") as ws:
        ws.send_json(first)
        with pytest.raises(WebSocketDisconnect) as exc:
            ws.receive_json()
    assert exc.value.code == code


def test_ws_unknown_job(api: Api) -> None:
    with api.client.websocket_connect("/ws/train/4242") as ws:
        ws.send_json({"type": "follow", "token": api.tokens["viewer"], "offset": 0})
        with pytest.raises(WebSocketDisconnect) as exc:
            ws.receive_json()
    assert exc.value.code == 4404


def test_cancel_queued_and_running(api: Api, dataset: dict[str, Any]) -> None:
    queued = submit(api, dataset).json()["id"]
    r = api.client.post(f"/api/train/{queued}/cancel", headers=api.headers("researcher"))
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    # a worker that receives the message later cannot claim it
    assert api.client.post(f"/api/internal/jobs/{queued}/claim", json={"worker": "w"},
                           headers=api.trainer).status_code == 409

    running = submit(api, dataset).json()["id"]
    api.client.post(f"/api/internal/jobs/{running}/claim", json={"worker": "w"}, headers=api.trainer)
    assert api.client.post(f"/api/train/{running}/cancel", headers=api.headers("researcher2")).status_code == 403
    assert api.client.post(f"/api/train/{running}/cancel", headers=api.headers("viewer")).status_code == 403
    r = api.client.post(f"/api/train/{running}/cancel", headers=api.headers("researcher"))
    assert r.json()["state"] == "running" and r.json()["cancel_requested"] is True
    beat = api.client.post(f"/api/internal/jobs/{running}/heartbeat", json={"worker": "w"}, headers=api.trainer)
    assert beat.json()["cancel_requested"] is True
    fin = api.client.post(f"/api/internal/jobs/{running}/finish", headers=api.trainer,
                          json={"worker": "w", "state": "failed", "error": "killed"})
    assert fin.json()["state"] == "cancelled"


def test_reaper_requeues_lost_jobs_until_attempts_run_out(api: Api, dataset: dict[str, Any]) -> None:
    from platform_api.jobs.reaper import reap_lost

    jid = submit(api, dataset, max_attempts=2).json()["id"]
    api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "ghost"}, headers=api.trainer)
    api.client.post(f"/api/internal/jobs/{jid}/logs", json={"worker": "ghost", "lines": lines(0, 3)},
                    headers=api.trainer)
    assert reap_lost(api.settings) == []  # the heartbeat is fresh
    api.settings.server.job_lease_s = 0.0
    assert reap_lost(api.settings) == [jid]
    job = api.client.get(f"/api/train/{jid}", headers=api.headers("viewer")).json()
    assert job["state"] == "queued" and job["worker"] is None and "ghost" in job["error"]
    # the lost worker is told to stop; it can no longer finish or log as the owner
    beat = api.client.post(f"/api/internal/jobs/{jid}/heartbeat", json={"worker": "ghost"}, headers=api.trainer)
    assert beat.json() == {"state": "queued", "cancel_requested": True}
    assert api.client.post(f"/api/internal/jobs/{jid}/finish", json={"worker": "ghost", "state": "succeeded"},
                           headers=api.trainer).status_code == 409
    # the second attempt continues the log after the platform's note
    spec = api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w2"}, headers=api.trainer).json()
    assert spec["attempt"] == 2 and spec["log_offset"] == 4
    page = api.client.get(f"/api/train/{jid}/logs", headers=api.headers("viewer")).json()
    assert "attempt 1 lost" in page["lines"][-1]["line"]
    assert reap_lost(api.settings) == [jid]
    job = api.client.get(f"/api/train/{jid}", headers=api.headers("viewer")).json()
    assert job["state"] == "failed" and "no attempts left" in job["error"] and job["attempt"] == 2


def test_probe_jobs(api: Api) -> None:
    r = api.client.post("/api/train", headers=api.headers("researcher"),
                        json={"kind": "probe", "probe": {"lines": 5, "rate": 100}, "priority": 9})
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["kind"] == "probe" and job["dataset_id"] is None and job["priority"] == 9
    spec = api.client.post(f"/api/internal/jobs/{job['id']}/claim", json={"worker": "w"}, headers=api.trainer)
    assert spec.json()["payload"] == {"kind": "probe", "lines": 5, "rate": 100.0, "exit_code": 0}
    assert spec.json()["tracking_token"] == ""  # no MLflow for probes
    bad = api.client.post("/api/train", headers=api.headers("researcher"),
                          json={"kind": "probe", "dataset_id": 1})
    assert bad.status_code == 422


def test_one_flush_ships_every_pending_line(api: Api, tmp_path: Path) -> None:
    """A job that prints faster than a batch per tick: the shipper's flush sends all that is pending (it once sent one
    batch a call, so a fast job's last lines never reached the API: the dashboard bench's 100,000-line job ended with
    97,230)."""
    from fastapi.testclient import TestClient

    from qlp_core.protocol import MAX_BATCH
    from trainers.api_client import TrainerAPI
    from trainers.executor import LogShipper

    job = api.client.post("/api/train", headers=api.headers("researcher"), json={"kind": "probe"}).json()
    assert api.client.post(f"/api/internal/jobs/{job['id']}/claim", json={"worker": "w"},
                           headers=api.trainer).status_code == 200
    trainer = TrainerAPI("http://testserver", "unused")
    trainer.client.close()
    trainer.client = TestClient(api.client.app, base_url="http://testserver", headers=api.trainer)
    shipper = LogShipper(trainer, job["id"], "w", 0, tmp_path / "job.log")
    total = 2 * MAX_BATCH + 123
    for i in range(total):
        shipper.add(f"line {i}")
    shipper.flush()
    shipper.close()
    assert shipper.pending == []
    got = api.client.get(f"/api/train/{job['id']}", headers=api.headers("viewer")).json()
    assert got["log_count"] == total
    page = api.client.get(f"/api/train/{job['id']}/logs", params={"offset": total - 1},
                          headers=api.headers("viewer")).json()
    assert [line["line"] for line in page["lines"]] == [f"line {total - 1}"]
    assert (tmp_path / "job.log").read_text().count("\n") == total


def test_stored_config_and_overrides(api: Api, dataset: dict[str, Any]) -> None:
    r = api.client.post("/api/configs", headers=api.headers("researcher"), json={"name": "demo", "text": DEMO})
    assert r.status_code == 201
    cfg = r.json()
    assert api.client.post("/api/configs", headers=api.headers("researcher"),
                           json={"name": "evil", "text": DEMO.replace("qlib.contrib.model.gbdt", "subprocess")}
                           ).status_code == 422
    job = api.client.post("/api/train", headers=api.headers("researcher"), json={
        "config_id": cfg["id"], "dataset_id": dataset["id"],
        "overrides": {"task.model.kwargs.learning_rate": 0.05}}).json()
    detail = api.client.get(f"/api/train/{job['id']}", headers=api.headers("viewer")).json()
    assert detail["config_id"] == cfg["id"] and detail["overrides"] == {"task.model.kwargs.learning_rate": 0.05}
    bad = api.client.post("/api/train", headers=api.headers("researcher"), json={
        "config_id": cfg["id"], "dataset_id": dataset["id"], "overrides": {"task.model.module_path": "os"}})
    assert bad.status_code == 422


def test_status_reports_dependencies(api: Api) -> None:
    body = api.client.get("/status", headers=api.headers("viewer")).json()
    assert body["dependencies"]["database"]["ok"] is True
    assert body["dependencies"]["broker"]["ok"] is True  # the filesystem transport needs no server
    assert body["dependencies"]["mlflow"]["ok"] is False  # nothing listens in this test
    assert set(body["host"]) >= {"cpu_percent", "memory", "disk"}
    assert body["jobs"]["queued"] == 0
    assert api.settings.auth.secret_key is not None
    assert api.settings.auth.secret_key.get_secret_value() not in str(body)


def test_logs_survive_an_api_restart(api: Api, dataset: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from platform_api.app import create_app

    jid = submit(api, dataset).json()["id"]
    api.client.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w"}, headers=api.trainer)
    api.client.post(f"/api/internal/jobs/{jid}/logs", json={"worker": "w", "lines": lines(0, 25)}, headers=api.trainer)
    with TestClient(create_app(api.settings)) as fresh:  # a second API process on the same database
        page = fresh.get(f"/api/train/{jid}/logs", params={"offset": 10}, headers=api.headers("viewer")).json()
    assert [ln["seq"] for ln in page["lines"]] == list(range(10, 25)) and page["state"] == "running"


def test_docs_are_closed_outside_embedded_mode(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from platform_api.app import create_app
    from tests.helpers import make_settings

    settings = make_settings(tmp_path, mode="distributed",
                             auth={"secret_key": "s" * 40, "trainer_token": "t" * 40})
    with TestClient(create_app(settings)) as c:
        assert c.get("/openapi.json").status_code == 404
        assert c.get("/docs").status_code == 404
        assert c.get("/health").status_code == 200


def test_ws_server_pings_an_idle_follower(api: Api, dataset: dict[str, Any]) -> None:
    api.settings.server.ws_ping_interval_s = 0.3
    jid = submit(api, dataset).json()["id"]
    with api.client.websocket_connect(f"/ws/train/{jid}") as ws:
        ws.send_json({"type": "follow", "token": api.tokens["viewer"], "offset": 0})
        assert ws.receive_json()["type"] == "status"
        frames = [ws.receive_json() for _ in range(2)]  # nothing happens to the job: only pings arrive
    assert [f["type"] for f in frames] == ["ping", "ping"]


def test_a_worker_on_another_host_fetches_a_dataset_version_once(api: Api, dataset: dict[str, Any],
                                                                  tmp_path: Path) -> None:
    """No shared disk: the worker assembles the version from the store's packs (through the API's store route: this
    API's store is a folder), checks its content hash and keeps it read-only in its scratch folder; a second job on
    that host uses the copy."""
    from pydantic import ValidationError

    from qlp_core.protocol import DatasetRef
    from qlp_core.qlib_data import content_hash
    from trainers.api_client import TrainerAPI
    from trainers.datasets import DatasetFetchError, local_copy

    url = f"/api/internal/datasets/{dataset['id']}/locations"
    assert api.client.get(url).status_code == 401
    assert api.client.get(url, headers=api.headers("admin")).status_code == 401  # users never get the locations
    assert api.client.get("/api/internal/datasets/999/locations", headers=api.trainer).status_code == 404

    trainer = TrainerAPI("http://testserver", "unused")
    trainer.client = api.client  # the in-process API, with the trainer token below
    api.client.headers.update(api.trainer)
    ref = DatasetRef(id=dataset["id"], name="tiny", version=dataset["version"], path="/nowhere",
                     hash=dataset["content_hash"])
    cache = tmp_path / "scratch" / "datasets"
    path, note = local_copy(trainer, ref, cache)
    assert path == cache / dataset["content_hash"] and content_hash(path) == dataset["content_hash"]
    assert note is not None and note.startswith("fetched dataset tiny@v1 from the store: 1 packs (0 already")
    cal = path / "calendars" / "day.txt"
    assert cal.read_text().startswith("20") and cal.stat().st_mode & 0o777 == 0o444  # read-only, as hashed
    again, note2 = local_copy(trainer, ref, cache)
    assert again == path and note2 is None
    # what arrives must match the recorded hash: nothing is kept otherwise
    bad = ref.model_copy(update={"hash": "0" * 64})
    with pytest.raises(DatasetFetchError, match="is not the version"):
        local_copy(trainer, bad, cache)
    assert not (cache / bad.hash).exists() and [p.name for p in cache.iterdir() if p.is_dir()] == [path.name]
    with pytest.raises(ValidationError, match="hash"):  # a hash that is a path never reaches the cache
        DatasetRef(id=1, name="x", version=1, path="/x", hash="../../etc")
