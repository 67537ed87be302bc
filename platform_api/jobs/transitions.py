"""The job state machine: which state changes exist, who makes them, and the one conditional update that makes
each (only one caller can win it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from platform_api.jobs import repository as repo
from platform_api.jobs.models import JobState

Q, R, S, F, C = JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED

#: (from, to) -> the event that makes it.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Q, R): "a worker wins the claim",
    (Q, C): "cancelled before any worker started it",
    (R, S): "the worker reports success",
    (R, F): "the worker reports failure, or the lease ran out with no attempts left",
    (R, C): "the worker stopped it after a cancel request",
    (R, Q): "the lease ran out: its worker is lost, the job is queued for another attempt",
}


class IllegalTransition(RuntimeError):
    """A state change the table does not have (a bug in the caller, never a user's doing)."""


def move(session: Session, job_id: int, frm: str, to: str, values: dict[str, Any] | None = None,
         where: dict[str, Any] | None = None) -> bool:
    """Change the job from ``frm`` to ``to`` (plus ``values``) if it is still in ``frm`` (and matches ``where``);
    True when this call won the change."""
    if (frm, to) not in TRANSITIONS:
        raise IllegalTransition(f"no job transition {frm} -> {to}")
    return repo.transition(session, job_id, where={**(where or {}), "state": frm},
                           values={**(values or {}), "state": to})
