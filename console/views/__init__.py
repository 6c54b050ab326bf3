"""Qt widgets and models of the console. Importing the package first applies the PySide6
fixes the views rely on (see :mod:`console.views.qtfix`)."""

from console.views import qtfix as _qtfix

_qtfix.install()
