"""Words and number/date formats for exported documents, Bahasa Indonesia first.

Qt-free on purpose: the headless CLI and the server must render the same words as the
console, and Qt's translator only reaches GUI strings. The words for stored codes (status,
channel, triage) are ``console.vocabulary``'s, the console's own. One dictionary per language; a
key missing in English falls back to Indonesian, a key missing everywhere shows the key
(a visible bug, never a crash in the middle of a supervisor's export).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from console import vocabulary

LANGS: Final = vocabulary.LANGS
DEFAULT_LANG: Final = "id"

_ID: dict[str, str] = {
    # document
    "doc.title": "Laporan Shift",
    "doc.subtitle": "Posko — pusat komando",
    "doc.region_all": "Semua wilayah",
    "doc.window": "Periode",
    "doc.region": "Wilayah",
    "doc.generated_at": "Dibuat",
    "doc.data_as_of": "Data per",
    "doc.data_as_of_value": "{at} (basis data lokal)",
    "doc.last_sync": "Sinkronisasi terakhir berhasil",
    "doc.never_synced": "belum pernah sinkron",
    "doc.generated_by": "Dibuat oleh",
    "doc.personal_data": "Data pribadi pelapor",
    "doc.masked": "disamarkan",
    "doc.unmasked": "TIDAK disamarkan — atas permintaan {actor}, dicatat di linimasa",
    "doc.page": "Halaman {page} dari {total}",
    "doc.tz": "WIB",
    "doc.empty": "Tidak ada laporan pada periode dan wilayah ini.",
    "doc.more_rows": "… dan {n} baris lagi (lengkap di ekspor XLSX/CSV).",
    "doc.none": "Tidak ada.",
    "doc.key_figures": "Angka utama",
    "doc.charts": "Grafik",
    "doc.map": "Peta sebaran laporan",
    "map.north": "U",
    "map.note": "{drawn} laporan dalam periode dan wilayah ini di peta; warna menurut "
                "prioritas: {legend}.",
    "map.legend": "merah P1 Darurat, jingga P2 Tinggi, kuning P3 Sedang, abu-abu P4 Rendah",
    "map.without": "{n} laporan tanpa koordinat tidak tampil di peta.",
    "doc.footer": "Posko · {title} · {window}",
    "doc.sla_note": "Kepatuhan = tepat waktu / (tepat waktu + terlambat); "
                    "yang masih berjalan belum dihitung. Status = status saat data diambil.",
    "doc.pending": "Perubahan lokal belum terkirim",
    "doc.pending_value": "{pending} antre, {quarantined} dikarantina",
    "doc.conflicts": "Konflik sinkronisasi terbuka",
    # key figures
    "kf.total": "Laporan masuk",
    "kf.open": "Masih terbuka",
    "kf.finished": "Selesai / ditutup",
    "kf.side_exit": "Ditolak / duplikat / iseng / kosong / bukan kewenangan",
    "kf.p1_open": "Prioritas 1 masih terbuka (saat ini)",
    "kf.sla_compliance": "Kepatuhan SLA",
    "kf.sla_breaches": "Pelanggaran SLA",
    "kf.calls_112": "Panggilan 112",
    "kf.real_112": "Panggilan 112 darurat nyata",
    # tables
    "t.summary": "Ringkasan",
    "t.status": "Menurut status",
    "t.category": "Menurut kategori",
    "t.kecamatan": "Menurut kecamatan",
    "t.kelurahan": "Menurut kelurahan",
    "t.channel": "Menurut kanal",
    "t.call_mix": "Komposisi panggilan 112",
    "t.sla": "Kepatuhan SLA",
    "t.durations": "Waktu penanganan",
    "t.hourly": "Volume per jam",
    "t.daily": "Volume per hari",
    "t.open_p1": "Laporan prioritas 1 yang masih terbuka",
    "t.breaches": "Pelanggaran SLA",
    "t.shifts": "Shift dan catatan serah terima",
    "t.handovers": "Serah terima dan pengesahan",
    "t.reports": "Daftar laporan",
    # sheet names (Excel: at most 31 characters, no []:*?/\)
    "s.summary": "Ringkasan",
    "s.status": "Status",
    "s.category": "Kategori",
    "s.kecamatan": "Kecamatan",
    "s.kelurahan": "Kelurahan",
    "s.channel": "Kanal",
    "s.call_mix": "Panggilan 112",
    "s.sla": "SLA",
    "s.durations": "Waktu penanganan",
    "s.hourly": "Volume per jam",
    "s.daily": "Volume per hari",
    "s.open_p1": "P1 terbuka",
    "s.breaches": "Pelanggaran SLA",
    "s.shifts": "Shift",
    "s.handovers": "Serah terima",
    "s.reports": "Laporan",
    # column headers
    "c.item": "Keterangan",
    "c.value": "Nilai",
    "c.status": "Status",
    "c.count": "Jumlah",
    "c.share": "Porsi (%)",
    "c.category": "Kategori",
    "c.category_code": "Kode kategori",
    "c.open": "Terbuka",
    "c.p1": "Prioritas 1",
    "c.breached": "Terlambat SLA",
    "c.kecamatan": "Kecamatan",
    "c.kelurahan": "Kelurahan",
    "c.region_code": "Kode wilayah",
    "c.channel": "Kanal",
    "c.triage": "Hasil triase",
    "c.stage": "Tahap SLA",
    "c.target": "Target",
    "c.met": "Tepat waktu",
    "c.late": "Terlambat",
    "c.running": "Masih berjalan",
    "c.compliance": "Kepatuhan (%)",
    "c.measure": "Ukuran",
    "c.n": "Jumlah laporan",
    "c.median_min": "Median",
    "c.p90_min": "P90",
    "c.hour": "Jam mulai (WIB)",
    "unit.minutes": "menit",
    "c.day": "Tanggal (WIB)",
    "c.ticket": "Tiket",
    "c.created": "Masuk (WIB)",
    "c.priority": "Prioritas",
    "c.agency": "Instansi",
    "c.age_min": "Umur",
    "c.sla_due": "Batas SLA (WIB)",
    "c.title": "Judul",
    "c.reporter": "Pelapor",
    "c.due": "Batas (WIB)",
    "c.done": "Dikerjakan (WIB)",
    "c.late_min": "Terlambat",
    "c.operator": "Petugas",
    "c.role": "Peran",
    "c.started": "Mulai (WIB)",
    "c.ended": "Selesai (WIB)",
    "c.note": "Catatan serah terima",
    "c.handover_at": "Dibuat (WIB)",
    "c.outgoing": "Supervisor keluar",
    "c.outgoing_signed": "Disahkan keluar (WIB)",
    "c.incoming": "Supervisor masuk",
    "c.incoming_signed": "Disahkan masuk (WIB)",
    "c.pack": "Isi paket",
    "c.description": "Uraian",
    "c.address": "Alamat",
    "c.reporter_name": "Nama pelapor",
    "c.reporter_phone": "Telepon pelapor",
    "c.verified_at": "Diverifikasi (WIB)",
    "c.dispatched_at": "Didisposisikan (WIB)",
    "c.resolved_at": "Selesai (WIB)",
    "c.closed_at": "Ditutup (WIB)",
    "c.id": "ID laporan",
    # measures
    "m.verify": "Masuk → verifikasi",
    "m.dispatch": "Masuk → disposisi",
    "m.resolve": "Masuk → selesai",
    # SLA stages
    "stage.verify": "Verifikasi",
    "stage.dispatch": "Disposisi darurat/112",
    "stage.respond": "Tiba di lokasi (darurat)",
    "stage.follow_up": "Tindak lanjut instansi",
    "stage.total": "Semua tahap",
    "target.days": "{n} hari kerja",
    "target.minutes": "{n} menit",
    "target.mixed": "menurut kategori",
    # pack
    "pack.summary": "P1/P2 terbuka {p12} · SLA berisiko {risk} · lewat SLA {breached} · "
                    "disposisi belum diterima {unack} · perubahan belum terkirim {outbox} · "
                    "konflik {conflicts}",
    "pack.unsigned": "belum disahkan",
    # charts
    "chart.hourly": "Volume laporan per jam (WIB)",
    "chart.daily": "Volume laporan per hari (WIB)",
    "chart.categories": "Kategori terbanyak",
    "chart.sla": "Kepatuhan SLA per tahap",
    "chart.met": "Tepat waktu",
    "chart.late": "Terlambat",
    "chart.running": "Berjalan",
    # roles
    "role.operator": "Operator",
    "role.kelurahan": "Kelurahan",
    "role.supervisor": "Supervisor",
    "role.admin": "Admin",
    # durations
    "dur.min": "{m} mnt",
    "dur.under_min": "< 1 mnt",
    "dur.hour": "{h} jam {m} mnt",
    "dur.day": "{d} hari {h} jam",
    # errors (shown to the supervisor as they are)
    "err.folder_missing": "Folder tujuan tidak ada: {path}",
    "err.not_writable": "Tidak dapat menulis ke {path}: folder tidak boleh ditulisi. "
                        "Pilih folder lain.",
    "err.is_directory": "{path} adalah folder, bukan nama berkas.",
    "err.disk_full": "Disk penuh saat menulis {path}. Tidak ada berkas yang ditinggalkan; "
                     "kosongkan ruang atau pilih disk lain.",
    "err.read_only": "Disk tujuan hanya-baca: {path}",
    "err.locked": "Berkas {path} sedang dibuka program lain. Tutup dulu, lalu ulangi.",
    "err.io": "Gagal menulis {path}: {detail}. Tidak ada berkas yang ditinggalkan.",
    "err.window": "Periode tidak sah: waktu akhir harus setelah waktu mulai.",
    "err.naive": "Waktu harus menyertakan zona waktu (mis. 2026-11-28T07:00+07:00).",
    "err.region": "Wilayah {code} tidak dikenal.",
    "err.format": "Format {fmt} tidak dikenal (pdf, xlsx, csv).",
    "err.table": "Tabel {table} tidak dikenal untuk CSV; pilihan: {choices}.",
    "err.unmask_role": "{actor} (peran {role}) tidak berhak membuka data pribadi pelapor; "
                       "hanya supervisor atau admin.",
    "err.unknown_actor": "Petugas {actor} tidak dikenal di basis data ini.",
    "err.unmask_actor": "Membuka data pribadi memerlukan nama petugas (--as).",
    "err.too_many_rows": "{n} baris melebihi batas Excel (1.048.575 baris); "
                         "perkecil periode atau pakai CSV.",
    "err.cancelled": "Ekspor dibatalkan. Tidak ada berkas yang ditinggalkan.",
    "err.database": "Basis data tidak dapat dibaca: {detail}",
    "err.map": "Gambar peta tidak dapat dibaca: {detail}",
}

_EN: dict[str, str] = {
    "doc.title": "Shift Report",
    "doc.subtitle": "Posko — command center",
    "doc.region_all": "All regions",
    "doc.window": "Period",
    "doc.region": "Region",
    "doc.generated_at": "Generated",
    "doc.data_as_of": "Data as of",
    "doc.data_as_of_value": "{at} (local database)",
    "doc.last_sync": "Last successful sync",
    "doc.never_synced": "never synced",
    "doc.generated_by": "Generated by",
    "doc.personal_data": "Reporter personal data",
    "doc.masked": "masked",
    "doc.unmasked": "NOT masked — at the request of {actor}, recorded in the timeline",
    "doc.page": "Page {page} of {total}",
    "doc.tz": "WIB",
    "doc.empty": "No reports in this period and region.",
    "doc.more_rows": "… and {n} more rows (complete in the XLSX/CSV export).",
    "doc.none": "None.",
    "doc.key_figures": "Key figures",
    "doc.charts": "Charts",
    "doc.map": "Map of reports",
    "map.north": "N",
    "map.note": "{drawn} reports of this period and region on the map; colour by priority: "
                "{legend}.",
    "map.legend": "red P1 Emergency, orange P2 High, yellow P3 Medium, grey P4 Low",
    "map.without": "{n} reports without coordinates are not on the map.",
    "doc.footer": "Posko · {title} · {window}",
    "doc.sla_note": "Compliance = on time / (on time + late); stages still running are not "
                    "counted. Status = status when the data was read.",
    "doc.pending": "Local changes not yet synced",
    "doc.pending_value": "{pending} pending, {quarantined} quarantined",
    "doc.conflicts": "Open sync conflicts",
    "kf.total": "Reports received",
    "kf.open": "Still open",
    "kf.finished": "Resolved / closed",
    "kf.side_exit": "Rejected / duplicate / prank / ghost / not our authority",
    "kf.p1_open": "Priority 1 still open (now)",
    "kf.sla_compliance": "SLA compliance",
    "kf.sla_breaches": "SLA breaches",
    "kf.calls_112": "112 calls",
    "kf.real_112": "112 calls that were real emergencies",
    "t.summary": "Summary",
    "t.status": "By status",
    "t.category": "By category",
    "t.kecamatan": "By kecamatan (district)",
    "t.kelurahan": "By kelurahan (urban village)",
    "t.channel": "By channel",
    "t.call_mix": "112 call mix",
    "t.sla": "SLA compliance",
    "t.durations": "Handling times",
    "t.hourly": "Volume per hour",
    "t.daily": "Volume per day",
    "t.open_p1": "Priority-1 reports still open",
    "t.breaches": "SLA breaches",
    "t.shifts": "Shifts and handover notes",
    "t.handovers": "Handovers and sign-off",
    "t.reports": "Reports",
    "s.summary": "Summary",
    "s.status": "Status",
    "s.category": "Categories",
    "s.kecamatan": "Kecamatan",
    "s.kelurahan": "Kelurahan",
    "s.channel": "Channels",
    "s.call_mix": "112 calls",
    "s.sla": "SLA",
    "s.durations": "Handling times",
    "s.hourly": "Volume per hour",
    "s.daily": "Volume per day",
    "s.open_p1": "Open P1",
    "s.breaches": "SLA breaches",
    "s.shifts": "Shifts",
    "s.handovers": "Handovers",
    "s.reports": "Reports",
    "c.item": "Item",
    "c.value": "Value",
    "c.status": "Status",
    "c.count": "Count",
    "c.share": "Share (%)",
    "c.category": "Category",
    "c.category_code": "Category code",
    "c.open": "Open",
    "c.p1": "Priority 1",
    "c.breached": "SLA breached",
    "c.kecamatan": "Kecamatan",
    "c.kelurahan": "Kelurahan",
    "c.region_code": "Region code",
    "c.channel": "Channel",
    "c.triage": "Triage",
    "c.stage": "SLA stage",
    "c.target": "Target",
    "c.met": "On time",
    "c.late": "Late",
    "c.running": "Still running",
    "c.compliance": "Compliance (%)",
    "c.measure": "Measure",
    "c.n": "Reports",
    "c.median_min": "Median",
    "c.p90_min": "P90",
    "c.hour": "Hour starting (WIB)",
    "unit.minutes": "minutes",
    "c.day": "Date (WIB)",
    "c.ticket": "Ticket",
    "c.created": "Received (WIB)",
    "c.priority": "Priority",
    "c.agency": "Agency",
    "c.age_min": "Age",
    "c.sla_due": "SLA due (WIB)",
    "c.title": "Title",
    "c.reporter": "Reporter",
    "c.due": "Due (WIB)",
    "c.done": "Done (WIB)",
    "c.late_min": "Late by",
    "c.operator": "Staff",
    "c.role": "Role",
    "c.started": "Started (WIB)",
    "c.ended": "Ended (WIB)",
    "c.note": "Handover note",
    "c.handover_at": "Created (WIB)",
    "c.outgoing": "Outgoing supervisor",
    "c.outgoing_signed": "Outgoing signed (WIB)",
    "c.incoming": "Incoming supervisor",
    "c.incoming_signed": "Incoming signed (WIB)",
    "c.pack": "Pack contents",
    "c.description": "Description",
    "c.address": "Address",
    "c.reporter_name": "Reporter name",
    "c.reporter_phone": "Reporter phone",
    "c.verified_at": "Verified (WIB)",
    "c.dispatched_at": "Dispatched (WIB)",
    "c.resolved_at": "Resolved (WIB)",
    "c.closed_at": "Closed (WIB)",
    "c.id": "Report ID",
    "m.verify": "Received → verified",
    "m.dispatch": "Received → dispatched",
    "m.resolve": "Received → resolved",
    "stage.verify": "Verification",
    "stage.dispatch": "Emergency/112 dispatch",
    "stage.respond": "Emergency on scene",
    "stage.follow_up": "Agency follow-up",
    "stage.total": "All stages",
    "target.days": "{n} working days",
    "target.minutes": "{n} minutes",
    "target.mixed": "per category",
    "pack.summary": "Open P1/P2 {p12} · SLA at risk {risk} · SLA breached {breached} · "
                    "dispatches not acknowledged {unack} · changes not yet synced {outbox} · "
                    "conflicts {conflicts}",
    "pack.unsigned": "not signed",
    "chart.hourly": "Reports per hour (WIB)",
    "chart.daily": "Reports per day (WIB)",
    "chart.categories": "Top categories",
    "chart.sla": "SLA compliance by stage",
    "chart.met": "On time",
    "chart.late": "Late",
    "chart.running": "Running",
    "role.operator": "Operator",
    "role.kelurahan": "Kelurahan",
    "role.supervisor": "Supervisor",
    "role.admin": "Admin",
    "dur.min": "{m} min",
    "dur.under_min": "< 1 min",
    "dur.hour": "{h} h {m} min",
    "dur.day": "{d} d {h} h",
    "err.folder_missing": "The destination folder does not exist: {path}",
    "err.not_writable": "Cannot write to {path}: the folder is not writable. "
                        "Choose another folder.",
    "err.is_directory": "{path} is a folder, not a file name.",
    "err.disk_full": "The disk became full while writing {path}. No file was left behind; "
                     "free some space or choose another disk.",
    "err.read_only": "The destination disk is read-only: {path}",
    "err.locked": "{path} is open in another program. Close it and try again.",
    "err.io": "Could not write {path}: {detail}. No file was left behind.",
    "err.window": "Invalid period: the end must be after the start.",
    "err.naive": "Times must include a time zone (e.g. 2026-11-28T07:00+07:00).",
    "err.region": "Unknown region {code}.",
    "err.format": "Unknown format {fmt} (pdf, xlsx, csv).",
    "err.table": "Unknown table {table} for CSV; choose one of: {choices}.",
    "err.unmask_role": "{actor} (role {role}) may not reveal reporters' personal data; "
                       "only a supervisor or an admin may.",
    "err.unknown_actor": "Staff member {actor} is not known in this database.",
    "err.unmask_actor": "Revealing personal data needs the staff member's name (--as).",
    "err.too_many_rows": "{n} rows exceed Excel's limit (1,048,575 rows); "
                         "shorten the period or use CSV.",
    "err.cancelled": "Export cancelled. No file was left behind.",
    "err.database": "The database cannot be read: {detail}",
    "err.map": "The map image cannot be read: {detail}",
}

_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_TABLES = {"id": _ID, "en": _EN}


def check_lang(lang: str | None) -> str:
    lang = (lang or DEFAULT_LANG).lower()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


class Words:
    """The words and formats of one language: ``w("doc.title")``, ``w.status("new")``."""

    def __init__(self, lang: str = DEFAULT_LANG, tz: str = "Asia/Jakarta") -> None:
        self.lang = check_lang(lang)
        self.tz = ZoneInfo(tz)
        self._table = _TABLES[self.lang]

    def __call__(self, key: str, **params: object) -> str:
        text = self._table.get(key) or _ID.get(key) or key
        return text.format(**params) if params else text

    def status(self, code: str | None) -> str:
        return vocabulary.word(vocabulary.STATUS, code, self.lang)

    def channel(self, code: str | None) -> str:
        return vocabulary.word(vocabulary.CHANNEL, code, self.lang)

    def triage(self, code: str | None) -> str:
        if code is None:
            return vocabulary.TRIAGE_NONE.in_lang(self.lang)
        return vocabulary.word(vocabulary.TRIAGE, code, self.lang)

    def role(self, code: str | None) -> str:
        return self(f"role.{code}") if code in ("operator", "kelurahan", "supervisor", "admin") else (code or "")

    # --- numbers and times, as a reader of this language expects them ----------------

    def int(self, n: int) -> str:
        text = f"{n:,}"
        return text.replace(",", ".") if self.lang == "id" else text

    def num(self, x: float, digits: int = 1) -> str:
        text = f"{x:,.{digits}f}"
        if self.lang == "id":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def pct(self, fraction: float | None) -> str:
        return "–" if fraction is None else f"{self.num(fraction * 100, 1)}%"

    def local(self, dt: datetime) -> datetime:
        return dt.astimezone(self.tz)

    def datetime(self, dt: datetime | None, *, seconds: bool = False) -> str:
        if dt is None:
            return "–"
        d = dt.astimezone(self.tz)
        clock = f"{d:%H:%M:%S}" if seconds else f"{d:%H:%M}"
        return f"{d.day} {_MONTHS[self.lang][d.month - 1]} {d.year} {clock}"

    def datetime_short(self, dt: datetime | None, ref_year: int) -> str:
        """For table cells: the year only when it differs from the report's."""
        if dt is None:
            return "–"
        d = dt.astimezone(self.tz)
        year = "" if d.year == ref_year else f" {d.year}"
        return f"{d.day} {_MONTHS[self.lang][d.month - 1]}{year} {d:%H:%M}"

    def window(self, start: datetime, end: datetime) -> str:
        return f"{self.datetime(start)} – {self.datetime(end)} {self('doc.tz')}"

    def minutes(self, minutes: float | None) -> str:
        if minutes is None:
            return "–"
        if 0 < minutes < 1:
            return self("dur.under_min")
        total = round(minutes)
        if total < 60:
            return self("dur.min", m=total)
        d, rest = divmod(total, 24 * 60)
        h, m = divmod(rest, 60)
        if d:
            return self("dur.day", d=d, h=h)
        return self("dur.hour", h=h, m=m)

    def duration(self, delta: timedelta) -> str:
        return self.minutes(delta.total_seconds() / 60)
