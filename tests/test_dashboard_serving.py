"""The dashboard at /: SPA fallback, immutable hashed assets, the Content-Security-Policy, and the browser
session (cookie) with its CSRF defence on /api and its Origin check on the log WebSocket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.conftest import PASSWORD, Api, start_api
from tests.helpers import make_settings

SAME = {"Origin": "http://testserver"}
CSRF = {"X-QLP-CSRF": "1"}


@pytest.fixture
def dash(tmp_path: Path) -> Iterator[Api]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text('<!doctype html><div id="app"></div><script type="module" '
                                     'src="/assets/index-Ab12Cd34.js"></script>')
    (dist / "assets" / "index-Ab12Cd34.js").write_text("console.log('dashboard')")
    (tmp_path / "secret.txt").write_text("not an asset")
    settings = make_settings(tmp_path / "home", server={"allowed_hosts": ["testserver"], "dashboard_dir": dist})
    yield from start_api(settings)


def test_pages_get_the_app_with_a_strict_csp(dash: Api) -> None:
    for path in ("/", "/jobs/12", "/experiments/runs/" + "a" * 32, "/admin", "/datasets/3", "/login"):
        r = dash.client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html") and 'id="app"' in r.text, path
        csp = r.headers["content-security-policy"]
        assert "unsafe-eval" not in csp, path
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert script.split()[1:] == ["'self'"], path  # no inline script, no eval
        assert "frame-ancestors 'none'" in csp and r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-cache", path  # a new build shows at once


def test_hashed_assets_are_cached_for_good_and_nothing_else_is_served(dash: Api) -> None:
    for encoding in ("gzip, br", "identity"):
        r = dash.client.get("/assets/index-Ab12Cd34.js", headers={"Accept-Encoding": encoding})
        assert r.status_code == 200 and r.text == "console.log('dashboard')"  # httpx undoes the gzip
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.headers.get("content-encoding") == ("gzip" if "gzip" in encoding else None)
        assert r.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
    for path in ("/assets/missing-00000000.js", "/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                 "/favicon.ico", "/api/no-such-route", "/ws/nothing"):
        r = dash.client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/problem+json"), path
        assert "not an asset" not in r.text


def test_without_a_build_the_page_says_how_to_build_it(api: Api) -> None:
    r = api.client.get("/")
    assert r.status_code == 404 and "npm run build" in r.json()["detail"]
    assert 'name="password"' in api.client.get("/login").text  # the plain sign-in form still works


def _sign_in(api: Api, user: str) -> None:
    r = api.client.post("/api/auth/session", json={"username": user, "password": PASSWORD}, headers=SAME)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == user
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "qlp_session=" in cookie
    assert "access_token" not in r.text  # the page never holds a token


def test_session_sign_in_out_and_its_refusals(dash: Api) -> None:
    c = dash.client
    bad = c.post("/api/auth/session", json={"username": "viewer", "password": "wrong password"}, headers=SAME)
    assert bad.status_code == 401 and "qlp_session" not in bad.headers.get("set-cookie", "")
    cross = c.post("/api/auth/session", json={"username": "viewer", "password": PASSWORD},
                   headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and "qlp_session" not in cross.headers.get("set-cookie", "")
    assert c.get("/api/auth/me").status_code == 401
    _sign_in(dash, "viewer")
    assert c.get("/api/auth/me").json()["role"] == "viewer"
    assert c.get("/api/train").status_code == 200  # reads need no CSRF header
    out = c.delete("/api/auth/session", headers={**SAME, **CSRF})
    assert out.status_code == 204
    assert c.get("/api/auth/me").status_code == 401


def test_state_changes_by_cookie_need_our_origin_and_the_csrf_header(dash: Api) -> None:
    c = dash.client
    _sign_in(dash, "researcher")
    probe = {"kind": "probe", "probe": {"lines": 1}}
    no_header = c.post("/api/train", json=probe, headers=SAME)
    assert no_header.status_code == 403 and "x-qlp-csrf" in no_header.json()["detail"]
    evil = c.post("/api/train", json=probe, headers={"Origin": "https://evil.example", **CSRF})
    assert evil.status_code == 403 and "cross-origin" in evil.json()["detail"]
    evil_ref = c.post("/api/train", json=probe, headers={"Referer": "https://evil.example/x", **CSRF})
    assert evil_ref.status_code == 403
    before = len(c.get("/api/train").json())
    ok = c.post("/api/train", json=probe, headers={**SAME, **CSRF})
    assert ok.status_code == 201, ok.text
    assert len(c.get("/api/train").json()) == before + 1  # the refused ones stored nothing


def test_a_viewer_cookie_cannot_submit(dash: Api) -> None:
    _sign_in(dash, "viewer")
    r = dash.client.post("/api/train", json={"kind": "probe"}, headers={**SAME, **CSRF})
    assert r.status_code == 403 and "researcher" in r.json()["detail"]


def test_the_log_websocket_takes_the_cookie_from_our_origin_only(dash: Api) -> None:
    c = dash.client
    job = c.post("/api/train", json={"kind": "probe"}, headers=dash.headers("researcher")).json()
    _sign_in(dash, "viewer")
    with c.websocket_connect(f"/ws/train/{job['id']}", headers=SAME) as ws:
        ws.send_json({"type": "follow", "offset": 0})
        frame = ws.receive_json()
        assert frame["type"] == "status" and frame["state"] == "queued"
    for headers in ({"Origin": "https://evil.example"}, {}):
        with c.websocket_connect(f"/ws/train/{job['id']}", headers=headers) as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 4403
    c.cookies.clear()
    with c.websocket_connect(f"/ws/train/{job['id']}", headers=SAME) as ws:
        ws.send_json({"type": "follow", "offset": 0})  # no token and no cookie
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4400
