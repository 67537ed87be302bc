"""Handing a queued job to the broker: by task name (the API imports no trainer code), after the transaction that
queued it committed."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from platform_api.db import session_scope
from platform_api.jobs import repository as repo
from platform_api.jobs.models import JobState
from qlp_core.celery_contract import RUN_JOB_TASK, celery_priority, make_celery
from qlp_core.settings import Settings

log = logging.getLogger("qlp.jobs")


def dispatch(settings: Settings, job_id: int, queue: str, priority: int = 5) -> bool:
    """Send the job's wake-up message; called only after the transaction that queued it committed.

    A message is only a wake-up: the job table decides. If the broker is down the job stays queued and the
    reaper sends it again; a duplicate message finds the job claimed and is dropped."""
    try:
        make_celery(settings).send_task(RUN_JOB_TASK, args=[job_id], queue=queue,
                                        priority=celery_priority(settings, priority),
                                        task_id=f"job-{job_id}-{uuid.uuid4().hex[:12]}")  # greppable in logs
    except Exception as exc:
        log.warning("dispatch of job %s failed (%s); the reaper will retry", job_id, type(exc).__name__)
        return False
    assert settings.db.url is not None
    with session_scope(settings.db.url) as s:
        repo.transition(s, job_id, where={"state": JobState.QUEUED}, values={"dispatched_at": datetime.now(UTC)})
    return True
