"""Request and response models of the factors domain."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from platform_api.jobs.schemas import QUEUE
from qlp_core.json_body import JsonBody

FACTOR_NAME = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
TAG = r"^[a-z0-9][a-z0-9_-]{0,31}$"
MAX_EXPRESSION = 4000
Tag = Annotated[str, Field(pattern=TAG)]
#: a factor's ranks on a dataset, kept by one evaluation job (``platform_api.factors.service.ranks_object``)
RANKS_OBJECT = r"^factor-ranks/[0-9a-f]{64}/f[0-9]{1,10}-j[0-9]{1,12}\.tar$"
Horizon = Annotated[int, Field(ge=1, le=120)]


class ExpressionBody(JsonBody):
    expression: str = Field(min_length=1, max_length=MAX_EXPRESSION, description="A Qlib expression, e.g. "
                            "`Ref($close, 5) / $close - 1`.")


class FactorVersionCreate(ExpressionBody):
    description: str = Field("", max_length=2048)
    tags: list[Tag] = Field(default_factory=list, max_length=16)


class FactorCreate(FactorVersionCreate):
    name: str = Field(pattern=FACTOR_NAME)


class ExpressionError(BaseModel):
    message: str
    position: int = Field(description="0-based character offset in the expression.")
    expected: list[str] = Field(default_factory=list)


class ExpressionInfo(BaseModel):
    canonical: str = Field(description="The text Qlib gets.")
    fields: list[str]
    operators: list[str]
    lookback: int | None = Field(description="Trading days of history the expression needs; null: all of it.")
    lookahead: list[str] = Field(description="Why the expression reads the future (a negative Ref…); empty: it "
                                 "does not.")


class ExpressionCheck(BaseModel):
    valid: bool
    error: ExpressionError | None = None
    info: ExpressionInfo | None = None


class FactorVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    version: int
    expression: str
    description: str
    tags: list[str]
    fields: list[str]
    lookback: int | None
    lookahead: list[str]
    created_by: int | None
    created_at: datetime


class EvaluationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    factor_version_id: int
    factor_id: int | None = Field(None, description="The factor the evaluated version belongs to.")
    factor: str | None = Field(None, description="That factor's name.")
    version: int = 0
    dataset_id: int | None
    dataset_hash: str
    market: str
    start: date | None
    end: date | None
    horizons: list[int]
    job_id: int | None
    state: str | None = Field(None, description="The evaluation job's state.")
    mlflow_run_id: str | None
    summary: dict[str, Any] = Field(description="Per horizon (`\"1\"`, `\"5\"`, …) ic, rank_ic, icir, rank_icir, "
                                    "t_stat, rank_t_stat; decay; long_short; turnover; autocorrelation; coverage; "
                                    "redundancy (the closest library factors) and redundant.")
    created_at: datetime


class EvaluationDetail(EvaluationRead):
    result: dict[str, Any] = Field(default_factory=dict, description="The charts' series.")

    @field_validator("result", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) and value else (value or {})


class FactorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    owner_id: int | None
    owner: str | None = None
    latest_version: int
    archived_at: datetime | None
    created_at: datetime
    latest: FactorVersionRead
    evaluation: EvaluationRead | None = Field(None, description="The latest finished evaluation of any version.")


class FactorDetail(FactorRead):
    versions: list[FactorVersionRead]


class EvaluateRequest(JsonBody):
    dataset_id: int = Field(ge=1, le=2**31 - 1)
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="Factor version; default: the latest.")
    market: str = Field("all", pattern=r"^[A-Za-z0-9_]{1,32}$")
    start: date | None = Field(None, json_schema_extra={"pattern": "^(19|20|21)[0-9]{2}-"})
    end: date | None = Field(None, json_schema_extra={"pattern": "^(19|20|21)[0-9]{2}-"})
    horizons: list[Horizon] = Field(default_factory=lambda: [1, 5, 10, 20], min_length=1, max_length=6)
    quantiles: int = Field(5, ge=2, le=10)
    queue: str | None = Field(None, pattern=QUEUE, description="The workers' queue; default: the default queue.")


class FactorRef(BaseModel):
    factor_id: int = Field(ge=1, le=2**31 - 1)
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="Default: the latest.")


class FactorSetCreate(JsonBody):
    name: str = Field(pattern=FACTOR_NAME)
    factors: list[FactorRef] = Field(min_length=1, max_length=500)
    include_alpha158: bool = False
    description: str = Field("", max_length=2048)


class FactorSetMember(BaseModel):
    factor_id: int
    name: str
    version: int
    factor_version_id: int
    expression: str


class FactorSetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    version: int
    include_alpha158: bool
    description: str
    factor_version_ids: list[int]
    members: list[FactorSetMember] = Field(default_factory=list)
    created_by: int | None
    created_at: datetime


class FactorResult(BaseModel):
    """An evaluation job's results, from its worker."""

    worker: str = Field(min_length=1, max_length=255)
    run_id: str | None = Field(None, max_length=64)
    summary: dict[str, Any]
    result: dict[str, Any]
    ranks_object: str | None = Field(None, max_length=160, pattern=RANKS_OBJECT,
                                     description="The store object the worker put the factor's ranks in.")


class WorkerBody(BaseModel):
    worker: str = Field(min_length=1, max_length=255)
