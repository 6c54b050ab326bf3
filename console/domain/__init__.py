"""Posko's domain rules: workflow, SLA clock, priorities, catalogue, coordinates.

This package is Qt-free and SQL-free on purpose: the desktop console and the
central server both import it, and the server must install without a desktop
toolkit or the console's database layer. Only the standard library and the
``holidays`` package are allowed here. Import the submodules you need
(``from console.domain.workflow import next_status``); nothing is re-exported, so
importing the package itself stays cheap.
"""
