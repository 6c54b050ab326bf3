"""Offline map figures (QtWebEngine offscreen, software rendering).

* ``map.first_render_s_100k``: seconds from creating the map panel to the page telling it
  has painted 100,000 reports (every report of the database, so 100,000 markers): web
  engine start, page load from posko://, the marker query on the database worker, JSON,
  clustering and drawing. Measured in a fresh process, so the web engine starts cold as
  in the console. Baseline: none (the target is 2 s).
* ``map.delta_update_ms``: one new report written to the database → ``apply_changes`` →
  its marker painted on the visible map (median of 15; p95 in the note), with the
  100,000 reports loaded.
* ``map.speedup_vs_naive_folium``: the naive way, one ``folium.Marker`` per report
  rendered to HTML and loaded in the same web engine until painted, divided by ours, both
  at 10,000 reports in the same process (ratio = how many times faster ours is).

The 100,000 and 10,000-report databases (one city, every report with coordinates) are
built once into bench-data/ and reused.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import ROOT, Figure, kept_database

DELTA_REPEATS = 15


def bench_database(reports: int, progress=print) -> Path:
    return kept_database(f"map-{reports}", reports, label="map ", progress=progress,
                         seed=23, weeks=26, cities=["bandung"])[0]


def figures() -> list[Figure]:
    db100 = bench_database(100_000)
    db10 = bench_database(10_000)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QTWEBENGINE_DISABLE_SANDBOX="1")
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.map_figures", str(db100), str(db10)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    line = next((x for x in reversed(proc.stdout.splitlines()) if x.startswith("{")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"map bench failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    r = json.loads(line)
    return [
        Figure(
            "map.first_render_s_100k", r["first_render_s"], "s",
            note=f"{r['markers_100k']:,} markers; cold web engine, fresh process. A second panel "
                 f"in the same process (warm engine): {r['first_render_warm_s']:.2f} s",
        ),
        Figure(
            "map.delta_update_ms", r["delta_ms_median"], "ms",
            note=f"one new report to its painted marker with 100,000 loaded; median of "
                 f"{DELTA_REPEATS}, p95 {r['delta_ms_p95']:.1f} ms",
        ),
        Figure(
            "map.speedup_vs_naive_folium", r["ours_10k_s"], "s", baseline=r["naive_10k_s"],
            note=f"10,000 reports to a painted map: naive one folium.Marker per report "
                 f"{r['naive_10k_s']:.2f} s (folium render {r['naive_render_s']:.2f} s), "
                 f"ours {r['ours_10k_s']:.3f} s",
        ),
    ]  # fmt: skip


FIGURES = [("map.", figures)]


# ---------------------------------------------------------------------------- child


def _child(db100: Path, db10: Path) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWidgets import QApplication

    import console.views.map_scheme as map_scheme
    from console.views.bootstrap import bootstrap

    bootstrap()  # posko:// before the app
    _app = QApplication.instance() or QApplication([])  # noqa: F841 - kept alive

    from console.store.db import open_database
    from console.store.executor import DbExecutor
    from console.views.db_bridge import DbBridge
    from console.views.map_panel import MapPanel

    def spin(ms: int) -> None:
        # Never app.quit() to spin: aboutToQuit would reach QtWebEngine objects deleted
        # since the last time (a crash); a local event loop is enough.
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(signal, pred, timeout_s: float):
        loop = QEventLoop()
        got: dict = {}

        def on(*args):
            if "args" not in got and pred(*args):
                got["args"] = args
                loop.quit()

        signal.connect(on)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        signal.disconnect(on)
        if "args" not in got:
            raise TimeoutError(f"no {signal} within {timeout_s} s")
        return got["args"]

    def js(panel, script: str):
        box: dict = {}
        loop = QEventLoop()

        def done(result):
            box["r"] = result
            loop.quit()

        panel.run_js(f"JSON.stringify({script})", done)
        QTimer.singleShot(20_000, loop.quit)
        loop.exec()
        return json.loads(box["r"])

    class Env:
        def __init__(self, path: Path) -> None:
            self.db = open_database(path)
            self.executor = DbExecutor(self.db)
            self.bridge = DbBridge(self.executor)

        def close(self) -> None:
            self.bridge.shutdown()
            self.executor.shutdown()
            self.db.dispose()

    def ours(env: Env) -> tuple[float, MapPanel, int]:
        t0 = time.perf_counter()
        panel = MapPanel(bridge=env.bridge, flt=None, autostart=False)
        panel.resize(1280, 800)
        panel.show()
        panel.start()
        _kind, _gen, n = wait_for(panel.painted, lambda kind, *_: kind == "load", 120)
        return time.perf_counter() - t0, panel, n

    def close_panel(panel) -> None:
        panel.shutdown()
        panel.close()
        panel.deleteLater()
        spin(200)

    out: dict = {}
    env100 = Env(db100)
    env100.executor.call(_forget_bench_reports)  # left by an interrupted run
    out["first_render_s"], panel, out["markers_100k"] = ours(env100)
    close_panel(panel)
    out["first_render_warm_s"], panel, _n = ours(env100)

    # One new report at a time, where the operator is looking.
    from console.store.timefmt import new_id, to_db, utcnow

    lat, lon = env100.executor.call(
        lambda c: c.execute("SELECT lat, lon FROM report WHERE lat IS NOT NULL LIMIT 1 OFFSET 5000")
        .fetchone()
    )  # fmt: skip
    js(panel, f"PoskoMap.setView({lat}, {lon}, 17)")
    samples = []
    for i in range(DELTA_REPEATS):
        rid = new_id()
        la, lo = lat + 0.0003 * (i % 5 - 2), lon + 0.0003 * (i // 5 - 1)

        def insert(conn, rid=rid, la=la, lo=lo, i=i):
            stamp = to_db(utcnow())
            conn.execute(
                "INSERT INTO report (id, ticket, channel, category_code, priority, status, "
                "title, description, lat, lon, created_at, updated_at, revision) "
                "VALUES (?, ?, 'phone_112', 'banjir', 1, 'new', 'Banjir bench', '', ?, ?, ?, ?, 1)",
                (rid, f"BENCH-{i:04d}-{rid[:8]}", la, lo, stamp, stamp),
            )
            conn.commit()

        env100.executor.call(insert)
        t0 = time.perf_counter()
        token = panel.apply_changes([rid])
        wait_for(panel.painted, lambda kind, tok, _n, t=token: kind == "delta" and tok == t, 30)
        samples.append((time.perf_counter() - t0) * 1000)
        x, y = js(panel, f"PoskoMap.screenPoint('{rid}')")
        if js(panel, f"PoskoMap.itemAt({x}, {y})") != {"kind": "point", "id": rid}:
            raise RuntimeError("the new report's marker is not visible")
    env100.executor.call(_forget_bench_reports)
    out["delta_ms_median"] = statistics.median(samples)
    out["delta_ms_p95"] = sorted(samples)[int(0.95 * (len(samples) - 1))]
    close_panel(panel)
    env100.close()

    # Naive folium vs ours at 10,000 reports, the engine warm for both.
    env10 = Env(db10)
    naive_runs, render_runs, ours_runs = [], [], []
    for _ in range(2):
        total, render = _naive(db10, map_scheme, wait_for, spin, QUrl)
        naive_runs.append(total)
        render_runs.append(render)
    for _ in range(3):
        seconds, panel, _n = ours(env10)
        ours_runs.append(seconds)
        close_panel(panel)
    env10.close()
    out["naive_10k_s"] = statistics.median(naive_runs)
    out["naive_render_s"] = statistics.median(render_runs)
    out["ours_10k_s"] = statistics.median(ours_runs)
    return out


def _forget_bench_reports(conn) -> None:
    conn.execute("DELETE FROM report WHERE ticket LIKE 'BENCH-%'")
    conn.commit()


def _naive(db10: Path, map_scheme, wait_for, spin, QUrl) -> tuple[float, float]:  # noqa: N803
    """One folium.Marker per report, rendered and loaded until painted: (total, render)."""
    import sqlite3

    import folium
    from PySide6.QtWebEngineCore import QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from console.map.folium_page import OfflineMap

    t0 = time.perf_counter()
    with sqlite3.connect(db10) as conn:
        rows = conn.execute(
            "SELECT lat, lon FROM report WHERE lat IS NOT NULL AND lon IS NOT NULL"
        ).fetchall()
    lats = [r[0] for r in rows]
    lons = [r[1] for r in rows]
    fmap = OfflineMap(location=[statistics.median(lats), statistics.median(lons)],
                      zoom_start=12, tiles=None)  # fmt: skip
    for lat, lon in rows:
        folium.Marker([lat, lon]).add_to(fmap)
    html = fmap.get_root().render()
    html += (
        "<script>requestAnimationFrame(() => requestAnimationFrame(() => "
        "{ document.title = 'painted'; }));</script>"
    )
    render = time.perf_counter() - t0
    body = html.encode()

    view = QWebEngineView()
    profile = QWebEngineProfile(view)
    handler = map_scheme.MapSchemeHandler(profile)
    handler.routes["page"] = lambda req: req.reply(body, "text/html; charset=utf-8")
    profile.installUrlSchemeHandler(map_scheme.SCHEME, handler)
    page = map_scheme.MapPage(profile, view)
    view.setPage(page)
    view.resize(1280, 800)
    view.show()
    page.load(QUrl("posko://map/index.html"))
    wait_for(page.titleChanged, lambda title: title == "painted", 600)
    total = time.perf_counter() - t0
    view.close()
    view.deleteLater()
    spin(200)
    return total, render


if __name__ == "__main__":
    result = _child(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps(result), flush=True)
    sys.stderr.flush()
    # Skip interpreter finalisation: tearing QtWebEngine down from Python's exit handlers
    # can crash after the figures are out, which would only turn a good run red.
    os._exit(0)
