"""The trainer protocol, defined once: what the API's internal router takes and answers, what the worker's client
sends and reads, and what the worker hands the job's own process (the runner spec). A job kind is a payload model
in ``JobPayload``; a new kind adds a model here and a runner module, not a branch in the router or the executor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, model_validator

from qlp_core.json_body import JsonBody

MAX_CONFIG = 512 * 1024
MAX_LOG_LINE = 65536
MAX_BATCH = 5000
NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
SYMBOL = r"^[A-Za-z0-9_]{1,32}$"
HEX = r"^[0-9a-f]{64}$"

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
EndState = Literal["succeeded", "failed", "cancelled"]


class DatasetRef(BaseModel):
    """The registered dataset version a job reads; ``path`` is where the API keeps it (a shared disk)."""

    id: int
    name: str
    version: int
    path: str
    hash: str = Field(pattern=HEX)


# ----- job kinds: one payload model each ------------------------------------------------------------------------
class WorkflowPayload(BaseModel):
    """A qrun-format Qlib workflow on a dataset version, logged to MLflow."""

    runner: ClassVar[str] = "trainers.runner"
    kind: Literal["workflow"] = "workflow"
    config_text: str = Field(max_length=MAX_CONFIG)
    overrides: dict[str, Any] = Field(default_factory=dict)
    dataset: DatasetRef
    experiment_name: str
    #: MLflow tags the run gets beside the job's own (a benchmark's run: its parent run, the benchmark, the seed)
    run_tags: dict[Annotated[str, Field(pattern=r"^(mlflow\.parentRunId|qlp\.[a-z_]{1,32})$")],
                   Annotated[str, Field(max_length=500)]] = Field(default_factory=dict, max_length=16)


class ProbePayload(BaseModel):
    """Prints ``lines`` lines at ``rate`` lines/s, then exits with ``exit_code``: exercises dispatch, workers and
    live logs without Qlib."""

    runner: ClassVar[str] = "trainers.probe"
    kind: Literal["probe"] = "probe"
    lines: int = Field(10, ge=0, le=1_000_000)
    rate: float = Field(50.0, gt=0, le=10_000)
    exit_code: int = Field(0, ge=0, le=1)


class MarketPayload(JsonBody):
    """Generates a synthetic market (planted, learnable signal) and registers it as a dataset version."""

    runner: ClassVar[str] = "trainers.market_job"
    kind: Literal["market"] = "market"
    name: str = Field(pattern=NAME, description="Dataset name the generated version is registered under.")
    description: str = Field("", max_length=1024)
    n_instruments: int = Field(50, ge=5, le=1000)
    years: float = Field(3, ge=0.5, le=20)
    seed: int = Field(0, ge=0, le=2**31)
    # JSON Schema has no bounds for dates: the pattern states the years the bounds allow
    start: date = Field(date(2020, 1, 1), ge=date(1900, 1, 1), le=date(2199, 12, 31),
                        json_schema_extra={"pattern": "^(19|20|21)[0-9]{2}-"},
                        description="First calendar day, 1900-01-01 to 2199-12-31.")
    market: str = Field("demo", pattern=SYMBOL)
    benchmark: str = Field("DEMOIDX", pattern=SYMBOL)


#: A column mapping's target: ``date``, ``symbol`` or a field name.
COLUMN = r"^[a-z][a-z0-9_]{0,31}$"


class IngestPayload(BaseModel):
    """Ingests an uploaded file (CSV, Parquet, an archive of them, or a Qlib folder), validates it, and registers it
    as the next version of ``name`` with its validation report; errors reject it and nothing is registered."""

    runner: ClassVar[str] = "trainers.ingest_job"
    kind: Literal["ingest"] = "ingest"
    name: str = Field(pattern=NAME)
    description: str = Field("", max_length=1024)
    upload: str = Field(pattern=HEX, description="sha256 of the uploaded bytes: the upload's folder name.")
    path: str = Field(description="The unpacked upload where the API keeps it (a shared disk); local to the worker "
                      "by the time the runner reads it.")
    filename: str = Field(max_length=255)
    columns: dict[str, Annotated[str, Field(pattern=COLUMN)]] = Field(
        default_factory=dict, max_length=64, description="Source column name → ours.")
    benchmarks: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=16)
    date_format: str | None = Field(None, max_length=32)
    market: str = Field("all", pattern=SYMBOL)
    prices: Literal["adjusted", "raw"] = "adjusted"
    base: DatasetRef | None = Field(None, description="Append: the version the upload adds days or instruments to "
                                    "(the new version holds both; the base's rows must not change).")


#: Market names a universe may not take: Qlib's list of every instrument, and the benchmarks' list.
RESERVED_MARKETS = frozenset({"all", "index"})
#: At most this many member rows in a universe given by its members.
MAX_MEMBERS = 20_000
#: An instrument symbol as a member row may spell it (``qlp_core.qlib_data.SYMBOL_PATTERN``, restated here: the
#: protocol loads no numpy); the job normalises it (``600000.SH`` → ``SH600000``).
MEMBER_SYMBOL = r"^[A-Za-z0-9_^]+(?:[.\-][A-Za-z0-9_^]+)*$"


class TopTradedRule(BaseModel):
    """At each rebalance (the first trading day of each month), the ``n`` instruments with the highest mean daily
    traded value over the ``window`` trading days before it; members until the next rebalance."""

    n: int = Field(ge=1, le=5000, description="Members per rebalance (fewer where fewer are eligible).")
    window: int = Field(60, ge=5, le=500, description="Trading days before the rebalance day the ranking reads.")
    rebalance: Literal["monthly"] = "monthly"
    min_days: int | None = Field(None, ge=1, le=500, description=(
        "Traded days in the window an instrument needs to be ranked (at most window); default window // 2."))

    @model_validator(mode="after")
    def _default_min_days(self) -> TopTradedRule:
        if self.min_days is None:
            self.min_days = max(1, self.window // 2)
        return self


class Member(BaseModel):
    """One member row: the instrument is in the universe from ``start`` to ``end`` (both included)."""

    # no bounds on the dates (a row is clipped to the version's calendar): each keyword costs a check per row of up to
    # MAX_MEMBERS in the schema check of a request body
    symbol: str = Field(max_length=32, pattern=MEMBER_SYMBOL)
    start: date
    end: date


class UniversePayload(BaseModel):
    """A new version of a dataset: its version ``dataset`` plus one instrument list ``market``, chosen by a rule
    (top traded) or given as its members; registered under the base's name."""

    runner: ClassVar[str] = "trainers.universe_job"
    kind: Literal["universe"] = "universe"
    dataset: DatasetRef
    market: str = Field(pattern=SYMBOL, description="The instrument list written (not all, not index).")
    description: str = Field("", max_length=1024)
    rule: TopTradedRule | None = None
    members: list[Member] | None = Field(None, min_length=1, max_length=MAX_MEMBERS)

    @model_validator(mode="after")
    def _consistent(self) -> UniversePayload:
        if self.market.lower() in RESERVED_MARKETS:
            raise ValueError(f"market {self.market!r} is reserved: a universe is neither all nor index")
        if (self.rule is None) == (self.members is None):
            raise ValueError("give exactly one of rule and members")
        if self.rule is not None and self.rule.min_days is not None and self.rule.min_days > self.rule.window:
            raise ValueError(f"min_days {self.rule.min_days} is more than the window of {self.rule.window} days")
        return self


class FactorEvalPayload(BaseModel):
    """Evaluates one factor version (its vetted expression) on a dataset version: IC and Rank IC per horizon,
    quantile returns, turnover, coverage and redundancy against the library; logged as a run of ``experiment_name``."""

    runner: ClassVar[str] = "trainers.factor_job"
    kind: Literal["factor_eval"] = "factor_eval"
    dataset: DatasetRef
    evaluation_id: int
    factor_id: int
    factor_name: str = Field(max_length=64)
    factor_version: int
    factor_version_id: int
    expression: str = Field(max_length=4000, description="Vetted by qlp_core.expr on the API; vetted again here.")
    market: str = Field("all", pattern=SYMBOL)
    start: date | None = None
    end: date | None = None
    horizons: list[Annotated[int, Field(ge=1, le=120)]] = Field(default_factory=lambda: [1, 5, 10, 20],
                                                                 min_length=1, max_length=6)
    quantiles: int = Field(5, ge=2, le=10)
    experiment_name: str = "factors"
    #: set by the worker: this host's library folder, and the factor keys in it to compare with (the platform's
    #: library on this dataset, fetched from the store); None: every factor the folder holds
    library_dir: str | None = Field(default=None, max_length=4096)
    library: list[Annotated[str, Field(pattern=r"^f[0-9]{1,10}$")]] | None = Field(default=None, max_length=100_000)


JobPayload = Annotated[WorkflowPayload | ProbePayload | MarketPayload | IngestPayload | UniversePayload
                       | FactorEvalPayload, Field(discriminator="kind")]
JobKind = Literal["workflow", "probe", "market", "ingest", "universe", "factor_eval"]
KINDS: tuple[str, ...] = ("workflow", "probe", "market", "ingest", "universe", "factor_eval")


# ----- claim ------------------------------------------------------------------------------------------------------
class ClaimRequest(BaseModel):
    worker: str = Field(min_length=1, max_length=255)
    hostname: str = Field("", max_length=255)


class JobSpec(BaseModel):
    """What a worker gets when it wins a claim."""

    job_id: int
    attempt: int
    user: str
    log_offset: int = Field(ge=0, description="The job's next log sequence number (earlier attempts' lines stay).")
    tracking_uri: str = Field(description="MLflow through the API's door, as the API sees itself.")
    tracking_token: str = Field("", description="The job's own MLflow token; empty for kinds that log no run.")
    payload: JobPayload


# ----- while it runs --------------------------------------------------------------------------------------------
class WorkerRef(BaseModel):
    worker: str = Field(min_length=1, max_length=255)


class HeartbeatResponse(BaseModel):
    state: JobState
    cancel_requested: bool


class LogLine(BaseModel):
    seq: int = Field(ge=0)
    ts: datetime
    line: str = Field(max_length=MAX_LOG_LINE)


class LogBatch(WorkerRef):
    lines: list[LogLine] = Field(max_length=MAX_BATCH)


class LogsStored(BaseModel):
    stored: int = Field(description="Lines stored now (a retried batch stores nothing twice).")


class RunInfo(WorkerRef):
    mlflow_run_id: str = Field(max_length=64)
    mlflow_experiment_id: str = Field(max_length=64)


class FinishRequest(WorkerRef):
    state: EndState
    error: str | None = Field(None, max_length=20000)
    metrics: dict[str, float] = Field(default_factory=dict)


class JobEnded(BaseModel):
    job_id: int
    state: JobState


class DatasetRegistered(BaseModel):
    """The answer to a worker that uploaded a dataset version a job produced."""

    dataset_id: int
    name: str
    version: int
    content_hash: str
    created: bool = Field(description="False when the same content was already registered under this name.")


class WorkerHeartbeat(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    hostname: str = Field(max_length=255)
    queues: list[str] = Field(default_factory=list, max_length=32)
    concurrency: int = Field(1, ge=1, le=1024)
    info: dict[str, Any] = Field(default_factory=dict)


# ----- the worker to the job's process --------------------------------------------------------------------------
class RunnerSpec(BaseModel):
    """SPEC.json: what the worker hands ``python -m <payload.runner> SPEC.json``. Dataset paths are local to the
    worker's host by then."""

    job_id: int
    user: str
    tracking_uri: str
    result_path: str = Field(description="Where the process writes its result JSON.")
    output_dir: str = Field("", description="Where a kind that produces files (market) writes them.")
    kernels: int | None = Field(None, ge=1)
    payload: JobPayload


#: Headers of a dataset upload from a worker.
UPLOAD_HASH_HEADER = "X-Content-SHA256"
#: The member of an ingest job's dataset upload that carries its validation report (kept beside the version, not in it).
VALIDATION_MEMBER = ".qlp/validation.json"
