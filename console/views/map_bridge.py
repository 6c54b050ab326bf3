"""The object the map page talks to over QWebChannel (``channel.objects.poskoBridge``).

The page calls the slots below; each re-emits a Qt signal the map panel handles. Input
from the page is treated as untrusted: ids must look like ids, JSON is size-capped and
parsed defensively. Python → page goes through ``runJavaScript`` (the panel) and the
``summaries`` signal (answers to ``requestSummaries``).
"""

from __future__ import annotations

import json
import logging
import re

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

__all__ = ["MapBridge"]

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_JSON = 1_000_000


class MapBridge(QObject):
    # → page
    summaries = Signal(int, str)

    # → panel
    ready = Signal()
    clicked = Signal(str)
    area = Signal(str)
    drawCancelled = Signal()  # noqa: N815 - Qt signal name
    region = Signal(str)
    picked = Signal(float, float)
    pickCancelled = Signal()  # noqa: N815
    painted = Signal(str, int, int)  # kind (load | delta), generation or token, markers
    summariesWanted = Signal(int, list)  # noqa: N815
    pageError = Signal(str)  # noqa: N815

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 - called from JS
        self.ready.emit()

    @Slot(str)
    def reportClicked(self, report_id: str) -> None:  # noqa: N802
        if isinstance(report_id, str) and _ID.match(report_id):
            self.clicked.emit(report_id)

    @Slot(str)
    def areaDrawn(self, points_json: str) -> None:  # noqa: N802
        if isinstance(points_json, str) and len(points_json) <= MAX_JSON:
            self.area.emit(points_json)

    @Slot()
    def drawAborted(self) -> None:  # noqa: N802
        self.drawCancelled.emit()

    @Slot(float, float)
    def locationPicked(self, lat: float, lon: float) -> None:  # noqa: N802
        self.picked.emit(float(lat), float(lon))

    @Slot()
    def pickAborted(self) -> None:  # noqa: N802
        self.pickCancelled.emit()

    @Slot(str)
    def regionClicked(self, code: str) -> None:  # noqa: N802
        if isinstance(code, str) and _ID.match(code):
            self.region.emit(code)

    @Slot(str, int, int)
    def rendered(self, kind: str, token: int, count: int) -> None:
        self.painted.emit(str(kind), int(token), int(count))

    @Slot(int, str)
    def requestSummaries(self, req: int, ids_json: str) -> None:  # noqa: N802
        if not isinstance(ids_json, str) or len(ids_json) > MAX_JSON:
            return
        try:
            ids = json.loads(ids_json)
        except ValueError:
            return
        if isinstance(ids, list):
            ids = [i for i in ids[:200] if isinstance(i, str) and _ID.match(i)]
            self.summariesWanted.emit(int(req), ids)

    @Slot(str)
    def jsError(self, message: str) -> None:  # noqa: N802
        log.warning("map page error: %s", str(message)[:500])
        self.pageError.emit(str(message)[:500])
