"""A trainer worker: the Celery task that runs jobs, the worker's own heartbeat to the API, and its entry point."""

from __future__ import annotations

import logging
import os
import platform
import shutil
import socket
import subprocess
import threading
from typing import Any

import psutil
from celery import Celery, Task
from celery.signals import worker_ready, worker_shutdown

from qlp_core.celery_contract import RUN_JOB_TASK, make_celery, worker_queues
from qlp_core.protocol import WorkerHeartbeat
from qlp_core.settings import Settings, get_settings
from trainers.api_client import TrainerAPI
from trainers.executor import JobExecutor
from trainers.feature_cache import LocalFeatureStore

log = logging.getLogger("qlp.trainer")
WORKER_BEAT_S = 10.0


def _api(settings: Settings) -> TrainerAPI:
    assert settings.auth.trainer_token is not None and settings.server.api_url is not None
    return TrainerAPI(settings.server.api_url, settings.auth.trainer_token.get_secret_value())


#: The queue whose workers let their jobs use the host's GPUs (unless QLP_WORKER__GPU says otherwise).
GPU_QUEUE = "gpu"


def uses_gpu(settings: Settings, queues: list[str]) -> bool:
    """Whether a worker consuming ``queues`` lets its jobs see the host's GPUs."""
    return GPU_QUEUE in queues if settings.worker.gpu is None else settings.worker.gpu


def build_app(settings: Settings, gpu: bool = False) -> Celery:
    """The worker's Celery app with the job task bound to these settings (nothing is built at import time); ``gpu``:
    its jobs may use the host's GPUs."""
    app = make_celery(settings)

    @app.task(name=RUN_JOB_TASK, bind=True)
    def run_job(self: Task, job_id: int) -> str:
        worker = self.request.hostname or f"worker@{socket.gethostname()}"
        api = _api(settings)
        try:
            assert settings.storage.scratch_dir is not None
            shared = settings.storage.shared_datasets
            fetch = not (settings.embedded if shared is None else shared)
            wk = settings.worker
            share = wk.feature_cache and (fetch if wk.feature_cache_shared is None else wk.feature_cache_shared)
            features = None
            if share:
                assert wk.feature_cache_dir is not None
                features = LocalFeatureStore(wk.feature_cache_dir, wk.feature_cache_max_bytes)
            return JobExecutor(api, worker, settings.storage.scratch_dir, fetch_datasets=fetch,
                               shared_features=features, gpu=gpu).run(job_id)
        finally:
            api.close()

    def on_ready(sender: Any = None, **_: Any) -> None:
        consumer = getattr(sender, "controller", None) or sender
        consume = app.amqp.queues.consume_from
        queues = sorted(q.name for q in consume.values()) if consume else []
        concurrency = int(getattr(consumer, "concurrency", 1) or 1)
        name = getattr(sender, "hostname", None) or f"worker@{socket.gethostname()}"
        threading.Thread(target=_beat, args=(settings, name, queues, concurrency), daemon=True,
                         name="qlp-worker-beat").start()

    worker_ready.connect(on_ready, weak=False)
    worker_shutdown.connect(lambda **_: _stop.set(), weak=False)
    return app


_stop = threading.Event()


def _beat(settings: Settings, name: str, queues: list[str], concurrency: int) -> None:
    api = _api(settings)
    while not _stop.is_set():
        vm = psutil.virtual_memory()
        body = WorkerHeartbeat(
            name=name,
            hostname=socket.gethostname(),
            queues=queues,
            concurrency=concurrency,
            info={
                "gpus": gpus(),
                "pid": os.getpid(),
                "python": platform.python_version(),
                "cpu_percent": psutil.cpu_percent(interval=None),
                "cpu_count": psutil.cpu_count(),
                "memory_percent": vm.percent,
                "memory_total": vm.total,
            },
        )
        try:
            api.worker_heartbeat(body)
        except Exception as exc:
            log.warning("worker heartbeat failed: %s", exc)
        _stop.wait(WORKER_BEAT_S)
    api.close()


def gpus() -> list[dict[str, Any]]:
    """The host's NVIDIA GPUs as nvidia-smi reports them (an empty list without one)."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return []
    fields = ["name", "memory.used", "memory.total", "utilization.gpu"]
    try:
        out = subprocess.run([smi, f"--query-gpu={','.join(fields)}", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    rows = []
    for line in out.strip().splitlines():
        name, used, total, util = (v.strip() for v in line.split(","))
        rows.append({"name": name, "memory_used_mib": float(used), "memory_total_mib": float(total),
                     "utilization_percent": float(util)})
    return rows


def main(queues: list[str], concurrency: int, name: str | None, loglevel: str = "INFO") -> None:
    """Run a worker in this process (blocks until it is stopped)."""
    settings = get_settings("worker")
    # job processes run in their own folders: they find this host's feature cache by an absolute path
    cache_dir = settings.worker.feature_cache_dir
    if cache_dir is not None:
        os.environ.setdefault("QLP_WORKER__FEATURE_CACHE_DIR", str(cache_dir.resolve()))
    app = build_app(settings, gpu=uses_gpu(settings, queues))
    node = name or f"qlp-{os.getpid()}@{socket.gethostname()}"
    settings.storage.scratch_dir.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
    app.conf.task_queues = worker_queues(settings, queues)
    app.worker_main(
        [
            "worker",
            "--queues", ",".join(queues),
            "--concurrency", str(concurrency),
            "--hostname", node,
            "--loglevel", loglevel,
            "--without-gossip",
            "--without-mingle",
            "--pool", "prefork",
        ]
    )
