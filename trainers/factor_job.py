"""A factor evaluation job's process (``python -m trainers.factor_job SPEC.json``): the expression vetted again by our
parser, evaluated on the job's dataset version (``trainers.factors``), logged as a run of the ``factors`` experiment,
and its summary and series written for the worker to send to the API."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from qlp_core.proc import die_with_parent
from qlp_core.protocol import FactorEvalPayload, RunnerSpec
from trainers import numerics
from trainers.runner import emit

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2


def library_dir(spec: RunnerSpec) -> Path:
    """This host's library of evaluated factors' ranks: beside its feature cache (the worker's absolute folder),
    else in the job's scratch folder."""
    cache = os.environ.get("QLP_WORKER__FEATURE_CACHE_DIR")
    if cache and Path(cache).is_absolute():
        return Path(cache).parent / "factor-library"
    return Path(spec.result_path).parent / "factor-library"


def _h(key: str) -> str:
    return key[:-1] if key.endswith("D") else key


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers per horizon (keys ``"1"``, ``"5"``, …), as the library sorts and lists them."""
    stats = result["stats"]
    out: dict[str, Any] = {k: {} for k in ("ic", "rank_ic", "icir", "rank_icir", "t_stat", "rank_t_stat",
                                           "long_short", "long_short_t")}
    for h in stats["horizons"]:
        ic, ric, ls = stats["ic"][h], stats["rank_ic"][h], stats["quantile_returns"][h]["long_short"]
        k = _h(h)
        out["ic"][k], out["icir"][k], out["t_stat"][k] = ic["mean"], ic["ir"], ic["t"]
        out["rank_ic"][k], out["rank_icir"][k], out["rank_t_stat"][k] = ric["mean"], ric["ir"], ric["t"]
        out["long_short"][k], out["long_short_t"][k] = ls["mean"], ls["t"]
    out["decay"] = stats["ic_decay"]
    out["turnover"] = stats["turnover"]["top"]
    out["autocorrelation"] = stats["rank_autocorrelation"]["mean"]
    out["coverage"] = stats["coverage"]["overall"]
    red = result.get("redundancy") or {}
    out["redundancy"] = [{"factor_key": m["factor_key"], "corr": m["mean_rank_corr"], "redundant": m["redundant"],
                          "days": m.get("days")} for m in red.get("closest", [])]
    out["redundant"] = bool(red.get("redundant"))
    return out


def metrics_of(summary: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in ("ic", "rank_ic", "rank_icir", "rank_t_stat", "long_short"):
        for h, value in summary[key].items():
            if isinstance(value, int | float):
                out[f"{key}_{h}d"] = float(value)
    for key in ("turnover", "autocorrelation", "coverage"):
        if isinstance(summary.get(key), int | float):
            out[key] = float(summary[key])
    if summary["redundancy"]:
        out["max_library_corr"] = float(abs(summary["redundancy"][0]["corr"]))
    return out


def run(spec: RunnerSpec) -> int:
    from mlflow import MlflowClient

    from qlp_core.expr import ExprError, analyse, parse, to_qlib
    from trainers.factors.evaluate import evaluate_factor

    p = spec.payload
    assert isinstance(p, FactorEvalPayload)
    try:
        node = parse(p.expression)
    except ExprError as exc:
        emit("QLP_ERROR", f"expression refused at {exc.position}: {exc.message}")
        return EXIT_REFUSED
    info = analyse(node)
    if info.lookahead:
        emit("QLP_ERROR", "a factor may not read the future: " + "; ".join(info.lookahead))
        return EXIT_REFUSED
    expression = to_qlib(node)
    client = MlflowClient(tracking_uri=spec.tracking_uri)
    experiment = client.get_experiment_by_name(p.experiment_name)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(p.experiment_name)
    tags = {"qlp.job_id": str(spec.job_id), "qlp.user": spec.user, "qlp.kind": "factor_eval",
            "qlp.factor_id": str(p.factor_id), "qlp.factor": f"{p.factor_name}@v{p.factor_version}",
            "qlp.factor_version_id": str(p.factor_version_id), "qlp.dataset_id": str(p.dataset.id),
            "qlp.dataset_name": p.dataset.name, "qlp.dataset_version": str(p.dataset.version),
            "qlp.dataset_hash": p.dataset.hash, "mlflow.runName": f"{p.factor_name}@v{p.factor_version}"}
    run_id = client.create_run(experiment_id, tags=tags).info.run_id
    emit("QLP_RUN", {"run_id": run_id, "experiment_id": experiment_id})
    print(f"[qlp] evaluating {p.factor_name}@v{p.factor_version}: {expression} on {p.dataset.name}@v"
          f"{p.dataset.version} market {p.market}, horizons {p.horizons}", flush=True)
    t0 = time.monotonic()
    result = evaluate_factor(Path(p.dataset.path), expression, p.market, p.start, p.end, p.horizons, p.quantiles,
                             library_dir=Path(p.library_dir) if p.library_dir else library_dir(spec),
                             factor_key=f"f{p.factor_id}", dataset_hash=p.dataset.hash, library_keys=p.library)
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in (result.get("timings") or {}).items()
                        if isinstance(v, int | float))
    print(f"[qlp] evaluated {result['rows']:,} factor values in {time.monotonic() - t0:.1f}s ({timings})", flush=True)
    summary = summarise(result)
    for h in p.horizons:
        k = str(h)
        print(f"[qlp] {h}d: IC {summary['ic'].get(k)}, Rank IC {summary['rank_ic'].get(k)}, Rank ICIR "
              f"{summary['rank_icir'].get(k)}, t {summary['rank_t_stat'].get(k)}", flush=True)
    for match in summary["redundancy"][:3]:
        print(f"[qlp] closest library factor {match['factor_key']}: mean rank corr {match['corr']:.3f}"
              + (" (redundant)" if match["redundant"] else ""), flush=True)
    metrics = metrics_of(summary)
    params = {"factor": p.factor_name, "factor_version": str(p.factor_version), "expression": expression[:6000],
              "market": p.market, "start": str(p.start or ""), "end": str(p.end or ""),
              "horizons": ",".join(map(str, p.horizons)), "quantiles": str(p.quantiles), "label": result["label"]}
    from mlflow.entities import Metric, Param

    now = int(time.time() * 1000)
    client.log_batch(run_id, metrics=[Metric(k, v, now, 0) for k, v in metrics.items()],
                     params=[Param(k, v) for k, v in params.items()])
    client.log_text(run_id, json.dumps(result, allow_nan=False), "factor/evaluation.json")
    client.set_terminated(run_id, "FINISHED")
    out = {"run_id": run_id, "metrics": metrics, "summary": summary, "result": result}
    Path(spec.result_path).write_text(json.dumps(out, allow_nan=False))
    return EXIT_OK


def main(argv: list[str]) -> int:
    die_with_parent()
    numerics.pin()
    spec = RunnerSpec.model_validate_json(Path(argv[0]).read_text())
    try:
        return run(spec)
    except BaseException as exc:
        traceback.print_exc()
        sys.stderr.flush()
        emit("QLP_ERROR", f"{type(exc).__name__}: {' '.join(str(exc).split())[:2000]}")
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
