"""A market job's process: generate the synthetic market of the payload into the spec's output folder
(``python -m trainers.market_job SPEC.json``); the worker then uploads and registers it."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qlp_core.proc import die_with_parent
from qlp_core.protocol import MarketPayload, RunnerSpec


def main(argv: list[str]) -> int:
    die_with_parent()
    spec = RunnerSpec.model_validate_json(Path(argv[0]).read_text())
    p = spec.payload
    assert isinstance(p, MarketPayload)
    from trainers.market import generate_market

    t0 = time.monotonic()
    print(f"[qlp] generating {p.n_instruments} instruments × {p.years} years from {p.start} (seed {p.seed})",
          flush=True)
    generate_market(Path(spec.output_dir), n_instruments=p.n_instruments, years=p.years, seed=p.seed,
                    start=p.start.isoformat(), market=p.market, benchmark=p.benchmark)
    print(f"[qlp] market generated in {time.monotonic() - t0:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
