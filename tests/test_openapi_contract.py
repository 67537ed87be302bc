"""The OpenAPI contract, checked by schemathesis against a real `qlp up`: every documented operation is run with
generated requests (valid and invalid) as a viewer, a researcher and an admin. No answer is a 5xx; every answer is
documented (status code, content type, body, headers); a request the schema calls valid is not refused by schema
validation; invalid requests are refused; a viewer changes nothing; and the platform still has its admin after."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import REPORT, Api
from tests.helpers import RunningPlatform

#: Generated requests per operation, role and mode (valid / invalid data): the whole module stays within a few
#: minutes on two cores. Raise it locally for a deeper run: QLP_CONTRACT_EXAMPLES=50.
EXAMPLES = int(os.environ.get("QLP_CONTRACT_EXAMPLES", "15"))
#: Admin last: its user administration may change the other accounts (disable them, change their passwords).
ROLES = ("viewer", "researcher", "admin")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Writes a viewer may make: its own sessions and its own (read-scoped) tokens, nothing of the platform's.
SELF_SERVICE = frozenset({"auth_login", "auth_refresh", "auth_logout", "auth_create_token", "auth_revoke_token",
                          "auth_create_session", "auth_end_session"})
USER_ADMIN = frozenset({"auth_create_user", "auth_update_user"})
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    ignored_auth,
]
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases every run
    database=None,
    # failures are collected, not raised: shrinking would only repeat requests
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Identity:
    """Who the requests of one role go out as; logs in again when a case ended its session."""

    url: str
    username: str
    password: str
    token: str = ""

    def login(self) -> None:
        for _ in range(3):
            r = httpx.post(f"{self.url}/api/auth/login", json={"username": self.username, "password": self.password},
                           timeout=30)
            if r.status_code == 429:  # a generated login for this name tripped the throttle
                time.sleep(float(r.headers.get("Retry-After", "5")))
                continue
            r.raise_for_status()
            self.token = r.json()["access_token"]
            return
        raise AssertionError(f"{self.username} cannot log in again")

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Tally:
    role: str
    operations: int = 0
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)  # unique: one per operation and kind of failure

    def fail(self, operation: str, kind: str, message: str) -> None:
        self.failures.setdefault(f"{self.role} {operation}: {kind}", message)

    def summary(self) -> str:
        codes = " ".join(f"{s}×{n}" for s, n in sorted(self.statuses.items()))
        return (f"{self.role}: {self.operations} operations, {self.cases} generated cases, "
                f"{len(self.failures)} failures; statuses {codes}")


def _new_user(p: RunningPlatform, username: str, role: str) -> Identity:
    password = f"{role}-contract-Pw-2024"
    with p.client() as c:
        r = c.post("/api/auth/users", json={"username": username, "password": password, "role": role})
        assert r.status_code == 201, r.text
    who = Identity(p.url, username, password)
    who.login()
    return who


def _code(response: Any) -> str | None:
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def _refused_for_an_unstated_reason(case: schemathesis.Case, response: Any, tally: Tally, label: str) -> None:
    """A request the schema calls valid may be refused for a documented reason (a 422 ``refused``: a rule the schema
    cannot express, e.g. a common password or a config outside the allowlist), never by schema validation."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    if response.status_code == 400 or (response.status_code == 422 and _code(response) == "validation_failed"):
        tally.fail(label, "schema-valid request refused",
                   f"{response.status_code} {response.text[:600]}\nbody sent: {case.body!r:.600}"
                   f"\nquery: {case.query!r:.300} path: {case.path_parameters!r}")


After = Callable[[schemathesis.Case, Any, Tally, str], None]


class AdminGuard:
    """Keeps the fuzzed admin the platform's only active admin (generated requests may create or promote others;
    they are demoted again at once), so that every generated attempt to demote or disable it must be refused with
    ``last_admin``; follows password changes generated for it."""

    def __init__(self, admin: Identity, admin_id: int) -> None:
        self.admin, self.admin_id = admin, admin_id

    def after(self, case: schemathesis.Case, response: Any, tally: Tally, label: str) -> None:
        op = case.operation.definition.raw.get("operationId")
        if op not in USER_ADMIN or not 200 <= response.status_code < 300:
            return
        body = case.body if isinstance(case.body, dict) else {}
        if op == "auth_update_user" and (case.path_parameters or {}).get("user_id") == self.admin_id:
            user = response.json()
            if user["role"] != "admin" or not user["is_active"]:
                tally.fail(label, "the only admin was demoted or disabled", response.text)
            if isinstance(body.get("password"), str):
                self.admin.password = body["password"]
            self.admin.login()
        with httpx.Client(base_url=self.admin.url, headers=self.admin.headers, timeout=30) as c:
            for u in c.get("/api/auth/users").json():
                if u["role"] == "admin" and u["is_active"] and u["id"] != self.admin_id:
                    r = c.patch(f"/api/auth/users/{u['id']}", json={"role": "researcher"})
                    assert r.status_code == 200, r.text


def _send(case: schemathesis.Case, op_id: str, base_url: str, who: Identity, tally: Tally, after: After | None) -> None:
    """One generated request as ``who``, every check on its answer; failures are collected."""
    operation = case.operation
    tally.cases += 1
    # unless the case leaves the credentials out on purpose (it then expects a 401)
    headers = {} if operation.schema.is_security_param_negated(case) else who.headers
    response = case.call(base_url=base_url, headers=headers, timeout=120)
    tally.statuses[response.status_code] += 1
    label = f"{operation.label} ({op_id})"
    try:
        case.validate_response(response, checks=CHECKS, headers=headers,
                               transport_kwargs={"base_url": base_url, "headers": headers})
    except FailureGroup as group:
        for failure in group.exceptions:
            tally.fail(label, failure.title, f"{failure.message}\n{case.as_curl_command(headers)}")
    _refused_for_an_unstated_reason(case, response, tally, label)
    if (tally.role == "viewer" and operation.method.upper() in WRITES and op_id not in SELF_SERVICE
            and 200 <= response.status_code < 300):
        tally.fail(label, "a viewer's write succeeded", f"{response.status_code} {response.text[:300]}")
    if op_id == "auth_logout" and response.status_code == 204:
        who.login()  # the case ended every session of this user: carry on with a fresh one
    if after is not None:
        after(case, response, tally, label)


def _hypothesis_test(operation: Any, mode: schemathesis.GenerationMode,
                     send: Callable[[schemathesis.Case], None]) -> Callable[[], None]:
    @SETTINGS
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        send(case)

    return run


def _fuzz(schema: Any, base_url: str, who: Identity, tally: Tally, after: After | None = None) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        op_id = operation.definition.raw.get("operationId", operation.label)
        tally.operations += 1
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            try:
                _hypothesis_test(operation, mode, partial(_send, op_id=op_id, base_url=base_url, who=who, tally=tally,
                                                          after=after))()
            except hypothesis.errors.Unsatisfiable:
                pass  # nothing to make invalid in this operation (no parameters, no body)


@pytest.mark.e2e
def test_openapi_contract(shared_platform: RunningPlatform) -> None:
    p = shared_platform
    schema = schemathesis.openapi.from_url(f"{p.url}/openapi.json")
    identities = {
        "viewer": _new_user(p, "contract-viewer", "viewer"),
        "researcher": _new_user(p, "contract-researcher", "researcher"),
        "admin": Identity(p.url, "admin", p.password),
    }
    identities["admin"].login()
    with p.client() as c:
        admin_id = int(c.get("/api/auth/me").json()["id"])
    guard = AdminGuard(identities["admin"], admin_id)
    tallies = []
    for role in ROLES:
        tally = Tally(role)
        t0 = time.monotonic()
        _fuzz(schema, p.url, identities[role], tally, guard.after if role == "admin" else None)
        print(f"schemathesis {tally.summary()} in {time.monotonic() - t0:.0f}s", flush=True)
        tallies.append(tally)

    # the platform kept its admin: it logs in with the password it started with and administers users
    admin = identities["admin"]
    if admin.password != p.password:  # a generated case changed it: set it back
        with httpx.Client(base_url=p.url, headers=admin.headers, timeout=30) as c:
            assert c.patch(f"/api/auth/users/{admin_id}", json={"password": p.password}).status_code == 200
        admin.password = p.password
    admin.login()
    with httpx.Client(base_url=p.url, headers=admin.headers, timeout=30) as c:
        users = c.get("/api/auth/users").json()
        assert any(u["username"] == "admin" and u["role"] == "admin" and u["is_active"] for u in users), users
        for change in ({"role": "viewer"}, {"is_active": False}):
            r = c.patch(f"/api/auth/users/{admin_id}", json=change)
            assert r.status_code == 409 and r.json()["code"] == "last_admin", r.text

    summary = "\n".join(t.summary() for t in tallies)
    failures = {k: v for t in tallies for k, v in t.failures.items()}
    report = "\n\n".join(f"--- {k}\n{v}" for k, v in sorted(failures.items()))
    print(summary)
    REPORT.extend(f"schemathesis {t.summary()}" for t in tallies)  # shown in the run's closing summary
    assert all(t.cases > t.operations for t in tallies), summary
    assert not failures, f"{summary}\n\n{len(failures)} unique failures:\n{report}"


# ----- the document itself, in process ------------------------------------------------------------------------------
def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), path, op) for path, ops in spec["paths"].items() for m, op in ops.items()]


#: The operations that answer text, not a JSON model, and their media type.
TEXT_ANSWERS = {"GET /api/benchmarks/{benchmark_id}/leaderboard.md": "text/markdown"}


def test_the_document_says_what_is_answered(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    ops = _operations(spec)
    assert len(ops) >= 20
    ids = [op["operationId"] for _, _, op in ops]
    assert len(ids) == len(set(ids)), ids
    assert all(re.fullmatch(r"[a-z]+_[a-z]+(_[a-z]+)*", i) for i in ids), ids
    assert {"data_list_datasets", "jobs_list_jobs", "jobs_submit", "auth_login", "system_health"} <= set(ids)
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])
    for method, path, op in ops:
        where = f"{method} {path}"
        responses = op["responses"]
        ok = [s for s in responses if s.startswith("2")]
        assert ok, where
        for status in ok:
            content = responses[status].get("content")
            if status == "204":
                assert not content, where
            elif where in TEXT_ANSWERS:
                assert content == {TEXT_ANSWERS[where]: {"schema": {"type": "string"}}}, where
            else:
                assert list(content) == ["application/json"], where
                body = content["application/json"]["schema"]
                assert body.get("$ref") or body.get("items", {}).get("$ref"), f"{where}: no model for {status}"
        for status, response in responses.items():
            if status[0] in "45":
                assert response["content"] == {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}, f"{where} {status}"
        if op.get("security"):
            assert {"401", "403"} <= set(responses), where
        if "{" in path:
            assert "404" in responses, where
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in responses, where
        if op.get("requestBody"):
            assert "400" in responses, where
    public = {path for _, path, op in ops if not op.get("security")}
    assert public == {"/health", "/api/auth/login", "/api/auth/refresh", "/api/auth/session"}
    hidden = ("/mlflow", "/login", "/api/internal", "/ws/")
    assert not [p for p in spec["paths"] if p.startswith(hidden)]


def test_rules_of_the_services_are_in_the_schema(api: Api) -> None:
    """The password policy's length is stated; what the schema cannot state is a documented 422 ``refused``."""
    schemas = api.client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["UserCreate"]["properties"]["password"]["minLength"] == 10
    update = schemas["UserUpdate"]["properties"]["password"]
    assert any(alt.get("minLength") == 10 for alt in update.get("anyOf", [update]))
    users = api.client.get("/api/auth/users", headers=api.headers("admin")).json()
    viewer = next(u["id"] for u in users if u["username"] == "viewer")
    short = api.client.patch(f"/api/auth/users/{viewer}", json={"password": "short"}, headers=api.headers("admin"))
    assert short.status_code == 422 and short.json()["code"] == "validation_failed"
    weak = api.client.patch(f"/api/auth/users/{viewer}", json={"password": "0000000000"},
                            headers=api.headers("admin"))
    assert weak.status_code == 422 and weak.json()["code"] == "refused"
    # a workflow job needs exactly one config and a dataset: the schema says so too
    shapes = schemas["TrainRequest"]["anyOf"]
    assert {tuple(sorted(s["required"])) for s in shapes} == {
        ("config_text", "dataset_id"), ("config_id", "dataset_id"), ("kind",)}
    r = api.client.post("/api/train", json={}, headers=api.headers("researcher"))
    assert r.status_code == 422 and r.json()["code"] == "validation_failed"


@pytest.mark.parametrize("days", [True, "30", 30.5, None])
def test_bodies_are_held_to_their_schema(api: Api, days: object) -> None:
    """Pydantic alone would take true or "30" for an integer; the published schema does not, nor does the API."""
    r = api.client.post("/api/auth/tokens", json={"name": "t", "scope": "read", "expires_in_days": days},
                        headers=api.headers("viewer"))
    if days is None:  # the schema allows null: a token until revoked
        assert r.status_code == 201, r.text
        return
    assert r.status_code == 422 and r.json()["code"] == "validation_failed", r.text
    r = api.client.post("/api/auth/tokens", json={"name": "t", "scope": "read", "expires_in_days": 30.0},
                        headers=api.headers("viewer"))
    assert r.status_code == 201, r.text  # 30.0 is an integer in JSON Schema, and pydantic takes it



@pytest.mark.parametrize(("method", "path", "allow"), [
    ("OPTIONS", "/api/configs", "GET, HEAD, POST"),
    ("PUT", "/api/train", "GET, HEAD, POST"),
    ("DELETE", "/api/auth/users/3", "PATCH"),
    ("PUT", "/api/train/7/logs", "GET, HEAD"),
    ("OPTIONS", "/api/data/datasets/generate", "POST"),
])
def test_405_allows_every_documented_method(api: Api, method: str, path: str, allow: str) -> None:
    r = api.client.request(method, path, headers=api.headers("admin"))
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert r.headers["content-type"].startswith("application/problem+json")
