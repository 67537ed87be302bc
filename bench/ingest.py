"""Writing Qlib's binary layout: our ingest (read, validate, write: `python -m trainers.ingest`) against Qlib's own
`dump_bin.py dump_all` (../shared/reference/qlib_dump_bin.py, run as it is), each a fresh process on the same
per-instrument CSV files of the generator's market, alternating which goes first, in one run. Checks that both wrote the
same bytes, prints rows/s for each and the ratio (ours / Qlib's time); the target is <= 0.5.

    python bench/ingest.py [--instruments 300] [--years 10] [--rounds 3] [--qlib-workers N] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import parse_args  # noqa: E402

DUMP_BIN = ROOT.parent / "shared" / "reference" / "qlib_dump_bin.py"


def timed(argv: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv[:4])} … exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return took, proc.stdout


def same_bytes(ours: Path, qlib: Path) -> bool:
    """Every file Qlib's script wrote is in ours with the same bytes, and ours has nothing else but day_future.txt."""
    a = {p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file()} - {"calendars/day_future.txt"}
    b = {p.relative_to(qlib).as_posix() for p in qlib.rglob("*") if p.is_file()}
    return a == b and all((ours / rel).read_bytes() == (qlib / rel).read_bytes() for rel in b)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instruments", type=int, default=300)
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--qlib-workers", type=int, default=os.cpu_count() or 1,
                    help="dump_bin.py's --max_workers (its default is 16; default here: one per CPU)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parse_args(ap, smoke={"instruments": 20, "years": 1, "rounds": 1})
    if not DUMP_BIN.is_file():
        sys.exit(f"Qlib's reference script is not at {DUMP_BIN}")

    from trainers.ingest import read_qlib_folder
    from trainers.ingest.export import export_bars
    from trainers.market import generate_market

    work = Path(tempfile.mkdtemp(prefix="qlp-bench-ingest-"))
    try:
        generate_market(work / "gen", n_instruments=args.instruments, years=args.years, seed=0)
        bars = read_qlib_folder(work / "gen")
        src = work / "csv"
        files = export_bars(bars, src, layout="per_instrument")
        size = sum(f.stat().st_size for f in files)
        rows = bars.rows
        print(f"input: {len(files)} CSV files ({args.instruments} instruments + the index, {args.years:g} years), "
              f"{rows:,} rows, {size / 1e6:.1f} MB")
        fields = ",".join(bars.fields)
        start_ours, _ = timed([sys.executable, "-c", "import trainers.ingest.pipeline"])
        start_qlib, _ = timed([sys.executable, "-c", "import fire, loguru, tqdm, pandas, qlib.utils"])
        print(f"interpreter start + imports alone: ours {start_ours:.2f}s, Qlib's script {start_qlib:.2f}s")

        ours_t, qlib_t = [], []
        for i in range(args.rounds):
            out_ours, out_qlib = work / f"ours{i}", work / f"qlib{i}"
            sides = ("qlib", "ours") if i % 2 else ("ours", "qlib")
            for side in sides:
                if side == "ours":
                    took, text = timed([sys.executable, "-m", "trainers.ingest", str(src), str(out_ours)])
                    ours_t.append(took)
                    inner = re.search(r"^read .*$", text, re.MULTILINE)
                else:
                    took, _ = timed([sys.executable, str(DUMP_BIN), "dump_all", "--data_path", str(src), "--qlib_dir",
                                     str(out_qlib), "--include_fields", fields, "--date_field_name", "date",
                                     "--max_workers", str(args.qlib_workers)])
                    qlib_t.append(took)
            if i == 0:
                equal = same_bytes(out_ours, out_qlib)
                print(f"outputs equal to the bit: {'yes' if equal else 'NO'}")
                if inner:
                    print(f"inside our process: {inner.group(0)}")
                if not equal:
                    return 1
            shutil.rmtree(out_ours)
            shutil.rmtree(out_qlib)
            ratio = ours_t[-1] / qlib_t[-1]
            print(f"round {i + 1}: ours {ours_t[-1]:.2f}s   Qlib {qlib_t[-1]:.2f}s   ratio {ratio:.3f}", flush=True)
        mo, mq = statistics.median(ours_t), statistics.median(qlib_t)
        print(f"\n{rows:,} rows: median ours {mo:.2f}s ({rows / mo:,.0f} rows/s), median Qlib's dump_all "
              f"{mq:.2f}s ({rows / mq:,.0f} rows/s, --max_workers {args.qlib_workers})")
        print(f"ingest ratio (ours / Qlib's time): {mo / mq:.3f}   target <= 0.5")
        return 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
