"""The ingest's refusal: what in the input is refused and why, with a machine-readable code for the API's 4xx."""

from __future__ import annotations


class IngestError(ValueError):
    """Input the ingest refuses. ``code`` is one of: ``path_refused`` (outside the root, ``..``, absolute, not a plain
    file), ``symlink``, ``too_large`` (files, bytes, rows or columns over a limit), ``formula_injection``,
    ``bad_symbol``, ``bad_column``, ``bad_date``, ``bad_value``, ``empty``, ``output_not_empty``."""

    def __init__(self, message: str, code: str = "bad_input") -> None:
        super().__init__(message)
        self.code = code
