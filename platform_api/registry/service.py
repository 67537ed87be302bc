"""The registry's logic: registering a finished workflow run's model with its lineage from the platform's own records,
reading models and versions from MLflow's registry, notes, aliases — promotion through the gate where a policy guards
the alias, overrides by an admin with a reason — policies, and the history of every change."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_api.auth.principal import Principal
from platform_api.db import utcnow
from platform_api.domain_errors import Conflict, DomainError, Forbidden, NotFound, Refused
from platform_api.experiments.repository import job_for_run
from platform_api.experiments.service import KEY_METRICS, MAX_ARTIFACTS, _metrics, _pairs, _time, run_url
from platform_api.experiments.store import MlflowStore
from platform_api.jobs.models import JobKind, JobState
from platform_api.registry import gate
from platform_api.registry import repository as repo
from platform_api.registry.models import GateDecision, ModelPolicy, PolicyGuard, RegisteredVersion, RegistryEvent
from platform_api.registry.schemas import (
    AliasRemoved,
    AliasSet,
    BeatsChampion,
    DecisionRead,
    EventRead,
    Lineage,
    ModelDetail,
    ModelFile,
    ModelRead,
    PolicyBody,
    PolicyCreate,
    PolicyDetail,
    PolicyRead,
    PolicyRef,
    Promotion,
    Thresholds,
    VersionCreate,
    VersionDetail,
    VersionRow,
)
from qlp_core.problems import ProblemCode
from qlp_core.settings import Settings

T = TypeVar("T")
PROMPT_TAG = "mlflow.prompt.is_prompt"
RESERVED_ALIASES = ("latest",)
#: A model file's format by how its name ends, and whether it loads without unpickling.
FORMATS: tuple[tuple[str, str, bool], ...] = (
    ("lightgbm.txt", "lightgbm_text", True), (".txt", "text", True), (".ubj", "xgboost_ubj", True),
    (".json", "json", True), (".cbm", "catboost", True), (".onnx", "onnx", True),
    (".safetensors", "safetensors", True), (".pkl", "pickle", False), (".pickle", "pickle", False),
    # under model/: the tensors of a torch model's modules as trainers.model_exports writes them, read back with
    # torch.load(weights_only=True) (no arbitrary unpickling); a .pth of anyone else is not
    (".pt", "torch_state_dict", True), (".pth", "torch", False),
)
MODEL_DIRS = ("model/", "models/")
QLIB_MODEL = "params.pkl"  # what Qlib's recorder saves the trained model as (a pickle)


async def _db(fn: Callable[..., T], *args: Any) -> T:
    """Database work off the event loop (the session is used by one thread at a time)."""
    return await to_thread.run_sync(fn, *args)


# ----- shaping MLflow's answers -------------------------------------------------------------------------------

def _is_prompt(rm: dict[str, Any]) -> bool:
    return _pairs(rm.get("tags")).get(PROMPT_TAG, "").lower() == "true"


def _aliases(rm: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in rm.get("aliases") or []:
        try:
            out[str(a["alias"])] = int(a["version"])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _model_read(rm: dict[str, Any]) -> ModelRead:
    latest = [int(v["version"]) for v in rm.get("latest_versions") or [] if str(v.get("version", "")).isdigit()]
    return ModelRead(name=str(rm.get("name", "")), description=str(rm.get("description") or ""),
                     created_at=_time(rm.get("creation_timestamp")),
                     updated_at=_time(rm.get("last_updated_timestamp")), aliases=_aliases(rm),
                     latest_version=max(latest) if latest else None)


def _row(mv: dict[str, Any], ours: RegisteredVersion | None) -> VersionRow:
    return VersionRow(
        name=str(mv.get("name", "")), version=int(mv.get("version", 0)), run_id=mv.get("run_id") or None,
        source=str(mv.get("source", "")), status=str(mv.get("status", "")),
        created_at=_time(mv.get("creation_timestamp")), aliases=sorted(str(a) for a in mv.get("aliases") or []),
        notes=ours.notes if ours is not None else str(mv.get("description") or ""),
        registered_via_api=ours is not None,
    )


def model_files(entries: list[dict[str, Any]]) -> list[ModelFile]:
    """The run's model files (Qlib's ``params.pkl``, anything under ``model/``) with their formats."""
    found: list[ModelFile] = []
    for entry in entries:
        path = str(entry.get("path", ""))
        if entry.get("is_dir") or not (path == QLIB_MODEL or path.startswith(MODEL_DIRS)):
            continue
        name = path.rsplit("/", 1)[-1].lower()
        fmt, safe = next(((f, s) for end, f, s in FORMATS if name.endswith(end)), ("other", False))
        found.append(ModelFile(path=path, format=fmt, safe=safe))
    return found


def _source(run_id: str, files: list[ModelFile]) -> str:
    if any(f.path.startswith("model/") for f in files):
        return f"runs:/{run_id}/model"
    if any(f.path.startswith("models/") for f in files):
        return f"runs:/{run_id}/models"
    if any(f.path == QLIB_MODEL for f in files):
        return f"runs:/{run_id}/{QLIB_MODEL}"
    raise Refused(f"run {run_id} logged no model (no {QLIB_MODEL}, nothing under model/): nothing to register")


def check_alias(alias: str) -> None:
    """MLflow keeps ``latest`` and ``v<digits>`` for itself."""
    if alias.lower() in RESERVED_ALIASES or (alias[:1] in "vV" and alias[1:].isdigit()):
        raise Refused(f"alias {alias!r} is reserved by MLflow (latest, v<number>): choose another name")


def _event(session: Session, user: Principal, action: str, *, model_name: str | None = None,
           version: int | None = None, alias: str | None = None, policy_name: str | None = None,
           decision_id: int | None = None, details: dict[str, Any] | None = None) -> None:
    repo.add(session, RegistryEvent(action=action, model_name=model_name, version=version, alias=alias,
                                    policy_name=policy_name, decision_id=decision_id, details=details or {},
                                    user_id=user.id, username=user.username))


# ----- models and versions ------------------------------------------------------------------------------------

async def list_models(store: MlflowStore) -> list[ModelRead]:
    """Registered models (MLflow's prompts left out), by name."""
    models = [_model_read(rm) for rm in await store.registered_models() if not _is_prompt(rm)]
    return sorted(models, key=lambda m: m.name)


async def _model(store: MlflowStore, name: str) -> dict[str, Any]:
    rm = await store.registered_model(name)
    if rm is None or _is_prompt(rm):
        raise NotFound(f"no such model: {name}")
    return rm


def _guards(session: Session, name: str) -> list[PolicyRef]:
    chosen: dict[str, PolicyGuard] = {}
    for g in repo.guards_of_model(session, name):
        if g.alias not in chosen or g.model_name == name:  # the model's own guard wins
            chosen[g.alias] = g
    return [PolicyRef(alias=a, policy=g.policy.name) for a, g in sorted(chosen.items())]


async def model_detail(store: MlflowStore, session: Session, name: str) -> ModelDetail:
    rm = await _model(store, name)
    versions = await store.model_versions(name)
    ours = await _db(repo.versions, session, name)
    guards = await _db(_guards, session, name)
    read = _model_read(rm)
    rows = sorted((_row(mv, ours.get(int(mv.get("version", 0)))) for mv in versions), key=lambda r: -r.version)
    for row in rows:  # MLflow's version search leaves the aliases out: the model's own map has them
        row.aliases = sorted({*row.aliases, *(a for a, v in read.aliases.items() if v == row.version)})
    return ModelDetail(**read.model_dump(), versions=rows, guards=guards)


def _lineage(session: Session, run_id: str, tags: dict[str, str]) -> dict[str, Any]:
    """What the run was made from, from the platform's records: its job (a succeeded workflow), the dataset version,
    the config's hash and the factor set; the run's own tags must agree with them."""
    job = job_for_run(session, run_id)
    if job is None or job.kind != JobKind.WORKFLOW:
        raise Refused(f"run {run_id} is not a workflow run of the platform: no platform job logged it")
    if job.state != JobState.SUCCEEDED:
        raise Refused(f"run {run_id} comes from job {job.id}, which is {job.state}: only a succeeded workflow job's "
                      "run can be registered")
    if tags.get("qlp.job_id") != str(job.id):
        raise Refused(f"run {run_id}'s qlp.job_id tag does not name job {job.id}, which logged it")
    ds = repo.dataset(session, job.dataset_id) if job.dataset_id is not None else None
    if ds is None:
        raise Refused(f"job {job.id} has no dataset version recorded: its lineage is unknown")
    if tags.get("qlp.dataset_hash", ds.content_hash) != ds.content_hash:
        raise Refused(f"run {run_id}'s qlp.dataset_hash tag does not match dataset version {ds.id}")
    fs = repo.factor_set(session, job.factor_set_id) if job.factor_set_id is not None else None
    try:
        named = json.loads(tags.get("qlp.factor_versions") or "[]")
    except ValueError:
        named = []
    return {
        "job_id": job.id, "dataset_id": ds.id, "dataset_name": ds.name, "dataset_version": ds.version,
        "dataset_hash": ds.content_hash, "config_hash": job.config_hash,
        "factor_set": f"{fs.name}@v{fs.version}" if fs is not None else None,
        "factor_versions": [str(n) for n in named][:500] if isinstance(named, list) and fs is not None else [],
    }


def _store_version(session: Session, row: RegisteredVersion, user: Principal) -> None:
    try:
        repo.add(session, row)
    except IntegrityError as exc:
        raise Conflict(f"version {row.version} of {row.model_name} is already recorded (the model was deleted and "
                       "made again in MLflow)") from exc
    _event(session, user, "registered", model_name=row.model_name, version=row.version,
           details={"run_id": row.run_id, "dataset": f"{row.dataset_name}@v{row.dataset_version}",
                    "source": row.source})


async def register(store: MlflowStore, settings: Settings, session: Session, name: str, data: VersionCreate,
                   user: Principal, *, create_model: bool) -> VersionDetail:
    """A new version of ``name`` from a finished workflow run of the platform (the model made when ``create_model``
    and it does not exist yet)."""
    run = await store.run(data.run_id)
    if run is None:
        raise NotFound(f"no such run: {data.run_id}")
    info, rdata = run.get("info") or {}, run.get("data") or {}
    if info.get("status") != "FINISHED":
        raise Refused(f"run {data.run_id} is {info.get('status') or 'unknown'}: only a finished run can be registered")
    tags, params = _pairs(rdata.get("tags")), _pairs(rdata.get("params"))
    lineage = await _db(_lineage, session, data.run_id, tags)
    listed, _ = await store.artifacts(data.run_id, MAX_ARTIFACTS)
    files = model_files(listed)
    source = _source(data.run_id, files)
    rm = await store.registered_model(name)
    if rm is not None and _is_prompt(rm):
        raise Refused(f"{name} is an MLflow prompt, not a model")
    if rm is None:
        if not create_model:
            raise NotFound(f"no such model: {name} (POST /api/models registers a run under a new name)")
        try:
            await store.create_registered_model(name, "", {"qlp.registry": "api"})
        except Conflict:
            pass  # made meanwhile: add the version to it
    taken = await _db(repo.version_of_run, session, name, data.run_id)
    if taken is not None:
        raise Conflict(f"run {data.run_id} is version {taken.version} of {name} already")
    tags_out = {
        "qlp.job_id": str(lineage["job_id"]), "qlp.dataset_id": str(lineage["dataset_id"]),
        "qlp.dataset_version": f"{lineage['dataset_name']}@v{lineage['dataset_version']}",
        "qlp.dataset_hash": lineage["dataset_hash"], "qlp.config_hash": lineage["config_hash"],
        "qlp.registered_by": user.username, "qlp.safe_format": str(any(f.safe for f in files)).lower(),
    }
    if lineage["factor_set"]:
        tags_out["qlp.factor_set"] = lineage["factor_set"]
    mv = await store.create_model_version(name, source, data.run_id, data.notes, tags_out)
    row = RegisteredVersion(
        model_name=name, version=int(mv["version"]), run_id=data.run_id,
        experiment_id=str(info.get("experiment_id", "")), model_class=params.get("task.model.class"), source=source,
        model_files=[f.model_dump() for f in files], notes=data.notes, registered_by=user.id, **lineage,
    )
    await _db(_store_version, session, row, user)
    return await version_detail(store, settings, session, name, row.version)


def _version_parts(session: Session, name: str, number: int) -> tuple[RegisteredVersion | None, list[DecisionRead],
                                                                          list[EventRead], str | None]:
    row = repo.version(session, name, number)
    decisions = [DecisionRead.model_validate(d) for d in repo.decisions(session, name, number)]
    events = [EventRead.model_validate(e) for e in repo.events(session, name, number)]
    return row, decisions, events, repo.username(session, row.registered_by) if row is not None else None


async def _version(store: MlflowStore, name: str, number: int) -> dict[str, Any]:
    await _model(store, name)
    mv = await store.model_version(name, number)
    if mv is None:
        raise NotFound(f"model {name} has no version {number}")
    return mv


async def version_detail(store: MlflowStore, settings: Settings, session: Session, name: str,
                         number: int) -> VersionDetail:
    mv = await _version(store, name, number)
    row, decisions, events, registered_by = await _db(_version_parts, session, name, number)
    run_id = mv.get("run_id") or None
    run = await store.run(str(run_id)) if run_id else None
    metrics = _metrics(((run or {}).get("data") or {}).get("metrics"))
    files = [ModelFile.model_validate(f) for f in row.model_files] if row is not None else []
    experiment_id = str(((run or {}).get("info") or {}).get("experiment_id", ""))
    return VersionDetail(
        **_row(mv, row).model_dump(),
        lineage=Lineage.model_validate(row) if row is not None else None,
        model_files=files, safe_format=any(f.safe for f in files),
        metrics={k: metrics[k] for k in KEY_METRICS if k in metrics},
        mlflow_url=run_url(settings, experiment_id, str(run_id)) if run is not None else None,
        registered_by=registered_by, decisions=decisions, history=events,
    )


def _edit_notes(session: Session, name: str, number: int, notes: str, user: Principal) -> str:
    row = repo.version(session, name, number)
    if row is None:
        raise Refused(f"version {number} of {name} was made in MLflow directly, not through /api/models: register "
                      "its run through /api/models to keep notes and history")
    before, row.notes = row.notes, notes
    _event(session, user, "notes_edited", model_name=name, version=number,
           details={"before": before[:2000], "after": notes[:2000]})
    session.flush()
    return before


async def edit_notes(store: MlflowStore, settings: Settings, session: Session, name: str, number: int, notes: str,
                     user: Principal) -> VersionDetail:
    await _version(store, name, number)
    await _db(_edit_notes, session, name, number, notes, user)
    await store.update_model_version(name, number, notes)  # the MLflow UI shows them as the description
    return await version_detail(store, settings, session, name, number)


async def history(store: MlflowStore, session: Session, name: str) -> list[EventRead]:
    events = [EventRead.model_validate(e) for e in await _db(repo.events, session, name)]
    if not events:
        await _model(store, name)  # 404 for a model nobody ever touched here and MLflow does not know
    return events


# ----- aliases and the gate -----------------------------------------------------------------------------------

@dataclass
class Outcome:
    """A promotion, or the refusal to answer with (its decision recorded all the same)."""

    promotion: Promotion | None = None
    refusal: DomainError | None = None


async def _holder(store: MlflowStore, session: Session, name: str, version: int | None) -> gate.Holder | None:
    if version is None:
        return None
    row = await _db(repo.version, session, name, version)
    run_id = row.run_id if row is not None else None
    if run_id is None:
        mv = await store.model_version(name, version)
        run_id = (mv or {}).get("run_id") or None
    run = await store.run(run_id) if run_id else None
    metrics = gate.gate_metrics(_metrics(((run or {}).get("data") or {}).get("metrics")))
    label = (f"{row.dataset_name}@v{row.dataset_version} (dataset id {row.dataset_id})" if row is not None
             else "an unknown dataset version (made in MLflow directly)")
    return gate.Holder(version=version, run_id=run_id, dataset_id=row.dataset_id if row is not None else None,
                       dataset_label=label, metrics=metrics)


def _decide(session: Session, name: str, alias: str, guard: PolicyGuard, row: RegisteredVersion,
            metrics: dict[str, float], holder: gate.Holder | None, data: AliasSet, user: Principal,
            previous: int | None) -> tuple[GateDecision, DomainError | None]:
    """Run the policy's checks, record the decision and its history; the refusal to answer with, if any."""
    policy = guard.policy
    checks = gate.threshold_checks(policy.thresholds, metrics)
    if policy.beats_champion:
        checks.append(gate.beats_check(policy.beats_champion, metrics, row.version, row.dataset_id,
                                       f"{row.dataset_name}@v{row.dataset_version} (dataset id {row.dataset_id})",
                                       holder))
    passed = all(c["passed"] for c in checks)
    refusal: DomainError | None = None
    note = ""
    if passed:
        outcome = "promoted"
    elif data.override_reason is None:
        outcome = "refused"
    elif not user.at_least("admin"):
        outcome, note = "refused", f"an override was asked for by {user.username} ({user.role}): it needs admin"
    else:
        outcome = "overridden"
    decision = GateDecision(
        model_name=name, version=row.version, alias=alias, policy_id=policy.id, policy_name=policy.name,
        policy_snapshot={"thresholds": policy.thresholds, "beats_champion": policy.beats_champion},
        passed=passed, outcome=outcome, checks=checks, metrics=metrics,
        champion=holder.as_record() if holder is not None else None,
        override_reason=data.override_reason if outcome == "overridden" else None, note=note,
        user_id=user.id, username=user.username,
    )
    repo.add(session, decision)
    failed = "; ".join(gate.failed_reasons(checks))
    if outcome == "refused":
        _event(session, user, "promotion_refused", model_name=name, version=row.version, alias=alias,
               policy_name=policy.name, decision_id=decision.id, details={"failed": failed, "note": note})
        if note:
            refusal = Forbidden(f"version {row.version} failed policy {policy.name!r} for @{alias} ({failed}); "
                                f"overriding the gate needs admin (decision {decision.id} recorded)")
        else:
            refusal = Conflict(f"version {row.version} failed policy {policy.name!r} for @{alias}: {failed} "
                               f"(decision {decision.id} recorded; an admin may override with override_reason)",
                               code=ProblemCode.GATE_FAILED)
        return decision, refusal
    if outcome == "overridden":
        _event(session, user, "override", model_name=name, version=row.version, alias=alias, policy_name=policy.name,
               decision_id=decision.id, details={"reason": data.override_reason, "failed": failed})
    _event(session, user, "alias_set", model_name=name, version=row.version, alias=alias, policy_name=policy.name,
           decision_id=decision.id, details={"previous_version": previous, "outcome": outcome})
    return decision, None


def _alias_set_unguarded(session: Session, name: str, alias: str, version: int, previous: int | None,
                         user: Principal) -> None:
    _event(session, user, "alias_set", model_name=name, version=version, alias=alias,
           details={"previous_version": previous, "outcome": "unguarded"})


async def promote(store: MlflowStore, session: Session, name: str, alias: str, data: AliasSet,
                  user: Principal) -> Outcome:
    """Point ``alias`` at a version: through the gate when a policy guards it (every decision recorded)."""
    check_alias(alias)
    if data.override_reason is not None and not data.override_reason.strip():
        raise Refused("override_reason must say in words why the gate is overridden")
    rm = await _model(store, name)
    mv = await store.model_version(name, data.version)
    if mv is None:
        raise NotFound(f"model {name} has no version {data.version}")
    previous = _aliases(rm).get(alias)
    if previous == data.version:
        raise Conflict(f"version {data.version} holds @{alias} already")
    guard = await _db(repo.guard_for, session, name, alias)
    if guard is None:
        await _db(_alias_set_unguarded, session, name, alias, data.version, previous, user)
        await store.set_alias(name, alias, data.version)
        return Outcome(Promotion(name=name, alias=alias, version=data.version, previous_version=previous,
                                 decision=None))
    row = await _db(repo.version, session, name, data.version)
    if row is None:
        raise Refused(f"version {data.version} of {name} was made in MLflow directly: it has no verified lineage, so "
                      f"it cannot pass the gate of @{alias}; register its run through /api/models")
    run = await store.run(row.run_id)
    if run is None:
        raise Refused(f"the run of version {data.version}, {row.run_id}, is gone from MLflow: nothing to judge")
    metrics = gate.gate_metrics(_metrics((run.get("data") or {}).get("metrics")))
    holder = await _holder(store, session, name, previous)
    decision, refusal = await _db(_decide, session, name, alias, guard, row, metrics, holder, data, user, previous)
    if refusal is not None:
        return Outcome(refusal=refusal)
    await store.set_alias(name, alias, data.version)
    return Outcome(Promotion(name=name, alias=alias, version=data.version, previous_version=previous,
                             decision=DecisionRead.model_validate(decision)))


def _alias_removed(session: Session, name: str, alias: str, version: int, reason: str | None,
                   user: Principal) -> None:
    guard = repo.guard_for(session, name, alias)
    if guard is not None:
        if not user.at_least("admin"):
            raise Forbidden(f"@{alias} is guarded by policy {guard.policy.name!r}: removing it needs admin")
        if reason is None or not reason.strip():
            raise Refused(f"@{alias} is guarded by policy {guard.policy.name!r}: say why it is removed (reason)")
    _event(session, user, "alias_removed", model_name=name, version=version, alias=alias,
           policy_name=guard.policy.name if guard is not None else None, details={"reason": reason})


async def remove_alias(store: MlflowStore, session: Session, name: str, alias: str, reason: str | None,
                       user: Principal) -> AliasRemoved:
    """Take an alias off its version; a guarded one only by an admin, with a reason (else the next candidate would
    have no holder to beat)."""
    rm = await _model(store, name)
    version = _aliases(rm).get(alias)
    if version is None:
        raise NotFound(f"model {name} has no alias {alias}")
    await _db(_alias_removed, session, name, alias, version, reason, user)
    await store.delete_alias(name, alias)
    return AliasRemoved(name=name, alias=alias, version=version)


# ----- policies -----------------------------------------------------------------------------------------------

def policy_read(p: ModelPolicy) -> PolicyRead:
    model_name = p.guards[0].model_name if p.guards else ""
    return PolicyRead(id=p.id, name=p.name, description=p.description, model_name=model_name or None,
                      aliases=[g.alias for g in p.guards], thresholds=Thresholds.model_validate(p.thresholds),
                      beats_champion=BeatsChampion.model_validate(p.beats_champion) if p.beats_champion else None,
                      created_at=p.created_at, updated_at=p.updated_at)


def get_policy(session: Session, name: str) -> ModelPolicy:
    p = repo.policy(session, name)
    if p is None:
        raise NotFound(f"no such policy: {name}")
    return p


def policy_detail(session: Session, p: ModelPolicy) -> PolicyDetail:
    events = [EventRead.model_validate(e) for e in repo.policy_events(session, p.name)]
    return PolicyDetail(**policy_read(p).model_dump(), history=events)


def _check_guards(session: Session, data: PolicyBody, policy_id: int | None) -> None:
    if len(set(data.aliases)) != len(data.aliases):
        raise Refused("aliases repeat an alias")
    for alias in data.aliases:
        check_alias(alias)
    taken = repo.guards_taken(session, data.model_name or "", data.aliases, policy_id)
    if taken:
        scope = f"of {data.model_name}" if data.model_name else "of every model"
        raise Conflict(f"@{taken[0].alias} {scope} is guarded by policy {taken[0].policy.name!r} already")


def _set_guards(session: Session, p: ModelPolicy, data: PolicyBody) -> None:
    p.guards.clear()
    session.flush()  # the old guards go before the new ones come (the same alias may stay)
    p.guards.extend(PolicyGuard(model_name=data.model_name or "", alias=a) for a in data.aliases)


def _snapshot(data: PolicyBody) -> dict[str, Any]:
    return data.model_dump(mode="json", exclude={"name"})


def create_policy(session: Session, data: PolicyCreate, user: Principal) -> PolicyDetail:
    if repo.policy(session, data.name) is not None:
        raise Conflict(f"policy {data.name!r} exists")
    _check_guards(session, data, None)
    p = ModelPolicy(name=data.name, description=data.description,
                    thresholds=data.thresholds.model_dump(mode="json"),
                    beats_champion=data.beats_champion.model_dump(mode="json") if data.beats_champion else None,
                    created_by=user.id, updated_by=user.id)
    repo.add(session, p)
    _set_guards(session, p, data)
    session.flush()
    _event(session, user, "policy_created", policy_name=p.name, details=_snapshot(data))
    return policy_detail(session, p)


def update_policy(session: Session, name: str, data: PolicyBody, user: Principal) -> PolicyDetail:
    p = get_policy(session, name)
    _check_guards(session, data, p.id)
    before = policy_read(p).model_dump(mode="json", exclude={"id", "name", "created_at", "updated_at"})
    p.description = data.description
    p.thresholds = data.thresholds.model_dump(mode="json")
    p.beats_champion = data.beats_champion.model_dump(mode="json") if data.beats_champion else None
    p.updated_by = user.id
    p.updated_at = utcnow()
    _set_guards(session, p, data)
    session.flush()
    _event(session, user, "policy_updated", policy_name=p.name, details={"before": before, "after": _snapshot(data)})
    return policy_detail(session, p)
