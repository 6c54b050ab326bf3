"""Every preference the console keeps in QSettings, declared once: its key, default, type
and what it holds. Views read and write through ``read``/``write`` (never raw keys), so
a reader finds here what the console remembers between starts, and a key cannot be
misspelt in one place or given another default in a second.

QSettings hands back strings for what it stored as bool or list on some platforms (INI
files on Linux): ``read`` converts to the declared type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

__all__ = ["SETTINGS", "Setting", "read", "settings_store", "write"]


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: type  # bool, str, list, or bytes (Qt's saved geometry and window state)
    holds: str


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("ui/language", "", str, "the desk's language, id or en (empty: Indonesian)"),
    Setting("ui/geometry", None, bytes, "the main window's size and place"),
    Setting("ui/windowState", None, bytes, "the docks' layout (versioned by STATE_VERSION)"),
    Setting("queue/last", "", str, "the queue's last filter and sort (JSON)"),
    Setting("queue/views", "", str, "the operator's saved queue views (JSON list)"),
    Setting("operator/agency", "", str, "the agency this desk works for ('mine' filter)"),
    Setting("map/color_by", "priority", str, "map markers coloured by priority or status"),
    Setting("map/hidden_categories", [], list, "categories hidden on the map"),
    Setting("map/heat", False, bool, "the heat layer is on"),
    Setting("map/choropleth", False, bool, "the kelurahan counts layer is on"),
    Setting("map/mbtiles", "", str, "the offline base map (an MBTiles file)"),
    Setting("map/online_url", "", str, "an online tile source (XYZ URL template)"),
    Setting("map/online_attribution", "", str, "the online tile source's attribution"),
    Setting("map/online_enabled", False, bool, "the online tile source is used"),
)}


def settings_store() -> QSettings:
    """The console's settings (per OS user, outside the data folder)."""
    return QSettings("Posko", "Posko")


def read(settings: QSettings | None, key: str) -> Any:
    """The stored value of ``key`` as its declared type, or its default (also without a
    settings store, as in some tests and tools)."""
    spec = SETTINGS[key]
    if settings is None:
        return _copy(spec.default)
    value = settings.value(key, spec.default)
    if value is None:
        return _copy(spec.default)
    if spec.kind is bool:
        return value in (True, "true", "1", 1)
    if spec.kind is list:
        if isinstance(value, str):
            return [value] if value else []
        return list(value or [])
    if spec.kind is str:
        return str(value or "")
    return value


def write(settings: QSettings | None, key: str, value: Any) -> None:
    if key not in SETTINGS:
        raise KeyError(f"{key!r} is not a declared setting (console/views/settings.py)")
    if settings is not None:
        settings.setValue(key, value)


def _copy(default: Any) -> Any:
    return list(default) if isinstance(default, list) else default
