"""WebSocket /ws/train/{id}: typed frames (logs, status, end, ping) from a client-named offset.

Protocol: the client's first message is ``{"type": "follow", "token": "<access token>", "offset": N}``; a
browser signed in to the dashboard may leave the token out: its session cookie counts when the handshake's
Origin is this host (checked before anything else; 4403 otherwise);
the server then sends every stored line from N on and live lines as they arrive, in ``logs`` frames that
carry consecutive lines (``{"type": "logs", "job_id", "lines": [{"seq", "ts", "line"}, ...]}``), a
``status`` frame on each state change, pings on its own every few seconds, and an ``end`` frame once the job
is final and drained. Close codes: 4400 protocol error, 4401 not authenticated, 4404 no such job, 4408 the
client reads too slowly (its bounded queue overflowed, or a frame could not be delivered within
ws_send_timeout_s), 1000 done. A slow client only ever delays itself."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass

from anyio import to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from platform_api.db import session_scope
from platform_api.deps import SESSION_COOKIE, principal_from_session, same_origin, user_from_token
from platform_api.domain_errors import Forbidden, Unauthenticated
from platform_api.jobs import repository as repo
from platform_api.jobs.hub import Frame, hub, line_frame
from platform_api.jobs.models import JobState
from qlp_core.settings import Settings

router = APIRouter()
BATCH = 500
FIRST_MESSAGE_TIMEOUT_S = 10.0
CLOSE_GRACE_S = 300.0  # how long a stalled client's 4408 close frame waits for it to read again


async def _send(websocket: WebSocket, frame: Frame, timeout_s: float) -> None:
    await asyncio.wait_for(websocket.send_json(frame), timeout_s)


def _authenticate(settings: Settings, token: str | None, cookie: str | None, job_id: int) -> int:
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as s:
        if token is not None:
            user_from_token(s, settings, token)
        elif cookie is not None:
            principal_from_session(s, settings, cookie)
        else:
            raise Unauthenticated("no token and no session")
        job = repo.get(s, job_id)
        if job is None:
            raise LookupError
        return job.id


def _read(settings: Settings, job_id: int, offset: int) -> tuple[str, list[Frame], int]:
    assert settings.db.url is not None
    with session_scope(settings.db.url, write=False) as s:
        job = repo.get(s, job_id)
        state = job.state if job else JobState.FAILED
        rows = repo.logs_from(s, job_id, offset, BATCH)
        lines = [line_frame(r.seq, r.ts, r.line) for r in rows]
        log_count = job.log_count if job else 0
    return state, lines, log_count


def _run_from(frames: list[Frame], cursor: int, skip_holes: bool) -> tuple[list[Frame], int, bool]:
    """The frames (in sequence order) that continue ``cursor`` without a gap, the cursor after them, and whether
    a gap stopped the run. Frames before ``cursor`` are dropped. ``skip_holes``: the job is over, so a gap
    will never fill and the run goes on past it."""
    run: list[Frame] = []
    for frame in frames:
        seq = frame["seq"]
        if seq < cursor:
            continue
        if seq > cursor:
            if not skip_holes:
                return run, cursor, True  # a batch is still in flight
            cursor = seq
        run.append(frame)
        cursor += 1
    return run, cursor, False


#: (state, log_count, lines): lines are contiguous and in order; empty on a state change only
Item = tuple[str, int, list[Frame]]


@dataclass(eq=False)
class _Sub:
    """One follower's bounded queue of items from its job's feed."""

    queue: asyncio.Queue[Item]
    overflowed: bool = False


class _JobFeed:
    """One feed per job and event loop: it takes the lines this process stores straight from the hub, reads the
    database only to fill a hole, on a state change and every log_poll_s (lines of other API processes),
    and fans each batch out to every follower's bounded queue."""

    def __init__(self, job_id: int, settings: Settings, key: tuple[int, int]) -> None:
        self.job_id, self.settings, self.key = job_id, settings, key
        self.subs: set[_Sub] = set()
        self.inbox = hub.subscribe(job_id)
        self.task = asyncio.create_task(self._run())

    def publish(self, item: Item) -> None:
        for sub in self.subs:
            try:
                sub.queue.put_nowait(item)
            except asyncio.QueueFull:
                sub.overflowed = True  # its follower is closed with 4408; nobody else waits for it

    async def _run(self) -> None:
        try:
            state, _, log_count = await to_thread.run_sync(_read, self.settings, self.job_id, 2**62)
            cursor, last_state = log_count, state
            need_read = False
            while self.subs:
                if not need_read:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.inbox.event.wait(), self.settings.server.log_poll_s)
                    need_read = not self.inbox.event.is_set()  # the timer: look for other processes' lines
                batches, changed = self.inbox.take()
                fresh, cursor, hole = _run_from([f for b in batches for f in b], cursor, skip_holes=False)
                need_read = need_read or changed or hole  # a hole: an earlier batch is not here (yet)
                if fresh:
                    log_count = max(log_count, cursor)
                    self.publish((state, log_count, fresh))
                if not need_read:
                    continue
                state, frames, log_count = await to_thread.run_sync(_read, self.settings, self.job_id, cursor)
                fresh, cursor, _ = _run_from(frames, cursor, skip_holes=state in JobState.FINAL)
                if fresh or state != last_state:
                    self.publish((state, log_count, fresh))
                    last_state = state
                need_read = len(frames) == BATCH  # more stored lines wait
        finally:
            hub.unsubscribe(self.job_id, self.inbox)
            _feeds.pop(self.key, None)


_feeds: dict[tuple[int, int], _JobFeed] = {}


def _join(job_id: int, settings: Settings) -> tuple[_JobFeed, _Sub]:
    key = (id(asyncio.get_running_loop()), job_id)
    feed = _feeds.get(key)
    if feed is None or feed.task.done():
        feed = _feeds[key] = _JobFeed(job_id, settings, key)
    sub = _Sub(asyncio.Queue(maxsize=settings.server.ws_queue_batches))  # minutes of a busy job's output
    feed.subs.add(sub)
    return feed, sub


@router.websocket("/ws/train/{job_id}")
async def follow(websocket: WebSocket, job_id: int) -> None:
    settings: Settings = websocket.app.state.settings
    cookie = websocket.cookies.get(SESSION_COOKIE)
    await websocket.accept()
    if cookie and not (websocket.headers.get("origin") and same_origin(websocket.headers)):
        await websocket.close(code=4403, reason="cross-origin WebSocket refused")  # no cross-site hijacking
        return
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), FIRST_MESSAGE_TIMEOUT_S)
        msg = json.loads(raw)
        token = msg.get("token") if isinstance(msg, dict) else None
        if not isinstance(msg, dict) or msg.get("type") != "follow" or not (
                isinstance(token, str) or (token is None and cookie)):
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
        await to_thread.run_sync(_authenticate, settings, token, cookie, job_id)
    except (Unauthenticated, Forbidden):
        await websocket.close(code=4401, reason="not authenticated")
        return
    except LookupError:
        await websocket.close(code=4404, reason="no such job")
        return

    feed, sub = _join(job_id, settings)  # join first, then catch up: nothing falls between the two
    receiver = asyncio.create_task(_drain_client(websocket))
    sent_state: list[str | None] = [None]
    last_sent = [time.monotonic()]

    async def send(frame: Frame) -> None:
        await _send(websocket, frame, settings.server.ws_send_timeout_s)
        last_sent[0] = time.monotonic()

    async def status(state: str) -> None:
        if state != sent_state[0]:
            await send({"type": "status", "job_id": job_id, "state": state})
            sent_state[0] = state

    async def send_lines(lines: list[Frame]) -> None:
        await send({"type": "logs", "job_id": job_id, "lines": lines})

    async def catch_up(offset: int) -> tuple[str, int, int]:
        """Stored lines from ``offset`` on, straight from the database (history, or a hole in the feed)."""
        while True:
            state, frames, log_count = await to_thread.run_sync(_read, settings, job_id, offset)
            await status(state)
            out, offset, _ = _run_from(frames, offset, skip_holes=state in JobState.FINAL)
            if out:
                await send_lines(out)
            if len(out) < BATCH:
                return state, offset, log_count

    try:
        state, offset, log_count = await catch_up(offset)
        while True:
            if state in JobState.FINAL and offset < log_count:
                state, offset, log_count = await catch_up(offset)  # holes left at the end are skipped
            if state in JobState.FINAL and offset >= log_count:
                await send({"type": "end", "job_id": job_id, "state": state, "next_offset": offset})
                await websocket.close(code=1000)
                return
            if receiver.done():
                return
            wait = max(0.05, settings.server.ws_ping_interval_s - (time.monotonic() - last_sent[0]))
            try:
                state, log_count, frames = await asyncio.wait_for(sub.queue.get(), wait)
            except TimeoutError:
                await send({"type": "ping", "ts": time.time()})
                continue
            if sub.overflowed:
                await websocket.close(code=4408, reason="client too slow; reconnect from your offset")
                return
            if frames and frames[0]["seq"] > offset:
                state, offset, log_count = await catch_up(offset)
            fresh, offset, _ = _run_from(frames, offset, skip_holes=False)
            if fresh:
                await send_lines(fresh)
            await status(state)
    except TimeoutError:  # a frame waited ws_send_timeout_s: the client stopped reading
        feed.subs.discard(sub)  # it gets nothing more; the close frame goes out if and when it reads again
        with contextlib.suppress(Exception):
            await asyncio.wait_for(websocket.close(code=4408, reason="client too slow; reconnect from your offset"),
                                   CLOSE_GRACE_S)
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        feed.subs.discard(sub)
        receiver.cancel()


async def _drain_client(websocket: WebSocket) -> None:
    """Read (and ignore) client messages such as pongs, so a disconnect is noticed."""
    try:
        while True:
            await websocket.receive_text()
    except (WebSocketDisconnect, RuntimeError):
        return
