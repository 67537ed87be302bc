"""The door's policy without servers: which endpoints pass and with what role, and the inputs it refuses."""

from __future__ import annotations

import pytest

from platform_api.auth.web import safe_next
from platform_api.door import policy
from tests.conftest import Api


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", "", "viewer"),
        ("GET", "static-files/static/js/main.js", "viewer"),
        ("POST", "ajax-api/2.0/mlflow/runs/search", "viewer"),
        ("GET", "api/2.0/mlflow/runs/get", "viewer"),
        ("POST", "api/2.0/mlflow/runs/log-batch", "researcher"),
        ("POST", "api/2.0/mlflow/model-versions/create", "researcher"),
        ("POST", "api/2.0/mlflow/runs/delete", "admin"),
        ("DELETE", "api/2.0/mlflow/registered-models/delete-tag", "admin"),
        ("PUT", "api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a.bin", "researcher"),
    ],
)
def test_allowed_endpoints_and_roles(method: str, path: str, role: str) -> None:
    rule = policy.match(method, path)
    assert rule is not None and rule.role == role


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "api/2.0/mlflow/registered-models/alias"),
        ("POST", "ajax-api/2.0/mlflow/registered-models/alias"),
        ("DELETE", "api/2.0/mlflow/registered-models/alias"),
        ("POST", "api/2.0/mlflow/model-versions/transition-stage"),
        ("POST", "ajax-api/2.0/mlflow/registered-models/rename"),
        ("DELETE", "api/2.0/mlflow/registered-models/delete"),
        ("DELETE", "api/2.0/mlflow/model-versions/delete"),
    ],
)
def test_registry_changes_the_gate_guards_are_refused_for_everyone(method: str, path: str) -> None:
    rule = policy.match(method, path)
    assert rule is not None and rule.refused is not None and "/api/models" in rule.refused


def test_other_registry_writes_pass() -> None:
    for method, path in (("POST", "api/2.0/mlflow/model-versions/create"),
                         ("PATCH", "api/2.0/mlflow/model-versions/update"),
                         ("POST", "api/2.0/mlflow/registered-models/create"),
                         ("DELETE", "api/2.0/mlflow/model-versions/delete-tag"),
                         ("GET", "api/2.0/mlflow/registered-models/alias")):
        rule = policy.match(method, path)
        assert rule is not None and rule.refused is None, (method, path)


def test_the_door_refuses_alias_writes_even_to_an_admin(api: Api) -> None:
    # no MLflow server listens here: the refusal is the door's own, after authentication
    body = {"name": "m", "alias": "champion", "version": "1"}
    assert api.client.post("/mlflow/api/2.0/mlflow/registered-models/alias", json=body).status_code == 401
    for role in ("admin", "researcher", "viewer"):
        r = api.client.post("/mlflow/api/2.0/mlflow/registered-models/alias", json=body, headers=api.headers(role))
        assert r.status_code == 403 and "/api/models" in r.json()["detail"], (role, r.text)
    r = api.client.request("DELETE", "/mlflow/ajax-api/2.0/mlflow/registered-models/alias",
                           json={"name": "m", "alias": "champion"}, headers=api.headers("admin"))
    assert r.status_code == 403 and "/api/models" in r.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "ajax-api/3.0/jobs/search"),
        ("GET", "ajax-api/3.0/mlflow/assistant/config"),
        ("POST", "api/2.0/mlflow/webhooks"),
        ("POST", "gateway/chat/invocations"),
        ("GET", "api/2.0/mlflow/experiments/delete"),  # right path, wrong method
        ("GET", "api/2.0/mlflow/runs/get/extra"),
        ("POST", "api/2.0/mlflow-artifacts/mpu/create"),
        ("GET", "api/2.0/mlflow-artifacts/presigned/1/x"),
    ],
)
def test_everything_else_is_refused(method: str, path: str) -> None:
    assert policy.match(method, path) is None


@pytest.mark.parametrize("raw", ["/mlflow/a/../b", "/mlflow/a/%2e%2e/b", "/mlflow/a/%252e%252e/b", "/mlflow/a;/b",
                                 "/mlflow/a\\b", "/mlflow/a/%2F", "/mlflow/a%00"])
def test_path_problems(raw: str) -> None:
    assert policy.path_problem(raw)


def test_clean_paths_pass() -> None:
    assert policy.path_problem("/mlflow/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model/weights.bin") is None


@pytest.mark.parametrize("source", ["/etc/passwd", "file:///etc/passwd", ":///x", "s3://b/x", "runs:/x/../..",
                                    "http://169.254.169.254/", "", None, 42])
def test_bad_sources(source: object) -> None:
    assert policy.source_problem(source)


def test_good_sources() -> None:
    assert policy.source_problem("runs:/" + "a" * 32 + "/model") is None
    assert policy.source_problem("models:/demo@champion") is None
    assert policy.source_problem("mlflow-artifacts:/1/abc/artifacts/model") is None


def test_graphql_bounds() -> None:
    assert policy.graphql_problem({"query": "query GetRun { mlflowGetRun { run { info { runId } } } }"}) is None
    assert policy.graphql_problem([{"query": "{ a }"}])
    assert policy.graphql_problem({"query": "mutation { x }"})
    assert policy.graphql_problem({"query": "{" * 20 + "}" * 20})
    assert policy.graphql_problem({"query": "x" * 30_000})


@pytest.mark.parametrize(("given", "expected"), [
    ("/mlflow/#/experiments/1", "/mlflow/#/experiments/1"), ("//evil.com/x", "/mlflow/"),
    ("https://evil.com", "/mlflow/"), ("/\\evil.com", "/mlflow/"), (None, "/mlflow/"),
    ("javascript:alert(1)", "/mlflow/"),
])
def test_login_redirect_stays_local(given: str | None, expected: str) -> None:
    assert safe_next(given) == expected


def test_login_page_sets_a_strict_cookie(api: Api) -> None:
    page = api.client.get("/login?next=/mlflow/")
    assert page.status_code == 200 and 'name="password"' in page.text
    bad = api.client.post("/login", data={"username": "viewer", "password": "wrong", "next": "/mlflow/"},
                          follow_redirects=False)
    assert bad.status_code == 401 and "qlp_session" not in bad.headers.get("set-cookie", "")
    ok = api.client.post("/login", data={"username": "viewer", "password": "correct horse battery staple",
                                         "next": "https://evil.com/"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/mlflow/"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    cross = api.client.post("/login", data={"username": "viewer", "password": "x"},
                            headers={"Origin": "https://evil.com"}, follow_redirects=False)
    assert cross.status_code == 403


def test_session_cookie_is_not_an_api_token(api: Api) -> None:
    ok = api.client.post("/login", data={"username": "viewer", "password": "correct horse battery staple"},
                         follow_redirects=False)
    session_token = ok.cookies.get("qlp_session") or ok.headers["set-cookie"].split("=", 1)[1].split(";")[0]
    r = api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {session_token}"})
    assert r.status_code == 401  # typ=session is only good at the door


def test_api_tokens_lifecycle(api: Api) -> None:
    h = api.headers("researcher")
    r = api.client.post("/api/auth/tokens", json={"name": "ci", "scope": "read", "areas": ["api"]}, headers=h)
    assert r.status_code == 201
    created = r.json()
    token = created["token"]
    assert token.startswith("qlp_") and created["scope"] == "read"
    listed = api.client.get("/api/auth/tokens", headers=h).json()
    assert [t["id"] for t in listed] == [created["id"]] and "token" not in listed[0]
    th = {"Authorization": f"Bearer {token}"}
    assert listed[0]["last_used_at"] is None
    assert api.client.get("/api/auth/me", headers=th).json()["username"] == "researcher"
    used = api.client.get("/api/auth/tokens", headers=h).json()[0]["last_used_at"]
    assert used is not None  # recorded in its own write after the GET's reading session
    # a read-scoped token of a researcher acts as a viewer
    assert api.client.post("/api/train", json={"config_text": "task: {}", "dataset_id": 1},
                           headers=th).status_code == 403
    assert api.client.post("/api/auth/tokens", json={"name": "x"}, headers=th).status_code == 403
    assert api.client.post("/api/auth/tokens", json={"name": "x", "scope": "admin"}, headers=h).status_code == 403
    # someone else cannot revoke it; its owner can
    assert api.client.delete(f"/api/auth/tokens/{created['id']}",
                             headers=api.headers("researcher2")).status_code == 404
    assert api.client.delete(f"/api/auth/tokens/{created['id']}", headers=h).json()["revoked"] is True
    assert api.client.get("/api/auth/me", headers=th).status_code == 401


def test_door_refuses_before_reaching_mlflow(api: Api) -> None:
    # no MLflow server listens in this test: refusals must come from the door itself
    h = api.headers("admin")
    assert api.client.get("/mlflow/ajax-api/3.0/jobs/1", headers=h).status_code == 404
    assert api.client.get("/mlflow/api/2.0/mlflow/runs/get").status_code == 401
    assert api.client.post("/mlflow/api/2.0/mlflow/runs/create", json={},
                           headers=api.headers("viewer")).status_code == 403
    r = api.client.get("/mlflow/api/2.0/mlflow/runs/get", headers=h)
    assert r.status_code == 502 and r.json()["status"] == 502
    me = api.client.get("/mlflow/ajax-api/2.0/mlflow/users/current", headers=api.headers("viewer")).json()
    assert me["user"]["username"] == "viewer" and me["user"]["is_admin"] is False
