"""Qt widgets and models of the console. Importing the package first checks the installed
PySide6 against a known reference-counting bug (see :mod:`console.views.qt_references`)."""

from console.views import qt_references as _qt_references

_qt_references.warn_if_affected()
