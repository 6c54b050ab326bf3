"""A realistic corpus of Indonesian complaint reports for the sync bench, and the way a
kelurahan office works its own reports through the workflow.

The reports must be at least as hard to compress as real complaints (issue 11): a corpus
of few templates compresses to a fraction of what real text costs on the wire and flatters
every sync figure. So a report here is put together from many independent parts:

- the title and the opening sentence from the console's demo templates for its category
  (``console.demo.templates.CATEGORY_TEMPLATES``: every category of the catalogue) or from
  generic per-category title patterns, with a prefix or suffix now and then;
- a description of 80-320 characters: the opening, then some of where exactly (lokasi),
  since when (durasi), what it does to people (dampak), what was tried and what is asked
  (permintaan), and a closing; SMS and WhatsApp texts get the usual abbreviations;
- neighbourhood landmarks (masjid, musala, sekolah, pasar, puskesmas, gang, pos ronda,
  warung) with names and RT/RW numbers, real street names of the city, house numbers;
- reporter names from Sundanese, Javanese and general Indonesian first and last names
  (some anonymous), phone numbers with real operator prefixes and random digits (fake).

Everything is deterministic from the ``random.Random`` passed in. Texts stay inside the
server's limits (``server.push.TEXT_LIMITS``) and intake's (``console.operations.intake``).

``gzip_bytes_per_report(docs)`` is the corpus figure: gzip -6 of the JSON list of the
report documents, divided by their number. ``office_workflow`` takes a console's local
reports through verify / reject / dispatch / start / resolve / close and notes with the
console's real operations, so the outbox holds what an office's week leaves in it.
"""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from console.demo import templates as T
from console.domain.catalog import CATEGORIES

CITY = "bandung"
CHANNELS = ["phone", "phone", "phone_112", "whatsapp", "whatsapp", "whatsapp", "sms",
            "walk_in", "walk_in", "app", "app", "social"]

# --- people -------------------------------------------------------------------------------

FIRST_NAMES = T.FIRST_NAMES + (
    "Aceng", "Enjang", "Oman", "Entis", "Cucu", "Dadan", "Engkus", "Iis", "Nenden", "Yeti",
    "Eneng", "Ade", "Ucup", "Jajang", "Dede", "Nunung", "Imas", "Oneng", "Komar", "Atang",
    "Sugeng", "Suwarni", "Paijo", "Tukiyem", "Wagiman", "Sumarno", "Parman", "Sukijan",
    "Widya", "Rohmat", "Siswanto", "Kartini", "Murni", "Ningsih", "Supardi", "Gilang",
    "Reza", "Aditya", "Nabila", "Salsabila", "Farhan", "Kevin", "Bayu", "Citra", "Melati",
    "Haji Endin", "Hj. Popon", "Muhammad", "Abdul", "Nurul", "Zainal", "Rosidah", "Ikhsan",
)
LAST_NAMES = T.LAST_NAMES + (
    "Sukmana", "Kartasasmita", "Wiranata", "Suganda", "Rukmana", "Prawira", "Hartono",
    "Susilo", "Prasetyo", "Setyawan", "Widodo", "Utomo", "Rachman", "Suherman", "Sobari",
    "Hendrayana", "Somantri", "Nurjaman", "Kusnadi", "Syarifudin", "Darmawan", "Rohimat",
    "Sutisna", "Hasanah", "Fauzi", "Iskandar", "Ardiansyah", "Kurnia", "Budiman", "Zulkarnain",
)

# --- neighbourhood places -----------------------------------------------------------------

_MOSQUES = ("Al-Ikhlas", "Al-Hidayah", "Nurul Huda", "At-Taqwa", "Baiturrahman", "Al-Furqon",
            "Darussalam", "Al-Muhajirin", "Nurul Iman", "Al-Barokah", "Miftahul Jannah",
            "Baitul Makmur", "Al-Amanah", "Ar-Rahman", "Al-Muttaqin", "Jami Al-Ma'mur")
_GANGS = ("Mawar", "Melati", "Kenanga", "H. Saleh", "Sukamaju", "Sukarasa", "Babakan",
          "Cempaka", "Kejaksaan", "Bojong", "Haji Mahmud", "Situ", "Kebon Jeruk", "Kebon Kawung",
          "Pasantren", "Manunggal", "Rukun", "Harapan", "Sederhana", "Warga", "Kalipah Apo",
          "Sekepanjang", "Pajagalan", "Cikawao", "Sayang", "Bengkok", "Pelita", "Damai")
_MARKETS = ("Pasar Andir", "Pasar Ciroyom", "Pasar Sederhana", "Pasar Kosambi", "Pasar Cihaurgeulis",
            "Pasar Palasari", "Pasar Kordon", "Pasar Cicadas", "Pasar Gegerkalong", "Pasar Sarijadi")
_SHOPS = ("Indomaret", "Alfamart", "warung Bu {first}", "warung nasi Mang {first}",
          "bengkel motor Pak {first}", "toko bangunan {last}", "konter pulsa {first} Cell",
          "apotek Kimia Farma", "laundry {first}", "warung kopi Kang {first}", "bakso {first}",
          "pangkalan ojek", "toko kelontong {last}", "fotokopi {first}")


def _landmark(rng: random.Random, ctx: dict) -> str:
    n = rng.randint(1, 280)
    kind = rng.randrange(14)
    if kind == 0:
        return f"Masjid {rng.choice(_MOSQUES)}"
    if kind == 1:
        return f"Musala {rng.choice(_MOSQUES)} RW {ctx['rw']}"
    if kind == 2:
        return f"SDN {rng.choice(_GANGS)} {rng.randint(1, 9)}"
    if kind == 3:
        return f"SMP Negeri {rng.randint(1, 57)} Bandung"
    if kind == 4:
        return rng.choice(_MARKETS)
    if kind == 5:
        return f"Puskesmas {ctx['kel']}"
    if kind == 6:
        return f"pos ronda RT {ctx['rt']}"
    if kind == 7:
        return f"balai RW {ctx['rw']}"
    if kind == 8:
        return f"Gg. {rng.choice(_GANGS)}"
    if kind == 9:
        return f"TK {rng.choice(('Aisyiyah', 'Pertiwi', 'Al-Azhar', 'Tunas Bangsa'))} {n % 9 + 1}"
    if kind == 10:
        return rng.choice(T.LANDMARKS[CITY])
    if kind == 11:
        return f"lapangan voli RW {ctx['rw']}"
    return rng.choice(_SHOPS).format(first=rng.choice(FIRST_NAMES), last=rng.choice(LAST_NAMES))


# --- description fragments ----------------------------------------------------------------

_LOKASI = (
    "Lokasinya persis di samping {tempat}, masuk Gg. {gang} sekitar {m} meter.",
    "Tepatnya di depan rumah No. {no}, RT {rt}/RW {rw}, tidak jauh dari {tempat2}.",
    "Posisinya di pertigaan dekat {tempat}, arah ke {jalan2}.",
    "Dari {tempat} belok kiri kira-kira {m} meter, sebelah {tempat2}.",
    "Patokannya {tempat}, seberang {tempat2}.",
    "Lokasi di {jalan}, antara {tempat} dan {tempat2}.",
    "Masuk dari {jalan2}, gang kedua setelah {tempat}, RT {rt}.",
    "Dekat tiang listrik nomor {tiang} di depan {tempat}.",
)
_DURASI = (
    "Kejadian ini sudah berlangsung sejak {hari} hari yang lalu.",
    "Sudah {minggu} minggu tidak ada perbaikan.",
    "Mulai terjadi tadi pukul {jam}.",
    "Ini sudah kali ke-{kali} kami laporkan sejak bulan lalu.",
    "Sejak hujan besar hari {hari_nama} kemarin kondisinya seperti ini.",
    "Baru saja terjadi, sekitar {menit} menit sebelum saya menelepon.",
    "Sudah hampir {bulan} bulan, makin lama makin parah.",
)
_DAMPAK = (
    "Warga RT {rt} jadi sulit beraktivitas, terutama anak-anak yang berangkat sekolah ke {tempat2}.",
    "Sudah ada {korban} orang pengendara motor yang jatuh di sini.",
    "Pedagang di sekitar {tempat} mengeluh dagangannya sepi.",
    "Lansia dan ibu hamil di gang kami kesulitan lewat.",
    "Bau menyengat sampai ke {tempat2}, banyak lalat dan nyamuk.",
    "Kendaraan jadi antre panjang sampai {jalan2} pada jam sibuk.",
    "Warga khawatir akan membahayakan jamaah {tempat2} yang lewat malam hari.",
    "Sekitar {kk} KK terdampak langsung.",
    "Jalan jadi gelap dan rawan kejahatan, pernah ada jambret di dekat {tempat}.",
    "Anak-anak sering bermain di sekitar situ, kami takut terjadi apa-apa.",
)
_PERMINTAAN = (
    "Mohon segera ditindaklanjuti oleh dinas terkait.",
    "Sudah lapor ke Pak RT {nama_rt} tapi belum ada tindakan, mohon bantuannya.",
    "Kami minta petugas datang mengecek ke lokasi secepatnya.",
    "Mohon dikirim petugas sebelum ada korban.",
    "Warga siap membantu kerja bakti kalau ada alat dan bahan dari pemerintah.",
    "Mohon kabar perkembangannya lewat nomor ini.",
    "Harap diperbaiki permanen, bukan sekadar tambal sementara seperti tahun lalu.",
    "Tolong diteruskan ke kecamatan {kec} kalau bukan kewenangan kelurahan.",
)
_PENUTUP = ("", "", "Terima kasih.", "Hatur nuhun.", "Matur nuwun.", "Terima kasih atas perhatiannya.",
            "Salam, warga RW {rw}.", "Wassalamualaikum.", "Mohon maaf merepotkan.")
_SMS = (("yang", "yg"), ("sudah", "sdh"), ("tidak", "tdk"), ("dengan", "dgn"),
        ("sekitar", "skt"), ("belum", "blm"), ("untuk", "utk"), ("terima kasih", "trims"),
        ("mohon", "mhn"), ("dari", "dr"), ("karena", "krn"))
_TITLE_PATTERNS = ("{cat} di {jalan}", "Laporan {catl} dekat {tempat}", "{cat} RT {rt}/RW {rw}",
                   "Keluhan warga: {catl} di {jalan}", "{cat} depan {tempat}",
                   "{cat} - Kel. {kel}", "Mohon bantuan, {catl} di Gg. {gang}")
_TITLE_PREFIX = ("", "", "", "", "", "Mohon bantuan: ", "[Mendesak] ", "Laporan warga: ",
                 "Urgent - ", "Tolong! ")
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@lru_cache
def _region_names(code: str) -> tuple[str, str]:
    from console.store.regions import region_rows

    rows = {r["code"]: r for r in region_rows(CITY)}
    kel = rows.get(code)
    kec = rows.get(kel["parent_code"]) if kel else None
    return (kel["name"] if kel else "Maleber"), (kec["name"] if kec else "Andir")


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return f"022-{rng.randint(2_000_000, 7_999_999)}"
    digits = rng.randint(7, 8)
    return f"{rng.choice(T.PHONE_PREFIXES)}{rng.randrange(10 ** digits):0{digits}d}"


def _name(rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.14:
        return None
    if r < 0.24:
        return rng.choice(FIRST_NAMES)
    if r < 0.30:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _context(rng: random.Random, kel: str, kec: str) -> dict:
    ctx = {"rt": f"{rng.randint(1, 14):02d}", "rw": f"{rng.randint(1, 12):02d}", "kel": kel,
           "kec": kec, "no": f"{rng.randint(1, 260)}{rng.choice(('', '', '', 'A', 'B', '/12'))}",
           "jalan": rng.choice(T.STREETS[CITY]), "jalan2": rng.choice(T.STREETS[CITY]),
           "gang": rng.choice(_GANGS), "sungai": rng.choice(T.RIVERS[CITY]),
           "jam": f"{rng.randint(0, 23):02d}.{rng.choice((0, 10, 15, 20, 30, 40, 45, 50)):02d}",
           "menit": rng.randint(3, 50), "m": rng.choice((10, 20, 25, 30, 50, 75, 100, 150, 200)),
           "hari": rng.randint(2, 14), "minggu": rng.randint(2, 6), "bulan": rng.randint(2, 8),
           "kali": rng.randint(2, 5), "korban": rng.randint(2, 9), "kk": rng.randint(5, 80),
           "tiang": f"{rng.choice('ABCDEFGHJK')}{rng.randint(10, 999)}",
           "hari_nama": rng.choice(_DAYS), "nama_rt": rng.choice(FIRST_NAMES)}
    ctx["tempat"] = _landmark(rng, ctx)
    ctx["tempat2"] = _landmark(rng, ctx)
    return ctx


def _description(rng: random.Random, opening: str, ctx: dict, channel: str) -> str:
    parts = [opening]
    for pool, p in ((_LOKASI, 0.4), (_DURASI, 0.35), (_DAMPAK, 0.3), (_DAMPAK, 0.0),
                    (_PERMINTAAN, 0.3), (_PENUTUP, 0.3)):
        if rng.random() < p:
            parts.append(rng.choice(pool).format(**ctx))
    text = " ".join(p for p in parts if p)
    sms = channel in ("sms", "whatsapp") and rng.random() < 0.6
    if sms:
        for long, short in _SMS:
            if rng.random() < 0.7:
                text = text.replace(f" {long} ", f" {short} ")
    # Padded and cut after the SMS shortening, which could take a text under 80 again.
    while len(text) < 80:
        text += " " + rng.choice(_LOKASI + _DAMPAK).format(**ctx)
    if len(text) > 320:
        text = text[:320].rsplit(" ", 1)[0].rstrip(",") + "."
    if sms and rng.random() < 0.3:
        text = text.lower()
    return text


_ADDRESSES = ("{jalan} No. {no}, RT {rt}/RW {rw}, Kel. {kel}",
              "Gg. {gang} No. {no} RT {rt} RW {rw}, {jalan}, Kec. {kec}",
              "{jalan} (depan {tempat}), Kel. {kel}, Kec. {kec}",
              "{jalan} No. {no}",
              "RT {rt}/RW {rw} dekat {tempat}, Kel. {kel}")


def _address(rng: random.Random, ctx: dict) -> str:
    return rng.choice(_ADDRESSES).format(**ctx)


def report(rng: random.Random, region: str, station: str, n: int) -> dict:
    """One report as a console's intake writes it (the fields of a ``create`` mutation)."""
    kel, kec = _region_names(region)
    ctx = _context(rng, kel, kec)
    code = rng.choice(list(CATEGORIES))
    cat = CATEGORIES[code]
    channel = rng.choice(CHANNELS)
    title, opening = rng.choice(T.CATEGORY_TEMPLATES[code])
    if rng.random() < 0.35:
        title = rng.choice(_TITLE_PATTERNS).format(cat=cat.name_id, catl=cat.name_id.lower(), **ctx)
    title = (rng.choice(_TITLE_PREFIX) + title.format(**ctx))[:200]
    created = datetime(2026, 11, 20, tzinfo=UTC) + timedelta(seconds=rng.randrange(700_000))
    stamp = created.strftime("%Y-%m-%d %H:%M:%S.%f")
    name = _name(rng)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "ticket": f"{station}-{created:%y%m%d}-{n:05d}", "channel": channel,
        "category_code": code, "priority": cat.default_priority, "status": "new",
        "triage": None, "title": title,
        "description": _description(rng, opening.format(**ctx), ctx, channel),
        "reporter_name": name,
        "reporter_phone": _phone(rng) if name or rng.random() < 0.3 else None,
        "lat": round(rng.uniform(-6.93, -6.90), 6), "lon": round(rng.uniform(107.56, 107.60), 6),
        "address": _address(rng, ctx), "region_code": region, "created_at": stamp,
        "updated_at": stamp, "sla_due_at": None, "revision": 1,
        "created_by": f"op{rng.randint(1, 12)}",
    }


def reports(rng: random.Random, n: int, region: str, station: str) -> list[dict]:
    return [report(rng, region, station, i) for i in range(n)]


def gzip_bytes_per_report(docs: list[dict]) -> float:
    """gzip -6 of the JSON list of the documents (UTF-8, compact separators), divided by
    their number: the corpus figure."""
    raw = json.dumps(docs, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return len(gzip.compress(raw, compresslevel=6)) / len(docs)


# --- an office's week ----------------------------------------------------------------------

_NOTES = ("Sudah dicek ke lokasi bersama Pak RT {nama_rt}, kondisi sesuai laporan.",
          "Pelapor dihubungi kembali di nomor yang tercatat, lokasi dipastikan dekat {tempat}.",
          "Koordinasi dengan Kasi Trantib Kec. {kec}, dijadwalkan peninjauan hari {hari_nama}.",
          "Warga RW {rw} menambahkan foto lewat WhatsApp, sudah diteruskan ke dinas.",
          "Menunggu material dari dinas, perkiraan {hari} hari kerja.",
          "Petugas lapangan tiba pukul {jam}, penanganan sementara sudah dilakukan.",
          "Pelapor {nama_rt} datang lagi ke kantor kelurahan, kondisi di {jalan} makin parah.",
          "Sudah disurati ke dinas, nomor agenda {kk}/{hari}/Kel tanggal {minggu} bulan ini.",
          "Tim gabungan dengan Babinsa dan Bhabinkamtibmas meninjau {tempat} pukul {jam}.",
          "Alat berat belum bisa masuk Gg. {gang}, lebar gang kurang dari {korban} meter.")


def note_body(rng: random.Random, region: str) -> str:
    """A note as an officer types it on a report in ``region``."""
    return rng.choice(_NOTES).format(**_context(rng, *_region_names(region)))


_AGENCIES = {c.code: c.default_agency for c in CATEGORIES.values()}

#: How many of an office's 200 reports reach each step (scaled for other counts): every
#: report is verified or rejected; of the verified, 100 are dispatched (10 to two
#: agencies), 60 of those started, 40 resolved, 20 closed; 26 notes along the way.
PLAN = {"reject": 15, "dispatch": 100, "second_agency": 10, "start": 60, "resolve": 40,
        "close": 20, "note": 26}


def intake(conn: sqlite3.Connection, docs: list[dict], region: str, *,
           actor: str = "petugas") -> list[str]:
    """File ``docs`` at a console as its intake does (console/operations/intake.py)."""
    from console.operations.intake import NewReport, create_report

    ids: list[str] = []
    for f in docs:
        made = create_report(conn, actor, NewReport(
            channel=f["channel"], category_code=f["category_code"], title=f["title"],
            description=f["description"], reporter_name=f["reporter_name"],
            reporter_phone=f["reporter_phone"], lat=f["lat"], lon=f["lon"],
            address=f["address"], region_code=region))
        ids.extend(made.report_ids)
    return ids


def office_workflow(conn: sqlite3.Connection, report_ids: list[str], rng: random.Random,
                    actor: str = "petugas") -> Counter:
    """Work a kelurahan office's local reports through their workflow with the console's
    own operations (console/operations/reports.py); returns the count of each action."""
    from console.domain.workflow import Action
    from console.operations.reports import add_note, apply_action, dispatch, verify

    scale = len(report_ids) / 200
    k = {a: round(v * scale) for a, v in PLAN.items()}
    ids = list(report_ids)
    rng.shuffle(ids)
    done: Counter = Counter()
    rejected, kept = ids[:k["reject"]], ids[k["reject"]:]
    for rid in rejected:
        apply_action(conn, actor, rid, Action.REJECT)
        done["reject"] += 1
    for rid in kept:
        verify(conn, actor, rid)
        done["verify"] += 1
    cat_of = dict(conn.execute("SELECT id, category_code FROM report"))
    for i, rid in enumerate(kept[:k["dispatch"]]):
        first = _AGENCIES.get(cat_of[rid]) or "kelurahan"
        agencies = [first] + (["pln" if first != "pln" else "pupr"] if i < k["second_agency"] else [])
        dispatch(conn, actor, rid, agencies, note=rng.choice((None, "Mohon ditindaklanjuti.")))
        done["dispatch"] += 1
        done["dispatch_rows"] += len(agencies)
    for step, count in (("start", k["start"]), ("resolve", k["resolve"]), ("close", k["close"])):
        for rid in kept[:count]:
            apply_action(conn, actor, rid, step)
            done[step] += 1
    region = conn.execute("SELECT region_code FROM report LIMIT 1").fetchone()[0]
    for _ in range(k["note"]):
        add_note(conn, actor, rng.choice(ids), note_body(rng, region))
        done["note"] += 1
    return done
