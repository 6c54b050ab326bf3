"""One way to ask before something is lost: a question that does not block, whose safe
answer is the default and the Esc answer, so an Enter or Esc pressed by habit loses
nothing. The quit prompt and the intake form's "discard?" both ask through it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["ask"]


def ask(parent: QWidget, name: str, *, title: str, text: str, go: tuple[str, str],
        stay: tuple[str, str], on_go: Callable[[], None], informative: str = "",
        icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> QMessageBox:
    """Open the question ``name`` (its object name) over ``parent`` and return it.
    ``go`` and ``stay`` are (button text, object name); ``on_go`` runs only when the
    operator chooses ``go``."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    go_button = box.addButton(go[0], QMessageBox.ButtonRole.DestructiveRole)
    go_button.setObjectName(go[1])
    stay_button = box.addButton(stay[0], QMessageBox.ButtonRole.RejectRole)
    stay_button.setObjectName(stay[1])
    box.setDefaultButton(stay_button)
    box.setEscapeButton(stay_button)

    def done(_result: int) -> None:
        if box.clickedButton() is go_button:
            on_go()

    box.finished.connect(done)
    box.open()
    return box
