"""The Celery application shared by the API (producer) and trainer workers: broker from settings, one task
at a time per process, no result backend (the job table holds state).

A task's message is acknowledged when a worker process starts it, not when the job ends: a job that trains
for hours holds no unacknowledged message, so Redis's visibility timeout and RabbitMQ's consumer_timeout never
send it to a second worker. What happens when a worker dies mid-job is ours to decide: its heartbeat stops,
the API's reaper marks the attempt lost and sends the job again (``platform_api.jobs.service.reap_lost``); a
message lost before any worker claimed the job is sent again by ``redispatch_stale``. A message delivered twice
is harmless: only one worker wins the claim."""

from __future__ import annotations

from typing import Any

from celery import Celery

from platform_api.settings import Settings

RUN_JOB_TASK = "qlp.run_job"


def celery_config(settings: Settings) -> dict[str, Any]:
    url = settings.broker_url
    conf: dict[str, Any] = {
        "broker_url": url,
        "task_default_queue": settings.broker.default_queue,
        "task_acks_late": False,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": False,  # a broker blip never stops a job
        "task_ignore_result": True,
        "worker_lost_wait": 2.0,
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "task_queue_max_priority": 10,
        "task_default_priority": 5,
    }
    if url.startswith("filesystem://"):
        folder = settings.broker_folder
        conf["broker_transport_options"] = {
            "data_folder_in": str(folder / "messages"),
            "data_folder_out": str(folder / "messages"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
            "control_folder": str(folder / "control"),
            "polling_interval": settings.broker.polling_interval_s,
        }
        for sub in ("messages", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    elif url.startswith(("redis://", "rediss://")):
        conf["worker_disable_prefetch"] = True  # take a message only when a process is free to start it
        conf["broker_transport_options"] = {
            "visibility_timeout": settings.broker.visibility_timeout_s,
            "queue_order_strategy": "priority",
        }
    if settings.broker.transport_options:
        conf["broker_transport_options"] = {**conf.get("broker_transport_options", {}),
                                            **settings.broker.transport_options}
    return conf


_apps: dict[str, Celery] = {}


def make_celery(settings: Settings) -> Celery:
    """One Celery app per broker URL in this process."""
    app = _apps.get(settings.broker_url)
    if app is None:
        app = Celery("qlp")
        app.conf.update(celery_config(settings))
        _apps[settings.broker_url] = app
    return app
