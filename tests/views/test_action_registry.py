"""The action registry is the one list of the window's actions and keys: every spec is
handled, no name or key is taken twice, and the window makes no keyed action outside it."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from console.views.action_registry import DETAIL_BUTTONS, MENUS, REGISTRY
from console.views.actions import ActionController
from console.views.main_window import MainWindow

RULES = {"", "new", "workflow", "one_workflow", "targets", "one_target", "merge", "alerts", "undo"}


def test_every_spec_is_handled_once_and_keys_are_unique():
    names = [spec.name for spec in REGISTRY]
    assert len(names) == len(set(names))
    keys = [QKeySequence(spec.shortcut) for spec in REGISTRY if spec.shortcut]
    assert len(keys) == len({k.toString() for k in keys})
    menus = {key for key, _title in MENUS}
    for spec in REGISTRY:
        assert spec.menu in menus, spec.name
        assert spec.enabled in RULES, spec.name
        if spec.owner == "controller":
            assert callable(getattr(ActionController, "do_" + spec.name.removeprefix("act_")))
        elif spec.owner == "window":
            assert callable(getattr(MainWindow, spec.handler)), spec.name
        else:
            assert spec.owner == "dock" and spec.handler.startswith("dock_"), spec.name
        assert spec.owner == "controller" or not (spec.enabled or spec.writes), spec.name
    controller_actions = {spec.name for spec in REGISTRY if spec.owner == "controller"}
    assert {name for name in DETAIL_BUTTONS if name} <= controller_actions


def test_the_window_has_no_keyed_action_outside_the_registry(window):
    registry = {spec.name for spec in REGISTRY}
    keyed = {a.objectName() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}
    assert keyed and keyed <= registry
