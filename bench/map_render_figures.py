"""The shift report's map drawn from data (console/map/render.py), without Qt.

* ``export.map_render_s_10k`` / ``export.map_render_s_100k``: seconds to draw 10,000 /
  100,000 reports (one city, random priorities) with halos, fitted to their extent, into
  the 1600×1000 PNG the PDF embeds (median of 5). No base map (tiles add a fixed cost of
  a few dozen tile decodes). Baseline: none — before, the PDF took a screenshot of the
  map widget, which is not the same map.
"""

from __future__ import annotations

import random
import statistics
import time

from bench.harness import Figure

REPEATS = 5


def _points(n: int):
    from console.map.render import MapPoint

    rnd = random.Random(7)
    return [MapPoint(-6.95 + rnd.random() * 0.1, 107.55 + rnd.random() * 0.15,
                     rnd.choice((1, 2, 2, 3, 3, 3, 4, 4))) for _ in range(n)]


def figures() -> list[Figure]:
    from console.export.map_image import SIZE
    from console.map.render import render_png

    out = []
    for n, name in ((10_000, "export.map_render_s_10k"), (100_000, "export.map_render_s_100k")):
        pts = _points(n)
        samples = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            render_png(pts, (-6.95, 107.55, -6.85, 107.70), size=SIZE)
            samples.append(time.perf_counter() - t0)
        out.append(Figure(name, statistics.median(samples), "s",
                          note=f"{n:,} points, 1600x1000 PNG, median of {REPEATS}"))
    return out


FIGURES = [("export.map_render", figures)]
