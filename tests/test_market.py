"""The synthetic market: Qlib's binary layout, determinism by seed, late listings, and a planted signal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qlp_core.qlib_data import QlibFolderError, content_hash, describe_folder
from trainers.market import generate_market


def read_bin(path: Path) -> tuple[int, np.ndarray]:
    raw = np.fromfile(path, dtype="<f4")
    return int(raw[0]), raw[1:]


def test_layout_and_metadata(tmp_path: Path) -> None:
    info = generate_market(tmp_path, n_instruments=30, years=2, seed=3)
    days = (tmp_path / "calendars" / "day.txt").read_text().split()
    assert (tmp_path / "calendars" / "day_future.txt").read_text().split() == days
    assert days[0] == "2020-01-01" and info["end"] == days[-1] and len(days) == 522
    rows = [ln.split("\t") for ln in (tmp_path / "instruments" / "all.txt").read_text().splitlines()]
    assert len(rows) == 30 and all(len(r) == 3 for r in rows)
    assert (tmp_path / "instruments" / "index.txt").read_text().startswith("DEMOIDX\t")
    assert "DEMOIDX" not in (tmp_path / "instruments" / "demo.txt").read_text()
    desc = describe_folder(tmp_path)
    assert desc.instruments == 30 and desc.benchmarks == ["DEMOIDX"]
    assert desc.fields == sorted(["open", "high", "low", "close", "volume", "vwap", "factor", "change"])
    late = 0
    for sym, start, _end in rows:
        first, close = read_bin(tmp_path / "features" / sym.lower() / "close.day.bin")
        assert days[first] == start and len(close) == len(days) - first
        late += first > 0
        _, high = read_bin(tmp_path / "features" / sym.lower() / "high.day.bin")
        _, low = read_bin(tmp_path / "features" / sym.lower() / "low.day.bin")
        _, vwap = read_bin(tmp_path / "features" / sym.lower() / "vwap.day.bin")
        assert (high >= close).all() and (low <= close).all() and (low <= vwap).all() and (vwap <= high).all()
    assert late == 3  # a tenth list later


def test_deterministic_by_seed(tmp_path: Path) -> None:
    generate_market(tmp_path / "a", n_instruments=10, years=1, seed=1)
    generate_market(tmp_path / "b", n_instruments=10, years=1, seed=1)
    generate_market(tmp_path / "c", n_instruments=10, years=1, seed=2)
    assert content_hash(tmp_path / "a") == content_hash(tmp_path / "b") != content_hash(tmp_path / "c")


def test_signal_is_planted(tmp_path: Path) -> None:
    """The VWAP/close ratio today ranks the return two days ahead (what Alpha158's label measures)."""
    generate_market(tmp_path, n_instruments=200, years=2, seed=0)
    syms = [ln.split("\t")[0] for ln in (tmp_path / "instruments" / "all.txt").read_text().splitlines()]
    n_days = len((tmp_path / "calendars" / "day.txt").read_text().split())
    close = np.full((n_days, len(syms)), np.nan)
    vwap = np.full_like(close, np.nan)
    for j, s in enumerate(syms):
        first, c = read_bin(tmp_path / "features" / s.lower() / "close.day.bin")
        _, v = read_bin(tmp_path / "features" / s.lower() / "vwap.day.bin")
        close[first:, j], vwap[first:, j] = c, v
    feature = -(vwap / close)
    label = np.roll(close, -2, axis=0) / np.roll(close, -1, axis=0) - 1

    def rank(a: np.ndarray) -> np.ndarray:
        return np.argsort(np.argsort(a)).astype(float)

    ics = []
    for t in range(100, n_days - 2):
        ok = ~np.isnan(feature[t]) & ~np.isnan(label[t])
        ics.append(np.corrcoef(rank(feature[t, ok]), rank(label[t, ok]))[0, 1])
    assert np.mean(ics) > 0.04


def test_bad_sizes_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate_market(tmp_path, n_instruments=0)
    with pytest.raises(ValueError):
        generate_market(tmp_path, years=0.1)
    with pytest.raises(QlibFolderError, match="calendars"):
        describe_folder(tmp_path / "nothing")
