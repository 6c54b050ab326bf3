"""The public page's words, Bahasa Indonesia first, English second.

Status names, numbers, dates and durations come from the shift report's words
(console/export/i18n.py, Qt-free), so a citizen reads the same terms as the supervisor's
report to the Ombudsman; only the page's own sentences are here.
"""

from __future__ import annotations

from console.export.i18n import Words

LANGS = ("id", "en")

_PAGE = {
    "id": {
        "title": "Kinerja Layanan Pengaduan — {city}",
        "intro": "Angka laporan warga yang diterima pusat komando {city} dalam 30 hari "
                 "terakhir: berapa yang sudah ditangani, seberapa tepat waktu, dan berapa "
                 "lama penyelesaiannya.",
        "excluded": "Tidak termasuk panggilan darurat 112, panggilan iseng atau kosong, dan "
                    "laporan darurat (kebakaran, kecelakaan, kriminal, medis, longsor), demi "
                    "keselamatan dan privasi pelapor.",
        "as_of": "Data per {at} WIB",
        "last_change": "perubahan terakhir {at} WIB",
        "no_change": "belum ada laporan",
        "window": "Periode: {start} – {end} WIB",
        "lookup": "Cek status laporan Anda",
        "ticket": "Nomor tiket",
        "ticket_hint": "Contoh: {prefix}-261207-S7K2Q. Huruf besar atau kecil sama saja.",
        "check": "Cek",
        "summary": "Ringkasan kota",
        "received": "Laporan diterima",
        "open": "Masih diproses",
        "done": "Selesai",
        "other": "Ditolak / dialihkan / duplikat",
        "sla": "Tepat waktu (SLA)",
        "sla_note": "Tepat waktu = tahap yang selesai sebelum batas waktu ÷ semua tahap yang "
                    "sudah selesai atau sudah lewat batas (verifikasi 3 hari kerja, tindak "
                    "lanjut 5 hari kerja). Tahap yang masih berjalan belum dihitung.",
        "by_status": "Laporan menurut status",
        "status": "Status",
        "count": "Jumlah",
        "by_area": "Laporan per kecamatan",
        "chart": "Peta peringkat: jumlah laporan per kecamatan",
        "chart_note": "Warna lebih gelap berarti lebih banyak laporan. Batas wilayah kecamatan "
                      "belum tersedia di server ini, jadi kecamatan ditampilkan sebagai "
                      "daftar berperingkat.",
        "chart_more": "{n} kecamatan lainnya ada di tabel.",
        "area": "Kecamatan",
        "total": "Total",
        "no_area": "Tingkat kota (tanpa kecamatan)",
        "by_category": "Lama penyelesaian per kategori",
        "category": "Kategori",
        "resolved_n": "Selesai (30 hari)",
        "median": "Median waktu selesai",
        "none": "–",
        "lang_other": "English",
        "footer": "Posko — pusat komando {city}. Halaman ini tidak memuat nama, nomor "
                  "telepon, maupun alamat pelapor.",
        # lookup
        "lookup_title": "Laporan {ticket}",
        "category_label": "Kategori",
        "status_label": "Status saat ini",
        "where": "Wilayah",
        "agency": "Ditangani oleh",
        "received_at": "Diterima",
        "updated_at": "Terakhir diperbarui",
        "due": "Target tahap ini",
        "timeline": "Riwayat status",
        "back": "Kembali ke halaman kinerja",
        "not_found_title": "Laporan tidak ditemukan",
        "not_found": "Tidak ada laporan publik dengan nomor tiket itu. Periksa kembali "
                     "nomornya. Laporan darurat dan panggilan 112 tidak dapat dicek di sini; "
                     "hubungi 112.",
        "busy_title": "Terlalu banyak permintaan",
        "busy": "Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam {s} detik.",
        "privacy": "Nama, nomor telepon, dan alamat tidak ditampilkan.",
    },
    "en": {
        "title": "Complaint service performance — {city}",
        "intro": "Citizen reports received by the {city} command center in the last 30 days: "
                 "how many were handled, how often on time, and how long they took.",
        "excluded": "Not included: 112 emergency calls, prank or silent calls, and emergency "
                    "reports (fire, accidents, crime, medical, landslides), for the safety "
                    "and privacy of the people involved.",
        "as_of": "Data as of {at} WIB",
        "last_change": "last change {at} WIB",
        "no_change": "no reports yet",
        "window": "Period: {start} – {end} WIB",
        "lookup": "Check the status of your report",
        "ticket": "Ticket number",
        "ticket_hint": "For example {prefix}-261207-S7K2Q. Upper or lower case does not matter.",
        "check": "Check",
        "summary": "City summary",
        "received": "Reports received",
        "open": "Being handled",
        "done": "Resolved",
        "other": "Rejected / referred / duplicate",
        "sla": "On time (SLA)",
        "sla_note": "On time = stages finished before their deadline ÷ all stages finished or "
                    "past their deadline (verification 3 working days, follow-up 5 working "
                    "days). Stages still running are not counted yet.",
        "by_status": "Reports by status",
        "status": "Status",
        "count": "Count",
        "by_area": "Reports per kecamatan (district)",
        "chart": "Ranked map: reports per kecamatan",
        "chart_note": "Darker means more reports. This server has no kecamatan boundaries "
                      "yet, so districts are shown as a ranked list.",
        "chart_more": "{n} more kecamatan are in the table.",
        "area": "Kecamatan",
        "total": "Total",
        "no_area": "City level (no kecamatan)",
        "by_category": "Time to resolve per category",
        "category": "Category",
        "resolved_n": "Resolved (30 days)",
        "median": "Median time to resolve",
        "none": "–",
        "lang_other": "Bahasa Indonesia",
        "footer": "Posko — {city} command center. This page shows no reporter names, phone "
                  "numbers or addresses.",
        "lookup_title": "Report {ticket}",
        "category_label": "Category",
        "status_label": "Current status",
        "where": "Area",
        "agency": "Handled by",
        "received_at": "Received",
        "updated_at": "Last updated",
        "due": "Target for this stage",
        "timeline": "Status history",
        "back": "Back to the performance page",
        "not_found_title": "Report not found",
        "not_found": "There is no public report with that ticket number. Please check the "
                     "number. Emergency reports and 112 calls cannot be checked here; call 112.",
        "busy_title": "Too many requests",
        "busy": "Too many requests from your address. Try again in {s} seconds.",
        "privacy": "Names, phone numbers and addresses are not shown.",
    },
}


def pick_lang(value: str | None) -> str:
    """``?lang=`` as given, Indonesian for anything else (never an error page)."""
    return value if value in LANGS else "id"


class PageWords(Words):
    """``w.t("key", city=…)`` for the page's sentences; the rest from :class:`Words`."""

    def t(self, key: str, **params: object) -> str:
        text = _PAGE[self.lang].get(key) or _PAGE["id"][key]
        return text.format(**params) if params else text
