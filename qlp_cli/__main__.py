"""`python -m qlp_cli`: the `qlp` command."""

from qlp_cli.main import app

app()
