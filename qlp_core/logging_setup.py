"""Service logging: one absolute, rotated log file per service in the configured log folder, with request ids."""

from __future__ import annotations

import contextvars
import logging
import logging.handlers
from pathlib import Path

#: The id of the request (or job) being served, set by the API's middleware; "-" outside one.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def setup_logging(log_dir: Path, service: str, *, max_bytes: int, backups: int, level: int = logging.INFO) -> Path:
    """Send the root logger to ``<log_dir>/<service>.log`` (rotated) and stderr; return the file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir.resolve() / f"{service}.log"
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_qlp", False):
            root.removeHandler(h)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups)
    stream = logging.StreamHandler()
    handlers: list[logging.Handler] = [file_handler, stream]
    for h in handlers:
        h.setFormatter(logging.Formatter(FORMAT))
        h.addFilter(RequestIdFilter())
        setattr(h, "_qlp", True)  # noqa: B010 - marks our handlers for a later re-setup
        root.addHandler(h)
    root.setLevel(level)
    return path
