"""WebSocket /ws/train/{id}: typed frames (log, status, end, ping) from a client-named offset.

Protocol: the client's first message is ``{"type": "follow", "token": "<access token>", "offset": N}``;
the server then sends every stored line from N on, live lines as they arrive, a ``status`` frame on each
state change, pings on its own every few seconds, and an ``end`` frame once the job is final and drained.
Close codes: 4400 protocol error, 4401 not authenticated, 4404 no such job, 4408 the client reads too slowly
(a frame could not be delivered within SEND_TIMEOUT_S), 1000 done. Each follower reads from the database at
its own pace, so a slow client only ever delays itself and holds no unbounded queue."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, HTTPException, WebSocket, WebSocketDisconnect

from platform_api.db import session_scope
from platform_api.deps import user_from_token
from platform_api.jobs import repository as repo
from platform_api.jobs.hub import hub
from platform_api.jobs.models import JobState
from platform_api.settings import Settings

router = APIRouter()
BATCH = 500
POLL_S = 1.0  # also notices lines stored by other API processes
FIRST_MESSAGE_TIMEOUT_S = 10.0
SEND_TIMEOUT_S = 30.0


async def _send(websocket: WebSocket, frame: dict[str, Any]) -> None:
    await asyncio.wait_for(websocket.send_json(frame), SEND_TIMEOUT_S)


def _authenticate(settings: Settings, token: str, job_id: int) -> int:
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as s:
        user_from_token(s, settings, token)
        job = repo.get(s, job_id)
        if job is None:
            raise LookupError
        return job.id


def _read(settings: Settings, job_id: int, offset: int) -> tuple[str, list[dict[str, Any]], int]:
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as s:
        job = repo.get(s, job_id)
        state = job.state if job else JobState.FAILED
        rows = repo.logs_from(s, job_id, offset, BATCH)
        lines = [{"type": "log", "seq": r.seq, "ts": r.ts.isoformat(), "line": r.line} for r in rows]
        log_count = job.log_count if job else 0
    return state, lines, log_count


@router.websocket("/ws/train/{job_id}")
async def follow(websocket: WebSocket, job_id: int) -> None:
    settings: Settings = websocket.app.state.settings
    await websocket.accept()
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), FIRST_MESSAGE_TIMEOUT_S)
        msg = json.loads(raw)
        if not isinstance(msg, dict) or msg.get("type") != "follow" or not isinstance(msg.get("token"), str):
            raise ValueError("first message must be {type: follow, token, offset}")
        offset = int(msg.get("offset", 0))
        if offset < 0:
            raise ValueError("offset must be >= 0")
    except (TimeoutError, ValueError, TypeError):
        await websocket.close(code=4400, reason="protocol error: expected a follow message")
        return
    except WebSocketDisconnect:
        return
    try:
        await to_thread.run_sync(_authenticate, settings, msg["token"], job_id)
    except HTTPException:
        await websocket.close(code=4401, reason="not authenticated")
        return
    except LookupError:
        await websocket.close(code=4404, reason="no such job")
        return

    wake = hub.subscribe(job_id)
    receiver = asyncio.create_task(_drain_client(websocket))
    try:
        last_state: str | None = None
        last_sent = time.monotonic()
        while True:
            wake.clear()
            state, lines, log_count = await to_thread.run_sync(_read, settings, job_id, offset)
            if state != last_state:
                await _send(websocket, {"type": "status", "job_id": job_id, "state": state})
                last_state, last_sent = state, time.monotonic()
            for frame in lines:
                if frame["seq"] != offset:
                    if state not in JobState.FINAL:
                        break  # a gap: a batch is still in flight; wait for it
                    offset = frame["seq"]  # the job is over: the hole will never fill
                await _send(websocket, frame)
                offset += 1
                last_sent = time.monotonic()
            if len(lines) == BATCH:
                continue
            if state in JobState.FINAL and offset >= log_count:
                await _send(websocket, {"type": "end", "job_id": job_id, "state": state, "next_offset": offset})
                await websocket.close(code=1000)
                return
            if receiver.done():
                return
            try:
                await asyncio.wait_for(wake.wait(), POLL_S)
            except TimeoutError:
                pass
            if time.monotonic() - last_sent >= settings.server.ws_ping_interval_s:
                await _send(websocket, {"type": "ping", "ts": time.time()})
                last_sent = time.monotonic()
    except TimeoutError:
        with contextlib.suppress(Exception):
            await websocket.close(code=4408, reason="client too slow")
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        hub.unsubscribe(job_id, wake)
        receiver.cancel()


async def _drain_client(websocket: WebSocket) -> None:
    """Read (and ignore) client messages such as pongs, so a disconnect is noticed."""
    try:
        while True:
            await websocket.receive_text()
    except (WebSocketDisconnect, RuntimeError):
        return
