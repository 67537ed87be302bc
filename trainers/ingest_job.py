"""An ingest job's process: read, validate and write the job's upload into the spec's output folder, the report beside
it (``python -m trainers.ingest_job SPEC.json``); the worker then uploads and registers it, report and all."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from qlp_core.proc import die_with_parent
from qlp_core.protocol import IngestPayload, RunnerSpec

if TYPE_CHECKING:
    from trainers.ingest import ValidationReport, WriteSummary

#: Folders archivers add that hold no data.
JUNK = frozenset({"__MACOSX"})
REPORT_NAME = "validation.json"


def is_qlib_folder(root: Path) -> bool:
    return (root / "calendars" / "day.txt").is_file() and (root / "features").is_dir()


def input_root(root: Path) -> Path:
    """Where the data is: an archive of one folder holds it in that folder."""
    while not is_qlib_folder(root):
        entries = [p for p in root.iterdir() if p.name not in JUNK and not p.name.startswith(".")]
        if len(entries) != 1 or entries[0].is_symlink() or not entries[0].is_dir():
            break
        root = entries[0]
    return root


def _append(p: IngestPayload, root: Path, qlib: bool, out: Path) -> tuple[ValidationReport, WriteSummary | None]:
    """The base version with the upload appended, validated as one market and written whole (the store keeps only
    what changed). The base's other markets come along: one that listed every instrument is extended as ``all`` is,
    any other (a universe) is kept as it was."""
    from trainers.ingest import ReadOptions, read_bars, read_qlib_folder, validate_bars, write_qlib
    from trainers.ingest.append import append_bars

    assert p.base is not None
    base_root = Path(p.base.path)
    t0 = time.monotonic()
    base = read_qlib_folder(base_root)
    if qlib:
        new = read_qlib_folder(root)
    else:
        new = read_bars(root, options=ReadOptions(columns=p.columns, date_format=p.date_format,
                                                  benchmarks=p.benchmarks, prices=p.prices))
    bars, revisions = append_bars(base, new)
    print(f"[qlp] appending {new.rows:,} rows of {len(new.symbols)} instruments to {p.base.name}@v{p.base.version} "
          f"({base.rows:,} rows of {len(base.symbols)}): {bars.rows:,} rows, read in {time.monotonic() - t0:.1f}s",
          flush=True)
    report = validate_bars(bars)
    report.errors[:0] = revisions
    if not report.ok:
        return report, None
    written = write_qlib(bars, out, market=p.market)
    inst = base_root / "instruments"
    everyone = (inst / "all.txt").read_text().splitlines()
    for path in sorted(inst.glob("*.txt")):
        target = out / "instruments" / path.name
        if target.exists() or path.is_symlink():
            continue
        if path.read_text().splitlines() == everyone:
            shutil.copyfile(out / "instruments" / "all.txt", target)
            print(f"[qlp] market {path.stem} lists every instrument, as all does: extended with it", flush=True)
        else:
            shutil.copyfile(path, target)
            print(f"[qlp] market {path.stem} kept as the base has it (define it again to extend it)", flush=True)
    return report, written


def run(spec: RunnerSpec) -> int:
    """0 when the version was written; 2 when the input was refused or its report has errors (a ``QLP_ERROR`` line
    says why, naming each problem's symbol and dates)."""
    from trainers.ingest import (
        IngestError,
        ReadOptions,
        ingest,
        read_qlib_folder,
        validate_bars,
        write_qlib,
    )

    p = spec.payload
    assert isinstance(p, IngestPayload)
    out = Path(spec.output_dir)
    report_path = out.parent / REPORT_NAME
    root = input_root(Path(p.path))
    qlib = is_qlib_folder(root)
    print(f"[qlp] ingesting {p.filename} ({'a Qlib folder' if qlib else 'CSV/Parquet bars'}) as the next version of "
          f"{p.name}", flush=True)
    t0 = time.monotonic()
    try:
        if p.base is not None:
            report, written = _append(p, root, qlib, out)
        elif qlib:
            bars = read_qlib_folder(root)
            print(f"[qlp] read {bars.rows:,} rows of {len(bars.symbols)} instruments in {time.monotonic() - t0:.1f}s",
                  flush=True)
            report = validate_bars(bars)
            written = write_qlib(bars, out, market=p.market) if report.ok else None
        else:
            opts = ReadOptions(columns=p.columns, date_format=p.date_format, benchmarks=p.benchmarks, prices=p.prices)
            res = ingest(root, out, options=opts, market=p.market)
            bars, report, written = res.bars, res.report, res.written
            print(f"[qlp] read {bars.rows:,} rows of {len(bars.symbols)} instruments from {len(bars.files)} file(s) in "
                  f"{res.read_s:.1f}s, validated in {res.validate_s:.1f}s", flush=True)
    except IngestError as exc:
        print(f"QLP_ERROR input refused ({exc.code}): {exc}", flush=True)
        return 2
    report_path.write_text(report.model_dump_json(indent=1))
    print(f"[qlp] validation: {report.instruments} instruments, {len(report.benchmarks)} benchmarks, {report.days} "
          f"days {report.first_day}..{report.last_day}, {len(report.errors)} errors, {len(report.warnings)} warnings",
          flush=True)
    for level, items in (("error", report.errors), ("warning", report.warnings)):
        for problem in items:
            print(f"[qlp] {level}: [{problem.check}] {problem.message}", flush=True)
    if written is None:
        named = "; ".join(f"[{e.check}] {e.message}" for e in report.errors)
        print(f"QLP_ERROR rejected, {len(report.errors)} errors: {named}", flush=True)
        return 2
    print(f"[qlp] wrote {written.files} files in {time.monotonic() - t0:.1f}s", flush=True)
    return 0


def main(argv: list[str]) -> int:
    die_with_parent()
    return run(RunnerSpec.model_validate_json(Path(argv[0]).read_text()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
