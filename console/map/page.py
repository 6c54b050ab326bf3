"""The map page: folium's template (console/map/folium_page.py) with its configuration.

:func:`build_page` puts the configuration (labels, colours, tiles, options, the city's
``home``) into the template as script-safe JSON and adds a Content-Security-Policy that
allows exactly the page's own inline scripts. :func:`assert_offline` then refuses any page
that still names a remote URL, so a folium upgrade that adds a CDN link fails loudly in
the tests instead of silently reaching for the internet.

The markers are not part of the page: the page fetches them as compact JSON (see
``console/map/data.py``), so it stays a few kilobytes at any number of reports and is
always loaded by URL (QtWebEngine's ``setHtml`` stops at 2 MB).

This module imports no folium: a bundle reads the template folium built when the bundle
was built (:data:`PREBUILT_TEMPLATE`) and ships without numpy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

__all__ = [
    "PAGE_URL",
    "DATA_URL",
    "PAGE_SCRIPTS",
    "PREBUILT_TEMPLATE",
    "REGIONS_URL",
    "assert_offline",
    "build_page",
    "page_template",
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

#: Where the configuration goes in the template: a JSON string literal, so the template
#: is valid HTML and JavaScript as it stands.
CONFIG_PLACEHOLDER = '"__POSKO_CONFIG__"'
CSP_PLACEHOLDER = "<!--posko-csp-->"

#: The template as folium rendered it when the bundle was built (installer/posko.spec);
#: absent in a checkout or a wheel, where folium renders it on first use.
PREBUILT_TEMPLATE = Path(__file__).with_name("page-template.html")


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


@lru_cache(maxsize=1)
def page_template() -> str:
    """The page as folium builds it, with the configuration and CSP placeholders."""
    if PREBUILT_TEMPLATE.is_file():
        return PREBUILT_TEMPLATE.read_text(encoding="utf-8")
    from console.map.folium_page import render_template

    return render_template()


def build_page(config: dict) -> str:
    """The map page's HTML for ``config`` (see ``posko-map.js``). URLs for data and tiles
    are filled in here."""
    config = {
        "dataUrl": DATA_URL,
        "regionsUrl": REGIONS_URL,
        **config,
    }
    html = page_template().replace(CONFIG_PLACEHOLDER, script_json(config), 1)
    return assert_offline(html.replace(CSP_PLACEHOLDER, _csp(html), 1))


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
