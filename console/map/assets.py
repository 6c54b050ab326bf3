"""Static files the map page needs, served from installed packages, never from a CDN.

URL paths (under ``posko://map/assets/``) map to files through an allow-list built by
listing the packages' data folders once, so a request can only ever name one of those
files: ``..``, absolute paths and unknown names are simply not found.

- ``leaflet/…``: the ``xstatic-leaflet`` package (Leaflet itself, its CSS and images);
- ``heat/leaflet-heat.js``: Leaflet.heat, bundled inside the ``folium`` package;
- ``posko/…``: our own page code in ``console/map/static``.
"""

from __future__ import annotations

import importlib.util
import mimetypes
from functools import lru_cache
from pathlib import Path

__all__ = ["ASSET_PREFIX", "asset_files", "asset_url", "content_type", "read_asset"]

#: Where the page finds the assets (see console/views/map_scheme.py).
ASSET_PREFIX = "posko://map/assets/"

STATIC_DIR = Path(__file__).resolve().parent / "static"

_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".html": "text/html",
    ".json": "application/json",
    ".map": "application/json",
}


def _walk(prefix: str, root: Path, files: dict[str, Path], suffixes: tuple[str, ...]) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in suffixes:
            files[prefix + path.relative_to(root).as_posix()] = path


def _folium_dir() -> Path:
    """folium's package folder, found without importing folium (which imports numpy; a
    bundle ships folium's files but not numpy, see console/map/page.py)."""
    spec = importlib.util.find_spec("folium")
    if spec is None or not spec.submodule_search_locations:
        return Path("/nonexistent")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def asset_files() -> dict[str, Path]:
    """URL path (``leaflet/leaflet.js``) → file, for every asset the page may load."""
    from xstatic.pkg import leaflet

    files: dict[str, Path] = {}
    _walk("leaflet/", Path(leaflet.BASE_DIR), files, (".js", ".css", ".png"))
    heat = _folium_dir() / "templates" / "leaflet_heat.min.js"
    if heat.is_file():
        files["heat/leaflet-heat.js"] = heat
    _walk("posko/", STATIC_DIR, files, (".js", ".css", ".png", ".svg"))
    return files


def asset_url(path: str) -> str:
    """The page URL of an asset; raises KeyError for an asset that is not installed."""
    if path not in asset_files():
        raise KeyError(f"map asset {path!r} is not installed")
    return ASSET_PREFIX + path


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@lru_cache(maxsize=64)
def read_asset(path: str) -> tuple[bytes, str] | None:
    """(bytes, content type) of the asset at URL path ``path``, or None if there is none."""
    file = asset_files().get(path)
    if file is None:
        return None
    return file.read_bytes(), content_type(file.name)
