"""The factor library: expressions vetted by our parser, versions (an edit is a new one), archiving, evaluation jobs
and their results, factor sets."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from platform_api.auth.models import User
from platform_api.auth.principal import Principal
from platform_api.data import service as data_service
from platform_api.data.store import open_store
from platform_api.data.versions import STORE_ROUTE
from platform_api.db import utcnow
from platform_api.domain_errors import Conflict, Forbidden, NotFound, Refused
from platform_api.factors import repository as repo
from platform_api.factors.models import Factor, FactorEvaluation, FactorSet, FactorVersion
from platform_api.factors.schemas import (
    EvaluateRequest,
    EvaluationDetail,
    EvaluationRead,
    ExpressionCheck,
    ExpressionError,
    ExpressionInfo,
    FactorCreate,
    FactorDetail,
    FactorRead,
    FactorSetCreate,
    FactorSetMember,
    FactorSetRead,
    FactorVersionCreate,
    FactorVersionRead,
)
from platform_api.jobs.models import Job
from platform_api.jobs.submit import submit_factor_eval
from qlp_core.expr import ExprError, analyse, parse, to_qlib
from qlp_core.protocol import DatasetRef, FactorEvalPayload
from qlp_core.settings import Settings


def check(expression: str) -> ExpressionCheck:
    """Parse and analyse an expression as a factor is vetted; refuses nothing (the answer says why it is invalid)."""
    try:
        node = parse(expression)
    except ExprError as exc:
        return ExpressionCheck(valid=False, error=ExpressionError(message=str(exc), position=exc.position,
                                                                  expected=list(exc.expected)))
    info = analyse(node)
    return ExpressionCheck(valid=True, info=ExpressionInfo(
        canonical=to_qlib(node), fields=sorted(info.fields), operators=sorted(info.operators),
        lookback=info.lookback, lookahead=list(info.lookahead)))


def _vetted(expression: str) -> ExpressionInfo:
    result = check(expression)
    if result.error is not None:
        raise Refused(f"expression refused at {result.error.position}: {result.error.message}")
    assert result.info is not None
    if result.info.lookahead:
        raise Refused("a factor may not read the future: " + "; ".join(result.info.lookahead))
    return result.info


def _new_version(factor: Factor, body: FactorVersionCreate, version: int, user: Principal) -> FactorVersion:
    info = _vetted(body.expression)
    return FactorVersion(factor_id=factor.id, version=version, expression=info.canonical,
                         description=body.description, tags=sorted(set(body.tags)), fields=info.fields,
                         lookback=info.lookback, lookahead=info.lookahead, created_by=user.id)


def create(session: Session, body: FactorCreate, user: Principal) -> Factor:
    if repo.by_name(session, body.name) is not None:
        raise Conflict(f"a factor named {body.name!r} exists: add a version to it")
    factor = Factor(name=body.name, owner_id=user.id, latest_version=1)
    info = _vetted(body.expression)  # before anything is added
    session.add(factor)
    session.flush()
    session.add(FactorVersion(factor_id=factor.id, version=1, expression=info.canonical,
                              description=body.description, tags=sorted(set(body.tags)), fields=info.fields,
                              lookback=info.lookback, lookahead=info.lookahead, created_by=user.id))
    session.flush()
    session.refresh(factor)
    return factor


def _owner_or_admin(factor: Factor, user: Principal, what: str) -> None:
    if factor.owner_id != user.id and not user.at_least("admin"):
        raise Forbidden(f"only the factor's owner or an admin may {what} it")


def _may_change(factor: Factor, user: Principal) -> None:
    _owner_or_admin(factor, user, "change")
    if factor.archived_at is not None:
        raise Refused(f"factor {factor.name} is archived")


def add_version(session: Session, factor: Factor, body: FactorVersionCreate, user: Principal) -> Factor:
    """An edit: the next version (the earlier ones, and every run and evaluation that used them, stay)."""
    _may_change(factor, user)
    version = factor.latest_version + 1
    session.add(_new_version(factor, body, version, user))
    factor.latest_version = version
    session.flush()
    session.refresh(factor)
    return factor


def archive(session: Session, factor: Factor, user: Principal) -> Factor:
    _owner_or_admin(factor, user, "archive")
    if factor.archived_at is None:
        factor.archived_at = utcnow()
    return factor


def get_or_404(session: Session, factor_id: int) -> Factor:
    factor = repo.get(session, factor_id)
    if factor is None:
        raise NotFound("no such factor")
    return factor


def version_or_404(session: Session, factor: Factor, version: int | None) -> FactorVersion:
    fv = repo.version_of(session, factor.id, version or factor.latest_version)
    if fv is None:
        raise NotFound(f"factor {factor.name} has no version {version}")
    return fv


def _evaluation_read(e: FactorEvaluation, v: FactorVersion, job: Job | None) -> EvaluationRead:
    out = EvaluationRead.model_validate(e)
    out.version, out.state = v.version, job.state if job is not None else None
    out.factor_id, out.factor = v.factor_id, v.factor.name
    return out


def _owners(session: Session, factors: list[Factor]) -> dict[int, str]:
    ids = {f.owner_id for f in factors if f.owner_id is not None}
    return {u.id: u.username for u in (session.get(User, i) for i in ids) if u is not None}


def read(session: Session, factors: list[Factor], detail: bool = False) -> list[FactorRead]:
    done = repo.latest_done(session)
    owners = _owners(session, factors)
    out: list[FactorRead] = []
    for f in factors:
        latest = FactorVersionRead.model_validate(f.versions[-1])
        evaluation = None
        if f.id in done:
            e, v = done[f.id]
            evaluation = _evaluation_read(e, v, None)
            evaluation.state = "succeeded"
        fields: dict[str, Any] = {"id": f.id, "name": f.name, "owner_id": f.owner_id, "owner": owners.get(
            f.owner_id or 0), "latest_version": f.latest_version, "archived_at": f.archived_at,
            "created_at": f.created_at, "latest": latest, "evaluation": evaluation}
        if detail:
            out.append(FactorDetail(**fields, versions=[FactorVersionRead.model_validate(v) for v in f.versions]))
        else:
            out.append(FactorRead(**fields))
    return out


def evaluations(session: Session, factor: Factor) -> list[EvaluationRead]:
    return [_evaluation_read(e, v, j) for e, v, j in repo.evaluations(session, factor.id)]


def evaluate(session: Session, settings: Settings, factor: Factor, body: EvaluateRequest,
             user: Principal) -> tuple[FactorEvaluation, Job]:
    """Queue the evaluation of a factor version on a dataset version (its row now, its results when the job ends)."""
    fv = version_or_404(session, factor, body.version)
    ds = data_service.usable(session, body.dataset_id)
    if body.market not in ds.markets:
        raise Refused(f"{ds.name}@v{ds.version} has no market {body.market!r} (it has {', '.join(ds.markets)})")
    if body.start and body.end and body.start > body.end:
        raise Refused("start is after end")
    horizons = sorted(set(body.horizons))
    evaluation = FactorEvaluation(factor_version_id=fv.id, dataset_id=ds.id, dataset_hash=ds.content_hash,
                                  market=body.market, start=body.start, end=body.end, horizons=horizons, summary={},
                                  result="")
    session.add(evaluation)
    session.flush()
    payload = FactorEvalPayload(
        dataset=DatasetRef(id=ds.id, name=ds.name, version=ds.version, path=ds.path, hash=ds.content_hash),
        evaluation_id=evaluation.id, factor_id=factor.id, factor_name=factor.name, factor_version=fv.version,
        factor_version_id=fv.id, expression=fv.expression, market=body.market, start=body.start, end=body.end,
        horizons=horizons, quantiles=body.quantiles)
    job = submit_factor_eval(session, settings, user, payload, queue=body.queue)
    evaluation.job_id = job.id
    return evaluation, job


def evaluation_or_404(session: Session, evaluation_id: int) -> FactorEvaluation:
    e = repo.evaluation(session, evaluation_id)
    if e is None:
        raise NotFound("no such evaluation")
    return e


def evaluation_detail(session: Session, evaluation_id: int) -> EvaluationDetail:
    e = evaluation_or_404(session, evaluation_id)
    out = EvaluationDetail.model_validate(e)
    version = session.get(FactorVersion, e.factor_version_id)
    job = session.get(Job, e.job_id) if e.job_id is not None else None
    out.version = version.version if version is not None else 0
    if version is not None:
        out.factor_id, out.factor = version.factor_id, version.factor.name
    out.state = job.state if job is not None else None
    return out


# ----- the library's ranks, shared between hosts through the store -----------------------------------------------
def ranks_object(dataset_hash: str, factor_id: int, job_id: int) -> str:
    """Where an evaluation job keeps its factor's ranks on a dataset (one object per job: never overwritten)."""
    return f"factor-ranks/{dataset_hash}/f{factor_id}-j{job_id}.tar"


def library_locations(session: Session, settings: Settings, dataset_hash: str,
                      exclude: int | None) -> list[dict[str, str]]:
    """The library a new evaluation on ``dataset_hash`` compares with: each factor's (not archived, not
    ``exclude``) newest kept ranks on it, as its key (``f<factor id>``), store object and URL to fetch it from."""
    store = open_store(settings)
    return [{"key": f"f{factor_id}", "object": obj, "url": store.presigned_url(obj) or f"{STORE_ROUTE}{obj}"}
            for factor_id, obj in sorted(repo.library_ranks(session, dataset_hash).items()) if factor_id != exclude]


def _evaluation_of(session: Session, job: Job) -> tuple[FactorEvaluation, FactorVersion]:
    evaluation = repo.evaluation_of_job(session, job.id)
    version = session.get(FactorVersion, evaluation.factor_version_id) if evaluation is not None else None
    if evaluation is None or version is None:
        raise NotFound(f"job {job.id} evaluates no factor")
    return evaluation, version


def ranks_upload(session: Session, settings: Settings, job: Job) -> dict[str, str]:
    """Where an evaluation job's worker puts the factor's ranks it computed (presigned PUT, or the store route)."""
    evaluation, version = _evaluation_of(session, job)
    obj = ranks_object(evaluation.dataset_hash, version.factor_id, job.id)
    return {"object": obj, "url": open_store(settings).presigned_put(obj) or f"{STORE_ROUTE}{obj}", "method": "PUT"}


def record_result(session: Session, settings: Settings, job: Job, run_id: str | None, summary: dict[str, Any],
                  result: dict[str, Any], ranks: str | None = None) -> FactorEvaluation:
    """What an evaluation job's worker sent back: stored with its factor version and dataset hash; ``ranks``: the
    store object it put the factor's ranks in (this job's own, and there)."""
    evaluation, version = _evaluation_of(session, job)
    if ranks is not None:
        if ranks != ranks_object(evaluation.dataset_hash, version.factor_id, job.id):
            raise Refused(f"{ranks} is not where job {job.id} keeps its factor's ranks")
        if not open_store(settings).exists(ranks):
            raise Refused(f"{ranks} is not in the store")
        evaluation.ranks_object = ranks
    for match in summary.get("redundancy") or []:  # the library's keys are f<factor id>: name them
        key = str(match.get("factor_key", ""))
        other = repo.get(session, int(key[1:])) if key[:1] == "f" and key[1:].isdigit() else None
        match["factor"] = other.name if other is not None else key
        match["factor_id"] = other.id if other is not None else None
    evaluation.summary = summary
    evaluation.result = json.dumps(result, allow_nan=False, separators=(",", ":"))
    evaluation.mlflow_run_id = run_id or job.mlflow_run_id
    return evaluation


# ----- factor sets ------------------------------------------------------------------------------------------------
def _members(session: Session, fs: FactorSet) -> list[FactorSetMember]:
    versions = repo.versions_by_id(session, fs.factor_version_ids)
    out = []
    for vid in fs.factor_version_ids:
        v = versions.get(vid)
        if v is not None:
            out.append(FactorSetMember(factor_id=v.factor_id, name=v.factor.name, version=v.version,
                                       factor_version_id=v.id, expression=v.expression))
    return out


def set_read(session: Session, fs: FactorSet) -> FactorSetRead:
    out = FactorSetRead.model_validate(fs)
    out.members = _members(session, fs)
    return out


def create_set(session: Session, body: FactorSetCreate, user: Principal) -> FactorSet:
    """The next version of the named set: exactly these factor versions (the latest where none is named)."""
    ids: list[int] = []
    for ref in body.factors:
        factor = get_or_404(session, ref.factor_id)
        if factor.archived_at is not None and ref.version is None:
            raise Refused(f"factor {factor.name} is archived: name the version to keep using it")
        fv = version_or_404(session, factor, ref.version)
        if fv.id in ids:
            raise Refused(f"factor {factor.name}@v{fv.version} is listed twice")
        ids.append(fv.id)
    names = [v.factor.name for v in repo.versions_by_id(session, ids).values()]
    if len(set(names)) != len(names):
        raise Refused("a factor set holds one version of each factor")
    fs = FactorSet(name=body.name, version=repo.latest_set_version(session, body.name) + 1, factor_version_ids=ids,
                   include_alpha158=body.include_alpha158, description=body.description, created_by=user.id)
    session.add(fs)
    session.flush()
    return fs


def set_or_404(session: Session, set_id: int) -> FactorSet:
    fs = repo.get_set(session, set_id)
    if fs is None:
        raise NotFound("no such factor set")
    return fs
