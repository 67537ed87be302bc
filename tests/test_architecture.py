"""The packages' direction holds: import-linter's contracts (pyproject.toml) are kept, and the API process starts
without the data-science stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def test_the_api_loads_no_pandas() -> None:
    code = ("import sys, json, platform_api.app; "
            "print(json.dumps(sorted(m for m in ('pandas', 'scipy', 'qlib', 'mlflow', 'pyarrow', 'lightgbm', "
            "'trainers', 'mlflow_server') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_qlp_command_is_installed_and_lists_its_commands() -> None:
    qlp = Path(sys.executable).parent / "qlp"
    done = subprocess.run([str(qlp), "--help"], capture_output=True, text=True, timeout=60, env={"COLUMNS": "120",
                          "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    for command in ("up", "worker", "migrate", "mlflow", "submit", "logs", "demo"):
        assert f" {command} " in done.stdout, done.stdout
