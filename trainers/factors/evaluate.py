"""One factor's evaluation end to end: Qlib values and forward returns, statistics, the library check, timings."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from trainers.factors.redundancy import FactorLibrary, RankMatrix, closest, from_series
from trainers.factors.stats import MIN_PAIRS, compute_stats, to_panel
from trainers.factors.values import factor_values, forward_returns, label_expression


def _stored(library: FactorLibrary, dataset_hash: str, keys: Sequence[str]) -> Iterator[tuple[str, RankMatrix]]:
    for key in keys:
        try:
            yield key, library.get(key, dataset_hash)
        except FileNotFoundError:
            continue


def evaluate_factor(provider_uri: Path, expression: str, market: str, start: Any, end: Any,
                    horizons: Sequence[int] = (1, 5, 10, 20), quantiles: int = 5, library_dir: Path | None = None,
                    factor_key: str | None = None, *, dataset_hash: str | None = None,
                    library_keys: Sequence[str] | None = None, top: int = 10,
                    threshold: float = 0.7, min_pairs: int = MIN_PAIRS) -> dict[str, Any]:
    """Evaluate ``expression`` on ``market`` over [start, end] of the Qlib folder ``provider_uri``.

    Phases: factor values (Qlib) → forward returns (Qlib, :func:`label_expression`) → statistics
    (:func:`trainers.factors.stats.compute_stats`) → with ``library_dir``: the closest stored factors on this dataset
    (its content hash, computed unless ``dataset_hash`` is given), then, with ``factor_key``, this factor's ranks
    stored under that key (replacing an earlier version; the key itself is left out of the comparison). With
    ``library_keys``, only those stored factors are compared with (the platform's library; others are stale).

    Returns a JSON-serialisable dict: ``expression``, ``market``, ``start``, ``end``, ``label`` (the return
    convention), ``rows``, ``stats`` (compute_stats' dict), ``redundancy`` (None without a library, else
    ``{dataset_hash, threshold, redundant, closest: [{factor_key, mean_rank_corr, redundant, days}], stored}``) and
    ``timings`` (seconds per phase)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    factor = factor_values(provider_uri, expression, market, start, end)
    timings["values"] = time.perf_counter() - t0
    t = time.perf_counter()
    returns = forward_returns(provider_uri, market, start, end, horizons)
    timings["forward_returns"] = time.perf_counter() - t
    t = time.perf_counter()
    panel = to_panel(factor, returns)
    stats = compute_stats(panel, quantiles, min_pairs)
    timings["stats"] = time.perf_counter() - t
    redundancy: dict[str, Any] | None = None
    if library_dir is not None:
        t = time.perf_counter()
        if dataset_hash is None:
            from qlp_core.qlib_data import content_hash

            dataset_hash = content_hash(Path(provider_uri))
        timings["dataset_hash"] = time.perf_counter() - t
        t = time.perf_counter()
        library = FactorLibrary(library_dir)
        ranks = from_series(factor, min_pairs)
        entries: FactorLibrary | Iterator[tuple[str, RankMatrix]] = library
        if library_keys is not None:
            entries = _stored(library, dataset_hash, library_keys)
        matches = closest(ranks, entries, top, threshold, dataset_hash=dataset_hash,
                          exclude=[factor_key] if factor_key else [], min_pairs=min_pairs)
        timings["redundancy"] = time.perf_counter() - t
        stored = False
        if factor_key:
            t = time.perf_counter()
            library.put(factor_key, dataset_hash, ranks)
            stored = True
            timings["store"] = time.perf_counter() - t
        redundancy = {
            "dataset_hash": dataset_hash,
            "threshold": threshold,
            "redundant": any(m.redundant for m in matches),
            "closest": [m._asdict() for m in matches],
            "stored": stored,
        }
    timings["total"] = time.perf_counter() - t0
    return {
        "expression": expression,
        "market": market,
        "start": str(start),
        "end": str(end),
        "label": {f"{h}D": label_expression(h) for h in sorted(set(horizons))},
        "rows": len(factor),
        "stats": stats,
        "redundancy": redundancy,
        "timings": timings,
    }
