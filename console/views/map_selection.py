"""The map's side of the current report: ring it, pan to it, and say — only when it is
true — why it is not drawn.

The report may not be on the page *yet*: a report just saved from intake becomes current
before its marker delta has reached the page, and a filter change reloads every marker.
So the answer is checked again after every page paint (load or delta) and after the
category options change; the note goes as soon as the marker is drawn, and the map pans
to a marker that has just appeared. When the page lacks the marker, the database says
why (no coordinates, filtered out) or that it should be there, in which case its delta
is fetched (once per selection) instead of showing a wrong note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from console.map import data as mapdata

if TYPE_CHECKING:
    from console.views.map_panel import MapPanel

__all__ = ["MapSelection"]


class MapSelection(QObject):
    """Owned by a :class:`MapPanel`; holds the id of the report the map follows."""

    def __init__(self, panel: MapPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.id: str | None = None
        self.state: str | None = None  # shown | hidden | absent | loading (page's answer)
        self._seq = 0
        self._healed = False

    def select(self, report_id: str | None) -> None:
        """Follow ``report_id`` (None: nothing): ring it and pan to it if off screen."""
        self.id = report_id if isinstance(report_id, str) else None
        self.state = None
        self._healed = False
        self._seq += 1
        arg = mapdata.encode_json(self.id).decode()
        script = f"PoskoMap.select({arg}, true)"
        if self.id is None:
            self.panel._note("select", "")
        if not self.panel._page_ready:
            # The load paint re-checks; keep only the latest selection waiting.
            queue = self.panel._js_queue
            queue[:] = [s for s in queue if not s.startswith("PoskoMap.select(")]
            queue.append(script)
            return
        if self.id is None:
            self.panel._js(script)
            return
        seq = self._seq
        self.panel._js(f"{script}; PoskoMap.drawn({arg})", lambda state: self._answer(seq, state))

    def recheck(self) -> None:
        """The page painted or its options changed: is the followed report drawn now?"""
        if self.id is None or not self.panel._page_ready:
            return
        seq, arg = self._seq, mapdata.encode_json(self.id).decode()

        def answer(state) -> None:
            if seq != self._seq:
                return
            if state == "shown" and self.state != "shown":
                self.panel._js(f"PoskoMap.select({arg}, true)")  # it just appeared: go there
            self._answer(seq, state)

        self.panel._js(f"PoskoMap.drawn({arg})", answer)

    def _answer(self, seq: int, state) -> None:
        if seq != self._seq:
            return  # the operator moved on
        self.state = state if isinstance(state, str) else None
        if self.state == "shown":
            self.panel._note("select", "")
        elif self.state == "hidden":
            self.panel._note("select", self.tr(
                "Laporan terpilih tidak tampil di peta: kategorinya disembunyikan "
                "(menu Kategori)."))
        elif self.state == "absent":
            self._ask_database(seq)
        # "loading": the markers are on their way; the load paint asks again.

    def _ask_database(self, seq: int) -> None:
        rid, flt, lang = self.id, self.panel._filter, self.panel._lang

        def told(why: str) -> None:
            if seq != self._seq:
                return
            if why == "pending":
                # It belongs on the map and its marker is on its way (or was missed):
                # no note; fetch its delta once, the next paint checks again.
                if not self._healed:
                    self._healed = True
                    self.panel.apply_changes([rid])
                return
            texts = {
                "no_coords": self.tr("Laporan terpilih tidak tampil di peta: belum ada "
                                     "koordinatnya."),
                "filtered": self.tr("Laporan terpilih tidak tampil di peta: tersaring oleh "
                                    "saringan antrean."),
            }
            self.panel._note("select", texts.get(why, ""))

        self.panel._bridge.submit(mapdata.marker_state, rid, flt, lang=lang, on_result=told)
