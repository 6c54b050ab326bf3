"""The map page, built with folium and pointed at local assets only.

folium's ``Map`` links Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from
CDNs. :class:`OfflineMap` replaces those links with the two files the page needs, served
from the installed ``xstatic-leaflet`` package through ``posko://map/assets/``. Our own
code (the ``static/*.js`` of ``PAGE_SCRIPTS``), Leaflet.heat (bundled with folium) and
Qt's ``qwebchannel.js`` are linked the same way. :func:`assert_offline` then refuses any page
that still names a remote URL, so a folium upgrade that adds a CDN link fails loudly in
the tests instead of silently reaching for the internet.

The markers are not part of the page: the page fetches them as compact JSON (see
``console/map/data.py``), so it stays a few kilobytes at any number of reports and is
always loaded by URL (QtWebEngine's ``setHtml`` stops at 2 MB).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.template import Template

from console.map.assets import ASSET_PREFIX, asset_files, asset_url

__all__ = [
    "PAGE_URL",
    "DATA_URL",
    "OfflineMap",
    "PAGE_SCRIPTS",
    "REGIONS_URL",
    "assert_offline",
    "build_page",
    "script_json",
]

ORIGIN = "posko://map"
PAGE_URL = f"{ORIGIN}/index.html"
DATA_URL = f"{ORIGIN}/data/reports.json"
REGIONS_URL = f"{ORIGIN}/data/regions.json"
QWEBCHANNEL_URL = f"{ORIGIN}/qwebchannel.js"
TILE_URL = ORIGIN + "/tiles/{layer}/{{z}}/{{x}}/{{y}}"

#: Our own scripts (console/map/static), in the order the page loads them: the parts of
#: posko-map share state through ``PoskoMap.shared``, each part using what the ones before
#: it defined (see posko-map-core.js); posko-sensors.js hooks into the finished PoskoMap.
PAGE_SCRIPTS = (
    "posko-map-core.js",
    "posko-map-points.js",
    "posko-map-popups.js",
    "posko-map-draw.js",
    "posko-map-regions.js",
    "posko-map.js",
    "posko-sensors.js",
)

#: Indonesia, for a first view before any report has arrived.
INDONESIA_CENTRE = (-2.5, 118.0)


class OfflineMap(folium.Map):
    """A folium Map whose only resource links are local Leaflet files."""

    default_js = [("leaflet", ASSET_PREFIX + "leaflet/leaflet.js")]
    default_css = [("leaflet_css", ASSET_PREFIX + "leaflet/leaflet.css")]


def script_json(obj) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, no ``<!--``,
    no U+2028/2029 (ASCII only)."""
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    # "\/" is JSON for "/": URLs inside the data (a tile attribution) stay data and never
    # look like a link to assert_offline.
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("/", "\\/")
    )


class _PoskoInit(MacroElement):
    """Hands folium's map object and the page configuration to ``PoskoMap.init``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            PoskoMap.init({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict) -> None:
        super().__init__()
        self._name = "PoskoInit"
        self.config_json = script_json(config)


_REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_URL = re.compile(r"""\b(?:https?|ftp|wss?)://""", re.IGNORECASE)


def assert_offline(html: str) -> str:
    """Return ``html`` unchanged, or raise ValueError if it references anything remote
    (a ``src``/``href`` to http(s) or protocol-relative URLs, or any http(s) URL at all)."""
    match = _REMOTE.search(html) or _URL.search(html)
    if match:
        start = max(0, match.start() - 60)
        raise ValueError(
            f"map page references a remote resource: …{html[start : match.end() + 60]}…"
        )
    return html


def build_page(config: dict, *, title: str = "Posko") -> str:
    """The map page's HTML for ``config`` (labels, colours, tiles, options; see
    ``posko-map.js``). URLs for data and tiles are filled in here."""
    config = {
        "dataUrl": DATA_URL,
        "regionsUrl": REGIONS_URL,
        **config,
    }
    home = config.get("home")
    centre = INDONESIA_CENTRE if not home else ((home[0] + home[2]) / 2, (home[1] + home[3]) / 2)
    fmap = OfflineMap(
        location=list(centre),
        zoom_start=5 if not home else 12,
        tiles=None,
        control_scale=False,
        prefer_canvas=True,
        zoom_control=True,
    )
    figure: Figure = fmap.get_root()
    figure.title = title
    figure.header.add_child(Element('<meta charset="utf-8">'), name="charset")
    figure.header.add_child(Element(_CSP_PLACEHOLDER), name="csp")
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
    fmap.add_child(_PoskoInit(config))
    html = figure.render()
    return assert_offline(html.replace(_CSP_PLACEHOLDER, _csp(html), 1))


_CSP_PLACEHOLDER = "<!--posko-csp-->"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _csp(html: str) -> str:
    """A Content-Security-Policy allowing only posko: resources and exactly the inline
    scripts folium wrote (by hash): an injected inline script or ``onerror=`` handler
    would not run even if some text escaped escaping."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(html)
    )
    policy = (
        f"default-src posko:; script-src posko: {hashes}; style-src posko: 'unsafe-inline'; "
        "img-src posko: data: blob:; connect-src posko:; object-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def tile_url(layer: str) -> str:
    return TILE_URL.format(layer=layer)
