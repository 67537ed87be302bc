"""One ingest: read the input, validate it, and write the Qlib folder only when the report has no errors."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trainers.ingest.panel import panel_of
from trainers.ingest.readers import Bars, ReadOptions, read_bars
from trainers.ingest.validate import ValidationConfig, ValidationReport, validate_bars
from trainers.ingest.writer import WriteSummary, write_qlib


@dataclass
class IngestResult:
    """The report, what was written (None when the report's errors rejected the input: nothing is written then) and
    where the time went."""

    report: ValidationReport
    written: WriteSummary | None
    bars: Bars
    read_s: float
    validate_s: float
    write_s: float


def ingest(root: Path, out: Path, *, names: Sequence[str] | None = None, options: ReadOptions | None = None,
           config: ValidationConfig | None = None, market: str = "all") -> IngestResult:
    """Read ``names`` (or every data file) under ``root``, validate, and write a Qlib folder to ``out`` (new or empty)
    unless the report has errors. Raises IngestError for input refused outright (paths, limits, formulas, columns)."""
    t0 = time.perf_counter()
    bars = read_bars(root, names, options)
    t1 = time.perf_counter()
    panel = panel_of(bars)
    report = validate_bars(bars, config, panel)
    t2 = time.perf_counter()
    written = write_qlib(bars, out, market=market, panel=panel) if report.ok else None
    t3 = time.perf_counter()
    return IngestResult(report, written, bars, t1 - t0, t2 - t1, t3 - t2)
