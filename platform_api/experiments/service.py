"""The experiments domain's logic: MLflow's runs as dashboard rows (what the platform's trainers record: qlp.* tags,
the model class param), run details with the job that made them, a run's curves and the comparison of runs."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
from datetime import UTC, date, datetime
from typing import Any

from anyio import to_thread
from sqlalchemy.orm import Session

from platform_api.domain_errors import NotFound, Refused, Unavailable
from platform_api.experiments import filters
from platform_api.experiments import repository as repo
from platform_api.experiments import series as curves
from platform_api.experiments.schemas import (
    MAX_COMPARE,
    ArtifactEntry,
    Compare,
    CompareRun,
    ExperimentRead,
    RunDetail,
    RunPage,
    RunQuery,
    RunRow,
    RunSeries,
    SeriesValues,
)
from platform_api.experiments.store import ArtifactTooLarge, MlflowStore
from platform_api.jobs.schemas import JobRead
from platform_api.jobs.submit import to_read
from qlp_core import metrics as qm
from qlp_core.settings import Settings

#: Experiments ``qlp up`` leaves in a store to recognise it (deleted, and never shown).
MARKER_PREFIX = "qlp-home-"
#: Qlib's key metrics, in the order a researcher reads them; every other metric follows, sorted.
KEY_METRICS = (
    *qm.KEY_METRICS,
    "1day.excess_return_without_cost.annualized_return", "1day.excess_return_without_cost.information_ratio",
    "1day.excess_return_without_cost.max_drawdown",
)
#: MLflow's own tags that are large and of no use on a run page.
HIDDEN_TAGS = frozenset({"mlflow.log-model.history", "mlflow.loggedArtifacts", "mlflow.source.git.diff"})
MAX_ARTIFACTS = 500


# ----- shaping MLflow's answers -------------------------------------------------------------------------------

def _time(ms: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(ms) / 1000, UTC) if ms not in (None, "") else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _pairs(items: Any) -> dict[str, str]:
    return {str(i["key"]): str(i.get("value", "")) for i in items or [] if isinstance(i, dict) and "key" in i}


def _metrics(items: Any) -> dict[str, float]:
    """Latest value per key; NaN and infinities (MLflow sends them as strings) are left out."""
    out: dict[str, float] = {}
    for item in items or []:
        try:
            number = float(item["value"])
        except (KeyError, TypeError, ValueError):
            continue
        if math.isfinite(number):
            out[str(item["key"])] = number
    return out


def run_url(settings: Settings, experiment_id: str, run_id: str) -> str:
    base = (settings.mlflow.public_url or settings.mlflow.static_prefix).rstrip("/")
    return f"{base}/#/experiments/{experiment_id}/runs/{run_id}"


def to_row(settings: Settings, run: dict[str, Any], names: dict[str, str]) -> RunRow:
    info, data = run.get("info") or {}, run.get("data") or {}
    tags = _pairs(data.get("tags"))
    params = _pairs(data.get("params"))
    run_id = str(info.get("run_id") or info.get("run_uuid") or "")
    experiment_id = str(info.get("experiment_id", ""))
    return RunRow(
        run_id=run_id,
        run_name=str(info.get("run_name") or tags.get("mlflow.runName") or ""),
        experiment_id=experiment_id,
        experiment_name=names.get(experiment_id),
        status=str(info.get("status", "")),
        start_time=_time(info.get("start_time")),
        end_time=_time(info.get("end_time")),
        user=tags.get(filters.USER_TAG) or tags.get("mlflow.user") or info.get("user_id") or None,
        model_class=params.get(filters.MODEL_PARAM),
        dataset_id=_int(tags.get(filters.DATASET_TAG)),
        job_id=_int(tags.get(filters.JOB_TAG)),
        metrics=_metrics(data.get("metrics")),
        mlflow_url=run_url(settings, experiment_id, run_id),
    )


def metric_keys(rows: list[RunRow]) -> list[str]:
    """The union of the rows' metric keys: Qlib's key metrics first (in their order), then the rest sorted."""
    present = {k for row in rows for k in row.metrics}
    return [k for k in KEY_METRICS if k in present] + sorted(present - set(KEY_METRICS))


def lower_is_better(key: str) -> bool:
    """A spread (``*.std``) or a training loss (LightGBM's ``l2.train`` / ``l2.valid``, any ``*loss*``)."""
    k = key.lower()
    return k.endswith(".std") or k.startswith(("l1.", "l2.")) or "loss" in k


def best_runs(rows: list[RunRow], keys: list[str]) -> dict[str, str]:
    """Metric -> run id of its best value among ``rows``: lowest for a ``.std``, else highest (a max_drawdown is
    negative, so highest is best there too); the first run wins a tie."""
    best: dict[str, str] = {}
    for key in keys:
        lower = lower_is_better(key)
        chosen: tuple[float, str] | None = None
        for row in rows:
            if key not in row.metrics:
                continue
            v = row.metrics[key]
            if chosen is None or (v < chosen[0] if lower else v > chosen[0]):
                chosen = (v, row.run_id)
        if chosen is not None:
            best[key] = chosen[1]
    return best


def sign_token(settings: Settings, token: str) -> str:
    """MLflow's page token with our signature: only tokens MLflow made go back to it (it answers a forged one with
    an internal error)."""
    return f"{token}.{_mac(settings, token)}"


def open_token(settings: Settings, signed: str) -> str:
    token, _, mac = signed.rpartition(".")
    if not token or not hmac.compare_digest(mac, _mac(settings, token)):
        raise Refused("page_token is not one this API handed out: pass next_page_token as it came")
    return token


def _mac(settings: Settings, token: str) -> str:
    assert settings.auth.secret_key is not None
    key = settings.auth.secret_key.get_secret_value().encode()
    return hmac.new(key, b"qlp-runs-page:" + token.encode(), hashlib.sha256).hexdigest()[:32]


def _experiment(e: dict[str, Any]) -> ExperimentRead:
    return ExperimentRead(
        experiment_id=str(e.get("experiment_id", "")), name=str(e.get("name", "")),
        lifecycle_stage=str(e.get("lifecycle_stage", "")), creation_time=_time(e.get("creation_time")),
        last_update_time=_time(e.get("last_update_time")), tags=_pairs(e.get("tags")),
    )


def _shown(e: dict[str, Any]) -> bool:
    return e.get("lifecycle_stage") == "active" and not str(e.get("name", "")).startswith(MARKER_PREFIX)


# ----- the routes' logic --------------------------------------------------------------------------------------

async def list_experiments(store: MlflowStore) -> list[ExperimentRead]:
    """Active experiments, without the platform's hidden marker experiments."""
    return [_experiment(e) for e in await store.experiments() if _shown(e)]


async def list_runs(store: MlflowStore, settings: Settings, q: RunQuery) -> RunPage:
    where = filters.filter_string(q)  # refused before MLflow is asked anything
    order = filters.order_by(q.sort, q.order)
    page_token = open_token(settings, q.page_token) if q.page_token else None
    experiments = await store.experiments()
    names = {str(e.get("experiment_id")): str(e.get("name", "")) for e in experiments}
    ids = list(dict.fromkeys(q.experiment_id)) or [str(e["experiment_id"]) for e in experiments if _shown(e)]
    if unknown := [i for i in ids if i not in names]:  # MLflow never sees an id it did not give
        raise NotFound(f"no such experiment: {', '.join(unknown[:10])}")
    if not ids:
        return RunPage(runs=[], next_page_token=None, metric_keys=[])
    runs, token = await store.search_runs(ids, where, order, q.limit, page_token)
    rows = [to_row(settings, r, names) for r in runs]
    return RunPage(runs=rows, next_page_token=sign_token(settings, token) if token else None,
                   metric_keys=metric_keys(rows))


async def _row(store: MlflowStore, settings: Settings, run_id: str) -> tuple[RunRow, dict[str, Any]]:
    run = await store.run(run_id)
    if run is None:
        raise NotFound(f"no such run: {run_id}")
    experiment_id = str((run.get("info") or {}).get("experiment_id", ""))
    experiment = await store.experiment(experiment_id) if experiment_id else None
    names = {experiment_id: str(experiment.get("name", ""))} if experiment else {}
    return to_row(settings, run, names), run


def _job(session: Session, settings: Settings, run_id: str) -> JobRead | None:
    job = repo.job_for_run(session, run_id)
    return to_read(settings, job) if job is not None else None


async def run_detail(store: MlflowStore, settings: Settings, session: Session, run_id: str) -> RunDetail:
    row, run = await _row(store, settings, run_id)
    data = run.get("data") or {}
    tags = {k: v for k, v in _pairs(data.get("tags")).items() if k not in HIDDEN_TAGS}
    listed, truncated = await store.artifacts(run_id, MAX_ARTIFACTS)
    artifacts = [ArtifactEntry(path=str(f.get("path", "")), is_dir=bool(f.get("is_dir")),
                               file_size=f["file_size"] if isinstance(f.get("file_size"), int) else None)
                 for f in listed]
    job = await to_thread.run_sync(_job, session, settings, run_id)
    return RunDetail(run=row, params=_pairs(data.get("params")), tags=tags, artifacts=artifacts,
                     artifacts_truncated=truncated, job=job)


async def _curves(store: MlflowStore, run_id: str) -> curves.Curves | None:
    """The run's curves; None when it has no exports/series.json. A file the API cannot use is a 502."""
    try:
        raw = await store.artifact(run_id, curves.SERIES_PATH, curves.MAX_SERIES_BYTES)
    except ArtifactTooLarge as exc:
        raise Unavailable(f"run {run_id}: {curves.SERIES_PATH} is larger than {curves.MAX_SERIES_BYTES} bytes; "
                          "not read") from exc
    if raw is None:
        return None
    try:
        return curves.curves(raw)
    except curves.SeriesFormatError as exc:
        raise Unavailable(f"run {run_id}: {curves.SERIES_PATH} is not in the trainer's format ({exc})") from exc


async def run_series(store: MlflowStore, settings: Settings, run_id: str) -> RunSeries:
    await _row(store, settings, run_id)  # 404 for an unknown run before anything else
    found = await _curves(store, run_id)
    if found is None:
        raise NotFound(f"run {run_id} has no exported series ({curves.SERIES_PATH}): it has no backtest or signal "
                       "analysis, or it was logged before the platform exported them")
    dates = sorted(found.dates)
    return RunSeries(run_id=run_id, dates=dates, **found.aligned(dates))


async def _compared(store: MlflowStore, settings: Settings, run_id: str) -> tuple[RunRow, curves.Curves | None]:
    row, _ = await _row(store, settings, run_id)
    try:
        return row, await _curves(store, run_id)
    except Unavailable:  # one run's unusable export must not hide the others: it shows without curves
        return row, None


async def compare(store: MlflowStore, settings: Settings, run_ids: list[str]) -> Compare:
    if len(set(run_ids)) != len(run_ids):
        raise Refused("run_ids repeat a run: compare 1 to 8 distinct runs")
    if not 1 <= len(run_ids) <= MAX_COMPARE:
        raise Refused(f"compare 1 to {MAX_COMPARE} runs")
    found = await asyncio.gather(*(_compared(store, settings, r) for r in run_ids))
    dates: list[date] = sorted(set().union(*(c.dates for _, c in found if c is not None)))
    rows = [row for row, _ in found]
    keys = metric_keys(rows)
    runs = [CompareRun(run=row, series=SeriesValues(**(c.aligned(dates) if c is not None else curves.empty(dates))))
            for row, c in found]
    return Compare(dates=dates, runs=runs, metric_keys=keys, best=best_runs(rows, keys))
