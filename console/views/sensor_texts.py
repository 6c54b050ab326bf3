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


def state_label(state: str) -> str:
    labels = {
        "normal": QCoreApplication.translate("sensor_texts", "Normal"),
        "warn": QCoreApplication.translate("sensor_texts", "Waspada"),
        "danger": QCoreApplication.translate("sensor_texts", "Bahaya"),
        "offline": QCoreApplication.translate("sensor_texts", "Tidak mengirim data"),
    }
    return labels.get(state, state)


def kind_label(kind: str) -> str:
    labels = {
        "water_level": QCoreApplication.translate("sensor_texts", "Tinggi muka air"),
        "rain": QCoreApplication.translate("sensor_texts", "Curah hujan"),
        "air_quality": QCoreApplication.translate("sensor_texts", "Kualitas udara"),
    }
    return labels.get(kind, kind)


def amount(value: float | None, unit: str) -> str:
    """``160 cm``; a dash before the first reading."""
    if value is None:
        return "—"
    return f"{value:g} {unit}".strip()


def reading_time(at_ms: int | None) -> str:
    if at_ms is None:
        return QCoreApplication.translate("sensor_texts", "belum ada pembacaan")
    return format_local(datetime.fromtimestamp(at_ms / 1000, UTC))


def limits(s) -> str:  # noqa: ANN001 - a dict or a SensorSeries
    get = s.get if isinstance(s, dict) else lambda k: getattr(s, k)
    text = QCoreApplication.translate("sensor_texts", "Batas waspada {warn} · bahaya {danger}")
    return text.format(warn=amount(get("warn"), get("unit")),
                       danger=amount(get("danger"), get("unit")))


def tooltip_lines(s: dict) -> list[str]:
    """The lines of a gauge's map tooltip (plain text: the page inserts them as text)."""
    name = QCoreApplication.translate("sensor_texts", "Sensor {id}")
    level = QCoreApplication.translate("sensor_texts", "{kind}: {value} · {state}")
    last = QCoreApplication.translate("sensor_texts", "Pembacaan terakhir: {time}")
    return [
        name.format(id=s["id"]),
        level.format(kind=kind_label(s["kind"]), value=amount(s["value"], s["unit"]),
                     state=state_label(s["state"])),
        limits(s),
        last.format(time=reading_time(s["at_ms"])),
    ]
