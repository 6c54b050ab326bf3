"""The action registry: every action of the main window (menus, keys, the detail panel's
buttons) with its text, its shortcut and what handles it. The menus, the single-key scope
and Help → Keyboard shortcuts are all built from it, so this is the one place that lists
every keyboard shortcut of the console.

Owners: ``controller`` actions act on reports and are performed by
:class:`console.views.actions.ActionController` (``do_<name minus act_>``); ``window``
actions (files, layout, help, the sync menu) call the main window's method named by
``handler``; a ``dock`` action is the show/hide toggle Qt gives the dock named by
``handler`` (its text is the dock's title), with its key from here.

Scopes: ``queue`` actions have single-key shortcuts (1-4 triage, V verify, …). They are
active while the queue table or the detail panel has the focus, never while typing in a
text field, a filter or a dialog. ``window`` actions (Ctrl+…, F-keys) work anywhere in
the main window.

Texts are Indonesian sources, translated when the QActions are built, in their
``context`` (the window's own menus keep the MainWindow context they always had).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from console.views.labels import lookup

__all__ = ["ACTIONS", "CONTEXT", "DETAIL_BUTTONS", "MENUS", "WINDOW", "REGISTRY", "SYNC_ACTIONS", "TABLE_KEYS", "ActionSpec",
           "make_action", "spec_named"]

CONTEXT = "actions"
WINDOW = "MainWindow"  # the translation context of the window's own menus and docks


@dataclass(frozen=True)
class ActionSpec:
    name: str  # QAction object name
    text: str  # Indonesian source text (translated at build time, in ``context``)
    shortcut: str | None
    menu: str  # a key of MENUS
    scope: str = "window"  # window | queue (single keys; queue table / detail panel)
    tip: str = ""
    owner: str = "controller"  # controller | window | dock (see the module's docstring)
    handler: str = ""  # window: the MainWindow method; dock: the dock's object name
    separator: bool = False  # a separator before it (unless it opens its menu)
    # When a controller action is enabled (ActionController.update_enabled): "" always;
    # new (a target is a new report); workflow (the workflow allows it for a target);
    # one_workflow (that, for one target); targets (any); one_target; merge (two
    # targets, or one and a similar report picked in Detail); alerts (a P1 alert is
    # waiting); undo (an action can still be undone, kept by the undo timer).
    enabled: str = ""
    writes: bool = False  # refused, and shown disabled, while nobody is on duty
    context: str = CONTEXT


# The menu bar, in order: (key, title). "sync" appears once a sync engine is attached.
MENUS: tuple[tuple[str, str], ...] = (
    ("file", QT_TRANSLATE_NOOP("MainWindow", "&Berkas")),
    ("reports", QT_TRANSLATE_NOOP("MainWindow", "&Laporan")),
    ("triage", QT_TRANSLATE_NOOP("MainWindow", "T&riase")),
    ("workflow", QT_TRANSLATE_NOOP("MainWindow", "T&indakan")),
    ("view", QT_TRANSLATE_NOOP("MainWindow", "&Tampilan")),
    ("sync", QT_TRANSLATE_NOOP("MainWindow", "&Sinkronisasi")),
    ("help", QT_TRANSLATE_NOOP("MainWindow", "&Bantuan")),
)

# Every action the main window always has, menu by menu in the order shown.
ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("act_export", QT_TRANSLATE_NOOP("MainWindow", "&Ekspor laporan shift…"), "Ctrl+Shift+E",
               "file", owner="window", handler="show_export", context=WINDOW),
    ActionSpec("act_shift", QT_TRANSLATE_NOOP("MainWindow", "&Shift dan serah terima…"), "Ctrl+Shift+H",
               "file", owner="window", handler="show_shift", context=WINDOW),
    ActionSpec("act_quit", QT_TRANSLATE_NOOP("MainWindow", "&Keluar"), "Ctrl+Q", "file", owner="window",
               handler="close", separator=True, context=WINDOW),
    ActionSpec("act_intake", QT_TRANSLATE_NOOP("actions", "Laporan &baru (telepon/datang langsung)…"), "Ctrl+N",
               "reports", tip=QT_TRANSLATE_NOOP("actions", "Catat laporan dari telepon atau warga yang datang")),
    ActionSpec("act_triage_emergency", QT_TRANSLATE_NOOP("actions", "Triase 112: &Darurat"), "1", "triage",
               "queue", QT_TRANSLATE_NOOP("actions", "Darurat: verifikasi dan jadikan P1"),
               enabled="new", writes=True),
    ActionSpec("act_triage_information", QT_TRANSLATE_NOOP("actions", "Triase 112: &Informasi (dijawab)"), "2",
               "triage", "queue", QT_TRANSLATE_NOOP("actions", "Permintaan informasi yang sudah dijawab di telepon"),
               enabled="new", writes=True),
    ActionSpec("act_triage_prank", QT_TRANSLATE_NOOP("actions", "Triase 112: &Iseng"), "3", "triage", "queue",
               QT_TRANSLATE_NOOP("actions", "Panggilan iseng"), enabled="new", writes=True),
    ActionSpec("act_triage_ghost", QT_TRANSLATE_NOOP("actions", "Triase 112: Panggilan &kosong"), "4", "triage",
               "queue", QT_TRANSLATE_NOOP("actions", "Panggilan tanpa suara atau terputus"),
               enabled="new", writes=True),
    ActionSpec("act_verify", QT_TRANSLATE_NOOP("actions", "&Verifikasi"), "V", "workflow", "queue",
               enabled="workflow", writes=True),
    ActionSpec("act_dispatch", QT_TRANSLATE_NOOP("actions", "&Disposisi ke instansi…"), "D", "workflow", "queue",
               enabled="workflow", writes=True),
    ActionSpec("act_start", QT_TRANSLATE_NOOP("actions", "&Mulai ditangani"), "M", "workflow", "queue",
               enabled="workflow", writes=True),
    ActionSpec("act_resolve", QT_TRANSLATE_NOOP("actions", "&Selesaikan"), "S", "workflow", "queue",
               enabled="workflow", writes=True),
    ActionSpec("act_close", QT_TRANSLATE_NOOP("actions", "T&utup laporan…"), "U", "workflow", "queue",
               enabled="workflow", writes=True),
    ActionSpec("act_reopen", QT_TRANSLATE_NOOP("actions", "Buka &kembali…"), "O", "workflow", "queue",
               enabled="one_workflow", writes=True, separator=True),
    ActionSpec("act_reject", QT_TRANSLATE_NOOP("actions", "&Tolak…"), "T", "workflow", "queue", separator=True,
               enabled="workflow", writes=True),
    ActionSpec("act_not_authority", QT_TRANSLATE_NOOP("actions", "&Bukan kewenangan…"), "B", "workflow", "queue",
               enabled="workflow", writes=True),
    ActionSpec("act_note", QT_TRANSLATE_NOOP("actions", "Tambah &catatan…"), "N", "reports", "queue", separator=True,
               enabled="targets", writes=True),
    ActionSpec("act_merge", QT_TRANSLATE_NOOP("actions", "&Gabungkan duplikat…"), "G", "reports", "queue",
               QT_TRANSLATE_NOOP("actions", "Dua laporan terpilih, atau laporan ini dengan yang dipilih di tab Mirip"),
               enabled="merge", writes=True),
    ActionSpec("act_ack", QT_TRANSLATE_NOOP("actions", "Tandai peringatan sudah &dilihat"), "A", "reports",
               "queue", enabled="alerts"),
    ActionSpec("act_take_claim", QT_TRANSLATE_NOOP("actions", "Ambil alih penanganan (&klaim)…"), "K",
               "reports", "queue", QT_TRANSLATE_NOOP(
                   "actions", "Tandai bahwa meja ini yang menangani laporan; meja lain melihatnya"),
               enabled="one_target", writes=True),
    ActionSpec("act_next_alert", QT_TRANSLATE_NOOP("actions", "Ke peringatan P1 &berikutnya"), "F8", "reports",
               enabled="alerts"),
    ActionSpec("act_undo", QT_TRANSLATE_NOOP("actions", "&Batalkan tindakan terakhir"), "Ctrl+Z", "reports",
               enabled="undo", separator=True),
    ActionSpec("act_search", QT_TRANSLATE_NOOP("actions", "&Cari"), "Ctrl+F", "reports", separator=True),
    ActionSpec("act_filters", QT_TRANSLATE_NOOP("actions", "&Saringan…"), "Ctrl+Shift+F", "reports"),
    ActionSpec("act_views", QT_TRANSLATE_NOOP("actions", "Pilih &tampilan tersimpan"), "Ctrl+Shift+L", "reports"),
    ActionSpec("act_save_view", QT_TRANSLATE_NOOP("actions", "Simpan tampilan &ini…"), "Ctrl+Shift+S", "reports"),
    ActionSpec("act_reload", QT_TRANSLATE_NOOP("actions", "&Muat ulang"), "Ctrl+R", "reports"),
    ActionSpec("act_focus_queue", QT_TRANSLATE_NOOP("actions", "Fokus ke &antrean"), "F6", "view"),
    ActionSpec("act_focus_detail", QT_TRANSLATE_NOOP("actions", "Fokus ke d&etail"), "F7", "view"),
    ActionSpec("act_toggle_dock_queue", QT_TRANSLATE_NOOP("MainWindow", "Antrean"), "Ctrl+1", "view",
               owner="dock", handler="dock_queue", separator=True, context=WINDOW),
    ActionSpec("act_toggle_dock_map", QT_TRANSLATE_NOOP("MainWindow", "Peta"), "Ctrl+2", "view",
               owner="dock", handler="dock_map", context=WINDOW),
    ActionSpec("act_toggle_dock_detail", QT_TRANSLATE_NOOP("MainWindow", "Detail"), "Ctrl+3", "view",
               owner="dock", handler="dock_detail", context=WINDOW),
    ActionSpec("act_reset_layout", QT_TRANSLATE_NOOP("MainWindow", "Atur &ulang tata letak"), None, "view",
               owner="window", handler="reset_layout", separator=True, context=WINDOW),
    ActionSpec("act_shortcuts", QT_TRANSLATE_NOOP("MainWindow", "&Pintasan keyboard"), "F1", "help",
               owner="window", handler="show_shortcuts", context=WINDOW),
    ActionSpec("act_about", QT_TRANSLATE_NOOP("MainWindow", "&Tentang Posko"), None, "help",
               owner="window", handler="show_about", context=WINDOW),
)

# The detail panel's action buttons, in order (None: a gap).
DETAIL_BUTTONS: tuple[str | None, ...] = (
    "act_triage_emergency", "act_triage_information", "act_triage_prank", "act_triage_ghost", None,
    "act_verify", "act_dispatch", "act_start", "act_resolve", "act_close", None,
    "act_note", "act_merge", "act_take_claim", None,
    "act_reject", "act_not_authority", "act_reopen",
)

# The Sinkronisasi menu, made when a sync engine is attached (MainWindow.attach_sync).
SYNC_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("act_sync_now", QT_TRANSLATE_NOOP("MainWindow", "Sinkronkan &sekarang"), "F5", "sync",
               owner="window", handler="sync_now", context=WINDOW),
    ActionSpec("act_login", QT_TRANSLATE_NOOP("MainWindow", "&Masuk ke server…"), "Ctrl+L", "sync",
               owner="window", handler="show_login", context=WINDOW),
    ActionSpec("act_on_duty", QT_TRANSLATE_NOOP("MainWindow", "Ganti &petugas bertugas…"), "Ctrl+Shift+O",
               "sync", owner="window", handler="choose_on_duty", context=WINDOW),
    ActionSpec("act_logout", QT_TRANSLATE_NOOP("MainWindow", "&Keluar akun"), None, "sync",
               owner="window", handler="log_out", context=WINDOW),
    ActionSpec("act_conflicts", QT_TRANSLATE_NOOP("MainWindow", "&Konflik suntingan…"), "Ctrl+Shift+K",
               "sync", owner="window", handler="show_conflicts", separator=True, context=WINDOW),
    ActionSpec("act_quarantine", QT_TRANSLATE_NOOP("MainWindow", "Perubahan &ditolak…"), "Ctrl+Shift+Q",
               "sync", owner="window", handler="show_quarantine", context=WINDOW),
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

# Every action of the registry (what the shortcuts list reads, in menu order).
REGISTRY: tuple[ActionSpec, ...] = ACTIONS + SYNC_ACTIONS
_BY_NAME = {spec.name: spec for spec in REGISTRY}


def spec_named(name: str) -> ActionSpec:
    return _BY_NAME[name]


def make_action(spec: ActionSpec, parent: QWidget) -> QAction:
    """The QAction of ``spec``: translated text, object name, key and where the key works.
    Its owner connects what it does."""
    action = QAction(lookup(spec.context, spec.text), parent)
    action.setObjectName(spec.name)
    if spec.shortcut:
        action.setShortcut(QKeySequence(spec.shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut if spec.scope == "queue"
                              else Qt.ShortcutContext.WindowShortcut)
    return action
