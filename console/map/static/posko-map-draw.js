/* Posko map page, the map as an input (after posko-map-popups.js; see posko-map-core.js
 * for the parts): picking a location for intake, drawing a rectangle or polygon as the
 * area filter, the keys that finish or abandon either, and the area shown on the map.
 */
(function () {
  'use strict';

  var PK = window.PoskoMap, P = PK.shared, ui = P.ui;
  var label = P.label, notify = P.notify, redraw = P.redraw, handleItem = P.handleItem;
  var map = null;
  P.attach.push(function (m) { map = m; });

  // ------------------------------------------------------ picking a location (intake)
  PK.startPick = function () {
    PK.cancelDraw(true);
    ui.picking = true;
    L.DomUtil.addClass(map.getContainer(), 'pk-drawing');
    setHint(label('pickHint'));
    if (ui.popup) map.closePopup(ui.popup);
    map.getContainer().focus();
    return true;
  };

  PK.cancelPick = function (silent) {
    if (!ui.picking) return false;
    ui.picking = false;
    L.DomUtil.removeClass(map.getContainer(), 'pk-drawing');
    setHint('');
    if (!silent) notify('pickAborted');
    return true;
  };

  PK.clearPick = function () {
    if (ui.pickPin) { map.removeLayer(ui.pickPin); ui.pickPin = null; }
    return true;
  };

  function pickAt(ll) {
    PK.cancelPick(true);
    PK.clearPick();
    ui.pickPin = L.circleMarker(ll, { radius: 9, color: '#0d47a1', weight: 3, fillColor: '#ffffff',
                                      fillOpacity: 1, interactive: false }).addTo(map);
    var p = roundPt([ll.lat, ll.lng]);
    notify('locationPicked', p[0], p[1]);
  }

  function onMapClick(ev) {
    if (ui.picking) { pickAt(ev.latlng); return; }
    if (ui.drawing) return;
    var it = ui.points && ui.points.hit(ev.containerPoint.x, ev.containerPoint.y);
    handleItem(it);
  }

  // ------------------------------------------------------------------ drawing
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
    ui.drawing = { kind: kind, pts: [], layer: null, guide: null, start: null };
    map.dragging.disable();
    map.doubleClickZoom.disable();
    map.boxZoom.disable();
    L.DomUtil.addClass(map.getContainer(), 'pk-drawing');
    setHint(label(kind === 'rect' ? 'drawRectHint' : 'drawPolygonHint'));
    if (ui.popup) map.closePopup(ui.popup);
    if (ui.tooltip) { map.removeLayer(ui.tooltip); ui.tooltip = null; }
    map.getContainer().focus();
    return true;
  };

  PK.cancelDraw = function (silent) {
    if (!ui.drawing) return false;
    if (ui.drawing.layer) map.removeLayer(ui.drawing.layer);
    if (ui.drawing.guide) map.removeLayer(ui.drawing.guide);
    ui.drawing = null;
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
    if (!ui.drawing || ui.drawing.kind !== 'rect' || ev.originalEvent.button !== 0) return;
    ui.drawing.start = ev.latlng;
    ui.drawing.layer = L.rectangle(L.latLngBounds(ev.latlng, ev.latlng), shapeStyle).addTo(map);
  }

  function onDrawMove(ev) {
    if (!ui.drawing) return;
    if (ui.drawing.kind === 'rect' && ui.drawing.start) {
      ui.drawing.layer.setBounds(L.latLngBounds(ui.drawing.start, ev.latlng));
    } else if (ui.drawing.kind === 'polygon' && ui.drawing.pts.length) {
      var last = ui.drawing.pts[ui.drawing.pts.length - 1];
      if (!ui.drawing.guide) ui.drawing.guide = L.polyline([last, ev.latlng], { color: '#0d47a1', weight: 1, dashArray: '3 3' }).addTo(map);
      else ui.drawing.guide.setLatLngs([last, ev.latlng]);
    }
  }

  function onDrawUp(ev) {
    if (!ui.drawing || ui.drawing.kind !== 'rect' || !ui.drawing.start) return;
    var a = ui.drawing.start, b = ev.latlng;
    var p1 = map.latLngToContainerPoint(a), p2 = map.latLngToContainerPoint(b);
    if (Math.abs(p1.x - p2.x) < 4 || Math.abs(p1.y - p2.y) < 4) { // a click, not a drag
      if (ui.drawing.layer) map.removeLayer(ui.drawing.layer);
      ui.drawing.layer = null; ui.drawing.start = null;
      return;
    }
    var s = Math.min(a.lat, b.lat), n = Math.max(a.lat, b.lat);
    var w = Math.min(a.lng, b.lng), e = Math.max(a.lng, b.lng);
    finishDraw([[s, w], [n, w], [n, e], [s, e]].map(roundPt));
  }

  function roundPt(p) { return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]; }

  function onDrawClick(ev) {
    if (!ui.drawing || ui.drawing.kind !== 'polygon') return;
    var pts = ui.drawing.pts;
    if (pts.length >= 3) {
      var first = map.latLngToContainerPoint(pts[0]);
      if (first.distanceTo(ev.containerPoint) <= 8) { finishPolygon(); return; }
    }
    pts.push(ev.latlng);
    if (!ui.drawing.layer) ui.drawing.layer = L.polyline(pts, { color: '#0d47a1', weight: 2 }).addTo(map);
    else ui.drawing.layer.setLatLngs(pts);
  }

  function finishPolygon() {
    if (!ui.drawing || ui.drawing.kind !== 'polygon') return;
    var pts = ui.drawing.pts;
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
    if (ui.picking && ev.key === 'Escape') { PK.cancelPick(false); ev.preventDefault(); return; }
    if (!ui.drawing) return;
    if (ev.key === 'Escape') { PK.cancelDraw(false); ev.preventDefault(); }
    else if (ev.key === 'Enter') { finishPolygon(); ev.preventDefault(); }
    else if (ev.key === 'Backspace' && ui.drawing.kind === 'polygon' && ui.drawing.pts.length) {
      ui.drawing.pts.pop();
      if (ui.drawing.layer) ui.drawing.layer.setLatLngs(ui.drawing.pts);
      ev.preventDefault();
    }
  }

  var areaLayer = null;

  PK.setArea = function (pts) {
    if (areaLayer) { map.removeLayer(areaLayer); areaLayer = null; }
    ui.area = pts && pts.length >= 3 ? pts : null;
    if (ui.area) areaLayer = L.polygon(ui.area, L.extend({ interactive: false }, shapeStyle)).addTo(map);
    redraw();
    return !!ui.area;
  };

  PK.clearArea = function () { return PK.setArea(null); };

  L.extend(P, {
    onMapClick: onMapClick, onDrawDown: onDrawDown, onDrawMove: onDrawMove, onDrawUp: onDrawUp,
    onDrawClick: onDrawClick, finishPolygon: finishPolygon, onKey: onKey
  });
})();
