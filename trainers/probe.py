"""A probe job's process: prints numbered, timestamped lines at a set rate, then exits with the asked code.
It exercises the whole job path (dispatch, claim, log shipping, WebSockets) without Qlib: checks and benches."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import yaml


def main(argv: list[str]) -> int:
    from qlp_core.proc import die_with_parent

    die_with_parent()
    spec = json.loads(Path(argv[0]).read_text())
    probe = yaml.safe_load(spec["config_text"])["probe"]
    lines, rate, code = int(probe["lines"]), float(probe["rate"]), int(probe["exit_code"])
    start = time.monotonic()
    for i in range(lines):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        print(f"probe line {i} t={time.time():.6f}", flush=True)
    if code:
        print(f"QLP_ERROR probe asked to fail with exit code {code}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
