"""Benchmarks: every config × seed on one dataset version as a job of its own (any worker, sharing the feature cache
since the data setup is the same), each run a child of the benchmark's MLflow parent run; the leaderboard from the
jobs' metrics; the parent run ended with its means once every job has ended."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.benchmarks import parent_run
from platform_api.benchmarks import repository as repo
from platform_api.benchmarks.leaderboard import COLUMNS, columns_of, markdown
from platform_api.benchmarks.models import Benchmark
from platform_api.benchmarks.schemas import (
    BenchmarkCreate,
    BenchmarkDetail,
    BenchmarkEntry,
    BenchmarkRead,
    BenchmarkRun,
    Spread,
)
from platform_api.configs.models import WorkflowConfig
from platform_api.data import service as data_service
from platform_api.data.models import Dataset
from platform_api.db import session_scope
from platform_api.domain_errors import NotFound, Refused
from platform_api.jobs.models import Job, JobState
from platform_api.jobs.schemas import TrainRequest
from platform_api.jobs.submit import submit, vet_config
from qlp_core.settings import Settings
from qlp_core.workflow_config import config_hash

log = logging.getLogger("qlp.benchmarks")
#: the model kwarg a model class takes its seed in (the rest: ``seed``); None: the model takes none (deterministic)
SEED_KWARG: dict[str, str | None] = {"CatBoostModel": "random_seed", "LinearModel": None}


def seed_path(config: dict[str, Any]) -> str | None:
    """The config key path a run's seed is set at."""
    model = (config.get("task") or {}).get("model") or {}
    kwarg = SEED_KWARG.get(str(model.get("class")), "seed")
    return None if kwarg is None else f"task.model.kwargs.{kwarg}"


def _text(session: Session, text: str | None, config_id: int | None) -> str:
    if config_id is None:
        assert text is not None
        return text
    stored = session.get(WorkflowConfig, config_id)
    if stored is None:
        raise NotFound(f"no stored config {config_id}")
    return stored.text


def create(session: Session, settings: Settings, body: BenchmarkCreate, user: Principal) -> Benchmark:
    """Vet every config, queue one job per config and seed, and open the MLflow parent run their runs nest under."""
    dataset = data_service.usable(session, body.dataset_id)
    seeds = body.seeds or list(range(body.n_seeds))
    entries: list[dict[str, Any]] = []
    texts: list[str] = []
    for i, c in enumerate(body.configs):
        text = _text(session, c.config_text, c.config_id)
        try:
            config = vet_config(text, {})
        except Refused as exc:
            raise Refused(f"configs.{i}: {exc}") from None
        model = str(((config.get("task") or {}).get("model") or {}).get("class") or "model")
        name = c.name or model
        if any(e["name"] == name for e in entries):
            raise Refused(f"configs.{i}: two configs are named {name!r}: name them apart")
        entries.append({"name": name, "model": model, "config_hash": config_hash(text), "seed_path": seed_path(config),
                        "config_id": c.config_id})
        texts.append(text)
    bench = Benchmark(name=body.name, dataset_id=dataset.id, configs=entries, seeds=seeds,
                      experiment_name=body.experiment_name, created_by=user.id, closed=False)
    session.add(bench)
    session.flush()
    for i, (entry, text) in enumerate(zip(entries, texts, strict=True)):
        for seed in seeds:
            overrides = {entry["seed_path"]: seed} if entry["seed_path"] else {}
            req = TrainRequest(config_text=None if entry["config_id"] else text, config_id=entry["config_id"],
                               dataset_id=dataset.id, overrides=overrides,
                               name=f"{body.name}: {entry['name']} seed {seed}"[:128],
                               experiment_name=body.experiment_name, queue=body.queue, priority=body.priority,
                               max_attempts=3)
            job = submit(session, settings, user, req)
            job.benchmark_id, job.benchmark_entry = bench.id, i
    tags = {"mlflow.runName": body.name, "qlp.benchmark_id": str(bench.id), "qlp.user": user.username,
            "qlp.dataset_id": str(dataset.id), "qlp.dataset_name": dataset.name,
            "qlp.dataset_version": str(dataset.version), "qlp.dataset_hash": dataset.content_hash,
            "qlp.kind": "benchmark", "mlflow.note.content": f"{len(entries)} configs × {len(seeds)} seeds"}
    bench.mlflow_experiment_id, bench.parent_run_id = parent_run.create(settings, body.experiment_name, tags)
    return bench


def get_or_404(session: Session, benchmark_id: int) -> Benchmark:
    b = repo.get(session, benchmark_id)
    if b is None:
        raise NotFound("no such benchmark")
    return b


def _state(jobs: list[Job]) -> str:
    states = Counter(j.state for j in jobs)
    if not jobs or states[JobState.QUEUED] == len(jobs):
        return "queued"
    if any(s not in JobState.FINAL for s in states.elements()):
        return "running"
    if states[JobState.SUCCEEDED] == len(jobs):
        return "succeeded"
    return "failed" if not states[JobState.SUCCEEDED] else "partial"


def _read(b: Benchmark, jobs: list[Job], dataset: str | None) -> BenchmarkRead:
    out = BenchmarkRead.model_validate(b)
    out.dataset, out.state, out.jobs_total = dataset, _state(jobs), len(jobs)
    out.jobs_done = sum(j.state in JobState.FINAL for j in jobs)
    return out


def _dataset_label(session: Session, b: Benchmark) -> str | None:
    ds = session.get(Dataset, b.dataset_id) if b.dataset_id is not None else None
    return f"{ds.name}@v{ds.version}" if ds is not None else None


def read_many(session: Session, benchmarks: list[Benchmark]) -> list[BenchmarkRead]:
    jobs = repo.jobs_of(session, [b.id for b in benchmarks])
    return [_read(b, jobs[b.id], _dataset_label(session, b)) for b in benchmarks]


def _entries(b: Benchmark, jobs: list[Job]) -> list[BenchmarkEntry]:
    out = []
    wanted = [m for _, m in COLUMNS]
    for i, entry in enumerate(b.configs):
        mine = [j for j in jobs if j.benchmark_entry == i]
        path = entry.get("seed_path")
        runs = [BenchmarkRun(job_id=j.id, seed=(j.overrides or {}).get(path) if path else None, state=j.state,
                             mlflow_run_id=j.mlflow_run_id,
                             metrics={k: float(v) for k, v in (j.metrics or {}).items() if k in wanted})
                for j in mine]
        done = [r.metrics for r in runs if r.state == JobState.SUCCEEDED]
        out.append(BenchmarkEntry(index=i, name=entry["name"], model=entry["model"], config_hash=entry["config_hash"],
                                  seed_path=path, states=dict(Counter(j.state for j in mine)), runs=runs,
                                  columns={k: Spread.model_validate(v) for k, v in columns_of(done).items()}))
    return out


def detail(session: Session, b: Benchmark) -> BenchmarkDetail:
    jobs = repo.jobs_of(session, [b.id])[b.id]
    base = _read(b, jobs, _dataset_label(session, b))
    return BenchmarkDetail(**base.model_dump(), entries=_entries(b, jobs),
                           columns=[{"heading": h, "metric": m} for h, m in COLUMNS])


def as_markdown(session: Session, b: Benchmark) -> str:
    d = detail(session, b)
    rows = [(e.name, {k: v.model_dump() for k, v in e.columns.items()}, e.states.get(JobState.SUCCEEDED, 0))
            for e in d.entries]
    return markdown(d.dataset or "-", rows)


def cancel(session: Session, b: Benchmark, user: Principal) -> list[int]:
    """Cancel every job of the benchmark that has not ended (the owner or an admin, as for any job)."""
    from platform_api.jobs.submit import cancel as cancel_job

    jobs = repo.jobs_of(session, [b.id])[b.id]
    return [cancel_job(session, j, user).id for j in jobs if j.state not in JobState.FINAL]


def parent_metrics(b: Benchmark, entries: list[BenchmarkEntry]) -> dict[str, float]:
    """The parent run's metrics: ``<config>/<metric>/mean`` and ``/std`` of each column."""
    out: dict[str, float] = {}
    for e in entries:
        for metric, s in e.columns.items():
            for what in ("mean", "std"):
                value = getattr(s, what)
                if isinstance(value, float):
                    out[f"{e.name}/{metric}/{what}"] = value
    return out


def close_finished(settings: Settings) -> list[int]:
    """End the parent run of every benchmark whose jobs have all ended (FINISHED when one succeeded, else FAILED),
    with the leaderboard's means and standard deviations as its metrics; called by the API's reaper."""
    assert settings.db.url is not None
    closed = []
    with session_scope(settings.db.url) as s:
        benches = repo.open_ones(s)
        jobs = repo.jobs_of(s, [b.id for b in benches])
        for b in benches:
            mine = jobs[b.id]
            if not mine or any(j.state not in JobState.FINAL for j in mine):
                continue
            if b.parent_run_id:
                status = "FINISHED" if any(j.state == JobState.SUCCEEDED for j in mine) else "FAILED"
                try:
                    parent_run.close(settings, b.parent_run_id, parent_metrics(b, _entries(b, mine)), status)
                except Exception as exc:  # MLflow away: the next round tries again
                    log.warning("benchmark %s: parent run not ended: %s", b.id, exc)
                    continue
            b.closed = True
            closed.append(b.id)
    return closed
