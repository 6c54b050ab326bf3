"""The colours that carry meaning, one table each, shared by every place that paints them:
the queue's priority dots and text, the live map's markers and legend, the PDF's map.
An operator who learns "amber is P3" on the map reads the queue the same way.

Qt-free hex strings: the export and the map page (HTML) use them as they are; the Qt
views wrap them in QColor.
"""

from __future__ import annotations

__all__ = ["PRIORITY_COLORS", "STATUS_COLORS"]

#: P1 red, P2 orange, P3 amber, P4 blue-grey: warm means urgent, and grey-blue never
#: reads as a warning.
PRIORITY_COLORS: dict[int, str] = {1: "#d32f2f", 2: "#f57c00", 3: "#f9a825", 4: "#78909c"}

#: The map's "colour by status" scheme.
STATUS_COLORS: dict[str, str] = {
    "new": "#d32f2f",
    "verified": "#f57c00",
    "dispatched": "#8e24aa",
    "in_progress": "#1e88e5",
    "resolved": "#43a047",
    "closed": "#757575",
    "rejected": "#6d4c41",
    "not_authority": "#a1887f",
    "duplicate": "#b0bec5",
    "prank": "#37474f",
    "ghost": "#90a4ae",
}
