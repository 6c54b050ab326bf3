"""The map page's template, built with folium and pointed at local assets only.

folium's ``Map`` links Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from
CDNs. :class:`OfflineMap` replaces those links with the two files the page needs, served
from the installed ``xstatic-leaflet`` package through ``posko://map/assets/``. Our own
code (the ``static/*.js`` of ``PAGE_SCRIPTS``), Leaflet.heat (bundled with folium) and Qt's
``qwebchannel.js`` are linked the same way.

What folium writes never depends on run-time input: the configuration (labels, tiles,
the city's ``home`` the map fits itself to) goes in at one placeholder, see
:func:`console.map.page.build_page`. So the page is built once per process — or once when
a bundle is built (installer/posko.spec), which then ships without folium's numpy.
"""

from __future__ import annotations

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.template import Template

from console.map.assets import ASSET_PREFIX, asset_files, asset_url
from console.map.page import (
    CONFIG_PLACEHOLDER,
    CSP_PLACEHOLDER,
    INDONESIA_CENTRE,
    PAGE_SCRIPTS,
    QWEBCHANNEL_URL,
)

__all__ = ["OfflineMap", "render_template"]


class OfflineMap(folium.Map):
    """A folium Map whose only resource links are local Leaflet files."""

    default_js = [("leaflet", ASSET_PREFIX + "leaflet/leaflet.js")]
    default_css = [("leaflet_css", ASSET_PREFIX + "leaflet/leaflet.css")]


class _PoskoInit(MacroElement):
    """Hands folium's map object and the page configuration to ``PoskoMap.init``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            PoskoMap.init({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PoskoInit"
        self.config_json = CONFIG_PLACEHOLDER


def render_template(title: str = "Posko") -> str:
    """The page with :data:`CONFIG_PLACEHOLDER` where its configuration goes and
    :data:`CSP_PLACEHOLDER` where its Content-Security-Policy goes. The first view is
    Indonesia; ``PoskoMap.init`` fits the map to ``home`` before anything is painted."""
    fmap = OfflineMap(
        location=list(INDONESIA_CENTRE),
        zoom_start=5,
        tiles=None,
        control_scale=False,
        prefer_canvas=True,
        zoom_control=True,
    )
    figure: Figure = fmap.get_root()
    figure.title = title
    figure.header.add_child(Element('<meta charset="utf-8">'), name="charset")
    figure.header.add_child(Element(CSP_PLACEHOLDER), name="csp")
    # Leaflet first (the same names folium uses, so its own links land here, in order).
    for name, url in OfflineMap.default_js:
        figure.header.add_child(JavascriptLink(url), name=name)
    for name, url in OfflineMap.default_css:
        figure.header.add_child(CssLink(url), name=name)
    figure.header.add_child(CssLink(asset_url("posko/posko-map.css")), name="posko_css")
    if "heat/leaflet-heat.js" in asset_files():  # bundled with folium >= 0.17
        figure.header.add_child(JavascriptLink(asset_url("heat/leaflet-heat.js")), name="heat")
    figure.header.add_child(JavascriptLink(QWEBCHANNEL_URL), name="qwebchannel")
    for script in PAGE_SCRIPTS:
        figure.header.add_child(JavascriptLink(asset_url("posko/" + script)), name=script)
    fmap.add_child(_PoskoInit())
    html = figure.render()
    if html.count(CONFIG_PLACEHOLDER) != 1 or html.count(CSP_PLACEHOLDER) != 1:
        raise RuntimeError("folium's page lost a placeholder (a folium upgrade?)")
    return html
