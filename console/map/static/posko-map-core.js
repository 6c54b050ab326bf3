/* Posko map page: reports on a canvas with grid clustering, selection, area drawing,
 * heat map, region choropleth, and the QWebChannel bridge to the console.
 *
 * The page loads it in parts, in this order (console/map/page.py PAGE_SCRIPTS):
 *   posko-map-core.js     the shared namespace, the QWebChannel bridge to the console,
 *                         the report store and the colours (this file);
 *   posko-map-points.js   the canvas layer: reports, clusters, the selection, heat map;
 *   posko-map-popups.js   report summaries, popups and hover tooltips;
 *   posko-map-draw.js     picking a location, drawing an area, the drawing keys;
 *   posko-map-regions.js  region outlines, the choropleth and the legend;
 *   posko-map.js          tiles, the public API the console calls, and init.
 * Each part is one closure; what the parts share sits on PoskoMap.shared (below), so the
 * page adds one global, window.PoskoMap, as before.
 *
 * Security rule: report and region text is inserted with textContent / text nodes only,
 * never as HTML. Tile attributions are escaped before Leaflet sees them.
 *
 * Data arrive as one column-oriented JSON document (console/map/data.py) fetched from
 * posko://map/data/reports.json; changes arrive as deltas (applyDelta) and never reload
 * the page.
 */
(function () {
  'use strict';

  var PK = (window.PoskoMap = window.PoskoMap || {});
  // Shared by the parts, not called by the console (it calls PoskoMap.* only). Functions
  // and fixed objects sit on P itself; ui holds the view state more than one part changes.
  var P = (PK.shared = {
    attach: [], // each part's function(map, cfg), called first thing in PK.init
    ui: {
      selected: null, // report id
      area: null, // [[lat, lon], ...]
      points: null, // the PointsLayer
      heat: null, // Leaflet.heat's layer while the heat map is on
      popup: null,
      tooltip: null,
      hoverItem: null,
      picking: false,
      pickPin: null,
      drawing: null // {kind, pts, layer, guide}
    }
  });
  var ui = P.ui;
  var cfg = null;
  var bridge = null;
  var pendingNotes = [];
  P.attach.push(function (m, c) { cfg = c; });

  // ------------------------------------------------------------------ report store
  var S = {
    ids: [], lat: [], lon: [], mx: [], my: [], p: [], s: [], c: [], alive: [],
    index: new Map(), free: [], count: 0, gen: -1, loadingGen: null,
    statuses: [], cats: [], catNames: [], heldDeltas: []
  };

  var opts = { colorBy: 'priority', heat: false, choropleth: false, hidden: new Set() };
  var summaries = new Map(); // report id -> summary (posko-map-popups.js asks for them)

  function mercX(lon) { return (lon + 180) / 360; }
  function mercY(lat) {
    var s = Math.sin(lat * Math.PI / 180);
    s = Math.min(Math.max(s, -0.9999), 0.9999);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value == null ? '' : String(value);
    return el;
  }

  function escapeHtml(value) {
    return String(value == null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return values[k] == null ? m : String(values[k]);
    });
  }

  function label(name) { return (cfg.labels && cfg.labels[name]) || name; }

  function notify(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (bridge && typeof bridge[method] === 'function') {
      bridge[method].apply(bridge, args);
    } else {
      pendingNotes.push([method, args]);
    }
  }

  function afterPaint(fn) {
    requestAnimationFrame(function () { requestAnimationFrame(fn); });
  }

  function setSlot(i, id, lat, lon, p, s, c) {
    S.ids[i] = id; S.lat[i] = lat; S.lon[i] = lon;
    S.mx[i] = mercX(lon); S.my[i] = mercY(lat);
    S.p[i] = p; S.s[i] = s; S.c[i] = c; S.alive[i] = 1;
  }

  function setCats(cats) {
    S.cats = cats.map(function (c) { return c[0]; });
    S.catNames = cats.map(function (c) { return c[1]; });
  }

  function load(doc) {
    var cols = doc.cols, n = cols.id.length;
    S.ids = cols.id; S.lat = cols.lat; S.lon = cols.lon; S.p = cols.p; S.s = cols.s; S.c = cols.c;
    S.mx = new Array(n); S.my = new Array(n); S.alive = new Array(n);
    S.index = new Map(); S.free = [];
    for (var i = 0; i < n; i++) {
      S.mx[i] = mercX(S.lon[i]); S.my[i] = mercY(S.lat[i]); S.alive[i] = 1;
      S.index.set(S.ids[i], i);
    }
    S.count = n;
    S.statuses = doc.statuses;
    setCats(doc.cats);
    S.gen = doc.gen;
    summaries.clear();
    return n;
  }

  function upsert(cols) {
    for (var k = 0; k < cols.id.length; k++) {
      var id = cols.id[k];
      var i = S.index.get(id);
      if (i === undefined) {
        i = S.free.length ? S.free.pop() : S.ids.length;
        S.index.set(id, i);
        S.count++;
      }
      setSlot(i, id, cols.lat[k], cols.lon[k], cols.p[k], cols.s[k], cols.c[k]);
      summaries.delete(id);
    }
  }

  function remove(ids) {
    for (var k = 0; k < ids.length; k++) {
      var i = S.index.get(ids[k]);
      if (i === undefined) continue;
      S.alive[i] = 0; S.index.delete(ids[k]); S.free.push(i); S.count--;
      summaries.delete(ids[k]);
      if (ui.selected === ids[k]) ui.selected = null;
    }
  }

  function shown(i) { return S.alive[i] === 1 && !opts.hidden.has(S.cats[S.c[i]]); }

  // --------------------------------------------------------------------- colours
  function colorOf(p, s) {
    if (opts.colorBy === 'status') {
      return cfg.colors.status[S.statuses[s]] || '#607d8b';
    }
    return cfg.colors.priority[p] || '#607d8b';
  }

  // ---------------------------------------------------------------------- bridge
  // Once Qt's channel is up: the console's summaries reach the popups, notes sent before
  // it was up go out in order, and the console hears that the page is ready.
  function connectBridge() {
    if (window.qt && window.qt.webChannelTransport) {
      new QWebChannel(window.qt.webChannelTransport, function (channel) {
        bridge = channel.objects.poskoBridge;
        bridge.summaries.connect(function (req, json) { PK.receiveSummaries(req, json); });
        var notes = pendingNotes; pendingNotes = [];
        notes.forEach(function (n) { bridge[n[0]].apply(bridge, n[1]); });
        bridge.pageReady();
      });
    }
  }

  L.extend(P, {
    S: S, opts: opts, summaries: summaries,
    text: text, escapeHtml: escapeHtml, fmt: fmt, label: label, notify: notify,
    afterPaint: afterPaint, connectBridge: connectBridge,
    setCats: setCats, load: load, upsert: upsert, remove: remove, shown: shown, colorOf: colorOf
  });

  window.addEventListener('error', function (ev) { notify('jsError', String(ev.message)); });
})();
