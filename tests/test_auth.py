"""Auth: login, tokens (alg none, wrong key, expired, wrong audience/type), roles, refresh rotation, logout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from platform_api.auth.security import hash_password, verify_password
from tests.conftest import PASSWORD, Api

PROTECTED = [
    ("GET", "/api/train"),
    ("POST", "/api/train"),
    ("GET", "/api/data/datasets"),
    ("POST", "/api/data/datasets"),
    ("GET", "/api/configs"),
    ("GET", "/status"),
    ("GET", "/api/auth/me"),
    ("GET", "/api/workers"),
    ("GET", "/api/train/1/logs"),
]


def test_health_is_public(api: Api) -> None:
    assert api.client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_401_without_token(api: Api, method: str, path: str) -> None:
    r = api.client.request(method, path, json={})
    assert r.status_code == 401
    body = r.json()
    assert body["status"] == 401 and body["request_id"] and r.headers["content-type"].startswith(
        "application/problem+json")


def _claims(api: Api, **over: object) -> dict[str, object]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {"sub": "1", "role": "admin", "ver": 0, "typ": "access",
                                 "iss": api.settings.auth.issuer, "aud": api.settings.auth.audience,
                                 "iat": now, "nbf": now, "exp": now + timedelta(minutes=5)}
    claims.update(over)
    return claims


def _key(api: Api) -> str:
    assert api.settings.auth.secret_key is not None
    return api.settings.auth.secret_key.get_secret_value()


def test_forged_tokens_are_401(api: Api) -> None:
    good = jwt.encode(_claims(api), _key(api), algorithm="HS256")
    assert api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {good}"}).status_code == 200
    none_alg = jwt.encode(_claims(api), None, algorithm="none")
    forged = [
        none_alg,
        none_alg.rsplit(".", 1)[0] + ".",
        jwt.encode(_claims(api), "x" * 64, algorithm="HS256"),  # wrong key
        jwt.encode(_claims(api), _key(api), algorithm="HS512"),  # other algorithm
        jwt.encode(_claims(api, exp=datetime.now(UTC) - timedelta(seconds=5)), _key(api), algorithm="HS256"),
        jwt.encode(_claims(api, nbf=datetime.now(UTC) + timedelta(hours=1)), _key(api), algorithm="HS256"),
        jwt.encode(_claims(api, aud="someone-else"), _key(api), algorithm="HS256"),
        jwt.encode(_claims(api, iss="evil"), _key(api), algorithm="HS256"),
        jwt.encode(_claims(api, typ="refresh"), _key(api), algorithm="HS256"),
        jwt.encode({k: v for k, v in _claims(api).items() if k != "exp"}, _key(api), algorithm="HS256"),
        good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),  # broken signature
        "not-a-jwt",
    ]
    for token in forged:
        r = api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401, token


def test_wrong_password_and_throttle(api: Api) -> None:
    for _ in range(5):
        r = api.client.post("/api/auth/login", json={"username": "viewer", "password": "nope"})
        assert r.status_code == 401
    r = api.client.post("/api/auth/login", json={"username": "viewer", "password": PASSWORD})
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_viewer_cannot_write(api: Api) -> None:
    h = api.headers("viewer")
    r = api.client.post("/api/train", json={"config_text": "task: {}", "dataset_id": 1}, headers=h)
    assert r.status_code == 403
    assert api.client.post("/api/data/datasets/generate", json={"name": "x"}, headers=h).status_code == 403
    assert api.client.post("/api/configs", json={"name": "c", "text": "a: 1"}, headers=h).status_code == 403
    assert api.client.post("/api/auth/users", json={"username": "abc", "password": "x" * 12},
                           headers=api.headers("researcher")).status_code == 403


def test_refresh_rotation_and_logout(api: Api) -> None:
    r = api.client.post("/api/auth/login", json={"username": "researcher2", "password": PASSWORD})
    pair = r.json()
    r2 = api.client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert r2.status_code == 200
    # a refresh token works once
    assert api.client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    new = r2.json()
    h = {"Authorization": f"Bearer {new['access_token']}"}
    assert api.client.get("/api/auth/me", headers=h).json()["username"] == "researcher2"
    assert api.client.post("/api/auth/logout", headers=h).status_code == 204
    assert api.client.get("/api/auth/me", headers=h).status_code == 401
    assert api.client.post("/api/auth/refresh", json={"refresh_token": new["refresh_token"]}).status_code == 401


def test_disabled_user_token_rejected(api: Api) -> None:
    users = api.client.get("/api/auth/users", headers=api.headers("admin")).json()
    viewer = next(u for u in users if u["username"] == "viewer")
    r = api.client.patch(f"/api/auth/users/{viewer['id']}", json={"is_active": False}, headers=api.headers("admin"))
    assert r.status_code == 200
    assert api.client.get("/api/auth/me", headers=api.headers("viewer")).status_code == 401


@pytest.mark.parametrize("password", ["", "a", "password123", "aaaaaaaaaaaa", "shortpw"])
def test_weak_passwords_refused(api: Api, password: str) -> None:
    r = api.client.post("/api/auth/users", json={"username": "newbie", "password": password, "role": "viewer"},
                        headers=api.headers("admin"))
    assert r.status_code == 422, r.text


def test_user_creation_and_long_password(api: Api) -> None:
    long_pw = "ü" * 40 + "tail-that-matters"  # far beyond bcrypt's 72 bytes
    r = api.client.post("/api/auth/users", json={"username": "longpw", "password": long_pw, "role": "viewer"},
                        headers=api.headers("admin"))
    assert r.status_code == 201
    ok = api.client.post("/api/auth/login", json={"username": "longpw", "password": long_pw})
    assert ok.status_code == 200 and ok.json()["user"]["role"] == "viewer"
    truncated = long_pw[:-1] + "X"
    assert api.client.post("/api/auth/login", json={"username": "longpw", "password": truncated}).status_code == 401
    assert api.client.post("/api/auth/users", json={"username": "longpw", "password": long_pw},
                           headers=api.headers("admin")).status_code == 409


def test_argon2id_hashes() -> None:
    h = hash_password("pw-" * 40)
    assert h.startswith("$argon2id$")
    assert verify_password("pw-" * 40, h) and not verify_password("pw-" * 39, h)


def _user_id(api: Api, username: str) -> int:
    users = api.client.get("/api/auth/users", headers=api.headers("admin")).json()
    return int(next(u["id"] for u in users if u["username"] == username))


def _login(api: Api, username: str) -> dict[str, str]:
    r = api.client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.mark.parametrize("change", [{"role": "viewer"}, {"role": "researcher"}, {"is_active": False},
                                    {"role": "viewer", "is_active": False}])
def test_the_only_admin_cannot_be_demoted_or_disabled(api: Api, change: dict[str, object]) -> None:
    admin_id = _user_id(api, "admin")
    r = api.client.patch(f"/api/auth/users/{admin_id}", json=change, headers=api.headers("admin"))
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "last_admin" and "admin" in body["detail"]
    assert r.headers["content-type"].startswith("application/problem+json")
    # nothing changed, the session lives on
    me = api.client.get("/api/auth/me", headers=api.headers("admin")).json()
    assert me["role"] == "admin" and me["is_active"] is True
    # a change that keeps the admin an active admin is fine
    ok = api.client.patch(f"/api/auth/users/{admin_id}", json={"role": "admin", "is_active": True},
                          headers=api.headers("admin"))
    assert ok.status_code == 200 and ok.json()["role"] == "admin"


def test_with_two_admins_one_can_be_demoted_but_not_both(api: Api) -> None:
    admin_id, other_id = _user_id(api, "admin"), _user_id(api, "researcher2")
    r = api.client.patch(f"/api/auth/users/{other_id}", json={"role": "admin"}, headers=api.headers("admin"))
    assert r.status_code == 200 and r.json()["role"] == "admin"
    other = _login(api, "researcher2")
    # the first admin steps down (by its own hand): allowed, another admin is left
    r = api.client.patch(f"/api/auth/users/{admin_id}", json={"role": "viewer"}, headers=api.headers("admin"))
    assert r.status_code == 200 and r.json()["role"] == "viewer"
    # the second cannot follow, neither demoted nor disabled
    for change in ({"role": "researcher"}, {"is_active": False}):
        r = api.client.patch(f"/api/auth/users/{other_id}", json=change, headers=other)
        assert r.status_code == 409 and r.json()["code"] == "last_admin", r.text
    users = api.client.get("/api/auth/users", headers=other).json()
    assert [u["username"] for u in users if u["role"] == "admin" and u["is_active"]] == ["researcher2"]


def test_a_disabled_admin_does_not_count(api: Api) -> None:
    other_id = _user_id(api, "researcher2")
    h = api.headers("admin")
    assert api.client.patch(f"/api/auth/users/{other_id}", json={"role": "admin", "is_active": False},
                            headers=h).status_code == 200
    r = api.client.patch(f"/api/auth/users/{_user_id(api, 'admin')}", json={"role": "viewer"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "last_admin"


def test_browser_login_sets_a_session_cookie_and_stores_no_refresh_token(api: Api) -> None:
    from sqlalchemy import func, select

    from platform_api.auth.models import RefreshToken
    from platform_api.db import session_scope

    assert api.settings.db.url is not None

    def refresh_rows() -> int:
        with session_scope(api.settings.db.url, write=False) as s:  # type: ignore[arg-type]
            return int(s.scalar(select(func.count()).select_from(RefreshToken)) or 0)

    before = refresh_rows()
    r = api.client.post("/login", data={"username": "viewer", "password": PASSWORD, "next": "/mlflow/"},
                        follow_redirects=False)
    assert r.status_code == 303 and "qlp_session" in r.cookies
    assert refresh_rows() == before  # nobody would ever receive one
    bad = api.client.post("/login", data={"username": "viewer", "password": "wrong password!"},
                          follow_redirects=False)
    assert bad.status_code == 401 and "qlp_session" not in bad.cookies


def _race_two_demotions(url: str) -> tuple[str, str]:
    """Each of the only two admins demoted by its own transaction, at the same time: the first holds its transaction
    open while the second runs. Returns how each ended."""
    import threading
    import time

    from platform_api.auth import service
    from platform_api.auth.models import User
    from platform_api.auth.schemas import UserUpdate
    from platform_api.db import session_scope
    from platform_api.domain_errors import Conflict

    with session_scope(url) as s:
        a = User(username="a1", password_hash="x", role="admin")
        b = User(username="a2", password_hash="x", role="admin")
        s.add_all([a, b])
        s.flush()
        ids = (a.id, b.id)
    first_in, outcome = threading.Event(), {}

    def demote(i: int, hold: float) -> None:
        try:
            with session_scope(url) as s:
                service.update_user(s, ids[i], UserUpdate(role="viewer"))
                first_in.set()
                time.sleep(hold)  # still uncommitted while the other one runs
            outcome[i] = "demoted"
        except Conflict as exc:
            first_in.set()
            outcome[i] = exc.code

    t1 = threading.Thread(target=demote, args=(0, 1.0))
    t1.start()
    assert first_in.wait(10)
    t2 = threading.Thread(target=demote, args=(1, 0.0))
    t2.start()
    t1.join(20)
    t2.join(20)
    return outcome[0], outcome[1]


@pytest.mark.mariadb
def test_concurrent_demotions_leave_an_admin_on_mariadb() -> None:
    """Without the lock, the second transaction would still see the first admin in its snapshot and go ahead."""
    import sqlalchemy as sa

    from platform_api.db import make_engine, prepare_database
    from tests.helpers import mariadb_database

    with mariadb_database() as url:
        prepare_database(url)
        assert _race_two_demotions(url) == ("demoted", "last_admin")
        with make_engine(url).connect() as c:
            admins = c.execute(sa.text("SELECT username FROM users WHERE role='admin' AND is_active")).scalars().all()
        assert admins == ["a2"]
        make_engine(url).dispose()


def test_concurrent_demotions_leave_an_admin_on_sqlite(tmp_path: Path) -> None:
    from platform_api.db import prepare_database

    url = f"sqlite:///{tmp_path / 'race.db'}"
    prepare_database(url)
    assert _race_two_demotions(url) == ("demoted", "last_admin")
