"""The map dock's toolbar: colour by, categories, layers, base map and area tools.

A part of :class:`console.views.map_panel.MapPanel` (a mixin: it runs on the panel and
uses its state). Its words are the panel's ("MapPanel" context: Qt looks a text up under
the instance's class name, so they are written as explicit translate calls)."""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

# Importing map_scheme registers posko:// with QtWebEngine, which must happen before the
# QApplication exists; main_window imports this module at start-up, so it does.

log = logging.getLogger('console.views.map_panel')

class MapToolbar:
    def _build_toolbar(self) -> None:
        bar = QToolBar(self)
        bar.setObjectName("map_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(bar.iconSize())
        self.toolbar = bar

        bar.addWidget(QLabel(QCoreApplication.translate("MapPanel", "Warna:"), self))
        self.color_by = QComboBox(self)
        self.color_by.setObjectName("map_color_by")
        self.color_by.setAccessibleName(QCoreApplication.translate("MapPanel", "Warna penanda menurut"))
        self.color_by.addItem(QCoreApplication.translate("MapPanel", "Prioritas"), "priority")
        self.color_by.addItem(QCoreApplication.translate("MapPanel", "Status"), "status")
        idx = self.color_by.findData(self._setting("color_by"))
        self.color_by.setCurrentIndex(max(idx, 0))
        self.color_by.currentIndexChanged.connect(lambda _i: self._options_changed())
        bar.addWidget(self.color_by)

        self.category_button = QToolButton(self)
        self.category_button.setObjectName("map_categories")
        self.category_button.setText(QCoreApplication.translate("MapPanel", "Kategori"))
        self.category_button.setToolTip(QCoreApplication.translate("MapPanel", "Tampilkan atau sembunyikan kategori"))
        self.category_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.category_menu = QMenu(self)
        self.category_button.setMenu(self.category_menu)
        bar.addWidget(self.category_button)
        self._hidden = set(self._setting("hidden_categories"))
        self._category_actions: dict[str, QAction] = {}

        self.act_heat = QAction(QCoreApplication.translate("MapPanel", "Peta panas"), self)
        self.act_heat.setObjectName("map_act_heat")
        self.act_heat.setCheckable(True)
        self.act_heat.setChecked(self._setting("heat"))
        self.act_heat.setToolTip(QCoreApplication.translate("MapPanel", "Tampilkan kepadatan laporan sebagai peta panas"))
        self.act_heat.toggled.connect(lambda _on: self._options_changed())

        self.act_choropleth = QAction(QCoreApplication.translate("MapPanel", "Jumlah per wilayah"), self)
        self.act_choropleth.setObjectName("map_act_choropleth")
        self.act_choropleth.setCheckable(True)
        self.act_choropleth.setChecked(self._setting("choropleth"))
        self.act_choropleth.setToolTip(
            QCoreApplication.translate("MapPanel", "Warnai wilayah menurut jumlah laporan (perlu batas wilayah)")
        )
        self.act_choropleth.toggled.connect(lambda _on: self._options_changed())
        self.layers_button = QToolButton(self)
        self.layers_button.setObjectName("map_layers")
        self.layers_button.setText(QCoreApplication.translate("MapPanel", "Lapisan"))
        self.layers_button.setToolTip(QCoreApplication.translate("MapPanel", "Peta panas dan jumlah laporan per wilayah"))
        self.layers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layers = QMenu(self)
        layers.addAction(self.act_heat)
        layers.addAction(self.act_choropleth)
        self.layers_button.setMenu(layers)
        bar.addWidget(self.layers_button)

        self.act_area_rect = QAction(QCoreApplication.translate("MapPanel", "Gambar persegi"), self)
        self.act_area_rect.setObjectName("map_act_area_rect")
        self.act_area_rect.setToolTip(QCoreApplication.translate("MapPanel", "Gambar persegi di peta untuk menyaring antrean"))
        self.act_area_rect.triggered.connect(lambda: self.start_area("rect"))
        self.act_area_polygon = QAction(QCoreApplication.translate("MapPanel", "Gambar poligon"), self)
        self.act_area_polygon.setObjectName("map_act_area_polygon")
        self.act_area_polygon.setToolTip(QCoreApplication.translate("MapPanel", "Gambar poligon di peta untuk menyaring antrean"))
        self.act_area_polygon.triggered.connect(lambda: self.start_area("polygon"))
        self.act_area_clear = QAction(QCoreApplication.translate("MapPanel", "Hapus area"), self)
        self.act_area_clear.setObjectName("map_act_area_clear")
        self.act_area_clear.setEnabled(False)
        self.act_area_clear.triggered.connect(self.clear_area)
        self.area_button = QToolButton(self)
        self.area_button.setObjectName("map_area")
        self.area_button.setText(QCoreApplication.translate("MapPanel", "Area"))
        self.area_button.setToolTip(QCoreApplication.translate("MapPanel", "Saring antrean dengan area yang digambar di peta"))
        self.area_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        area_menu = QMenu(self)
        for act in (self.act_area_rect, self.act_area_polygon, self.act_area_clear):
            area_menu.addAction(act)
        self.area_button.setMenu(area_menu)
        bar.addWidget(self.area_button)

        self.base_button = QToolButton(self)
        self.base_button.setObjectName("map_base_menu")
        self.base_button.setText(QCoreApplication.translate("MapPanel", "Peta dasar"))
        self.base_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.act_open_mbtiles = menu.addAction(QCoreApplication.translate("MapPanel", "Buka berkas MBTiles…"))
        self.act_open_mbtiles.triggered.connect(self._choose_mbtiles)
        self.act_drop_mbtiles = menu.addAction(QCoreApplication.translate("MapPanel", "Lepas berkas MBTiles"))
        self.act_drop_mbtiles.triggered.connect(lambda: self.set_mbtiles(None))
        self.act_online = menu.addAction(QCoreApplication.translate("MapPanel", "Sumber peta daring…"))
        self.act_online.triggered.connect(self._edit_online_source)
        menu.addSeparator()
        self.act_import = menu.addAction(QCoreApplication.translate("MapPanel", "Impor batas wilayah (GeoJSON)…"))
        self.act_import.triggered.connect(self._choose_geojson)
        menu.addSeparator()
        self.act_snapshot = menu.addAction(QCoreApplication.translate("MapPanel", "Simpan gambar peta…"))
        self.act_snapshot.triggered.connect(self._save_snapshot)
        self.base_button.setMenu(menu)
        bar.addWidget(self.base_button)

        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("map_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.count_label)

    def _rebuild_category_menu(self) -> None:
        menu = self.category_menu
        menu.clear()
        self._category_actions = {}
        show_all = menu.addAction(QCoreApplication.translate("MapPanel", "Tampilkan semua"))
        show_all.triggered.connect(lambda: self.set_hidden_categories(set()))
        hide_all = menu.addAction(QCoreApplication.translate("MapPanel", "Sembunyikan semua"))
        hide_all.triggered.connect(
            lambda: self.set_hidden_categories({c for c, _n in self._categories})
        )
        menu.addSeparator()
        group = QActionGroup(menu)
        group.setExclusive(False)
        for code, name in self._categories:
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(code not in self._hidden)
            act.toggled.connect(lambda on, c=code: self._toggle_category(c, on))
            group.addAction(act)
            self._category_actions[code] = act
        self._update_category_button()

    def _update_category_button(self) -> None:
        hidden = len(self._hidden & {c for c, _n in self._categories})
        if hidden:
            self.category_button.setText(
                QCoreApplication.translate("MapPanel", "Kategori ({hidden} disembunyikan)").format(hidden=hidden)
            )
        else:
            self.category_button.setText(QCoreApplication.translate("MapPanel", "Kategori"))

    def _toggle_category(self, code: str, on: bool) -> None:
        hidden = set(self._hidden)
        if on:
            hidden.discard(code)
        else:
            hidden.add(code)
        self.set_hidden_categories(hidden)
