"""The words of sensor reports and timeline notes: Bahasa Indonesia first, then English
(the consoles show report text as written; both audiences read the same record)."""

from __future__ import annotations

from collections.abc import Callable

from console.domain.limits import MAX_CHARS
from server.sensors.thresholds import Episode

#: A report's title as every client accepts it (console/domain/limits.py)
_TITLE = MAX_CHARS["title"]

WHAT = {"water_level": ("Tinggi muka air", "Water level"),
        "rain": ("Curah hujan", "Rainfall"),
        "air_quality": ("Kualitas udara", "Air quality")}


def _v(value: float, sensor: dict) -> str:
    return f"{value:g} {sensor['unit']}".strip()


def _minutes(ms: int) -> int:
    return max(0, round(ms / 60000))


def danger_report(sensor: dict, value: float, when: str) -> tuple[str, str]:
    id_, en = WHAT[sensor["kind"]]
    title = f"{id_} melewati batas bahaya: {_v(value, sensor)} (sensor {sensor['id']})"
    desc = (f"Sensor {sensor['id']} mencatat {_v(value, sensor)} pada {when}; batas waspada "
            f"{_v(sensor['warn'], sensor)}, batas bahaya {_v(sensor['danger'], sensor)}.\n"
            f"{en} past the danger level: {_v(value, sensor)} at {when} (warn "
            f"{_v(sensor['warn'], sensor)}, danger {_v(sensor['danger'], sensor)}).")
    return title[:_TITLE], desc


def offline_report(sensor: dict, when: str) -> tuple[str, str]:
    title = f"Sensor {sensor['id']} tidak mengirim data / sensor offline"
    desc = (f"Sensor {sensor['id']} ({sensor['kind']}) tidak mengirim data sejak {when}; "
            f"interval {sensor['interval_s']} detik. Periksa perangkat dan jaringannya.\n"
            f"Sensor {sensor['id']} has sent nothing since {when} (interval "
            f"{sensor['interval_s']} s). Check the device and its link.")
    return title[:_TITLE], desc


def again(sensor: dict, value: float, when: str) -> str:
    return (f"Kembali melewati batas bahaya: {_v(value, sensor)} pada {when}. / "
            f"Above the danger level again: {_v(value, sensor)} at {when}.")


def update(sensor: dict, ep: Episode, fmt: Callable[[int], str], now: int) -> str:
    mins = _minutes(ep.time_above(now))
    return (f"Puncak {_v(ep.peak, sensor)} pada {fmt(ep.peak_ms)}; di atas batas bahaya "
            f"{mins} menit. / Peak {_v(ep.peak, sensor)} at {fmt(ep.peak_ms)}; above danger "
            f"for {mins} min.")


def recovered(sensor: dict, value: float, ep: Episode, fmt: Callable[[int], str],
              now: int) -> str:
    mins = _minutes(ep.time_above(now))
    return (f"Pulih: {_v(value, sensor)} di bawah batas waspada pada {fmt(now)}; puncak "
            f"{_v(ep.peak, sensor)} pada {fmt(ep.peak_ms)}, di atas batas bahaya {mins} menit. / "
            f"Recovered: {_v(value, sensor)}, below the warn level at {fmt(now)}; peak "
            f"{_v(ep.peak, sensor)} at {fmt(ep.peak_ms)}, above danger for {mins} min.")


def offline_note(sensor: dict, last: str, now: str) -> str:
    return (f"Sensor {sensor['id']} tidak mengirim data sejak {last} (dicek {now}); nilai "
            f"terakhir tidak dapat dipastikan. / Sensor {sensor['id']} silent since {last} "
            f"(checked {now}); its latest level cannot be confirmed.")


def back_online(sensor: dict, since_ms: int, fmt: Callable[[int], str], now: int) -> str:
    return (f"Sensor {sensor['id']} kembali mengirim data pada {fmt(now)} (tidak terdengar "
            f"sejak pemberitahuan {fmt(since_ms)}). / Sensor {sensor['id']} is sending again "
            f"at {fmt(now)}.")
