"""A live-log follower that stops reading, on a real server over real TCP: the server stops sending to it once
a frame has waited ws_send_timeout_s, closes it with 4408 when it reads again, holds only a bounded queue for
it meanwhile, and a healthy follower of the same job gets every line, in order, all along."""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from platform_api.app import create_app
from tests.conftest import PASSWORD, _seed_users
from tests.helpers import free_port, make_settings

BATCHES, PER_BATCH, WIDTH = 24, 1000, 250  # 6 MB of lines: more than the socket buffers hold (4 MB at most)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    settings = make_settings(tmp_path / "home", server={
        "allowed_hosts": ["127.0.0.1"], "ws_queue_batches": 4, "ws_send_timeout_s": 2.0})
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    t0 = time.monotonic()
    while not srv.started:
        assert time.monotonic() - t0 < 30 and thread.is_alive()
        time.sleep(0.05)
    try:
        _seed_users(settings)
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(base + "/api/auth/login", json={"username": "researcher", "password": PASSWORD}).json()
        assert settings.auth.trainer_token is not None
        trainer = {"Authorization": f"Bearer {settings.auth.trainer_token.get_secret_value()}"}
        yield base, {"Authorization": f"Bearer {token['access_token']}", "token": token["access_token"]}, trainer
    finally:
        srv.should_exit = True
        thread.join(30)


def test_a_stalled_follower_is_closed_4408_and_delays_nobody(server: tuple[str, dict[str, str],
                                                                          dict[str, str]]) -> None:
    base, user, trainer = server
    token = user.pop("token")
    with contextlib.ExitStack() as stack:
        api = stack.enter_context(httpx.Client(base_url=base, timeout=60))
        job = api.post("/api/train", headers=user, json={"kind": "probe", "probe": {"lines": 1, "rate": 1}}).json()
        jid = job["id"]
        assert api.post(f"/api/internal/jobs/{jid}/claim", json={"worker": "w"}, headers=trainer).status_code == 200
        url = base.replace("http", "ws") + f"/ws/train/{jid}"
        follow = json.dumps({"type": "follow", "token": token, "offset": 0})

        healthy: list[dict[str, Any]] = []

        def read_all() -> None:
            with connect(url, open_timeout=10, max_size=2**24) as ws:
                ws.send(follow)
                while True:
                    frame = json.loads(ws.recv(timeout=120))
                    healthy.append(frame)
                    if frame["type"] == "end":
                        return

        reader = threading.Thread(target=read_all)
        reader.start()
        # the stalled follower: a small receive buffer, no compression, and a client that buffers one frame
        sock = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        stalled = connect(url, sock=sock, compression=None, max_queue=1, max_size=2**24, open_timeout=10,
                          ping_interval=None)  # no keepalive of its own: it just stops reading
        stack.enter_context(stalled)
        stalled.send(follow)
        time.sleep(0.5)

        now = datetime.now(UTC).isoformat()
        for b in range(BATCHES):
            lines = [{"seq": b * PER_BATCH + i, "ts": now, "line": secrets.token_hex(WIDTH // 2)}
                     for i in range(PER_BATCH)]
            r = api.post(f"/api/internal/jobs/{jid}/logs", json={"worker": "w", "lines": lines}, headers=trainer)
            assert r.json() == {"stored": PER_BATCH}
        assert api.post(f"/api/internal/jobs/{jid}/finish", json={"worker": "w", "state": "succeeded"},
                        headers=trainer).status_code == 200
        reader.join(120)
        assert not reader.is_alive()

        total = BATCHES * PER_BATCH
        seqs = [ln["seq"] for f in healthy if f["type"] == "logs" for ln in f["lines"]]
        assert seqs == list(range(total)) and healthy[-1] == {
            "type": "end", "job_id": jid, "state": "succeeded", "next_offset": total}

        time.sleep(3)  # past ws_send_timeout_s: the server has given up on it
        got = 0
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                frame = json.loads(stalled.recv(timeout=30))
                got += len(frame.get("lines", []))
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408, closed.value
        assert "too slow" in closed.value.rcvd.reason
        assert 0 < got < total  # it was cut off, and reconnecting from its offset resumes (tests/test_jobs_api.py)
