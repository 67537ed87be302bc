"""In-process wake-ups for log followers: a thread that stores log lines or a state change wakes the
WebSockets following that job at once (followers also poll the database, so other API processes are seen)."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict


class JobHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = defaultdict(set)

    def subscribe(self, job_id: int) -> asyncio.Event:
        event = asyncio.Event()
        with self._lock:
            self._subs[job_id].add((asyncio.get_running_loop(), event))
        return event

    def unsubscribe(self, job_id: int, event: asyncio.Event) -> None:
        with self._lock:
            subs = self._subs.get(job_id)
            if subs is None:
                return
            for item in [s for s in subs if s[1] is event]:
                subs.discard(item)
            if not subs:
                self._subs.pop(job_id, None)

    def notify(self, job_id: int) -> None:
        """Safe from any thread."""
        with self._lock:
            subs = list(self._subs.get(job_id, ()))
        for loop, event in subs:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # loop closed
                pass


hub = JobHub()
