"""Server logging: plain text (uvicorn's default look) or JSON lines (``--log-format json``).

No personal data in either: the server logs no report fields, reporter names or phones,
descriptions, passwords or tokens anywhere; usernames and ids may appear. In JSON mode the
access log is written by server/metrics.py's middleware with the route *template* and no
client address or query string (uvicorn's own access line carries both, so it is off).
"""

from __future__ import annotations

import json
import logging
import time

ACCESS_LOGGER = "posko.access"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts (UTC, ISO 8601), level, logger, msg, plus the access
    fields a record carries (method, route, status, ms) and the exception text if any."""

    FIELDS = ("method", "route", "status", "ms", "pid")

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
               + f".{int(record.msecs):03d}Z",
               "level": record.levelname.lower(), "logger": record.name,
               "msg": record.getMessage()}
        for key in self.FIELDS:
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def log_config(fmt: str = "text", level: str = "info") -> dict | None:
    """A logging.dictConfig for uvicorn's ``log_config`` (applied in every worker).
    ``text``: None, uvicorn's default. ``json``: everything to stderr as JSON lines."""
    if fmt == "text":
        return None
    lvl = level.upper()
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stderr"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"json": {"()": "server.logs.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": lvl},
        "loggers": {
            "uvicorn": {"handlers": [], "level": lvl, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": lvl, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            ACCESS_LOGGER: {"handlers": [], "level": lvl, "propagate": True},
            # each worker checks the schema at start; alembic's plugin chatter is noise
            "alembic": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }
