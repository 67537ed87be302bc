"""Request and response models of the experiments domain: MLflow's experiments and runs as the dashboard reads them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from platform_api.db import MAX_ID
from platform_api.jobs.schemas import JobRead

#: A metric, param or tag key we put into an MLflow search (back-quoted there).
KEY = r"[A-Za-z0-9_.\- /]{1,250}"
RUN_ID = r"^[0-9a-f]{32}$"
EXPERIMENT_ID = r"^[A-Za-z0-9_-]{1,64}$"
RunId = Annotated[str, Field(pattern=RUN_ID, description="An MLflow run id: 32 lower-case hex digits.")]
RunStatus = Literal["RUNNING", "FINISHED", "FAILED", "KILLED", "SCHEDULED"]
MAX_COMPARE = 8


class ExperimentRead(BaseModel):
    experiment_id: str
    name: str
    lifecycle_stage: str
    creation_time: datetime | None
    last_update_time: datetime | None
    tags: dict[str, str]


class RunQuery(BaseModel):
    """What ``GET /api/experiments/runs`` filters, sorts and pages by (all optional)."""

    experiment_id: list[Annotated[str, Field(pattern=EXPERIMENT_ID)]] = Field(
        default_factory=list, max_length=100,
        description="Experiments to search (repeatable); default: every active experiment.")
    dataset_id: int | None = Field(None, ge=1, le=MAX_ID, description="Runs trained on this dataset version.")
    model_class: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,127}$",
                                    description="The workflow's model class (param task.model.class), e.g. LGBModel.")
    user: str | None = Field(None, min_length=1, max_length=128, description="The platform user who ran it.")
    tag: list[Annotated[str, Field(pattern=rf"^{KEY}=", max_length=1000)]] = Field(
        default_factory=list, max_length=20,
        description="``key=value`` (repeatable; all must hold): runs whose tag ``key`` is exactly ``value``.")
    since: date | None = Field(None, description="Runs started on or after this day (UTC).")
    until: date | None = Field(None, description="Runs started on or before this day (UTC).")
    status: RunStatus | None = None
    sort: str = Field("start_time", pattern=rf"^(?:start_time|run_name|(?:metrics|params)\.{KEY})$",
                      description="``start_time``, ``run_name``, ``metrics.<name>`` or ``params.<name>``.")
    order: Literal["asc", "desc"] = "desc"
    limit: int = Field(50, ge=1, le=1000)
    page_token: str | None = Field(None, pattern=r"^[A-Za-z0-9+/=_.-]{1,2048}$",
                                   description="``next_page_token`` of the previous page (same filters).")


class RunRow(BaseModel):
    run_id: str
    run_name: str
    experiment_id: str
    experiment_name: str | None
    status: str
    start_time: datetime | None
    end_time: datetime | None
    user: str | None
    model_class: str | None
    dataset_id: int | None
    job_id: int | None
    metrics: dict[str, float] = Field(description="The latest value of every finite metric, by Qlib's names.")
    mlflow_url: str = Field(description="The run in the MLflow UI, behind the platform's door.")


class RunPage(BaseModel):
    runs: list[RunRow]
    next_page_token: str | None
    metric_keys: list[str] = Field(description="The metrics on this page: Qlib's key metrics first, then the rest.")


class ArtifactEntry(BaseModel):
    path: str
    is_dir: bool
    file_size: int | None


class RunDetail(BaseModel):
    run: RunRow
    params: dict[str, str]
    tags: dict[str, str]
    artifacts: list[ArtifactEntry]
    artifacts_truncated: bool = Field(description="The listing stopped at its bound; the run has more artifacts.")
    job: JobRead | None = Field(description="The platform job whose MLflow run this is, if any.")


class SeriesValues(BaseModel):
    """Daily curves of one run, each aligned on the dates they are shown with (None: no value that day)."""

    cum_excess_return: list[float | None] = Field(description="Cumulative sum of return - bench.")
    cum_excess_return_with_cost: list[float | None] = Field(description="Cumulative sum of return - bench - cost.")
    drawdown: list[float | None] = Field(description="The with-cost curve minus its running maximum.")
    drawdown_without_cost: list[float | None]
    turnover: list[float | None]
    ic: list[float | None]
    rank_ic: list[float | None]
    ic_rolling_20: list[float | None] = Field(description="Mean of the last 20 IC values (None before 20).")
    rank_ic_rolling_20: list[float | None]


class RunSeries(SeriesValues):
    run_id: str
    dates: list[date]


class CompareRun(BaseModel):
    run: RunRow
    series: SeriesValues = Field(description="Aligned on the comparison's dates; all None without exported series.")


class Compare(BaseModel):
    dates: list[date]
    runs: list[CompareRun]
    metric_keys: list[str]
    best: dict[str, str] = Field(
        description="Metric -> run_id of the best value (lowest for *.std and losses such as l2.valid, else highest).")
