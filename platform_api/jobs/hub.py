"""In-process hand-off of job events: the thread that stored a job's log lines (or changed its state) hands
them straight to that job's feed in every event loop of this process, so live lines reach followers without
a database read. Feeds still read the database on a hole and on a timer, which is how lines stored by other
API processes are seen when no event bus (``platform_api.jobs.bus``) relays them."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Frame = dict[str, Any]
MAX_PENDING = 1000  # batches held for a feed whose loop is busy; past that it re-reads the database


def line_frame(seq: int, ts: datetime, line: str) -> Frame:
    """One log line as followers get it (the same whether it came from the hub or from the database)."""
    ts = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)
    return {"seq": seq, "ts": ts.isoformat(), "line": line}


@dataclass(eq=False)
class Inbox:
    """What one feed has not taken yet: batches of log lines, and whether anything else changed."""

    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)
    batches: deque[list[Frame]] = field(default_factory=deque)
    changed: bool = False

    def take(self) -> tuple[list[list[Frame]], bool]:
        """Called on the feed's loop; ``notify`` appends from other threads under the hub's lock."""
        with hub.lock:
            batches, changed = list(self.batches), self.changed
            self.batches.clear()
            self.changed = False
            self.event.clear()
        return batches, changed


class JobHub:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._subs: dict[int, set[Inbox]] = defaultdict(set)
        #: set by the event bus: also hands this process's events to the other API processes
        self.relay: Callable[[int, list[Frame] | None], None] | None = None

    def subscribe(self, job_id: int) -> Inbox:
        inbox = Inbox(asyncio.get_running_loop())
        with self.lock:
            self._subs[job_id].add(inbox)
        return inbox

    def unsubscribe(self, job_id: int, inbox: Inbox) -> None:
        with self.lock:
            subs = self._subs.get(job_id)
            if subs is None:
                return
            subs.discard(inbox)
            if not subs:
                self._subs.pop(job_id, None)

    def notify_all(self) -> None:
        """Every watched job re-reads the database (after the event bus was away)."""
        with self.lock:
            jobs = list(self._subs)
        for job_id in jobs:
            self.notify(job_id, relay=False)

    def notify(self, job_id: int, lines: list[Frame] | None = None, relay: bool = True) -> None:
        """Safe from any thread. ``lines``: stored lines in sequence order; None: re-read the job."""
        if relay and self.relay is not None:
            self.relay(job_id, lines)
        with self.lock:
            inboxes = list(self._subs.get(job_id, ()))
            for inbox in inboxes:
                if lines and len(inbox.batches) < MAX_PENDING:
                    inbox.batches.append(lines)
                else:
                    inbox.changed = True
        for inbox in inboxes:
            try:
                inbox.loop.call_soon_threadsafe(inbox.event.set)
            except RuntimeError:  # loop closed
                pass


hub = JobHub()
