"""Separate hosts on one machine, for the distributed tests: each worker host gets its own network namespace
(its own loopback, one link to a test bridge) and its own mount namespace in which the API's data folder is an
empty tmpfs, so it reaches the platform only over the network and shares no files with it. The test machine is
the bridge's gateway; a small TCP relay there forwards the API and broker ports to their loopback listeners.
Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2's `ip` and util-linux's `unshare`."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path


def available() -> str | None:
    """None when hosts can be made here, else why not."""
    if os.geteuid() != 0:
        return "not root"
    for tool in ("ip", "unshare"):
        if shutil.which(tool) is None:
            return f"no `{tool}`"
    probe = f"qlpprobe{uuid.uuid4().hex[:6]}"
    r = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if r.returncode:
        return f"cannot make network namespaces: {r.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Relay:
    """Forwards connections to ``listen`` on to the same port on 127.0.0.1 (thread per direction), counting the
    bytes each way: ``to_hosts`` (what the service sent to the hosts) and ``from_hosts``."""

    def __init__(self, host: str, port: int) -> None:
        self.port = port
        self.to_hosts = self.from_hosts = 0
        self._count = threading.Lock()
        self.sock = socket.create_server((host, port), reuse_port=False)
        self.conns: set[socket.socket] = set()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True, name=f"relay-{port}").start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()  # the service is down (a broker restart): the client sees a refused connection
                continue
            self.conns |= {client, upstream}
            for a, b, out in ((client, upstream, False), (upstream, client, True)):
                threading.Thread(target=self._pipe, args=(a, b, out), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, to_hosts: bool) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
                with self._count:
                    if to_hosts:
                        self.to_hosts += len(data)
                    else:
                        self.from_hosts += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
                self.conns.discard(s)

    def close(self) -> None:
        self.closed = True
        self.sock.close()
        for s in list(self.conns):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


@dataclass
class Hosts:
    """A bridge network 10.<n>.<m>.0/24 with the test machine at .1 and one namespace per host from .2 on."""

    hidden: list[Path]
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    names: list[str] = field(default_factory=list)
    relays: list[Relay] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = int(self.tag, 16)
        self.prefix = f"10.{200 + n % 50}.{n // 50 % 250}"
        self.gateway = f"{self.prefix}.1"
        self.bridge = f"qlb{self.tag}"
        _ip("link", "add", self.bridge, "type", "bridge")
        _ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")

    def forward(self, *ports: int) -> None:
        """Make 127.0.0.1:<port> of the test machine reachable from the hosts at gateway:<port>."""
        self.relays += [Relay(self.gateway, p) for p in ports]

    def add(self) -> str:
        """A new host; returns its namespace name."""
        i = len(self.names) + 2
        ns, outer, inner = f"qln{self.tag}{i}", f"qlv{self.tag}{i}", f"qlw{self.tag}{i}"
        _ip("netns", "add", ns)
        self.names.append(ns)
        _ip("link", "add", outer, "type", "veth", "peer", "name", inner)
        _ip("link", "set", outer, "master", self.bridge)
        _ip("link", "set", outer, "up")
        _ip("link", "set", inner, "netns", ns)
        _ip("-n", ns, "addr", "add", f"{self.prefix}.{i}/24", "dev", inner)
        _ip("-n", ns, "link", "set", inner, "up")
        _ip("-n", ns, "link", "set", "lo", "up")
        return ns

    def command(self, ns: str, argv: list[str]) -> list[str]:
        """``argv`` run inside host ``ns`` with the hidden folders replaced by empty tmpfs mounts (the same pid:
        every step execs the next, so signals to the returned process reach ``argv``)."""
        script = 'for d in "$@"; do [ "$d" = -- ] && break; mount -t tmpfs -o size=1m tmpfs "$d"; shift; done; ' \
                 'shift; exec "$@"'
        return ["ip", "netns", "exec", ns, "unshare", "--mount", "--propagation", "private",
                "sh", "-c", script, "sh", *[str(p) for p in self.hidden], "--", *argv]

    def close(self) -> None:
        for relay in self.relays:
            relay.close()
        for ns in self.names:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
