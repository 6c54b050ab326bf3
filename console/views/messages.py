"""What the operator reads when the core says no: errors of operations and sync, the sync
engine's status lines, and why the server refused a change (quarantine).

The core has no Qt, so it cannot translate: it raises errors with a stable
``error_code`` and ``error_params`` (console/domain/errors.py ``CodedError``, the base of
operations', sync's and the workflow's errors) and reports sync status with
``code``/``params``. This is the
ONE place those codes become words (Bahasa Indonesia, translated to English by
posko_en.ts like every other string). An unknown code, or an exception without one, gets
a general Indonesian sentence with the raw (English) detail after it in smaller print:
never raw English alone. ``python -m console.i18n_tools check`` fails for a code the core
can raise that has no sentence here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.views.labels import (
    action_label,
    channel_label,
    format_local,
    priority_label,
    status_label,
    triage_label,
)
from console.views.plurals import messages_plurals

__all__ = [
    "ERRORS",
    "QUARANTINE",
    "SYNC_STATUS",
    "Text",
    "describe",
    "error_text",
    "quarantine_reason",
    "sync_status_text",
]

CONTEXT = "messages"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_translate = QCoreApplication.translate  # a name lupdate does not scan: no bogus entries

#: error_code -> sentence; ``{name}`` is filled from error_params.
ERRORS: dict[str, str] = {
    # operations (console/operations)
    "operation": QT_TRANSLATE_NOOP("messages", "Tindakan ini tidak dapat dilakukan."),
    "report_not_found": QT_TRANSLATE_NOOP("messages", "Laporan ini tidak ada di komputer ini."),
    "stale_report": QT_TRANSLATE_NOOP(
        "messages", "Laporan baru saja diubah orang lain; perubahannya kini ditampilkan. "
        "Periksa lalu ulangi tindakan Anda."),
    "no_actor": QT_TRANSLATE_NOOP(
        "messages", "Belum ada petugas yang bertugas di konsol ini: masuk (Ctrl+L) atau pilih "
        "petugas jaga. Sampai itu konsol hanya bisa dibaca."),
    "not_bulk": QT_TRANSLATE_NOOP("messages", "Tindakan ini tidak bisa untuk banyak laporan sekaligus."),
    "required": QT_TRANSLATE_NOOP("messages", "{field} wajib diisi."),
    "too_long": QT_TRANSLATE_NOOP(
        "messages", "{field} terlalu panjang ({length} karakter; paling banyak {limit})."),
    "unknown_channel": QT_TRANSLATE_NOOP("messages", "Kanal \"{channel}\" tidak dikenal."),
    "unknown_triage": QT_TRANSLATE_NOOP("messages", "Jenis triase \"{triage}\" tidak dikenal."),
    "half_coordinates": QT_TRANSLATE_NOOP(
        "messages", "Isi lintang dan bujur sekaligus, atau kosongkan keduanya."),
    "coordinates_invalid": QT_TRANSLATE_NOOP(
        "messages", "Koordinat {lat}, {lon} tidak ada di bumi; periksa lokasinya."),
    "coordinates_outside": QT_TRANSLATE_NOOP(
        "messages", "Koordinat {lat}, {lon} berada di luar {area}; periksa lokasinya."),
    "priority_invalid": QT_TRANSLATE_NOOP("messages", "Prioritas harus 1 sampai 4."),
    "unknown_region": QT_TRANSLATE_NOOP("messages", "Wilayah \"{region}\" tidak dikenal."),
    "unknown_category": QT_TRANSLATE_NOOP("messages", "Kategori \"{category}\" tidak dikenal."),
    "unknown_agency": QT_TRANSLATE_NOOP("messages", "Instansi tidak dikenal: {agencies}."),
    "no_agency": QT_TRANSLATE_NOOP("messages", "Pilih paling sedikit satu instansi tujuan disposisi."),
    "reopen_reason": QT_TRANSLATE_NOOP(
        "messages", "Membuka kembali laporan perlu alasan yang disampaikan warga."),
    "note_empty": QT_TRANSLATE_NOOP("messages", "Catatan tidak boleh kosong."),
    "note_too_long": QT_TRANSLATE_NOOP("messages", "Catatan paling banyak {limit} karakter."),
    "too_long_bytes": QT_TRANSLATE_NOOP(
        "messages", "Isian {field} terlalu panjang untuk dikirim (banyak huruf khusus atau "
        "emoji); persingkat teksnya."),
    "merge_self": QT_TRANSLATE_NOOP("messages", "Laporan tidak bisa menjadi duplikat dirinya sendiri."),
    "merge_into_duplicate": QT_TRANSLATE_NOOP(
        "messages", "{ticket} sendiri adalah duplikat; gabungkan ke laporan aslinya."),
    "merge_into_closed": QT_TRANSLATE_NOOP(
        "messages", "{ticket} berstatus \"{status}\"; laporan tidak bisa digabungkan ke sana."),
    "saved_not_merged": QT_TRANSLATE_NOOP(
        "messages", "Laporan {ticket} sudah disimpan, tetapi belum digabungkan: {cause}"),
    "illegal_transition": QT_TRANSLATE_NOOP(
        "messages", "Tindakan \"{action}\" tidak bisa untuk laporan berstatus \"{status}\"."),
    "not_undoable": QT_TRANSLATE_NOOP("messages", "Tindakan ini tidak dapat dibatalkan."),
    "triage_missing": QT_TRANSLATE_NOOP(
        "messages", "Pilih triase: darurat, informasi, iseng, atau panggilan kosong."),
    "undo_too_late": QT_TRANSLATE_NOOP(
        "messages", "Terlambat membatalkan {ticket}: pembatalan hanya bisa dalam {seconds} "
        "detik. Ubah laporan dengan tindakan biasa."),
    "undo_sent": QT_TRANSLATE_NOOP(
        "messages", "{ticket} sudah terkirim ke server; tidak bisa dibatalkan lagi. Ubah "
        "laporan dengan tindakan biasa."),
    # shifts and accounts (console/operations/shifts.py, accounts.py)
    "unknown_operator": QT_TRANSLATE_NOOP(
        "messages", "Petugas \"{username}\" tidak dikenal di konsol ini; masuk ke server "
        "pusat (Ctrl+L) dengan akun petugas itu."),
    "already_on_shift": QT_TRANSLATE_NOOP(
        "messages", "{name} sudah masuk shift sejak {since}."),
    "not_on_shift": QT_TRANSLATE_NOOP("messages", "{name} belum masuk shift; masuk shift dulu."),
    "handover_missing": QT_TRANSLATE_NOOP("messages", "Serah terima ini tidak ada di konsol ini."),
    "supervisor_only": QT_TRANSLATE_NOOP("messages", "Hanya supervisor yang dapat melakukan ini."),
    "sign_as": QT_TRANSLATE_NOOP("messages", "Tanda tangan sebagai supervisor keluar atau masuk."),
    "not_outgoing": QT_TRANSLATE_NOOP(
        "messages", "Hanya supervisor keluar yang membuat serah terima ini yang dapat "
        "menandatanganinya sebagai supervisor keluar."),
    "outgoing_signed": QT_TRANSLATE_NOOP(
        "messages", "Supervisor keluar sudah menandatangani serah terima ini."),
    "outgoing_first": QT_TRANSLATE_NOOP("messages", "Supervisor keluar harus menandatangani dulu."),
    "incoming_signed": QT_TRANSLATE_NOOP(
        "messages", "Serah terima ini sudah ditandatangani supervisor masuk."),
    "incoming_same": QT_TRANSLATE_NOOP(
        "messages", "Supervisor masuk harus orang lain, bukan supervisor keluar."),
    "incoming_not_on_shift": QT_TRANSLATE_NOOP(
        "messages", "{name} harus masuk shift sebelum mengambil alih."),
    "login_no_account": QT_TRANSLATE_NOOP(
        "messages", "Jawaban login dari server tidak menyebut akun; coba lagi."),
    "never_logged_in": QT_TRANSLATE_NOOP(
        "messages", "\"{username}\" belum pernah masuk di konsol ini; masuk ke server pusat "
        "dulu (Ctrl+L)."),
    "wrong_password": QT_TRANSLATE_NOOP("messages", "Kata sandi salah."),
    # conflicts (console/sync/conflicts.py)
    "conflict_not_time": QT_TRANSLATE_NOOP("messages", "Nilai {field} yang diubah bukan waktu."),
    "conflict_choose": QT_TRANSLATE_NOOP(
        "messages", "Pilih nilai untuk paling sedikit satu isian yang bentrok."),
    "conflict_gone": QT_TRANSLATE_NOOP(
        "messages", "Konflik ini sudah diselesaikan atau bukan milik laporan ini."),
    "conflict_decision": QT_TRANSLATE_NOOP("messages", "Pilih nilai server atau nilai konsol ini."),
    "conflict_status": QT_TRANSLATE_NOOP(
        "messages", "Laporan kini berstatus \"{status}\" dan tidak bisa pindah ke \"{wanted}\"; "
        "pakai status dari server, atau tindakan biasa."),
    # sync (console/sync/errors.py; a class names its code, a raise may refine it)
    "sync": QT_TRANSLATE_NOOP("messages", "Sinkronisasi gagal; dicoba lagi nanti."),
    "offline": QT_TRANSLATE_NOOP(
        "messages", "Server pusat tidak menjawab; pekerjaan tetap tersimpan di sini dan "
        "dikirim saat sambungan kembali."),
    "tls": QT_TRANSLATE_NOOP(
        "messages", "Sertifikat server tidak dapat diverifikasi; periksa tanggal dan jam "
        "komputer serta alamat server."),
    "bad_response": QT_TRANSLATE_NOOP(
        "messages", "Jawaban server tidak dapat dibaca (sambungan terganggu?); akan diminta lagi."),
    "captive_portal": QT_TRANSLATE_NOOP(
        "messages", "Jaringan menjawab dengan halaman web, bukan server Posko (halaman login "
        "Wi-Fi atau proxy?); buka peramban untuk masuk ke jaringan, lalu sinkronkan lagi."),
    "server_trouble": QT_TRANSLATE_NOOP(
        "messages", "Server pusat sedang bermasalah (HTTP {status}); dicoba lagi nanti."),
    "login_required": QT_TRANSLATE_NOOP(
        "messages", "Belum masuk ke server pusat; masuk (Ctrl+L) untuk sinkronisasi."),
    "session_expired": QT_TRANSLATE_NOOP(
        "messages", "Sesi login berakhir; masuk lagi (Ctrl+L)."),
    "login_refused": QT_TRANSLATE_NOOP(
        "messages", "Login ditolak: nama pengguna atau kata sandi salah."),
    "login_throttled": QT_TRANSLATE_NOOP(
        "messages", "Terlalu banyak percobaan login yang gagal; coba lagi dalam {minutes} "
        "menit."),
    "account_disabled": QT_TRANSLATE_NOOP(
        "messages", "Akun ini dinonaktifkan oleh administrator server; sinkronisasi berhenti. "
        "Data dan perubahan yang belum terkirim tetap tersimpan di komputer ini; hubungi "
        "administrator."),
    "cursor_ahead": QT_TRANSLATE_NOOP(
        "messages", "Basis data server diganti; data ditarik ulang dari awal."),
    "request_refused": QT_TRANSLATE_NOOP(
        "messages", "Server menolak permintaan (HTTP {status})."),
    "local_store": QT_TRANSLATE_NOOP(
        "messages", "Basis data di komputer ini menolak penulisan; tidak ada yang tertulis "
        "setengah. Dicoba lagi nanti."),
    "disk_full": QT_TRANSLATE_NOOP(
        "messages", "Disk komputer ini penuh; kosongkan sebagian ruang. Tidak ada yang "
        "tertulis setengah; sinkronisasi berlanjut saat ada ruang."),
    "cancelled": QT_TRANSLATE_NOOP("messages", "Sinkronisasi dihentikan: konsol sedang ditutup."),
    "unexpected": QT_TRANSLATE_NOOP("messages", "Terjadi kesalahan tak terduga."),
    "plain_http": QT_TRANSLATE_NOOP(
        "messages", "Alamat {url} memakai http:// tanpa enkripsi: kata sandi akan terbaca di "
        "jaringan. Pakai alamat https:// server (atau, khusus jaringan uji, izinkan HTTP "
        "untuk folder data ini: posko sync --allow-http)."),
    "invalid_server_address": QT_TRANSLATE_NOOP(
        "messages", "Alamat server harus diawali https:// (atau http:// untuk komputer ini)."),
}

#: Codes whose English detail helps whoever supports the desk: shown after the sentence.
TECHNICAL = frozenset({"operation", "sync", "offline", "tls", "bad_response", "server_trouble",
                       "request_refused", "local_store", "disk_full", "unexpected"})

#: Report fields (in error_params, in a refused change) -> what the operator calls them.
FIELDS: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("messages", "Judul"),
    "description": QT_TRANSLATE_NOOP("messages", "Uraian"),
    "address": QT_TRANSLATE_NOOP("messages", "Alamat"),
    "reporter_name": QT_TRANSLATE_NOOP("messages", "Nama pelapor"),
    "reporter_phone": QT_TRANSLATE_NOOP("messages", "Telepon pelapor"),
    "status": QT_TRANSLATE_NOOP("messages", "Status"),
    "channel": QT_TRANSLATE_NOOP("messages", "Kanal"),
    "category_code": QT_TRANSLATE_NOOP("messages", "Kategori"),
    "priority": QT_TRANSLATE_NOOP("messages", "Prioritas"),
    "triage": QT_TRANSLATE_NOOP("messages", "Triase"),
    "assigned_agency": QT_TRANSLATE_NOOP("messages", "Instansi"),
    "agency_code": QT_TRANSLATE_NOOP("messages", "Instansi"),
    "region_code": QT_TRANSLATE_NOOP("messages", "Wilayah"),
    "note": QT_TRANSLATE_NOOP("messages", "Catatan"),
    "body": QT_TRANSLATE_NOOP("messages", "Catatan"),
}

#: SyncStatus.code -> the status line's sentence.
SYNC_STATUS: dict[str, str] = {
    "logged_in": QT_TRANSLATE_NOOP("messages", "Sudah masuk ke server pusat."),
    "logged_out": QT_TRANSLATE_NOOP("messages", "Keluar dari server pusat."),
    "up_to_date": QT_TRANSLATE_NOOP("messages", "Data sudah mutakhir."),
    "in_progress": QT_TRANSLATE_NOOP("messages", "Sinkronisasi sedang berjalan."),
}

#: Why the server refused one change: the code stored before the first ":" of
#: outbox.last_error (the server's HTTP-like code, or a local word).
QUARANTINE: dict[str, str] = {
    "400": QT_TRANSLATE_NOOP("messages", "Server menolak perubahan ini sebagai tidak sah."),
    "403": QT_TRANSLATE_NOOP(
        "messages", "Akun ini tidak boleh mengubah laporan di wilayah tersebut."),
    "404": QT_TRANSLATE_NOOP(
        "messages", "Laporan ini tidak ada di server, atau di luar wilayah akun ini."),
    "409": QT_TRANSLATE_NOOP(
        "messages", "Bentrok dengan data di server (sudah ada, atau kode perubahan dipakai "
        "untuk isi lain)."),
    "413": QT_TRANSLATE_NOOP("messages", "Perubahan ini terlalu besar untuk diterima server."),
    "422": QT_TRANSLATE_NOOP("messages", "Server menolak isi perubahan ini karena tidak sah."),
    "local": QT_TRANSLATE_NOOP(
        "messages", "Perubahan yang tersimpan rusak dan tidak dapat dikirim."),
}


@dataclass(frozen=True)
class Text:
    """A sentence for the operator and, in smaller print, the raw technical detail."""

    text: str
    detail: str = ""

    def plain(self) -> str:
        """One plain-text string (labels in PlainText mode, the notice bar)."""
        return f"{self.text}\n({self.detail})" if self.detail else self.text

    def rich(self) -> str:
        """HTML with both parts escaped; the detail smaller and grey."""
        if not self.detail:
            return html.escape(self.text)
        return f"{html.escape(self.text)}<br>{self.detail_html()}"

    def detail_html(self) -> str:
        """Just the detail, escaped, in small grey print ("" without one)."""
        if not self.detail:
            return ""
        return f'<small style="color:#666">{html.escape(self.detail)}</small>'


class _Params(dict):
    """Template values: a missing one reads "?" instead of failing the message."""

    def __missing__(self, key: str) -> str:
        return "?"


def _value(key: str, value: Any) -> str:
    if isinstance(value, datetime):
        return format_local(value)
    if isinstance(value, BaseException):
        return describe(value).plain()
    if key == "field" and isinstance(value, str):
        return _translate(CONTEXT, FIELDS[value]) if value in FIELDS else value
    if key in ("status", "wanted") and isinstance(value, str):
        return status_label(value)
    if key == "channel" and isinstance(value, str):
        return channel_label(value)
    if key == "action" and isinstance(value, str):
        return action_label(value)
    if key == "triage" and isinstance(value, str):
        return triage_label(value)
    if key == "priority" and isinstance(value, int):
        return priority_label(value)
    if isinstance(value, float):
        return f"{value:.5f}" if key in ("lat", "lon") else f"{value:.0f}"
    return str(value)


def _fill(template: str, params: Mapping[str, Any]) -> str:
    text = _translate(CONTEXT, template)
    values = _Params({k: _value(k, v) for k, v in params.items()})
    try:
        return text.format_map(values)
    except (ValueError, IndexError):  # a translator's stray brace: the sentence as is
        return text


def field_label(name: str) -> str:
    """What the operator calls a report field (the stored name if it has no label)."""
    return _translate(CONTEXT, FIELDS[name]) if name in FIELDS else name


def change_summary(fields: Mapping[str, Any], limit: int = 4,
                   trail: Mapping[str, list] | None = None) -> str:
    """A refused change in the operator's words: labelled fields and their shown values,
    without ids and time stamps (the ticket column says which report). A coalesced change
    (console/sync/coalesce.py) shows the path its status took: every action it holds."""
    parts = []
    first = ("title", "status", "triage", "priority", "assigned_agency", "agency_code", "body")
    ordered = sorted(fields.items(), key=lambda kv: first.index(kv[0]) if kv[0] in first
                     else len(first))  # what the operator recognises first
    for key, value in ordered:
        if value is None or key == "id" or key.endswith(("_id", "_at", "_of")) \
                or (isinstance(value, str) and _UUID.fullmatch(value)):
            continue
        shown = _value(key, value)[:60]
        if trail and key == "status" and isinstance(trail.get("status"), list):
            shown = " → ".join(_value(key, v)[:30] for v in [*trail["status"], value])
        parts.append(f"{field_label(key)}: {shown}")
        if len(parts) == limit:
            break
    return ", ".join(parts)


def describe(exc: BaseException) -> Text:
    """What to tell the operator about ``exc``."""
    code = getattr(exc, "error_code", None)
    params = getattr(exc, "error_params", None) or {}
    detail = str(exc)  # i18n: ok - only ever the small print beside a sentence
    if isinstance(code, str) and code in ERRORS:
        text = _fill(ERRORS[code], params)
        return Text(text, detail if code in TECHNICAL else "")
    return Text(_translate(CONTEXT, ERRORS["unexpected"]), detail or type(exc).__name__)


def error_text(exc: BaseException) -> str:
    """``describe(exc)`` as one plain-text string."""
    return describe(exc).plain()


def sync_status_text(status: Any) -> str:
    """The sync status line (SyncStatus from console/sync/engine.py) in the UI language."""
    code = getattr(status, "code", "") or ""
    params = getattr(status, "params", None) or {}
    if code in SYNC_STATUS:
        parts = [_fill(SYNC_STATUS[code], params)]
        n = int(params.get("quarantined") or 0)
        if n:
            parts.append(messages_plurals().quarantined(n))
        skew = params.get("clock_skew_s")
        if skew is not None:
            parts.append(QCoreApplication.translate(
                "messages", "Jam komputer ini selisih {minutes} menit dari server (sinkronisasi "
                "tidak terganggu, tetapi waktu yang diketik di sini mungkin salah).").format(
                    minutes=round(abs(float(skew)) / 60)))
        return " ".join(parts)
    if code in ERRORS:
        detail = getattr(status, "message", "") if code in TECHNICAL else ""
        return Text(_fill(ERRORS[code], params), detail).plain()
    if code:  # a code this console does not know yet
        return Text(_translate(CONTEXT, ERRORS["sync"]), getattr(status, "message", "")).plain()
    return getattr(status, "message", "") or ""  # made by a view: already translated


def split_reason(last_error: str | None) -> tuple[str, str]:
    """(code, detail) of a stored quarantine reason ``"<code>: <detail>"``."""
    text = (last_error or "").strip()
    head, sep, rest = text.partition(":")
    if sep and head.strip() and " " not in head.strip():
        return head.strip(), rest.strip()
    return "", text


def quarantine_reason(last_error: str | None) -> Text:
    """Why the server refused a change, for the quarantine dialog: an Indonesian sentence
    and the stored reason, code included, as detail (what support asks for)."""
    code, _detail = split_reason(last_error)
    if code in QUARANTINE:
        return Text(_translate(CONTEXT, QUARANTINE[code]), (last_error or "").strip())
    return Text(QCoreApplication.translate(
        "messages", "Server menolak perubahan ini."), (last_error or "").strip())
