"""The Celery application shared by the API (producer) and trainer workers: broker from settings, one task
at a time per process, no result backend (the job table holds state).

Liveness is the platform's own, whatever the broker: a running job heartbeats to the API, and when a worker
dies the API's reaper marks the attempt lost and sends the job again (``platform_api.jobs.reaper.reap_lost``);
a message lost before any worker claimed its job is sent again by ``redispatch_stale``; a message delivered
twice is harmless, since only one worker wins the claim. What remains is that a job which trains for hours
must not be redelivered just because it is long, and that a busy worker must not sit on messages an idle one
could run:

* Redis: the message is acknowledged when a worker process starts the job, so a running job holds none and
  the visibility timeout never fires for it; a worker takes a message only when a process is free
  (``worker_disable_prefetch``).
* RabbitMQ: the message is acknowledged when the job ends and each process holds at most one, so nothing waits
  behind a long job on a busy worker and priorities hold. Workers ask for a per-consumer delivery timeout
  (``x-consumer-timeout``, RabbitMQ 3.11.15 and later) of ``QLP_BROKER__CONSUMER_TIMEOUT_S``; older servers
  apply their own ``consumer_timeout`` (30 min by default), after which the message comes back and is dropped
  by the claim while the job runs on.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Exchange, Queue

from qlp_core import fs_broker
from qlp_core.settings import Settings

RUN_JOB_TASK = "qlp.run_job"
MAX_PRIORITY = 9


def is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://"))


def is_amqp(url: str) -> bool:
    return url.startswith(("amqp://", "amqps://", "pyamqp://"))


def celery_priority(settings: Settings, priority: int) -> int:
    """Our priority (0 lowest, 9 highest) in the broker's terms: Redis serves 0 first, RabbitMQ 9."""
    return MAX_PRIORITY - priority if is_redis(settings.broker_url) else priority


def celery_config(settings: Settings) -> dict[str, Any]:
    url = settings.broker_url
    conf: dict[str, Any] = {
        "broker_url": url,
        "task_default_queue": settings.broker.default_queue,
        "task_acks_late": is_amqp(url),
        "task_reject_on_worker_lost": False,  # a dead worker's job comes back through the reaper, once
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": False,  # a broker blip never stops a job
        "task_ignore_result": True,
        "worker_lost_wait": 2.0,
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
        "worker_send_task_events": False,
        "task_queue_max_priority": MAX_PRIORITY + 1,
        "task_default_priority": celery_priority(settings, 5),
    }
    if url.startswith("filesystem://"):
        fs_broker.install()
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
    elif is_redis(url):
        conf["worker_disable_prefetch"] = True
        conf["broker_transport_options"] = {
            "visibility_timeout": settings.broker.visibility_timeout_s,
            "queue_order_strategy": "priority",
        }
    if settings.broker.transport_options:
        conf["broker_transport_options"] = {**conf.get("broker_transport_options", {}),
                                            **settings.broker.transport_options}
    return conf


def worker_queues(settings: Settings, names: list[str]) -> list[Queue]:
    """The queues a worker consumes, declared as the API declares them, plus (RabbitMQ) the per-consumer
    delivery timeout that lets a job train for days."""
    consumer_args = None
    if is_amqp(settings.broker_url):
        consumer_args = {"x-consumer-timeout": int(settings.broker.consumer_timeout_s * 1000)}
    return [Queue(n, Exchange(n), n, queue_arguments={"x-max-priority": MAX_PRIORITY + 1},
                  consumer_arguments=consumer_args) for n in names]


_apps: dict[str, Celery] = {}


def make_celery(settings: Settings) -> Celery:
    """One Celery app per broker URL in this process."""
    app = _apps.get(settings.broker_url)
    if app is None:
        app = Celery("qlp")
        app.conf.update(celery_config(settings))
        _apps[settings.broker_url] = app
    return app
