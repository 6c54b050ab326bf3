"""What :class:`console.views.actions.ActionController` needs from the window it acts in,
and nothing more: the main window is one such host (tests/views/test_action_host.py
checks it, and drives the controller with a small fake one).

The controller also gets, explicitly, the :class:`console.views.op_bus.OpRunner` its
operations run through and the widget its dialogs open over (whose focus tells whether
the operator is in the detail panel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from console.store.lookups import Lookups
    from console.views.alerts import AlertCenter
    from console.views.current_report import CurrentReport
    from console.views.detail_panel import DetailPanel
    from console.views.notice import NoticeBar
    from console.views.operator import OperatorContext
    from console.views.queue_panel import QueuePanel

__all__ = ["ActionHost"]


@runtime_checkable
class ActionHost(Protocol):
    """Read when an action runs, never kept: the operator and the lookups change."""

    operator: OperatorContext  # who acts (the actor of every operation); on duty or not
    lookups: Lookups | None  # agencies and categories (dispatch), once loaded
    current: CurrentReport  # the report every key acts on, and the queue's bulk selection
    queue: QueuePanel  # its model's P1 alerts, moving the selection, filters, saved views
    detail: DetailPanel  # the similar report picked for a merge; its action buttons
    alerts: AlertCenter  # acknowledges the alerts of the reports an action handled

    @property
    def notice(self) -> NoticeBar:
        """Where the outcome of an action is told (and its undo offered)."""
        ...

    def ticket_of(self, report_id: str) -> str:
        """The ticket number to name a report by in a message."""
        ...

    def open_intake(self) -> None: ...

    def focus_search(self) -> None: ...

    def focus_queue(self) -> None: ...

    def focus_detail(self) -> None: ...

    def reload(self) -> None: ...
