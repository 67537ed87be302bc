"""``python -m trainers.ingest SRC OUT``: ingest a folder of CSV or Parquet bars into a Qlib folder, with its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainers.ingest.errors import IngestError
from trainers.ingest.pipeline import ingest
from trainers.ingest.readers import ReadOptions
from trainers.ingest.validate import ValidationConfig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trainers.ingest", description=__doc__)
    ap.add_argument("src", type=Path, help="folder of .csv / .csv.gz / .parquet files")
    ap.add_argument("out", type=Path, help="new or empty folder for the Qlib data")
    ap.add_argument("--market", default="all", help="name of the instrument list besides all.txt")
    ap.add_argument("--benchmark", action="append", default=[], help="an index instrument (repeatable)")
    ap.add_argument("--column", action="append", default=[], metavar="SOURCE=OURS", help="column mapping (repeatable)")
    ap.add_argument("--date-format", default=None, help="strptime format of the dates (default: detected)")
    ap.add_argument("--layout", choices=["auto", "long", "per_instrument"], default="auto")
    ap.add_argument("--prices", choices=["adjusted", "raw"], default="adjusted")
    ap.add_argument("--max-missing-days", type=int, default=None)
    ap.add_argument("--report", type=Path, default=None, help="write the validation report here as JSON")
    args = ap.parse_args(argv)
    mapping = dict(c.split("=", 1) for c in args.column if "=" in c)
    opts = ReadOptions(columns=mapping, date_format=args.date_format, layout=args.layout, benchmarks=args.benchmark,
                       prices=args.prices)
    cfg = ValidationConfig() if args.max_missing_days is None else ValidationConfig(
        max_missing_days=args.max_missing_days)
    try:
        res = ingest(args.src, args.out, options=opts, config=cfg, market=args.market)
    except IngestError as exc:
        print(f"refused ({exc.code}): {exc}", file=sys.stderr)
        return 1
    if args.report:
        args.report.write_text(res.report.model_dump_json(indent=1))
    for level, items in (("error", res.report.errors), ("warning", res.report.warnings)):
        for p in items:
            print(f"{level}: [{p.check}] {p.message}")
    print(f"read {res.bars.rows} rows in {res.read_s:.2f}s, validated in {res.validate_s:.2f}s"
          + (f", wrote {res.written.files} files in {res.write_s:.2f}s" if res.written else ""))
    if res.written is None:
        print(f"rejected: {len(res.report.errors)} errors", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
