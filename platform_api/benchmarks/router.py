"""HTTP routes of the benchmarks domain: create (jobs fanned out), list, the leaderboard and its Markdown, cancel."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from platform_api.benchmarks import repository as repo
from platform_api.benchmarks import service
from platform_api.benchmarks.schemas import BenchmarkCreate, BenchmarkDetail, BenchmarkRead
from platform_api.deps import CurrentUser, ResearcherUser, RowId, SessionDep, SettingsDep
from platform_api.errors import AUTHED, problems

router = APIRouter(prefix="/api/benchmarks", tags=["benchmarks"])


@router.get("", response_model=list[BenchmarkRead], responses=problems(*AUTHED))
def list_benchmarks(_: CurrentUser, session: SessionDep) -> list[BenchmarkRead]:
    """Every benchmark, newest first, with its progress."""
    return service.read_many(session, repo.list_all(session))


@router.post("", response_model=BenchmarkDetail, status_code=201, responses=problems(*AUTHED, 404, 502))
def create_benchmark(body: BenchmarkCreate, user: ResearcherUser, session: SessionDep,
                     settings: SettingsDep) -> BenchmarkDetail:
    """Configs × seeds on one dataset version: every config is vetted (422 naming the config), then one job per
    config and seed is queued (the seed set at the model's seed kwarg), each run a child of the benchmark's MLflow
    parent run in ``experiment_name``."""
    return service.detail(session, service.create(session, settings, body, user))


@router.get("/{benchmark_id}", response_model=BenchmarkDetail, responses=problems(*AUTHED, 404))
def get_benchmark(benchmark_id: RowId, _: CurrentUser, session: SessionDep) -> BenchmarkDetail:
    """The leaderboard: per config, the mean, sample standard deviation, min and max over its succeeded runs of
    IC, ICIR, Rank IC, Rank ICIR and the annualised excess return with cost, information ratio and max drawdown;
    each run with its seed, state and metrics."""
    return service.detail(session, service.get_or_404(session, benchmark_id))


class MarkdownResponse(PlainTextResponse):
    media_type = "text/markdown"


@router.get("/{benchmark_id}/leaderboard.md", response_class=MarkdownResponse,
            responses={**problems(*AUTHED, 404), 200: {"content": {"text/markdown": {"schema": {"type": "string"}}},
                                                       "description": "The leaderboard in Qlib's table layout."}})
def leaderboard_markdown(benchmark_id: RowId, _: CurrentUser, session: SessionDep) -> MarkdownResponse:
    """The leaderboard as Markdown, in the layout of Qlib's benchmark table (mean±std over the seeds)."""
    return MarkdownResponse(service.as_markdown(session, service.get_or_404(session, benchmark_id)))


@router.post("/{benchmark_id}/cancel", response_model=BenchmarkDetail, responses=problems(*AUTHED, 403, 404))
def cancel_benchmark(benchmark_id: RowId, user: ResearcherUser, session: SessionDep) -> BenchmarkDetail:
    """Cancel every job of the benchmark that has not ended (its owner or an admin)."""
    b = service.get_or_404(session, benchmark_id)
    service.cancel(session, b, user)
    return service.detail(session, b)
