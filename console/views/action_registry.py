"""The action registry: every operator action, its text and its shortcut, from which the
menus, the detail panel's buttons and Help → Keyboard shortcuts are built (so they
cannot drift).

Scopes: ``queue`` actions have single-key shortcuts (1-4 triage, V verify, …). They are
active while the queue table or the detail panel has the focus, never while typing in a
text field, a filter or a dialog. ``window`` actions (Ctrl+…, F-keys) work anywhere in
the main window.

Qt-free but for the translation marker: the texts are Indonesian sources, translated
when the actions are built.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

__all__ = ["ACTIONS", "CONTEXT", "TABLE_KEYS", "ActionSpec"]

CONTEXT = "actions"


@dataclass(frozen=True)
class ActionSpec:
    name: str  # QAction object name; the handler is ActionController.do_<name minus act_>
    text: str  # Indonesian source text (translated at build time)
    shortcut: str | None
    menu: str  # file | reports | triage | workflow | view | help
    scope: str = "window"  # window | queue (single keys; queue table / detail panel)
    tip: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("act_intake", QT_TRANSLATE_NOOP("actions", "Laporan &baru (telepon/datang langsung)…"), "Ctrl+N",
               "reports", tip=QT_TRANSLATE_NOOP("actions", "Catat laporan dari telepon atau warga yang datang")),
    ActionSpec("act_triage_emergency", QT_TRANSLATE_NOOP("actions", "Triase 112: &Darurat"), "1", "triage",
               "queue", QT_TRANSLATE_NOOP("actions", "Darurat: verifikasi dan jadikan P1")),
    ActionSpec("act_triage_information", QT_TRANSLATE_NOOP("actions", "Triase 112: &Informasi (dijawab)"), "2",
               "triage", "queue", QT_TRANSLATE_NOOP("actions", "Permintaan informasi yang sudah dijawab di telepon")),
    ActionSpec("act_triage_prank", QT_TRANSLATE_NOOP("actions", "Triase 112: &Iseng"), "3", "triage", "queue",
               QT_TRANSLATE_NOOP("actions", "Panggilan iseng")),
    ActionSpec("act_triage_ghost", QT_TRANSLATE_NOOP("actions", "Triase 112: Panggilan &kosong"), "4", "triage",
               "queue", QT_TRANSLATE_NOOP("actions", "Panggilan tanpa suara atau terputus")),
    ActionSpec("act_verify", QT_TRANSLATE_NOOP("actions", "&Verifikasi"), "V", "workflow", "queue"),
    ActionSpec("act_dispatch", QT_TRANSLATE_NOOP("actions", "&Disposisi ke instansi…"), "D", "workflow", "queue"),
    ActionSpec("act_start", QT_TRANSLATE_NOOP("actions", "&Mulai ditangani"), "M", "workflow", "queue"),
    ActionSpec("act_resolve", QT_TRANSLATE_NOOP("actions", "&Selesaikan"), "S", "workflow", "queue"),
    ActionSpec("act_close", QT_TRANSLATE_NOOP("actions", "T&utup laporan…"), "U", "workflow", "queue"),
    ActionSpec("act_reopen", QT_TRANSLATE_NOOP("actions", "Buka &kembali…"), "O", "workflow", "queue"),
    ActionSpec("act_reject", QT_TRANSLATE_NOOP("actions", "&Tolak…"), "T", "workflow", "queue"),
    ActionSpec("act_not_authority", QT_TRANSLATE_NOOP("actions", "&Bukan kewenangan…"), "B", "workflow", "queue"),
    ActionSpec("act_note", QT_TRANSLATE_NOOP("actions", "Tambah &catatan…"), "N", "reports", "queue"),
    ActionSpec("act_merge", QT_TRANSLATE_NOOP("actions", "&Gabungkan duplikat…"), "G", "reports", "queue",
               QT_TRANSLATE_NOOP("actions", "Dua laporan terpilih, atau laporan ini dengan yang dipilih di tab Mirip")),
    ActionSpec("act_ack", QT_TRANSLATE_NOOP("actions", "Tandai peringatan sudah &dilihat"), "A", "reports",
               "queue"),
    ActionSpec("act_take_claim", QT_TRANSLATE_NOOP("actions", "Ambil alih penanganan (&klaim)…"), "K",
               "reports", "queue", QT_TRANSLATE_NOOP(
                   "actions", "Tandai bahwa meja ini yang menangani laporan; meja lain melihatnya")),
    ActionSpec("act_next_alert", QT_TRANSLATE_NOOP("actions", "Ke peringatan P1 &berikutnya"), "F8", "reports"),
    ActionSpec("act_undo", QT_TRANSLATE_NOOP("actions", "&Batalkan tindakan terakhir"), "Ctrl+Z", "reports"),
    ActionSpec("act_search", QT_TRANSLATE_NOOP("actions", "&Cari"), "Ctrl+F", "reports"),
    ActionSpec("act_filters", QT_TRANSLATE_NOOP("actions", "&Saringan…"), "Ctrl+Shift+F", "reports"),
    ActionSpec("act_views", QT_TRANSLATE_NOOP("actions", "Pilih &tampilan tersimpan"), "Ctrl+Shift+L", "reports"),
    ActionSpec("act_save_view", QT_TRANSLATE_NOOP("actions", "Simpan tampilan &ini…"), "Ctrl+Shift+S", "reports"),
    ActionSpec("act_reload", QT_TRANSLATE_NOOP("actions", "&Muat ulang"), "Ctrl+R", "reports"),
    ActionSpec("act_focus_queue", QT_TRANSLATE_NOOP("actions", "Fokus ke &antrean"), "F6", "view"),
    ActionSpec("act_focus_detail", QT_TRANSLATE_NOOP("actions", "Fokus ke d&etail"), "F7", "view"),
)

#: Extra keys the shortcuts dialog lists (not actions of their own).
TABLE_KEYS: tuple[tuple[str, str], ...] = (
    (QT_TRANSLATE_NOOP("actions", "Pindah baris di antrean"),
     QT_TRANSLATE_NOOP("actions", "↑ / ↓, PgUp / PgDn, Home / End")),
    (QT_TRANSLATE_NOOP("actions", "Pilih beberapa laporan (aksi massal)"),
     QT_TRANSLATE_NOOP("actions", "Shift+↑/↓, Ctrl+Spasi, Ctrl+A")),
    (QT_TRANSLATE_NOOP("actions", "Cari langsung (tanpa menunggu)"),
     QT_TRANSLATE_NOOP("actions", "Enter di kotak cari")),
    (QT_TRANSLATE_NOOP("actions", "Kembali dari kotak cari ke antrean"),
     QT_TRANSLATE_NOOP("actions", "Esc")),
    (QT_TRANSLATE_NOOP("actions", "Pindah antarbagian"), QT_TRANSLATE_NOOP("actions", "Tab / Shift+Tab")),
    (QT_TRANSLATE_NOOP("actions", "Pindah tab di detail"), QT_TRANSLATE_NOOP("actions", "Ctrl+Tab")),
    (QT_TRANSLATE_NOOP("actions", "Konfirmasi dialog"), QT_TRANSLATE_NOOP("actions", "Ctrl+Enter")),
    (QT_TRANSLATE_NOOP("actions", "Laporan baru: kanal Telepon 112"),
     QT_TRANSLATE_NOOP("actions", "Alt+1 di formulir laporan baru")),
)
