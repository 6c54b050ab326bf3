/* Posko map page: reports on a canvas with grid clustering, selection, area drawing,
 * heat map, region choropleth, and the QWebChannel bridge to the console.
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
  var map = null;
  var cfg = null;
  var bridge = null;
  var pendingNotes = [];

  // ------------------------------------------------------------------ report store
  var S = {
    ids: [], lat: [], lon: [], mx: [], my: [], p: [], s: [], c: [], alive: [],
    index: new Map(), free: [], count: 0, gen: -1, loadingGen: null,
    statuses: [], cats: [], catNames: [], heldDeltas: []
  };

  var opts = { colorBy: 'priority', heat: false, choropleth: false, hidden: new Set() };
  var selected = null; // report id
  var area = null; // [[lat, lon], ...]
  var areaLayer = null;
  var summaries = new Map();
  var summaryWaiters = new Map();
  var nextReq = 1;

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
      if (selected === ids[k]) selected = null;
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

  // ------------------------------------------------------------- the points layer
  var CELL = 60;            // cluster grid, screen pixels
  var UNCLUSTER_ZOOM = 17;  // from here on every report is drawn on its own
  var PAD = 0.25;           // canvas extends this share of the view on each side

  var PointsLayer = L.Layer.extend({
    onAdd: function (m) {
      this._canvas = L.DomUtil.create('canvas', 'pk-points leaflet-zoom-hide');
      this._ctx = this._canvas.getContext('2d');
      m.getPanes().overlayPane.appendChild(this._canvas);
      this.items = [];
      this.redraw();
    },
    onRemove: function () { L.DomUtil.remove(this._canvas); this.items = []; },
    getEvents: function () { return { moveend: this.redraw, zoomend: this.redraw, resize: this.redraw }; },

    redraw: function () {
      if (!this._map) return;
      var m = this._map, size = m.getSize();
      var padX = Math.round(size.x * PAD), padY = Math.round(size.y * PAD);
      var topLeft = m.containerPointToLayerPoint([-padX, -padY]).round();
      var w = size.x + 2 * padX, h = size.y + 2 * padY, dpr = window.devicePixelRatio || 1;
      var cv = this._canvas;
      L.DomUtil.setPosition(cv, topLeft);
      cv.style.width = w + 'px'; cv.style.height = h + 'px';
      if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
        cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
      }
      var ctx = this._ctx;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      // World pixel of the canvas' top-left corner.
      var zoom = m.getZoom(), scale = 256 * Math.pow(2, zoom);
      var origin = m.getPixelBounds().min.subtract([padX, padY]);
      var ox = origin.x, oy = origin.y;
      var items = [];
      if (!(opts.heat && L.heatLayer)) {
        if (zoom >= UNCLUSTER_ZOOM) items = this._single(scale, ox, oy, w, h);
        else items = this._clusters(scale, ox, oy, w, h);
        this._paint(ctx, items, ox, oy);
      }
      this._paintSelection(ctx, scale, ox, oy);
      this.items = items;
    },

    _single: function (scale, ox, oy, w, h) {
      var items = [], n = S.ids.length;
      for (var i = 0; i < n; i++) {
        if (!shown(i)) continue;
        var x = S.mx[i] * scale - ox, y = S.my[i] * scale - oy;
        if (x < -10 || y < -10 || x > w + 10 || y > h + 10) continue;
        items.push({ kind: 'point', i: i, x: x, y: y, p: S.p[i], s: S.s[i], r: S.p[i] === 1 ? 8 : 7 });
      }
      items.sort(function (a, b) { return b.p - a.p; }); // P1 drawn last, on top
      return items;
    },

    _clusters: function (scale, ox, oy, w, h) {
      var cells = new Map(), list = [], n = S.ids.length;
      var byStatus = opts.colorBy === 'status';
      var nClasses = byStatus ? Math.max(S.statuses.length, 1) : 4;
      var margin = CELL;
      for (var i = 0; i < n; i++) {
        if (!shown(i)) continue;
        var wx = S.mx[i] * scale, wy = S.my[i] * scale;
        var x = wx - ox, y = wy - oy;
        if (x < -margin || y < -margin || x > w + margin || y > h + margin) continue;
        var key = Math.floor(wx / CELL) * 4194304 + Math.floor(wy / CELL);
        var c = cells.get(key);
        if (c === undefined) {
          c = { n: 0, sx: 0, sy: 0, p: 9, s: 99, first: i, minx: x, maxx: x, miny: y, maxy: y,
                k: new Array(nClasses).fill(0) };
          cells.set(key, c); list.push(c);
        }
        c.n++; c.sx += x; c.sy += y;
        c.k[byStatus ? S.s[i] : S.p[i] - 1]++;
        if (S.p[i] < c.p) c.p = S.p[i];
        if (S.s[i] < c.s) c.s = S.s[i];
        if (x < c.minx) c.minx = x; if (x > c.maxx) c.maxx = x;
        if (y < c.miny) c.miny = y; if (y > c.maxy) c.maxy = y;
      }
      var items = [];
      for (var k = 0; k < list.length; k++) {
        var q = list[k];
        if (q.n === 1) {
          items.push({ kind: 'point', i: q.first, x: q.sx, y: q.sy, p: S.p[q.first], s: S.s[q.first], r: S.p[q.first] === 1 ? 8 : 7 });
        } else {
          var r = Math.min(30, 13 + 4 * Math.log10(q.n));
          items.push({ kind: 'cluster', n: q.n, x: q.sx / q.n, y: q.sy / q.n, p: q.p, s: q.s, r: r,
                       k: q.k, minx: q.minx, maxx: q.maxx, miny: q.miny, maxy: q.maxy });
        }
      }
      items.sort(function (a, b) { return b.p - a.p; });
      return items;
    },

    _paint: function (ctx, items, ox, oy) {
      ctx.lineWidth = 2;
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.font = 'bold 12px "Segoe UI", "Noto Sans", Arial, sans-serif';
      for (var k = 0; k < items.length; k++) {
        var it = items[k];
        var col = colorOf(it.p, it.s);
        var inside = true;
        if (area) {
          var ll = this._map.unproject([it.x + ox, it.y + oy], this._map.getZoom());
          inside = pointInPolygon(ll.lat, ll.lng, area);
        }
        ctx.globalAlpha = inside ? 1 : 0.3;
        if (it.kind === 'cluster') { this._paintCluster(ctx, it); continue; }
        ctx.beginPath();
        ctx.arc(it.x, it.y, it.r, 0, 2 * Math.PI);
        ctx.fillStyle = col;
        ctx.fill();
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 2;
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    },

    // A cluster: a white disc with the count, ringed by the mix of its reports
    // (priority or status shares), so one P1 among fifty does not paint it all red.
    _paintCluster: function (ctx, it) {
      var byStatus = opts.colorBy === 'status', total = it.n, start = -Math.PI / 2;
      var ring = Math.max(5, it.r * 0.32), mid = it.r - ring / 2;
      ctx.beginPath();
      ctx.arc(it.x, it.y, it.r + 1.5, 0, 2 * Math.PI);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'rgba(0,0,0,0.35)';
      ctx.stroke();
      ctx.lineWidth = ring;
      for (var c = 0; c < it.k.length; c++) {
        if (!it.k[c]) continue;
        var sweep = 2 * Math.PI * it.k[c] / total;
        ctx.beginPath();
        ctx.arc(it.x, it.y, mid, start, start + sweep);
        ctx.strokeStyle = byStatus ? (cfg.colors.status[S.statuses[c]] || '#607d8b') : cfg.colors.priority[c + 1];
        ctx.stroke();
        start += sweep;
      }
      ctx.fillStyle = '#1b1b1b';
      ctx.fillText(it.n >= 10000 ? Math.round(it.n / 1000) + 'k' : String(it.n), it.x, it.y + 0.5);
    },

    _paintSelection: function (ctx, scale, ox, oy) {
      if (!selected) return;
      var i = S.index.get(selected);
      if (i === undefined) return;
      var x = S.mx[i] * scale - ox, y = S.my[i] * scale - oy;
      ctx.beginPath();
      ctx.arc(x, y, 14, 0, 2 * Math.PI);
      ctx.lineWidth = 5; ctx.strokeStyle = '#ffffff'; ctx.stroke();
      ctx.lineWidth = 3; ctx.strokeStyle = '#0091ea'; ctx.stroke();
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.fillStyle = colorOf(S.p[i], S.s[i]); ctx.fill();
      ctx.lineWidth = 2; ctx.strokeStyle = '#ffffff'; ctx.stroke();
    },

    // The topmost item under a container point, or null.
    hit: function (cx, cy) {
      var size = this._map.getSize();
      var x = cx + Math.round(size.x * PAD), y = cy + Math.round(size.y * PAD);
      for (var k = this.items.length - 1; k >= 0; k--) {
        var it = this.items[k], dx = it.x - x, dy = it.y - y, r = it.r + 3;
        if (dx * dx + dy * dy <= r * r) return it;
      }
      return null;
    },

    // Container point of a canvas item.
    toContainer: function (it) {
      var size = this._map.getSize();
      return L.point(it.x - Math.round(size.x * PAD), it.y - Math.round(size.y * PAD));
    }
  });

  function pointInPolygon(lat, lon, poly) {
    var inside = false;
    for (var i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      var yi = poly[i][0], xi = poly[i][1], yj = poly[j][0], xj = poly[j][1];
      if ((yi > lat) !== (yj > lat) && lon < xi + (lat - yi) * (xj - xi) / (yj - yi)) inside = !inside;
    }
    return inside;
  }

  var points = null;
  var heat = null;
  var heatTimer = null;

  function redraw() {
    if (points) points.redraw();
    if (opts.heat) scheduleHeat();
  }

  function scheduleHeat(now) {
    if (heatTimer) clearTimeout(heatTimer);
    heatTimer = setTimeout(updateHeat, now ? 0 : 150);
  }

  function updateHeat() {
    heatTimer = null;
    if (!opts.heat || !L.heatLayer) { if (heat) { map.removeLayer(heat); heat = null; } return; }
    var pts = [], n = S.ids.length;
    for (var i = 0; i < n; i++) {
      if (!shown(i)) continue;
      pts.push([S.lat[i], S.lon[i], S.p[i] === 1 ? 1 : S.p[i] === 2 ? 0.7 : S.p[i] === 3 ? 0.45 : 0.3]);
    }
    if (!heat) {
      heat = L.heatLayer(pts, { radius: 18, blur: 15, maxZoom: 16, minOpacity: 0.25 });
      heat.addTo(map);
    } else {
      heat.setLatLngs(pts);
    }
  }

  // ------------------------------------------------------------------- summaries
  function withSummaries(ids, fn) {
    var missing = ids.filter(function (id) { return !summaries.has(id); });
    if (!missing.length) { fn(ids.map(function (id) { return summaries.get(id); })); return; }
    var req = nextReq++;
    summaryWaiters.set(req, function () {
      fn(ids.map(function (id) { return summaries.get(id); }).filter(Boolean));
    });
    notify('requestSummaries', req, JSON.stringify(missing));
  }

  PK.receiveSummaries = function (req, json) {
    var list = typeof json === 'string' ? JSON.parse(json) : json;
    for (var k = 0; k < list.length; k++) summaries.set(list[k].id, list[k]);
    var waiter = summaryWaiters.get(req);
    summaryWaiters.delete(req);
    if (waiter) waiter();
  };

  function statusLabel(code) { return (cfg.labels.statusNames && cfg.labels.statusNames[code]) || code; }
  function priorityLabel(p) { return (cfg.labels.priorityNames && cfg.labels.priorityNames[p]) || ('P' + p); }

  function summaryElement(sm, full) {
    var box = document.createElement('div');
    box.className = 'pk-summary';
    var head = document.createElement('div');
    head.className = 'pk-head';
    var dot = document.createElement('span');
    dot.className = 'pk-dot';
    dot.style.background = opts.colorBy === 'status'
      ? (cfg.colors.status[sm.status] || '#607d8b') : (cfg.colors.priority[sm.priority] || '#607d8b');
    head.appendChild(dot);
    head.appendChild(text('span', sm.ticket, 'pk-ticket'));
    box.appendChild(head);
    box.appendChild(text('div', sm.title, 'pk-title'));
    if (!full) return box;
    var rows = [
      [label('priority'), priorityLabel(sm.priority)],
      [label('status'), statusLabel(sm.status)],
      [label('category'), sm.category_name],
      [label('region'), sm.region_name],
      [label('address'), sm.address],
      [label('created'), sm.created_local || sm.created_at]
    ];
    var table = document.createElement('table');
    table.className = 'pk-rows';
    rows.forEach(function (r) {
      if (r[1] == null || r[1] === '') return;
      var tr = document.createElement('tr');
      tr.appendChild(text('th', r[0]));
      tr.appendChild(text('td', r[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function listElement(list, total) {
    var box = document.createElement('div');
    box.className = 'pk-list';
    box.appendChild(text('div', fmt(label('clusterTitle'), { n: total }), 'pk-list-title'));
    var ul = document.createElement('ul');
    list.forEach(function (sm) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#';
      a.className = 'pk-list-item';
      a.dataset.id = sm.id;
      a.appendChild(text('span', sm.ticket, 'pk-ticket'));
      a.appendChild(document.createTextNode(' '));
      a.appendChild(text('span', sm.title, 'pk-title'));
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        chooseReport(sm.id, true);
      });
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (total > list.length) box.appendChild(text('div', fmt(label('more'), { n: total - list.length }), 'pk-more'));
    return box;
  }

  // -------------------------------------------------------------- click & hover
  var tooltip = null;
  var hoverItem = null;
  var popup = null;

  function latLngOfIndex(i) { return L.latLng(S.lat[i], S.lon[i]); }

  function membersNear(it, limit) {
    // Reports drawn inside this cluster: same grid cell at this zoom.
    var z = map.getZoom(), scale = 256 * Math.pow(2, z), out = [], total = 0;
    var size = map.getSize();
    var origin = map.getPixelBounds().min.subtract([Math.round(size.x * PAD), Math.round(size.y * PAD)]);
    var wx0 = it.x + origin.x, wy0 = it.y + origin.y;
    var cell = zoomClusters() ? [Math.floor(wx0 / CELL), Math.floor(wy0 / CELL)] : null;
    for (var i = 0; i < S.ids.length; i++) {
      if (!shown(i)) continue;
      var wx = S.mx[i] * scale, wy = S.my[i] * scale, hitIt;
      if (cell) hitIt = Math.floor(wx / CELL) === cell[0] && Math.floor(wy / CELL) === cell[1] &&
        wx - origin.x >= it.minx - 0.5 && wx - origin.x <= it.maxx + 0.5 &&
        wy - origin.y >= it.miny - 0.5 && wy - origin.y <= it.maxy + 0.5;
      else hitIt = Math.abs(wx - wx0) < 1 && Math.abs(wy - wy0) < 1;
      if (hitIt) { total++; if (out.length < limit) out.push(S.ids[i]); }
    }
    return { ids: out, total: total };
  }

  function zoomClusters() { return map.getZoom() < UNCLUSTER_ZOOM; }

  function openPopupFor(id) {
    var i = S.index.get(id);
    if (i === undefined) return;
    withSummaries([id], function (list) {
      if (!list.length || selected !== id) return;
      if (popup) map.closePopup(popup);
      popup = L.popup({ offset: [0, -8], autoPanPadding: [30, 30], maxWidth: 340, className: 'pk-popup' })
        .setLatLng(latLngOfIndex(i)).setContent(summaryElement(list[0], true));
      popup.openOn(map);
    });
  }

  function chooseReport(id, fromMap) {
    selected = id;
    redraw();
    openPopupFor(id);
    if (fromMap) notify('reportClicked', id);
  }

  function handleItem(it) {
    if (!it) return false;
    if (it.kind === 'point') {
      chooseReport(S.ids[it.i], true);
      return true;
    }
    var spanX = it.maxx - it.minx, spanY = it.maxy - it.miny;
    if ((spanX > 2 || spanY > 2) && map.getZoom() < map.getMaxZoom()) {
      var z = map.getZoom();
      var sw = map.unproject(map.getPixelBounds().min.add([it.minx, it.maxy]).subtract(padPoint()), z);
      var ne = map.unproject(map.getPixelBounds().min.add([it.maxx, it.miny]).subtract(padPoint()), z);
      var target = Math.min(map.getBoundsZoom(L.latLngBounds(sw, ne).pad(0.1)), map.getMaxZoom());
      if (target <= z) target = Math.min(z + 2, map.getMaxZoom());
      map.setView(L.latLngBounds(sw, ne).getCenter(), target);
      return true;
    }
    // Reports at (nearly) the same spot: list them.
    var mem = membersNear(it, 25);
    withSummaries(mem.ids, function (list) {
      if (popup) map.closePopup(popup);
      var ll = map.containerPointToLatLng(points.toContainer(it));
      popup = L.popup({ maxWidth: 360, className: 'pk-popup' }).setLatLng(ll)
        .setContent(listElement(list, mem.total));
      popup.openOn(map);
    });
    return true;
  }

  function padPoint() {
    var size = map.getSize();
    return L.point(Math.round(size.x * PAD), Math.round(size.y * PAD));
  }

  // ------------------------------------------------------ picking a location (intake)
  var picking = false;
  var pickPin = null;

  PK.startPick = function () {
    PK.cancelDraw(true);
    picking = true;
    L.DomUtil.addClass(map.getContainer(), 'pk-drawing');
    setHint(label('pickHint'));
    if (popup) map.closePopup(popup);
    map.getContainer().focus();
    return true;
  };

  PK.cancelPick = function (silent) {
    if (!picking) return false;
    picking = false;
    L.DomUtil.removeClass(map.getContainer(), 'pk-drawing');
    setHint('');
    if (!silent) notify('pickAborted');
    return true;
  };

  PK.clearPick = function () {
    if (pickPin) { map.removeLayer(pickPin); pickPin = null; }
    return true;
  };

  function pickAt(ll) {
    PK.cancelPick(true);
    PK.clearPick();
    pickPin = L.circleMarker(ll, { radius: 9, color: '#0d47a1', weight: 3, fillColor: '#ffffff',
                                   fillOpacity: 1, interactive: false }).addTo(map);
    var p = roundPt([ll.lat, ll.lng]);
    notify('locationPicked', p[0], p[1]);
  }

  function onMapClick(ev) {
    if (picking) { pickAt(ev.latlng); return; }
    if (drawing) return;
    var it = points && points.hit(ev.containerPoint.x, ev.containerPoint.y);
    handleItem(it);
  }

  var hoverPending = null;
  function onMouseMove(ev) {
    if (drawing || !points) return;
    hoverPending = ev.containerPoint;
    requestAnimationFrame(function () {
      if (!hoverPending) return;
      var cp = hoverPending; hoverPending = null;
      var it = points.hit(cp.x, cp.y);
      map.getContainer().style.cursor = it ? 'pointer' : '';
      if (it === hoverItem || (it && hoverItem && it.kind === 'point' && hoverItem.kind === 'point' && it.i === hoverItem.i)) return;
      hoverItem = it;
      if (tooltip) { map.removeLayer(tooltip); tooltip = null; }
      if (!it) return;
      var ll = map.containerPointToLatLng(points.toContainer(it));
      if (it.kind === 'cluster') {
        showTooltip(ll, text('div', fmt(label('clusterTooltip'), { n: it.n })), it.r);
      } else {
        var id = S.ids[it.i];
        withSummaries([id], function (list) {
          if (hoverItem !== it || !list.length) return;
          showTooltip(ll, summaryElement(list[0], false), it.r);
        });
      }
    });
  }

  function showTooltip(ll, el, r) {
    if (tooltip) map.removeLayer(tooltip);
    tooltip = L.tooltip({ direction: 'top', offset: [0, -r - 2], className: 'pk-tooltip', opacity: 0.95 })
      .setLatLng(ll).setContent(el);
    tooltip.addTo(map);
  }

  // ------------------------------------------------------------------ drawing
  var drawing = null; // {kind, pts, layer, guide}
  var hint = null;

  function setHint(msg) {
    if (!hint) {
      hint = L.DomUtil.create('div', 'pk-hint', map.getContainer());
    }
    hint.textContent = msg || '';
    hint.style.display = msg ? 'block' : 'none';
  }

  PK.startDraw = function (kind) {
    PK.cancelDraw(true);
    PK.cancelPick(true);
    drawing = { kind: kind, pts: [], layer: null, guide: null, start: null };
    map.dragging.disable();
    map.doubleClickZoom.disable();
    map.boxZoom.disable();
    L.DomUtil.addClass(map.getContainer(), 'pk-drawing');
    setHint(label(kind === 'rect' ? 'drawRectHint' : 'drawPolygonHint'));
    if (popup) map.closePopup(popup);
    if (tooltip) { map.removeLayer(tooltip); tooltip = null; }
    map.getContainer().focus();
    return true;
  };

  PK.cancelDraw = function (silent) {
    if (!drawing) return false;
    if (drawing.layer) map.removeLayer(drawing.layer);
    if (drawing.guide) map.removeLayer(drawing.guide);
    drawing = null;
    map.dragging.enable();
    map.doubleClickZoom.enable();
    map.boxZoom.enable();
    L.DomUtil.removeClass(map.getContainer(), 'pk-drawing');
    setHint('');
    if (!silent) notify('drawAborted');
    return true;
  };

  function finishDraw(pts) {
    PK.cancelDraw(true);
    PK.setArea(pts);
    notify('areaDrawn', JSON.stringify(pts));
  }

  var shapeStyle = { color: '#0d47a1', weight: 2, dashArray: '6 4', fillColor: '#2196f3', fillOpacity: 0.08 };

  function onDrawDown(ev) {
    if (!drawing || drawing.kind !== 'rect' || ev.originalEvent.button !== 0) return;
    drawing.start = ev.latlng;
    drawing.layer = L.rectangle(L.latLngBounds(ev.latlng, ev.latlng), shapeStyle).addTo(map);
  }

  function onDrawMove(ev) {
    if (!drawing) return;
    if (drawing.kind === 'rect' && drawing.start) {
      drawing.layer.setBounds(L.latLngBounds(drawing.start, ev.latlng));
    } else if (drawing.kind === 'polygon' && drawing.pts.length) {
      var last = drawing.pts[drawing.pts.length - 1];
      if (!drawing.guide) drawing.guide = L.polyline([last, ev.latlng], { color: '#0d47a1', weight: 1, dashArray: '3 3' }).addTo(map);
      else drawing.guide.setLatLngs([last, ev.latlng]);
    }
  }

  function onDrawUp(ev) {
    if (!drawing || drawing.kind !== 'rect' || !drawing.start) return;
    var a = drawing.start, b = ev.latlng;
    var p1 = map.latLngToContainerPoint(a), p2 = map.latLngToContainerPoint(b);
    if (Math.abs(p1.x - p2.x) < 4 || Math.abs(p1.y - p2.y) < 4) { // a click, not a drag
      if (drawing.layer) map.removeLayer(drawing.layer);
      drawing.layer = null; drawing.start = null;
      return;
    }
    var s = Math.min(a.lat, b.lat), n = Math.max(a.lat, b.lat);
    var w = Math.min(a.lng, b.lng), e = Math.max(a.lng, b.lng);
    finishDraw([[s, w], [n, w], [n, e], [s, e]].map(roundPt));
  }

  function roundPt(p) { return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]; }

  function onDrawClick(ev) {
    if (!drawing || drawing.kind !== 'polygon') return;
    var pts = drawing.pts;
    if (pts.length >= 3) {
      var first = map.latLngToContainerPoint(pts[0]);
      if (first.distanceTo(ev.containerPoint) <= 8) { finishPolygon(); return; }
    }
    pts.push(ev.latlng);
    if (!drawing.layer) drawing.layer = L.polyline(pts, { color: '#0d47a1', weight: 2 }).addTo(map);
    else drawing.layer.setLatLngs(pts);
  }

  function finishPolygon() {
    if (!drawing || drawing.kind !== 'polygon') return;
    var pts = drawing.pts;
    // A double click also adds its point twice through the two clicks before it.
    var clean = [];
    pts.forEach(function (p) {
      var q = roundPt([p.lat, p.lng]);
      var last = clean[clean.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) clean.push(q);
    });
    if (clean.length < 3) return;
    finishDraw(clean);
  }

  function onKey(ev) {
    if (picking && ev.key === 'Escape') { PK.cancelPick(false); ev.preventDefault(); return; }
    if (!drawing) return;
    if (ev.key === 'Escape') { PK.cancelDraw(false); ev.preventDefault(); }
    else if (ev.key === 'Enter') { finishPolygon(); ev.preventDefault(); }
    else if (ev.key === 'Backspace' && drawing.kind === 'polygon' && drawing.pts.length) {
      drawing.pts.pop();
      if (drawing.layer) drawing.layer.setLatLngs(drawing.pts);
      ev.preventDefault();
    }
  }

  PK.setArea = function (pts) {
    if (areaLayer) { map.removeLayer(areaLayer); areaLayer = null; }
    area = pts && pts.length >= 3 ? pts : null;
    if (area) areaLayer = L.polygon(area, L.extend({ interactive: false }, shapeStyle)).addTo(map);
    redraw();
    return !!area;
  };

  PK.clearArea = function () { return PK.setArea(null); };

  // ------------------------------------------------------------------ regions
  var regionLayers = {}; // level -> L.GeoJSON
  var regionCounts = {};
  var breaks = [];
  // Blues: a count scale that never reads as a priority colour (red, orange, amber).
  var CHORO = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

  function computeBreaks() {
    var values = Object.keys(regionCounts).map(function (k) { return regionCounts[k]; })
      .filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    breaks = [];
    if (!values.length) return;
    for (var q = 1; q < 5; q++) breaks.push(values[Math.min(values.length - 1, Math.floor(q * values.length / 5))]);
  }

  function choroColor(n) {
    if (!n) return null;
    var k = 0;
    while (k < breaks.length && n > breaks[k]) k++;
    return CHORO[Math.min(k, CHORO.length - 1)];
  }

  function regionStyle(feature) {
    var lvl = feature.properties.level;
    var base = { color: lvl === 'kecamatan' ? '#37474f' : '#546e7a', weight: lvl === 'kecamatan' ? 2 : 1,
                 opacity: 0.8, fill: true, fillOpacity: 0, fillColor: '#000' };
    if (opts.choropleth) {
      // Strong at city scale, faint up close where the markers matter more.
      var z = map.getZoom(), strength = z <= 12 ? 1 : z <= 14 ? 0.6 : 0.35;
      var col = choroColor(regionCounts[feature.properties.code] || 0);
      base.fillColor = col || '#eceff1';
      base.fillOpacity = (col ? 0.6 : 0.25) * strength;
    }
    return base;
  }

  function regionTooltip(feature) {
    var box = document.createElement('div');
    box.appendChild(text('div', feature.properties.name, 'pk-region-name'));
    var n = regionCounts[feature.properties.code];
    if (n != null) box.appendChild(text('div', fmt(label('regionCount'), { n: n })));
    return box;
  }

  PK.setRegions = function (fc) {
    Object.keys(regionLayers).forEach(function (l) { map.removeLayer(regionLayers[l]); });
    regionLayers = {};
    var byLevel = {};
    (fc.features || []).forEach(function (f) {
      var lvl = f.properties.level;
      (byLevel[lvl] = byLevel[lvl] || []).push(f);
    });
    Object.keys(byLevel).forEach(function (lvl) {
      regionLayers[lvl] = L.geoJSON({ type: 'FeatureCollection', features: byLevel[lvl] }, {
        pane: 'pkRegions',
        style: regionStyle,
        onEachFeature: function (f, layer) {
          layer.bindTooltip(function () { return regionTooltip(f); }, { sticky: true, className: 'pk-tooltip' });
          layer.on('click', function () { if (!drawing) notify('regionClicked', f.properties.code); });
        }
      });
    });
    showRegionLevel();
    return Object.keys(byLevel).length;
  };

  function showRegionLevel() {
    var levels = Object.keys(regionLayers);
    var want = levels;
    if (regionLayers.kecamatan && regionLayers.kelurahan) {
      want = [map.getZoom() >= 13 ? 'kelurahan' : 'kecamatan'];
    }
    levels.forEach(function (l) {
      var on = want.indexOf(l) >= 0, layer = regionLayers[l];
      if (on && !map.hasLayer(layer)) layer.addTo(map);
      if (!on && map.hasLayer(layer)) map.removeLayer(layer);
    });
  }

  PK.setCounts = function (counts) {
    regionCounts = counts || {};
    computeBreaks();
    Object.keys(regionLayers).forEach(function (l) { regionLayers[l].setStyle(regionStyle); });
    updateLegend();
  };

  // ------------------------------------------------------------------- legend
  var legend = null;
  var legendCollapsed = null;

  function updateLegend() {
    if (!legend) return;
    var box = legend.getContainer();
    while (box.firstChild) box.removeChild(box.firstChild);
    var title = text('div', label(opts.colorBy === 'status' ? 'legendStatus' : 'legendPriority'), 'pk-legend-title pk-legend-toggle');
    title.title = label('legendToggle');
    title.addEventListener('click', function () {
      legendCollapsed = !legendCollapsed;
      L.DomUtil[legendCollapsed ? 'addClass' : 'removeClass'](box, 'pk-collapsed');
    });
    box.appendChild(title);
    L.DomUtil[legendCollapsed ? 'addClass' : 'removeClass'](box, 'pk-collapsed');
    var entries;
    if (opts.heat && L.heatLayer) {
      title.textContent = label('legendHeat');
      var bar = document.createElement('div');
      bar.className = 'pk-legend-row';
      var grad = document.createElement('span');
      grad.className = 'pk-gradient';
      bar.appendChild(grad);
      bar.appendChild(text('span', label('legendHeatScale')));
      box.appendChild(bar);
      entries = [];
    } else if (opts.colorBy === 'status') {
      var present = {};
      for (var i = 0; i < S.ids.length; i++) if (S.alive[i]) present[S.s[i]] = 1;
      entries = S.statuses.filter(function (s, k) { return present[k]; })
        .map(function (s) { return [cfg.colors.status[s] || '#607d8b', statusLabel(s)]; });
    } else {
      entries = [1, 2, 3, 4].map(function (p) { return [cfg.colors.priority[p], priorityLabel(p)]; });
    }
    entries.forEach(function (e) {
      var row = document.createElement('div');
      row.className = 'pk-legend-row';
      var sw = document.createElement('span');
      sw.className = 'pk-dot';
      sw.style.background = e[0];
      row.appendChild(sw);
      row.appendChild(text('span', e[1]));
      box.appendChild(row);
    });
    if (opts.choropleth && breaks.length && Object.keys(regionLayers).length) {
      box.appendChild(text('div', label('legendChoropleth'), 'pk-legend-title'));
      var lo = 1;
      for (var k = 0; k < CHORO.length; k++) {
        var hi = k < breaks.length ? breaks[k] : null;
        if (hi !== null && hi < lo) continue;
        var r = document.createElement('div');
        r.className = 'pk-legend-row';
        var sq = document.createElement('span');
        sq.className = 'pk-square';
        sq.style.background = CHORO[k];
        r.appendChild(sq);
        r.appendChild(text('span', hi === null ? '≥ ' + lo : (lo === hi ? String(lo) : lo + '–' + hi)));
        box.appendChild(r);
        if (hi === null) break;
        lo = hi + 1;
      }
    }
  }

  // ---------------------------------------------------------------------- tiles
  var tileLayers = [];

  PK.setTiles = function (list) {
    tileLayers.forEach(function (t) { map.removeLayer(t); });
    tileLayers = [];
    (list || []).forEach(function (t) {
      var o = { minZoom: 0, maxZoom: 19, attribution: escapeHtml(t.attribution || ''),
                crossOrigin: false, keepBuffer: 2, updateWhenIdle: true };
      if (t.maxNativeZoom != null) o.maxNativeZoom = t.maxNativeZoom;
      if (t.minNativeZoom != null) o.minNativeZoom = t.minNativeZoom;
      if (t.bounds) o.bounds = L.latLngBounds([t.bounds[0], t.bounds[1]], [t.bounds[2], t.bounds[3]]);
      var layer = L.tileLayer(t.url, o);
      layer.addTo(map);
      tileLayers.push(layer);
    });
    L.DomUtil[tileLayers.length ? 'removeClass' : 'addClass'](map.getContainer(), 'pk-no-tiles');
    return tileLayers.length;
  };

  // ---------------------------------------------------------------- public API
  PK.options = function (o) {
    if (o.colorBy) opts.colorBy = o.colorBy;
    if (o.hidden) opts.hidden = new Set(o.hidden);
    if (o.heat !== undefined) { opts.heat = !!o.heat; updateHeat(); }
    if (o.choropleth !== undefined) {
      opts.choropleth = !!o.choropleth;
      Object.keys(regionLayers).forEach(function (l) { regionLayers[l].setStyle(regionStyle); });
    }
    updateLegend();
    redraw();
    return true;
  };

  function fitHome(home) {
    if (home) map.fitBounds([[home[0], home[1]], [home[2], home[3]]]);
  }

  PK.reload = function (gen) {
    S.loadingGen = gen;
    return fetch(cfg.dataUrl + '?gen=' + gen).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (doc) {
      if (doc.gen !== S.loadingGen) return; // a newer filter is on its way
      var first = S.gen < 0;
      var n = load(doc);
      S.loadingGen = null;
      if (first && !cfg.keepView) fitHome(doc.home);
      if (pendingSelect) { var ps = pendingSelect; pendingSelect = null; PK.select(ps, true); }
      var held = S.heldDeltas; S.heldDeltas = [];
      held.forEach(function (d) { PK.applyDelta(d[0], d[1], d[2]); });
      redraw();
      updateLegend();
      afterPaint(function () { notify('rendered', 'load', doc.gen, n); });
    }).catch(function (err) {
      notify('jsError', 'reports: ' + err);
    });
  };

  PK.applyDelta = function (delta, gen, token) {
    if (S.loadingGen !== null && gen >= S.loadingGen) { S.heldDeltas.push([delta, gen, token]); return -1; }
    if (gen !== S.gen) return -2; // computed for another filter: the reload has it
    if (delta.cats) setCats(delta.cats);
    if (delta.upsert) upsert(delta.upsert);
    if (delta.remove) remove(delta.remove);
    redraw();
    if (opts.colorBy === 'status') updateLegend();
    if (selected && S.index.has(selected) && popup && map.hasLayer(popup)) openPopupFor(selected);
    afterPaint(function () { notify('rendered', 'delta', token, S.count); });
    return S.count;
  };

  var pendingSelect = null;

  // What a click on a report's dot does, for the other layers (a gauge opens its report).
  PK.openFromMap = function (id) { chooseReport(String(id), true); };

  PK.select = function (id, pan) {
    if (!id) { selected = null; pendingSelect = null; if (popup) map.closePopup(popup); redraw(); return false; }
    if (S.gen < 0) { pendingSelect = id; return null; } // markers still on their way
    var i = S.index.get(id);
    selected = id;
    if (i === undefined) { if (popup) map.closePopup(popup); redraw(); return false; }
    var ll = latLngOfIndex(i);
    if (pan !== false) {
      var inner = map.getBounds().pad(-0.1);
      if (map.getZoom() < 13) map.setView(ll, 14);
      else if (!inner.contains(ll)) map.panTo(ll);
    }
    redraw();
    if (popup) map.closePopup(popup);
    return true;
  };

  PK.clickReport = function (id) { // the same path as a click on the marker (tests)
    var i = S.index.get(id);
    if (i === undefined) return false;
    chooseReport(id, true);
    return true;
  };

  PK.screenPoint = function (id) { // where a report is drawn, in container pixels
    var i = S.index.get(id);
    if (i === undefined) return null;
    var p = map.latLngToContainerPoint(latLngOfIndex(i));
    return [p.x, p.y];
  };

  PK.itemAt = function (x, y) {
    var it = points && points.hit(x, y);
    if (!it) return null;
    return it.kind === 'point' ? { kind: 'point', id: S.ids[it.i] } : { kind: 'cluster', n: it.n };
  };

  PK.stats = function () {
    var pts = 0, cl = 0, inClusters = 0;
    (points ? points.items : []).forEach(function (it) {
      if (it.kind === 'point') pts++; else { cl++; inClusters += it.n; }
    });
    var shownCount = 0, regionFeatures = 0;
    for (var i = 0; i < S.ids.length; i++) if (shown(i)) shownCount++;
    Object.keys(regionLayers).forEach(function (l) {
      if (map.hasLayer(regionLayers[l])) regionFeatures += regionLayers[l].getLayers().length;
    });
    return { count: S.count, shown: shownCount, regionFeatures: regionFeatures,
             gen: S.gen, points: pts, clusters: cl, inClusters: inClusters,
             zoom: map.getZoom(), selected: selected, area: !!area, heat: !!heat,
             regions: Object.keys(regionLayers), tiles: tileLayers.length,
             drawing: drawing ? drawing.kind : (picking ? 'pick' : null),
             pin: !!pickPin, centre: [map.getCenter().lat, map.getCenter().lng] };
  };

  PK.latLngAt = function (x, y) { var ll = map.containerPointToLatLng([x, y]); return [ll.lat, ll.lng]; };
  PK.has = function (id) { return S.index.has(id); };
  PK.drawn = function (id) { // is this report drawn? (the "not on the map" note asks)
    if (S.gen < 0) return 'loading';
    var i = S.index.get(id);
    return i === undefined ? 'absent' : (shown(i) ? 'shown' : 'hidden');
  };
  PK.fitBounds = function (s, w, n, e) { map.fitBounds([[s, w], [n, e]], { animate: false }); return true; };
  PK.setView = function (lat, lon, zoom) { map.setView([lat, lon], zoom, { animate: false }); return true; };

  // ----------------------------------------------------------------------- init
  PK.init = function (m, config) {
    map = m; cfg = config;
    opts.colorBy = cfg.options.colorBy || 'priority';
    opts.heat = !!cfg.options.heat;
    opts.choropleth = !!cfg.options.choropleth;
    opts.hidden = new Set(cfg.options.hidden || []);
    map.setMinZoom(4);
    map.setMaxZoom(19);
    map.attributionControl.setPrefix('Leaflet');
    L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
    map.createPane('pkRegions').style.zIndex = 350;
    points = new PointsLayer();
    points.addTo(map);
    legend = L.control({ position: 'bottomleft' });
    legend.onAdd = function () { return L.DomUtil.create('div', 'pk-legend'); };
    legend.addTo(map);
    legendCollapsed = map.getSize().y < 360; // a small map dock: start folded
    L.DomEvent.disableClickPropagation(legend.getContainer());
    PK.setTiles(cfg.tiles);
    map.on('click', onMapClick);
    map.on('mousemove', onMouseMove);
    map.on('mouseout', function () { if (tooltip) { map.removeLayer(tooltip); tooltip = null; } hoverItem = null; });
    map.on('mousedown', onDrawDown);
    map.on('mousemove', onDrawMove);
    map.on('mouseup', onDrawUp);
    map.on('click', onDrawClick);
    map.on('dblclick', function () { if (drawing && drawing.kind === 'polygon') finishPolygon(); });
    map.on('zoomend', function () {
      showRegionLevel();
      if (opts.choropleth) Object.keys(regionLayers).forEach(function (l) { regionLayers[l].setStyle(regionStyle); });
    });
    map.on('popupclose', function (e) { if (e.popup === popup) popup = null; });
    map.getContainer().setAttribute('tabindex', '0');
    document.addEventListener('keydown', onKey);
    updateLegend();
    if (cfg.home) fitHome(cfg.home);
    (PK.initHooks || []).forEach(function (f) { f(map, cfg); }); // posko-sensors.js

    PK.reload(cfg.gen || 0);
    fetch(cfg.regionsUrl).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (fc) { if (fc) PK.setRegions(fc); })
      .catch(function (err) { notify('jsError', 'regions: ' + err); });

    if (window.qt && window.qt.webChannelTransport) {
      new QWebChannel(window.qt.webChannelTransport, function (channel) {
        bridge = channel.objects.poskoBridge;
        bridge.summaries.connect(function (req, json) { PK.receiveSummaries(req, json); });
        var notes = pendingNotes; pendingNotes = [];
        notes.forEach(function (n) { bridge[n[0]].apply(bridge, n[1]); });
        bridge.pageReady();
      });
    }
  };

  window.addEventListener('error', function (ev) { notify('jsError', String(ev.message)); });
})();
