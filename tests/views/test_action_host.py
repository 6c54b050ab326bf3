"""ActionController needs no more of its window than ActionHost: the main window is one, and
a small fake host (with fakes of the few panel methods it calls) is enough to build and
perform every action that does not open a dialog."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QWidget
from view_helpers import wait_idle

from console.views.action_host import ActionHost
from console.views.action_registry import ACTIONS
from console.views.actions import ActionController
from console.views.op_bus import OpBus, OpRunner


class _Log:
    """Stand-ins whose every named method records its call."""

    def __init__(self, calls: list[str], prefix: str, names: tuple[str, ...]) -> None:
        for name in names:
            setattr(self, name, lambda *_a, _n=prefix + name, **_k: calls.append(_n))


class _Notice:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.button = SimpleNamespace(isVisible=lambda: False)

    def show_message(self, text: str, kind: str = "info", **_kw) -> None:
        self.messages.append((text, kind))

    def hide_action(self) -> None:
        pass


class _FakeHost:
    """Nobody on duty, nothing current, no P1 alert waiting."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.operator = SimpleNamespace(actor="", on_duty=False)
        self.lookups = None
        self.current = SimpleNamespace(id=None, bulk_rows=list, loaded=lambda: None,
                                       row=lambda: None)
        self.queue = _Log(self.calls, "queue.", ("select_next_flashing", "toggle_filters",
                                                 "focus_views", "save_view_dialog",
                                                 "select_next"))
        self.queue.model = SimpleNamespace(flashing=set())
        self.queue.table = _Log(self.calls, "table.", ("setFocus",))
        self.detail = _Log(self.calls, "detail.", ("refresh_actions",))
        self.detail.selected_candidate = lambda: None
        self.detail.isAncestorOf = lambda _w: False
        self.alerts = _Log(self.calls, "alerts.", ("acknowledge",))
        self.notice = _Notice()

    def ticket_of(self, report_id: str) -> str:
        return report_id

    def open_intake(self) -> None:
        self.calls.append("open_intake")

    def focus_search(self) -> None:
        self.calls.append("focus_search")

    def focus_queue(self) -> None:
        self.calls.append("focus_queue")

    def focus_detail(self) -> None:
        self.calls.append("focus_detail")

    def reload(self) -> None:
        self.calls.append("reload")


def test_the_main_window_is_an_action_host(window):
    assert isinstance(window, ActionHost)
    assert window.controller.host is window


def test_a_fake_host_is_all_the_controller_needs(qtbot, bridge):
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = OpRunner(bridge, OpBus(parent), parent)
    host = _FakeHost()
    assert isinstance(host, ActionHost)
    controller = ActionController(host, runner, parent)
    acts = controller.build()
    assert set(acts) == {spec.name for spec in ACTIONS if spec.owner == "controller"}

    controller.update_enabled()
    assert host.calls == ["detail.refresh_actions"]
    for spec in ACTIONS:
        if spec.owner == "controller":  # nothing to act on: only the rule-free ones are on
            assert acts[spec.name].isEnabled() == (spec.enabled == ""), spec.name

    host.calls.clear()
    for name in ("act_search", "act_filters", "act_views", "act_save_view", "act_reload",
                 "act_focus_queue", "act_focus_detail"):
        acts[name].trigger()
    controller.do_next_alert()  # F8 (its action is off: no alert waits)
    assert host.calls == ["focus_search", "queue.toggle_filters", "queue.focus_views",
                          "queue.save_view_dialog", "reload", "focus_queue", "focus_detail",
                          "queue.select_next_flashing"]

    # Nobody on duty: no intake form; a report action says there is nothing to act on.
    host.calls.clear()
    acts["act_intake"].trigger()
    controller.do_verify()
    controller.do_undo()
    assert host.calls == []
    assert [kind for _text, kind in host.notice.messages] == ["warning", "warning", "info"]
    assert host.notice.messages[1][0] == "Pilih laporan di antrean dulu."
    wait_idle(qtbot, bridge)
