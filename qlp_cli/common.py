"""What the CLI's commands share: the console and the embedded admin's password file."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from qlp_core.settings import Settings

console = Console()


def admin_file(settings: Settings) -> Path:
    return settings.home / "admin_password"
