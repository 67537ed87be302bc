"""Child-process handling shared by the CLI, the MLflow launcher and the trainers: spawn with a log file,
die with the parent (Linux PDEATHSIG), stop a process group gracefully then firmly."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux; no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except OSError:
        return
    if os.getppid() == 1:  # the parent died before we asked
        os.kill(os.getpid(), sig)


def spawn(cmd: Sequence[str], *, log_path: Path, env: Mapping[str, str] | None = None,
          cwd: Path | None = None, die_with_us: bool = True) -> subprocess.Popen[bytes]:
    """Start ``cmd`` in its own session, output appended to ``log_path``, killed if we die (unless not
    ``die_with_us``: then it outlives this process)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    out = log_path.open("ab")
    try:
        return subprocess.Popen(
            list(cmd),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=die_with_parent if die_with_us else None,
        )
    finally:
        out.close()


def stop_group(pgid: int, proc: subprocess.Popen[Any] | None = None, *, sig: int = signal.SIGTERM,
               timeout: float = 10.0) -> int | None:
    """Send ``sig`` to the process group ``pgid``, wait up to ``timeout`` for ``proc`` (its leader) to exit, then
    SIGKILL the whole group; returns the leader's exit code when ``proc`` is given. The one place that stops a
    process group (the workflow's joblib children, a child service's workers)."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return proc.poll() if proc is not None else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        if proc is None and not _group_alive(pgid):
            return None
        time.sleep(0.1)
    try:
        os.killpg(pgid, signal.SIGKILL)  # stragglers of the group too, even when the leader left in time
    except ProcessLookupError:
        pass
    return proc.wait() if proc is not None else None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(proc: subprocess.Popen[Any], *, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
    """Stop a child started with :func:`spawn` (its own session: its pid is its group's id)."""
    if proc.poll() is not None:
        return proc.returncode
    return stop_group(proc.pid, proc, sig=sig, timeout=timeout)
