"""Request and response models of the registry domain: registered models and versions with their lineage, aliases,
promotion policies, gate decisions and the history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_api.experiments.schemas import RUN_ID
from qlp_core.json_body import JsonBody

#: A registered model's name as the platform addresses it (MLflow also takes others; those are listed, not managed).
MODEL_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
#: An alias: MLflow's characters, ASCII only; ``latest`` and ``v<digits>`` are MLflow's own and refused (422).
ALIAS = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"
POLICY_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
MAX_VERSION = 2**31 - 1
MAX_NOTES = 10_000
MAX_REASON = 2000
#: thresholds and margins: plain numbers of a sane size
BOUND = 1e6
Metric = Literal["ic", "rank_ic", "icir", "rank_icir", "excess_return", "information_ratio", "max_drawdown"]
AliasName = Annotated[str, Field(pattern=ALIAS)]
ModelName = Annotated[str, Field(pattern=MODEL_NAME)]


# ----- registering and reading versions -----------------------------------------------------------------------

class VersionCreate(JsonBody):
    run_id: str = Field(pattern=RUN_ID, description="A finished workflow run of the platform (its job succeeded).")
    notes: str = Field("", max_length=MAX_NOTES)


class ModelCreate(VersionCreate):
    """Register a run's model under ``name``: the registered model is created when it does not exist yet."""

    name: str = Field(pattern=MODEL_NAME)


class NotesUpdate(JsonBody):
    notes: str = Field(max_length=MAX_NOTES)


class ModelFile(BaseModel):
    path: str
    format: str = Field(description="lightgbm_text, xgboost_json, catboost, onnx, safetensors, json, pickle, "
                        "torch, other.")
    safe: bool = Field(description="Loadable without unpickling (serving may use it).")


class Lineage(BaseModel):
    """What the version was made from, read from the platform's own records when it was registered."""

    model_config = ConfigDict(from_attributes=True)
    run_id: str
    experiment_id: str
    job_id: int | None
    dataset_id: int | None
    dataset_name: str
    dataset_version: int
    dataset_hash: str
    config_hash: str
    model_class: str | None
    factor_set: str | None = Field(description="NAME@vN of the factor set the handler trained on, if any.")
    factor_versions: list[str]


class VersionRow(BaseModel):
    name: str
    version: int
    run_id: str | None
    source: str
    status: str
    created_at: datetime | None
    aliases: list[str]
    notes: str
    registered_via_api: bool = Field(description="False: made in MLflow directly (no verified lineage; it cannot "
                                     "be promoted through the gate).")


class ModelRead(BaseModel):
    name: str
    description: str
    created_at: datetime | None
    updated_at: datetime | None
    aliases: dict[str, int] = Field(description="Alias -> the version it points at.")
    latest_version: int | None


class PolicyRef(BaseModel):
    alias: str
    policy: str


class ModelDetail(ModelRead):
    versions: list[VersionRow] = Field(description="Newest first.")
    guards: list[PolicyRef] = Field(description="The aliases of this model a policy guards, and which.")


class Check(BaseModel):
    check: str = Field(description="min_ic, …, max_drawdown, beats_champion.")
    metric: str = Field(description="Qlib's metric name the check reads.")
    value: float | None = Field(description="The candidate's value (null: the run has no such metric).")
    threshold: float | None = Field(description="The bound; for beats_champion the holder's value plus the margin.")
    passed: bool
    reason: str


class DecisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    model_name: str
    version: int
    alias: str
    policy_name: str
    policy_snapshot: dict[str, Any]
    passed: bool = Field(description="Whether every check passed.")
    outcome: Literal["promoted", "refused", "overridden"]
    checks: list[Check]
    metrics: dict[str, float]
    champion: dict[str, Any] | None = Field(description="The alias's holder it was compared with: version, run_id, "
                                            "dataset_id, metrics.")
    override_reason: str | None
    note: str
    username: str
    created_at: datetime


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    action: str = Field(description="registered, notes_edited, alias_set, alias_removed, override, "
                        "promotion_refused, policy_created, policy_updated.")
    model_name: str | None
    version: int | None
    alias: str | None
    policy_name: str | None
    decision_id: int | None
    details: dict[str, Any]
    username: str
    created_at: datetime


class VersionDetail(VersionRow):
    lineage: Lineage | None = Field(description="Null for a version made in MLflow directly.")
    model_files: list[ModelFile]
    safe_format: bool = Field(description="The run holds a model file that loads without unpickling.")
    metrics: dict[str, float] = Field(description="The run's test-segment metrics, by Qlib's names.")
    mlflow_url: str | None
    registered_by: str | None
    decisions: list[DecisionRead] = Field(description="Every gate decision on this version, newest first.")
    history: list[EventRead] = Field(description="Every change of this version, newest first.")


# ----- aliases and the gate -----------------------------------------------------------------------------------

class AliasSet(JsonBody):
    version: int = Field(ge=1, le=MAX_VERSION)
    override_reason: str | None = Field(
        None, min_length=1, max_length=MAX_REASON,
        description="Promote despite a failed gate (admin only): why, in words. Recorded with the decision.")


class Promotion(BaseModel):
    name: str
    alias: str
    version: int
    previous_version: int | None
    decision: DecisionRead | None = Field(description="The gate's decision; null when no policy guards the alias.")


class AliasRemoved(BaseModel):
    name: str
    alias: str
    version: int


# ----- policies -----------------------------------------------------------------------------------------------

def _bound(description: str) -> Any:
    return Field(default=None, ge=-BOUND, le=BOUND, description=description)


class Thresholds(BaseModel):
    """Bounds on the candidate run's test-segment metrics; null: not checked. A missing metric fails its bound."""

    model_config = ConfigDict(extra="forbid")
    min_ic: float | None = _bound("IC at least this.")
    min_rank_ic: float | None = _bound("Rank IC at least this.")
    min_icir: float | None = _bound("ICIR at least this.")
    min_rank_icir: float | None = _bound("Rank ICIR at least this.")
    min_excess_return: float | None = _bound("1day.excess_return_with_cost.annualized_return at least this.")
    min_information_ratio: float | None = _bound("1day.excess_return_with_cost.information_ratio at least this.")
    max_drawdown: float | None = Field(default=None, ge=0, le=BOUND, description=(
        "The deepest drawdown allowed, as a positive number: 0.15 passes a "
        "1day.excess_return_with_cost.max_drawdown of -0.12 and fails -0.2."))


class BeatsChampion(BaseModel):
    """The candidate must beat the alias's current holder by ``margin`` on ``metric`` (candidate − holder ≥ margin;
    a drawdown is negative, so less deep is better there too), both trained on the same dataset version."""

    model_config = ConfigDict(extra="forbid")
    metric: Metric
    margin: float = Field(ge=0, le=BOUND)


class PolicyBody(JsonBody):
    description: str = Field("", max_length=2048)
    model_name: str | None = Field(None, pattern=MODEL_NAME,
                                   description="Guard this model's aliases only; null: every model's.")
    aliases: list[AliasName] = Field(min_length=1, max_length=16, description="The aliases it guards.")
    thresholds: Thresholds = Field(default_factory=lambda: Thresholds())
    beats_champion: BeatsChampion | None = None


class PolicyCreate(PolicyBody):
    name: str = Field(pattern=POLICY_NAME)


class PolicyRead(BaseModel):
    id: int
    name: str
    description: str
    model_name: str | None
    aliases: list[str]
    thresholds: Thresholds
    beats_champion: BeatsChampion | None
    created_at: datetime
    updated_at: datetime


class PolicyDetail(PolicyRead):
    history: list[EventRead] = Field(description="Its creation and every update, newest first.")
