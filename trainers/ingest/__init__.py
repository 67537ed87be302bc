"""Market data ingest: read vendors' daily bars, normalise symbols, validate, write Qlib's binary layout."""

from trainers.ingest.errors import IngestError
from trainers.ingest.pipeline import IngestResult, ingest
from trainers.ingest.readers import Bars, Limits, ReadOptions, bars_from_frame, read_bars, read_qlib_folder
from trainers.ingest.symbols import SymbolError, normalise_symbol
from trainers.ingest.validate import Problem, ValidationConfig, ValidationReport, validate_bars
from trainers.ingest.writer import WriteSummary, write_qlib

__all__ = [
    "Bars",
    "IngestError",
    "IngestResult",
    "Limits",
    "Problem",
    "ReadOptions",
    "SymbolError",
    "ValidationConfig",
    "ValidationReport",
    "WriteSummary",
    "bars_from_frame",
    "ingest",
    "normalise_symbol",
    "read_bars",
    "read_qlib_folder",
    "validate_bars",
    "write_qlib",
]
