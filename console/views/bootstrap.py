"""What must happen before the QApplication exists, in one place: called by run_console,
by the benches that make their own QApplication and by the test suite's conftest.

- ``posko://`` is registered with QtWebEngine (map_scheme.py): Qt accepts a scheme only
  before the application is created, and the map page loads everything through it;
  importing QtWebEngineCore this early is also what QtWebEngine asks for (shared OpenGL
  contexts are set up when it is imported before the application).
- The installed PySide6 is checked against the reference-counting bug of 6.12 on Python
  3.11 (qt_references.py): a loud log line instead of a crash after minutes of work.
"""

from __future__ import annotations

__all__ = ["bootstrap"]


def bootstrap() -> bool:
    """Idempotent. False when a QApplication already existed and posko:// could not be
    registered any more (the map then shows why instead of a blank page)."""
    from console.views import map_scheme, qt_references

    qt_references.warn_if_affected()
    return map_scheme.register_scheme()
