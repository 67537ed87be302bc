"""The MLflow door on the production shape: MLflow on the real MariaDB with artifacts on a real S3 server
(SeaweedFS) on loopback, the API in front. Everything goes through the door with tokens or a browser session."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import sqlalchemy as sa
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from tests.helpers import ROOT, RunningPlatform, mariadb_database, platform_env
from tests.services import S3, s3_server

pytestmark = [pytest.mark.e2e, pytest.mark.mariadb]
DEMO_YAML = ROOT / "trainers" / "configs" / "demo_lgb_alpha158.yaml"
BROWSER = ROOT / "tests" / "browser"


@dataclass
class Stack:
    platform: RunningPlatform
    s3: S3
    mlflow_db: str
    admin_token: str = ""

    @property
    def door(self) -> str:
        return self.platform.url + "/mlflow"

    def token(self, role_user: str = "admin", **body: Any) -> str:
        """An API token of ``role_user`` (created with the platform admin's access token)."""
        headers = {"Authorization": f"Bearer {self.user_jwt(role_user)}"}
        r = httpx.post(self.platform.url + "/api/auth/tokens", json={"name": "t", **body}, headers=headers)
        assert r.status_code == 201, r.text
        return str(r.json()["token"])

    def user_jwt(self, name: str) -> str:
        pw = self.platform.password if name == "admin" else "a-long-test-password-" + name
        r = httpx.post(self.platform.url + "/api/auth/login", json={"username": name, "password": pw})
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("door")
    with s3_server(root / "s3") as s3, mariadb_database() as platform_db, mariadb_database() as mlflow_db:
        home = root / "home"
        env = platform_env(
            home,
            QLP_DB__URL=platform_db,
            QLP_MLFLOW__BACKEND_STORE_URI=mlflow_db,
            QLP_MLFLOW__ARTIFACTS_DESTINATION=f"s3://{s3.bucket}/artifacts",
            QLP_MLFLOW__S3_ENDPOINT_URL=s3.endpoint,
            QLP_MLFLOW__S3_ACCESS_KEY_ID=s3.access_key,
        )
        (root / "s3secret").write_text(s3.secret_key)
        env["QLP_MLFLOW__S3_SECRET_ACCESS_KEY_FILE"] = str(root / "s3secret")
        p = RunningPlatform(home, env, root / "up.log")
        p.start(timeout=240)
        stack = Stack(p, s3, mlflow_db)
        admin = {"Authorization": f"Bearer {p.token}"}
        for name, role in (("viewer", "viewer"), ("researcher", "researcher")):
            r = httpx.post(p.url + "/api/auth/users", headers=admin,
                           json={"username": name, "password": "a-long-test-password-" + name, "role": role})
            assert r.status_code == 201, r.text
        try:
            yield stack
        finally:
            p.stop()


def _client(monkeypatch: pytest.MonkeyPatch, stack: Stack, token: str) -> MlflowClient:
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", token)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    return MlflowClient(stack.door)


def _files_over(folder: Path, size: int) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.stat().st_size >= size]


def test_plain_mlflow_client_through_the_door(stack: Stack, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    c = _client(monkeypatch, stack, stack.token("researcher", scope="write", areas=["mlflow"]))
    assert stack.platform.proc is not None
    api_proc = psutil.Process(stack.platform.proc.pid)
    rss_before = api_proc.memory_info().rss

    exp_id = c.create_experiment(f"door-{time.time_ns()}")
    run = c.create_run(exp_id, tags={"team": "alpha"})
    rid = run.info.run_id
    now = int(time.time() * 1000)
    c.log_batch(rid, metrics=[Metric("loss", 1.0 / (i + 1), now, i) for i in range(1000)],
                params=[Param("lr", "0.05"), Param("leaves", "64")], tags=[RunTag("stage", "test")])
    big = tmp_path / "weights.bin"
    with big.open("wb") as fh:
        for _ in range(50):
            fh.write(os.urandom(1024 * 1024))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    c.log_artifact(rid, str(big), "model")
    c.set_terminated(rid)

    name = f"door-model-{time.time_ns()}"
    c.create_registered_model(name)
    mv = c.create_model_version(name, f"runs:/{rid}/model", rid)
    # aliases are the gate's: the door refuses them for every role and names the platform's registry
    with pytest.raises(MlflowException, match="/api/models"):
        c.set_registered_model_alias(name, "champion", mv.version)

    # read it all back
    got = c.get_run(rid)
    assert got.data.params == {"lr": "0.05", "leaves": "64"}
    assert got.data.tags["stage"] == "test" and got.info.status == "FINISHED"
    assert len(c.get_metric_history(rid, "loss")) == 1000
    assert c.get_model_version(name, mv.version).run_id == rid
    local = Path(c.download_artifacts(rid, "model/weights.bin", str(tmp_path / "dl")))
    assert hashlib.sha256(local.read_bytes()).hexdigest() == digest

    # the bytes are in the bucket, not on the API's disk, and the API did not hold them in memory
    sizes = stack.s3.objects("artifacts/")
    assert any(k.endswith(f"{rid}/artifacts/model/weights.bin") and v == 50 * 1024 * 1024 for k, v in sizes.items())
    assert _files_over(stack.platform.home, 40 * 1024 * 1024) == []
    assert api_proc.memory_info().rss - rss_before < 100 * 1024 * 1024
    # MLflow's own store is on MariaDB
    engine = sa.create_engine(stack.mlflow_db)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM runs WHERE run_uuid=:r"), {"r": rid}).scalar_one() == 1
    engine.dispose()


def test_qlib_job_logs_through_the_door(stack: Stack) -> None:
    p = stack.platform
    ds = p.generate_dataset("door", n_instruments=20, years=3)
    with p.client() as c:
        job = c.post("/api/train", json={"config_text": DEMO_YAML.read_text(), "dataset_id": ds["id"],
                                         "experiment_name": "door-jobs"}).json()
    done = p.wait_job(job["id"])
    assert done["state"] == "succeeded", done["error"]
    assert done["mlflow_url"].startswith(p.url + "/mlflow/#/experiments/")
    rid = done["mlflow_run_id"]
    keys = stack.s3.objects("artifacts/")
    assert any(k.endswith(f"{rid}/artifacts/exports/pred.parquet") for k in keys)
    assert any(k.endswith(f"{rid}/artifacts/logs/job.log") for k in keys)
    log = p.log.read_text()
    assert "POST /mlflow/api/2.0/mlflow/runs/log-batch" in log  # the trainer went through the door
    # the job's own MLflow token ended with the job
    engine = sa.create_engine(p.env["QLP_DB__URL"])
    with engine.connect() as conn:
        revoked = conn.execute(sa.text("SELECT revoked FROM api_tokens WHERE job_id=:j"), {"j": job["id"]}).one()
    engine.dispose()
    assert revoked[0]


def test_ui_after_login_in_chromium(stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    c = _client(monkeypatch, stack, stack.token("admin"))
    name = f"ui-check-{time.time_ns()}"
    exp = c.create_experiment(name)
    run = c.create_run(exp)
    c.log_batch(run.info.run_id, metrics=[Metric("Rank IC", 0.0576, int(time.time() * 1000), 0)])
    c.set_terminated(run.info.run_id)
    shot = tmp_path / "mlflow-ui.png"
    result = subprocess.run(
        ["node", str(BROWSER / "mlflow_ui.mjs"), stack.platform.url, "viewer", "a-long-test-password-viewer",
         str(shot), name, f"#/experiments/{exp}/runs/{run.info.run_id}", "Rank IC"],
        capture_output=True, text=True, timeout=240, cwd=BROWSER,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0, report
    # without a session the UI is not served: the browser lands on the login page
    assert report["before_login_url"].startswith(stack.platform.url + "/login")
    assert report["after_login_url"].startswith(stack.platform.url + "/mlflow/")
    assert report["ui_loaded"] and name in report["experiments_text"]
    assert "0.0576" in report["run_page_text"]
    assert report["api_calls_ok"] > 0
    # the only refusals are the assistant's endpoints, which the door does not expose
    assert all("/assistant/" in call for call in report["api_calls_failed"]), report["api_calls_failed"]
    assert shot.stat().st_size > 10_000
    # and plain requests without the cookie are refused
    assert httpx.get(stack.door + "/", headers={"Accept": "text/html"}).status_code == 303
    assert httpx.get(stack.door + "/ajax-api/2.0/mlflow/experiments/search").status_code == 401


def test_tokens_expired_revoked_and_viewer(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    door = stack.door
    viewer = stack.token("viewer", scope="read")
    r = httpx.get(f"{door}/api/2.0/mlflow/experiments/search", params={"max_results": 5},
                  headers={"Authorization": f"Bearer {viewer}"})
    assert r.status_code == 200
    assert httpx.post(f"{door}/api/2.0/mlflow/experiments/create", json={"name": "nope"},
                      headers={"Authorization": f"Bearer {viewer}"}).status_code == 403
    # revoked
    admin = {"Authorization": f"Bearer {stack.user_jwt('admin')}"}
    tok = stack.token("admin", scope="write")
    tid = next(t["id"] for t in httpx.get(stack.platform.url + "/api/auth/tokens", headers=admin).json()
               if tok.startswith(t["prefix"]))
    assert httpx.delete(f"{stack.platform.url}/api/auth/tokens/{tid}", headers=admin).status_code == 200
    r = httpx.get(f"{door}/api/2.0/mlflow/experiments/search", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 401
    # expired
    tok2 = stack.token("admin", scope="read", expires_in_days=1)
    engine = sa.create_engine(stack.platform.env["QLP_DB__URL"])
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE api_tokens SET expires_at=:t WHERE prefix=:p"),
                     {"t": "2020-01-01 00:00:00", "p": tok2[:10]})
    engine.dispose()
    assert httpx.get(f"{door}/api/2.0/mlflow/experiments/search",
                     headers={"Authorization": f"Bearer {tok2}"}).status_code == 401
    # a token made for the API only does not open MLflow, and a read token cannot write
    api_only = stack.token("admin", areas=["api"])
    assert httpx.get(f"{door}/api/2.0/mlflow/experiments/search",
                     headers={"Authorization": f"Bearer {api_only}"}).status_code == 403
    read_only = stack.token("admin", scope="read")
    assert httpx.post(f"{door}/api/2.0/mlflow/experiments/create", json={"name": "x"},
                      headers={"Authorization": f"Bearer {read_only}"}).status_code == 403
    # a researcher cannot mint an admin token
    r = httpx.post(stack.platform.url + "/api/auth/tokens", json={"name": "up", "scope": "admin"},
                   headers={"Authorization": f"Bearer {stack.user_jwt('researcher')}"})
    assert r.status_code == 403


# ----- bad inputs (../shared/security-inputs.md: "Paths and URIs", "Requests and network") -------------------
def raw_request(base: str, method: str, raw_path: str, headers: dict[str, str], body: bytes = b"") -> int:
    """Send a request line exactly as given (no client-side normalisation of '..' or encodings)."""
    import http.client

    url = httpx.URL(base)
    conn = http.client.HTTPConnection(url.host, url.port, timeout=30)
    try:
        conn.putrequest(method, raw_path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", headers.pop("Host", f"{url.host}:{url.port}"))
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders(body or None)
        return conn.getresponse().status
    finally:
        conn.close()


def _state(c: MlflowClient, rid: str) -> tuple[int, int, list[str]]:
    exps = len(c.search_experiments(max_results=1000))
    models = len(c.search_registered_models(max_results=1000))
    arts = sorted(f.path for f in c.list_artifacts(rid))
    return exps, models, arts


def test_bad_inputs_get_4xx_and_change_nothing(stack: Stack, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    tok = stack.token("admin")
    c = _client(monkeypatch, stack, tok)
    exp = c.create_experiment(f"canary-{time.time_ns()}")
    run = c.create_run(exp)
    rid = run.info.run_id
    (tmp_path / "a.txt").write_text("canary")
    c.log_artifact(rid, str(tmp_path / "a.txt"))
    name = f"canary-model-{time.time_ns()}"
    c.create_registered_model(name)
    before = _state(c, rid)
    auth = {"Authorization": f"Bearer {tok}", "Content-Type": "application/json"}
    base = stack.platform.url
    art = f"/mlflow/api/2.0/mlflow-artifacts/artifacts/{exp}/{rid}/artifacts"
    bad_paths = [
        ("GET", f"{art}/../../../../etc/passwd"),
        ("GET", f"{art}/..\\..\\etc\\passwd"),
        ("GET", f"{art}/%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        ("GET", f"{art}/%252e%252e%252f%252e%252e%252fetc%252fpasswd"),
        ("GET", "/mlflow/api/2.0/mlflow-artifacts/artifacts;/../../etc/passwd"),
        ("PUT", f"{art}/../../escape.txt"),
        ("PUT", f"{art}/%2e%2e/%2e%2e/escape.txt"),
        ("GET", f"/mlflow/ajax-api/2.0/mlflow/artifacts/list?run_id={rid}&path=../../.."),
        ("GET", f"/mlflow/ajax-api/2.0/mlflow/artifacts/list?run_id={rid}&path=%2e%2e%2f%2e%2e"),
        ("GET", f"/mlflow/ajax-api/2.0/mlflow/artifacts/list?run_id={rid}&path=%252e%252e%252f"),
        ("GET", f"/mlflow/get-artifact?run_id={rid}&path=../../../../etc/passwd"),
        ("GET", f"/mlflow/get-artifact?run_id={rid}&path=/etc/passwd"),
        ("GET", "/mlflow/api/2.0/mlflow-artifacts/artifacts?path=../../etc"),
    ]
    for method, path in bad_paths:
        status = raw_request(base, method, path, dict(auth), b"x" if method == "PUT" else b"")
        assert 400 <= status < 500, (method, path, status)

    def post(path: str, body: object) -> int:
        return httpx.post(base + path, content=json.dumps(body), headers=auth).status_code

    for source in ["/etc/passwd", "file:///etc/passwd", ":///etc/passwd", "//etc/passwd", "../../etc",
                   f"runs:/{rid}/../../../etc", "s3://another-bucket/model", "mlflow-artifacts:/../../etc",
                   "models:/../x", "http://169.254.169.254/latest/meta-data", ""]:
        status = post("/mlflow/api/2.0/mlflow/model-versions/create", {"name": name, "source": source,
                                                                       "run_id": rid})
        assert 400 <= status < 500, (source, status)
    for location in ["file:///tmp/evil", "/tmp/evil", "s3://another-bucket/x", "x" * 3000, "../../x"]:
        status = post("/mlflow/api/2.0/mlflow/experiments/create",
                      {"name": f"evil-{time.time_ns()}", "artifact_location": location})
        assert 400 <= status < 500, (location[:40], status)

    # requests and network
    assert raw_request(base, "GET", "/health", {"Host": "evil.example.com"}) == 400
    assert raw_request(base, "GET", "/mlflow/ajax-api/2.0/mlflow/experiments/search",
                       {**auth, "Host": "attacker.test"}) == 400
    for method, path in [("POST", "/mlflow/api/2.0/mlflow/webhooks"), ("GET", "/mlflow/api/2.0/mlflow/webhooks"),
                         ("POST", "/mlflow/ajax-api/3.0/jobs/search"), ("GET", "/mlflow/ajax-api/3.0/jobs/1"),
                         ("GET", "/mlflow/ajax-api/3.0/mlflow/assistant/config"),
                         ("POST", "/mlflow/gateway/chat/invocations"), ("GET", "/mlflow/ajax-api/2.0/mlflow/gateway"),
                         ("GET", "/mlflow/ajax-api/3.0/mlflow/workspaces"), ("POST", "/mlflow/mcp"),
                         ("GET", "/mlflow/server-admin"), ("DELETE", "/mlflow/api/2.0/mlflow/experiments/delete")]:
        r = httpx.request(method, base + path, headers=auth, content=b"{}")
        assert r.status_code in (400, 404, 405), (method, path, r.status_code)
    gql = "/mlflow/graphql"
    assert post(gql, [{"query": "{ __typename }"}] * 50) == 400  # batched
    assert post(gql, {"query": "mutation { x }"}) == 400
    assert post(gql, {"query": "{" * 40 + "}" * 40}) == 400  # deeply nested
    assert post(gql, {"query": "{ __typename }"}) == 200  # one bounded read passes
    huge = b'{"name": "' + b"a" * (17 * 1024 * 1024) + b'"}'
    r = httpx.post(base + "/mlflow/api/2.0/mlflow/experiments/create", content=huge, headers=auth)
    assert r.status_code == 413
    status = raw_request(base, "PUT", f"{art}/huge.bin",
                         {**auth, "Content-Type": "application/octet-stream", "Content-Length": str(6 * 1024**3)})
    assert status == 413
    # endless WebSocket frames are cut off by the frame-size limit
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    with connect(base.replace("http://", "ws://") + "/ws/train/1", max_size=None) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.send("x" * (1024 * 1024))
            ws.recv(timeout=10)
    assert closed.value.rcvd is None or closed.value.rcvd.code == 1009

    assert _state(c, rid) == before


# Representative calls for every non-read rule of the door's policy; the test below fails when a rule is added
# without one, so a viewer's 403 is checked on every write endpoint.
WRITE_SAMPLES = [
    ("POST", "api/2.0/mlflow/experiments/create"), ("POST", "api/2.0/mlflow/experiments/update"),
    ("POST", "ajax-api/2.0/mlflow/experiments/set-experiment-tag"), ("POST", "api/2.0/mlflow/experiments/delete"),
    ("POST", "api/2.0/mlflow/experiments/restore"), ("POST", "api/2.0/mlflow/experiments/delete-tag"),
    ("POST", "api/2.0/mlflow/runs/create"), ("POST", "api/2.0/mlflow/runs/update"),
    ("POST", "api/2.0/mlflow/runs/log-metric"), ("POST", "api/2.0/mlflow/runs/log-parameter"),
    ("POST", "api/2.0/mlflow/runs/log-batch"), ("POST", "api/2.0/mlflow/runs/log-model"),
    ("POST", "api/2.0/mlflow/runs/log-inputs"), ("POST", "api/2.0/mlflow/runs/log-outputs"),
    ("POST", "api/2.0/mlflow/runs/set-tag"), ("POST", "ajax-api/2.0/mlflow/runs/delete-tag"),
    ("POST", "api/2.0/mlflow/runs/delete"), ("POST", "api/2.0/mlflow/runs/restore"),
    ("POST", "api/2.0/mlflow/logged-models"), ("POST", "api/2.0/mlflow/logged-models/m-1/params"),
    ("PATCH", "api/2.0/mlflow/logged-models/m-1"), ("DELETE", "api/2.0/mlflow/logged-models/m-1"),
    ("POST", "api/2.0/mlflow/registered-models/create"), ("POST", "api/2.0/mlflow/registered-models/rename"),
    ("POST", "api/2.0/mlflow/registered-models/set-tag"), ("POST", "api/2.0/mlflow/registered-models/alias"),
    ("PATCH", "api/2.0/mlflow/registered-models/update"), ("POST", "api/2.0/mlflow/model-versions/create"),
    ("POST", "api/2.0/mlflow/model-versions/set-tag"), ("POST", "api/2.0/mlflow/model-versions/transition-stage"),
    ("PATCH", "api/2.0/mlflow/model-versions/update"), ("DELETE", "api/2.0/mlflow/registered-models/delete"),
    ("DELETE", "api/2.0/mlflow/model-versions/delete"), ("DELETE", "api/2.0/mlflow/registered-models/alias"),
    ("DELETE", "api/2.0/mlflow/registered-models/delete-tag"), ("DELETE", "api/2.0/mlflow/model-versions/delete-tag"),
    ("PUT", "api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/x.txt"),
    ("DELETE", "api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/x.txt"),
]


def test_viewer_gets_403_on_every_write_endpoint(stack: Stack) -> None:
    from platform_api.door import policy

    for rule in policy.RULES:
        if rule.role != policy.VIEWER:
            assert any(m in rule.methods and rule.pattern.match(p) for m, p in WRITE_SAMPLES), rule.pattern.pattern
    viewer = {"Authorization": f"Bearer {stack.token('viewer', scope='read')}"}
    researcher = {"Authorization": f"Bearer {stack.token('researcher')}"}
    for method, path in WRITE_SAMPLES:
        r = httpx.request(method, f"{stack.door}/{path}", headers=viewer, content=b"{}")
        assert r.status_code == 403, (method, path, r.status_code)
        rule = policy.match(method, path)
        assert rule is not None
        if rule.role == policy.ADMIN:
            r = httpx.request(method, f"{stack.door}/{path}", headers=researcher, content=b"{}")
            assert r.status_code == 403, (method, path, r.status_code)
    # the registry's guarded changes (aliases, stage transitions, renames, deletes) are refused for the admin too
    admin = {"Authorization": f"Bearer {stack.token('admin')}"}
    refused = [(m, p) for m, p in WRITE_SAMPLES if (rule := policy.match(m, p)) is not None and rule.refused]
    assert {p.rsplit("/", 1)[-1] for _, p in refused} == {"alias", "transition-stage", "rename", "delete"}, refused
    for method, path in refused:
        r = httpx.request(method, f"{stack.door}/{path}", headers=admin, content=b"{}")
        assert r.status_code == 403 and "/api/models" in r.json()["detail"], (method, path, r.text)
