"""A universe job's process: choose the payload's market on its base version and write the base plus that instrument
list into the spec's output folder (``python -m trainers.universe_job SPEC.json``); the worker then uploads and
registers it as the next version of the base's name."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from qlp_core.proc import die_with_parent
from qlp_core.protocol import RunnerSpec, UniversePayload


def link_tree(base: Path, out: Path, skip: frozenset[str] = frozenset()) -> tuple[int, int]:
    """``out`` as a copy of ``base`` (read-only: nothing is written through the links, ``skip``'s relative paths are
    left out for the caller to write afresh): each file hard-linked where the file system allows, else copied.
    Symbolic links are left out (as the content hash leaves them out). Returns (linked, copied)."""
    linked = copied = 0
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        rel = here.relative_to(base)
        (out / rel).mkdir(parents=True, exist_ok=True)
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
        for name in sorted(filenames):
            src, dst = here / name, out / rel / name
            if (rel / name).as_posix() in skip or src.is_symlink() or not src.is_file():
                continue
            try:
                os.link(src, dst)
                linked += 1
            except OSError:  # another file system, or hard links refused (protected_hardlinks): copy
                shutil.copyfile(src, dst)
                copied += 1
    return linked, copied


def run(spec: RunnerSpec) -> int:
    """0 when the version was written; 2 when the universe was refused (a ``QLP_ERROR`` line says why, naming the
    symbols and dates)."""
    from qlp_core.qlib_data import QlibFolderError
    from trainers.universe import UniverseError, from_members, top_traded, write_market

    p = spec.payload
    assert isinstance(p, UniversePayload)
    base, out = Path(p.dataset.path), Path(spec.output_dir)
    on = f"{p.dataset.name}@v{p.dataset.version}"
    if p.rule is not None:
        r = p.rule
        print(f"[qlp] universe {p.market} of {on}: the top {r.n} by mean traded value over {r.window} trading days "
              f"(at least {r.min_days} traded), rebalanced {r.rebalance}", flush=True)
    else:
        print(f"[qlp] universe {p.market} of {on}: {len(p.members or [])} member rows", flush=True)
    t0 = time.monotonic()
    try:
        if p.rule is not None:
            universe = top_traded(base, n=p.rule.n, window=p.rule.window, min_days=p.rule.min_days)
        else:
            universe = from_members(base, [(m.symbol, m.start, m.end) for m in p.members or []])
    except (UniverseError, QlibFolderError) as exc:
        print(f"QLP_ERROR universe {p.market} refused: {exc}", flush=True)
        return 2
    for note in universe.notes:
        print(f"[qlp] {note}", flush=True)
    print(f"[qlp] chose {universe.instruments} instruments in {len(universe.rows)} rows in "
          f"{time.monotonic() - t0:.1f}s", flush=True)
    t1 = time.monotonic()
    target = f"instruments/{p.market}.txt"
    replaced = (base / target).is_file()
    linked, copied = link_tree(base, out, skip=frozenset({target}))
    write_market(out, p.market, universe.rows)
    print(f"[qlp] wrote the base's {linked + copied} files ({linked} linked, {copied} copied) and {target}"
          + (" (replacing the base's)" if replaced else "") + f" in {time.monotonic() - t1:.1f}s", flush=True)
    return 0


def main(argv: list[str]) -> int:
    die_with_parent()
    return run(RunnerSpec.model_validate_json(Path(argv[0]).read_text()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
