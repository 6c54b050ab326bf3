"""The shape of an error the operator is told about: an English sentence for logs and the
command line (``str(exc)``), and a stable ``error_code`` with ``error_params`` that
console/views/messages.py turns into Indonesian (the core has no Qt, so it cannot
translate). Operations, the sync engine and the workflow all raise these.
"""

from __future__ import annotations

from typing import Any


class CodedError(Exception):
    """Base of the coded errors. A subclass names its default ``error_code``; a raise may
    name a more precise one with ``code=``; other keywords become ``error_params``."""

    error_code: str

    def __init__(self, message: str = "", *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.error_code = code
        self.error_params: dict[str, Any] = params
