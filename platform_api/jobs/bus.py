"""Relays job events between API processes over Redis pub/sub: lines one process stored reach the followers
that other processes serve at once, instead of on their next database poll (within a second). The database
stays the record; the bus only carries wake-ups with the lines in them, so a lost message costs latency, never
a line. Publishing goes through a bounded queue on a thread of its own: a slow or absent Redis never blocks
a request."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import threading
import uuid
from typing import Any

import redis

from platform_api.jobs.hub import Frame, hub

log = logging.getLogger("qlp.bus")
OUTBOX = 10_000  # events waiting to be published; past that they are dropped (followers poll the database)


def channel_for(db_url: str) -> str:
    """One channel per platform database: platforms that share a Redis never see each other's jobs."""
    return "qlp:job-events:" + hashlib.sha256(db_url.encode()).hexdigest()[:16]


class EventBus:
    def __init__(self, url: str, channel: str) -> None:
        self.redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3, health_check_interval=15)
        self.channel = channel
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.outbox: queue.Queue[bytes] = queue.Queue(maxsize=OUTBOX)
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._publisher, name="qlp-bus-out", daemon=True),
                        threading.Thread(target=self._subscriber, name="qlp-bus-in", daemon=True)]

    def start(self) -> None:
        hub.relay = self.publish
        for t in self.threads:
            t.start()

    def stop(self) -> None:
        if hub.relay == self.publish:
            hub.relay = None
        self.stopping.set()
        for t in self.threads:
            t.join(5)
        self.redis.close()

    def publish(self, job_id: int, lines: list[Frame] | None) -> None:
        """Called by the hub after local delivery; never blocks."""
        msg = json.dumps({"o": self.origin, "j": job_id, "l": lines}).encode()
        try:
            self.outbox.put_nowait(msg)
        except queue.Full:
            pass

    def _publisher(self) -> None:
        while not self.stopping.is_set():
            try:
                msg = self.outbox.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                self.redis.publish(self.channel, msg)
            except redis.RedisError as exc:
                log.warning("event bus: publish failed (%s); followers elsewhere fall back to polling", exc)
                self.stopping.wait(1.0)

    def _subscriber(self) -> None:
        while not self.stopping.is_set():
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.subscribe(self.channel)
                hub.notify_all()  # (re)joined: whatever passed while away is read from the database
                while not self.stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._deliver(message["data"])
            except redis.RedisError as exc:
                log.warning("event bus: subscription lost (%s); retrying", exc)
                self.stopping.wait(1.0)
            finally:
                pubsub.close()

    def _deliver(self, data: Any) -> None:
        try:
            event = json.loads(data)
            if event["o"] == self.origin:
                return
            job_id, lines = int(event["j"]), event["l"]
            if lines is not None and not all(
                    isinstance(f["seq"], int) and isinstance(f["ts"], str) and isinstance(f["line"], str)
                    for f in lines):
                return
        except (ValueError, KeyError, TypeError):
            return
        hub.notify(job_id, lines, relay=False)  # a job nobody follows here has no inbox: nothing happens
