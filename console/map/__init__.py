"""The offline map's Qt-free core.

Everything here runs without Qt so it can be tested (and reused by exports) on its own:

- :mod:`console.map.assets`: Leaflet and plugins from the installed PyPI packages
  (``xstatic-leaflet``, folium's bundled Leaflet.heat) and our own static files, looked up
  by URL path from an allow-list (no CDN, no path traversal);
- :mod:`console.map.page`: the map page, built with folium, every link rewritten to the
  local ``posko://`` scheme;
- :mod:`console.map.data`: the queries behind the map (compact marker payload, deltas,
  counts per region, areas), plain functions over a ``sqlite3`` connection;
- :mod:`console.map.mbtiles` and :mod:`console.map.tiles`: MBTiles reading and writing,
  the tile service (local file, cache, polite online source);
- :mod:`console.map.boundaries`: importing and validating region boundary GeoJSON.

The Qt side lives in ``console/views/map_*.py``.
"""
