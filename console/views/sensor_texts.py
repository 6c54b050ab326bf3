"""Words and colours of city sensors on screen (issue 15), shared by the map's sensor
layer and the detail panel's sparkline: Bahasa Indonesia by default (``translate``),
English through the translation files."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from console.views.labels import format_local

#: Marker and chart colours by state (the map's priority palette: red is danger).
STATE_COLORS = {"normal": "#2e7d32", "warn": "#f9a825", "danger": "#c62828",
                "offline": "#757575"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("sensor_texts", text)


def state_label(state: str) -> str:
    return {"normal": _tr("Normal"), "warn": _tr("Waspada"), "danger": _tr("Bahaya"),
            "offline": _tr("Tidak mengirim data")}.get(state, state)


def kind_label(kind: str) -> str:
    return {"water_level": _tr("Tinggi muka air"), "rain": _tr("Curah hujan"),
            "air_quality": _tr("Kualitas udara")}.get(kind, kind)


def amount(value: float | None, unit: str) -> str:
    """``160 cm``; a dash before the first reading."""
    if value is None:
        return "—"
    return f"{value:g} {unit}".strip()


def reading_time(at_ms: int | None) -> str:
    if at_ms is None:
        return _tr("belum ada pembacaan")
    return format_local(datetime.fromtimestamp(at_ms / 1000, UTC))


def tooltip_lines(s: dict) -> list[str]:
    """The lines of a gauge's map tooltip (plain text: the page inserts them as text)."""
    return [
        _tr("Sensor {id}").format(id=s["id"]),
        _tr("{kind}: {value} · {state}").format(
            kind=kind_label(s["kind"]), value=amount(s["value"], s["unit"]),
            state=state_label(s["state"])),
        _tr("Batas waspada {warn} · bahaya {danger}").format(
            warn=amount(s["warn"], s["unit"]), danger=amount(s["danger"], s["unit"])),
        _tr("Pembacaan terakhir: {time}").format(time=reading_time(s["at_ms"])),
    ]
