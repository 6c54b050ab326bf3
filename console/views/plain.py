"""Text from reports, servers and the database shown as what it is, never as markup.

Qt shows a tooltip (and a QLabel in AutoText) as rich text whenever the text *looks*
like HTML (``Qt.mightBeRichText``): a note reading ``<img src=x onerror=…>`` would render
as a broken image. Every tooltip that carries such text goes through :func:`plain_tip`,
the one place this rule lives. (The map's popups and tooltips escape in
``console/map``.)"""

from __future__ import annotations

from PySide6.QtGui import Qt

__all__ = ["plain_tip"]


def plain_tip(text: str | None) -> str | None:
    """``text`` as a tooltip that shows it literally: unchanged when Qt would show it as
    plain text anyway, else escaped into a paragraph (line breaks kept)."""
    if not text or not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
