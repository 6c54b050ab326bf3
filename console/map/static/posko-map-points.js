/* Posko map page, the canvas layer (after posko-map-core.js; see there for the parts):
 * every report drawn on one canvas, grouped on a screen grid below UNCLUSTER_ZOOM, the
 * selection ring on top, and Leaflet.heat's layer in their place while the heat map is on.
 */
(function () {
  'use strict';

  var P = window.PoskoMap.shared, ui = P.ui;
  var S = P.S, opts = P.opts, shown = P.shown, colorOf = P.colorOf;
  var map = null;
  var cfg = null;
  P.attach.push(function (m, c) { map = m; cfg = c; });

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
        if (ui.area) {
          var ll = this._map.unproject([it.x + ox, it.y + oy], this._map.getZoom());
          inside = pointInPolygon(ll.lat, ll.lng, ui.area);
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
      if (!ui.selected) return;
      var i = S.index.get(ui.selected);
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

  var heatTimer = null;

  function redraw() {
    if (ui.points) ui.points.redraw();
    if (opts.heat) scheduleHeat();
  }

  function scheduleHeat(now) {
    if (heatTimer) clearTimeout(heatTimer);
    heatTimer = setTimeout(updateHeat, now ? 0 : 150);
  }

  function updateHeat() {
    heatTimer = null;
    if (!opts.heat || !L.heatLayer) { if (ui.heat) { map.removeLayer(ui.heat); ui.heat = null; } return; }
    var pts = [], n = S.ids.length;
    for (var i = 0; i < n; i++) {
      if (!shown(i)) continue;
      pts.push([S.lat[i], S.lon[i], S.p[i] === 1 ? 1 : S.p[i] === 2 ? 0.7 : S.p[i] === 3 ? 0.45 : 0.3]);
    }
    if (!ui.heat) {
      ui.heat = L.heatLayer(pts, { radius: 18, blur: 15, maxZoom: 16, minOpacity: 0.25 });
      ui.heat.addTo(map);
    } else {
      ui.heat.setLatLngs(pts);
    }
  }

  L.extend(P, {
    CELL: CELL, UNCLUSTER_ZOOM: UNCLUSTER_ZOOM, PAD: PAD, PointsLayer: PointsLayer,
    redraw: redraw, updateHeat: updateHeat
  });
})();
