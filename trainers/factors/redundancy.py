"""The factor library's redundancy check: standardised cross-sectional ranks per factor and dataset, stored as .npy
files, and the mean daily rank correlation of a new factor with every stored one.

A factor's ranks on a dataset are kept as a :class:`RankMatrix`: float32 [day, instrument] ranks standardised per day
over that day's valid names (mean 0, population std 1: sum of squares = n_valid), 0 where the factor has no value,
with the validity mask beside them (bit-packed on disk). On a day where two factors have values for the same names,
``dot(z_a, z_b) / n_valid`` is exactly their Spearman correlation (average ranks for ties). On a day where the names
differ, we take the Pearson correlation, over the names both have, of the ranks each factor got on its own names
(six dot products): exact Spearman would re-rank on the common names, which the stored ranks cannot do cheaply. The
ranks restricted to the common names are a monotone, nearly linear map of the re-ranked ones, so the error is small
(the tests bound it on random data with 10-30% differing NaN); where the patterns agree (the usual case: the same
dataset, warm-up windows aside) there is no approximation beyond float32. The mean is over the days with at least
``min_pairs`` common names and both sides not constant.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from trainers.factors.stats import MIN_PAIRS, rank_rows

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$")


@dataclass
class RankMatrix:
    """One factor's standardised per-day ranks on a dataset (see the module docstring)."""

    z: np.ndarray  # float32 [day, instrument], 0 where missing
    mask: np.ndarray  # bool [day, instrument]
    dates: np.ndarray  # datetime64[D] [day]
    instruments: np.ndarray  # str [instrument]

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.z.shape[0]), int(self.z.shape[1]))


def rank_matrix(values: np.ndarray, dates: Iterable[object], instruments: Iterable[object],
                min_pairs: int = MIN_PAIRS) -> RankMatrix:
    """Standardised ranks of a [day, instrument] value array (NaN = missing). A day with fewer than ``min_pairs``
    values or all of them equal keeps none (it can give no correlation)."""
    x = np.asarray(values, dtype=np.float64)
    x = np.where(np.isfinite(x), x, np.nan)
    r = rank_rows(x)
    mask = ~np.isnan(r)
    n = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (n + 1) / 2.0  # average ranks always sum to n(n+1)/2
        d = np.where(mask, r - mean[:, None], 0.0)
        std = np.sqrt((d * d).sum(axis=1) / n)
        z = d / std[:, None]
    dead = (n < max(min_pairs, 2)) | ~(std > 0)
    mask[dead] = False
    z[~mask] = 0.0
    return RankMatrix(z.astype(np.float32), mask, pd.DatetimeIndex(list(dates)).values.astype("datetime64[D]"),
                      np.asarray([str(i) for i in instruments]))


def from_series(factor: pd.Series, min_pairs: int = MIN_PAIRS) -> RankMatrix:
    """:func:`rank_matrix` of a (datetime, instrument) factor Series."""
    wide = factor.unstack(level=1)
    return rank_matrix(wide.to_numpy(dtype=np.float64), wide.index, wide.columns, min_pairs)


def _masked_pearson(za: np.ndarray, ma: np.ndarray, zb: np.ndarray, mb: np.ndarray, min_pairs: int) -> np.ndarray:
    """Per-row Pearson of za and zb over the columns both masks hold (float64; the rows are few)."""
    c = ma & mb
    n = c.sum(axis=1)
    a = np.where(c, za, 0.0).astype(np.float64)
    b = np.where(c, zb, 0.0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        sa, sb = a.sum(axis=1), b.sum(axis=1)
        cov = (a * b).sum(axis=1) - sa * sb / n
        va = (a * a).sum(axis=1) - sa * sa / n
        vb = (b * b).sum(axis=1) - sb * sb / n
        r = cov / np.sqrt(va * vb)
    r[(n < max(min_pairs, 2)) | ~(va > 1e-9 * n) | ~(vb > 1e-9 * n)] = np.nan
    return np.clip(r, -1.0, 1.0)


def _aligned(a: RankMatrix, b: RankMatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(za, ma, zb, mb) on the days and instruments both have (views when the axes are the same)."""
    if np.array_equal(a.dates, b.dates) and np.array_equal(a.instruments, b.instruments):
        return a.z, a.mask, b.z, b.mask
    _, ta, tb = np.intersect1d(a.dates, b.dates, assume_unique=True, return_indices=True)
    _, na, nb = np.intersect1d(a.instruments, b.instruments, assume_unique=True, return_indices=True)
    ia, ib = np.ix_(ta, na), np.ix_(tb, nb)
    return a.z[ia], a.mask[ia], b.z[ib], b.mask[ib]


def daily_rank_corr(a: RankMatrix, b: RankMatrix, min_pairs: int = MIN_PAIRS) -> np.ndarray:
    """Per-day rank correlation of two factors on their common days (NaN where there is none)."""
    za, ma, zb, mb = _aligned(a, b)
    same = np.all(ma == mb, axis=1)
    n = ma.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.einsum("tn,tn->t", za, zb).astype(np.float64) / n
    out[n < max(min_pairs, 2)] = np.nan
    diff = np.flatnonzero(~same)
    if diff.size:
        out[diff] = _masked_pearson(za[diff], ma[diff], zb[diff], mb[diff], min_pairs)
    return np.clip(out, -1.0, 1.0)


def mean_rank_corr(a: RankMatrix, b: RankMatrix, min_pairs: int = MIN_PAIRS) -> tuple[float, int]:
    """(mean daily rank correlation, days it is over); NaN with 0 days when there is none."""
    d = daily_rank_corr(a, b, min_pairs)
    ok = ~np.isnan(d)
    k = int(ok.sum())
    return (float(d[ok].mean()) if k else float("nan")), k


class Match(NamedTuple):
    """One library factor close to the new one."""

    factor_key: str
    mean_rank_corr: float
    redundant: bool
    days: int


def closest(new_ranks: RankMatrix, library: FactorLibrary | Mapping[str, RankMatrix] | Iterable[tuple[str, RankMatrix]],
            top: int = 10, threshold: float = 0.7, *, dataset_hash: str | None = None,
            exclude: Iterable[str] = (), min_pairs: int = MIN_PAIRS) -> list[Match]:
    """The ``top`` library factors by |mean rank correlation| with ``new_ranks`` (descending), each flagged
    ``redundant`` when |corr| > ``threshold``. ``library``: a :class:`FactorLibrary` (with ``dataset_hash``: its
    factors on that dataset, read one at a time, memory-mapped), a mapping key → ranks, or (key, ranks) pairs."""
    if isinstance(library, FactorLibrary):
        if dataset_hash is None:
            raise ValueError("a FactorLibrary needs the dataset_hash to look in")
        entries: Iterable[tuple[str, RankMatrix]] = library.entries(dataset_hash)
    elif isinstance(library, Mapping):
        entries = library.items()
    else:
        entries = library
    skip = set(exclude)
    found = []
    for key, ranks in entries:
        if key in skip:
            continue
        corr, days = mean_rank_corr(new_ranks, ranks, min_pairs)
        if days:
            found.append(Match(key, corr, abs(corr) > threshold, days))
    found.sort(key=lambda m: (-abs(m.mean_rank_corr), m.factor_key))
    return found[:top]


class FactorLibrary:
    """Ranks of evaluated factors, one folder per (dataset content hash, factor key):
    ``<root>/<dataset_hash>/<factor_key>/{z,mask,dates,instruments}.npy`` (plain arrays, ``allow_pickle=False``;
    the mask bit-packed along instruments). A write goes to a temporary folder renamed into place."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @staticmethod
    def _check(name: str, what: str) -> str:
        if not _KEY_RE.fullmatch(name) or name in {".", ".."}:
            raise ValueError(f"{what} {name!r} must be letters, digits, '_', '.', '-' (no leading dot)")
        return name

    def path(self, factor_key: str, dataset_hash: str) -> Path:
        return self.root / self._check(dataset_hash, "dataset hash") / self._check(factor_key, "factor key")

    def put(self, factor_key: str, dataset_hash: str, ranks: RankMatrix) -> Path:
        """Store (or replace) ``factor_key``'s ranks on ``dataset_hash``."""
        final = self.path(factor_key, dataset_hash)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{factor_key}.", dir=final.parent))
        try:
            np.save(tmp / "z.npy", np.ascontiguousarray(ranks.z, dtype=np.float32), allow_pickle=False)
            np.save(tmp / "mask.npy", np.packbits(ranks.mask, axis=1), allow_pickle=False)
            np.save(tmp / "dates.npy", ranks.dates.astype("datetime64[D]"), allow_pickle=False)
            np.save(tmp / "instruments.npy", ranks.instruments.astype(str), allow_pickle=False)
            if final.exists():
                old = final.with_name(f".{factor_key}.old.{os.getpid()}")
                os.replace(final, old)
                os.replace(tmp, final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return final

    def get(self, factor_key: str, dataset_hash: str) -> RankMatrix:
        """``factor_key``'s ranks on ``dataset_hash`` (z memory-mapped); FileNotFoundError if not stored."""
        folder = self.path(factor_key, dataset_hash)
        z = np.load(folder / "z.npy", mmap_mode="r", allow_pickle=False)
        instruments = np.load(folder / "instruments.npy", allow_pickle=False)
        packed = np.load(folder / "mask.npy", allow_pickle=False)
        mask = np.unpackbits(packed, axis=1, count=len(instruments)).astype(bool)
        return RankMatrix(z, mask, np.load(folder / "dates.npy", allow_pickle=False), instruments)

    def keys(self, dataset_hash: str) -> list[str]:
        """The factor keys stored for ``dataset_hash``, sorted."""
        folder = self.root / self._check(dataset_hash, "dataset hash")
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def entries(self, dataset_hash: str) -> Iterator[tuple[str, RankMatrix]]:
        """(key, ranks) for every factor stored on ``dataset_hash``, loaded one at a time."""
        for key in self.keys(dataset_hash):
            try:
                yield key, self.get(key, dataset_hash)
            except FileNotFoundError:  # replaced or removed meanwhile
                continue
