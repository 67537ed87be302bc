"""A probe job's process: prints numbered, timestamped lines at a set rate, then exits with the asked code.
It exercises the whole job path (dispatch, claim, log shipping, WebSockets) without Qlib: checks and benches."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qlp_core.proc import die_with_parent
from qlp_core.protocol import ProbePayload, RunnerSpec


def main(argv: list[str]) -> int:
    die_with_parent()
    probe = RunnerSpec.model_validate_json(Path(argv[0]).read_text()).payload
    assert isinstance(probe, ProbePayload)
    start = time.monotonic()
    for i in range(probe.lines):
        delay = start + i / probe.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        print(f"probe line {i} t={time.time():.6f}", flush=True)
    if probe.exit_code:
        print(f"QLP_ERROR probe asked to fail with exit code {probe.exit_code}", flush=True)
    return probe.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
