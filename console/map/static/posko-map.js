/* Posko map page, the part the console talks to (last of the parts; see
 * posko-map-core.js): the tile layers, the public API the console calls through
 * runJavaScript (PoskoMap.*), and PoskoMap.init, which folium's page calls with the map
 * and the configuration (console/map/page.py).
 */
(function () {
  'use strict';

  var PK = window.PoskoMap, P = PK.shared, ui = P.ui;
  var S = P.S, opts = P.opts, shown = P.shown, escapeHtml = P.escapeHtml, notify = P.notify;
  var afterPaint = P.afterPaint, connectBridge = P.connectBridge;
  var load = P.load, setCats = P.setCats, upsert = P.upsert, remove = P.remove;
  var PointsLayer = P.PointsLayer, redraw = P.redraw, updateHeat = P.updateHeat;
  var latLngOfIndex = P.latLngOfIndex, openPopupFor = P.openPopupFor;
  var chooseReport = P.chooseReport, onMouseMove = P.onMouseMove;
  var onMapClick = P.onMapClick, onDrawDown = P.onDrawDown, onDrawMove = P.onDrawMove;
  var onDrawUp = P.onDrawUp, onDrawClick = P.onDrawClick, finishPolygon = P.finishPolygon;
  var onKey = P.onKey;
  var showRegionLevel = P.showRegionLevel, restyleRegions = P.restyleRegions;
  var regionStats = P.regionStats;
  var addLegend = P.addLegend, updateLegend = P.updateLegend;
  var map = null;
  var cfg = null;

  // ---------------------------------------------------------------------- tiles
  var tileLayers = [];

  var deferredTiles = null; // the configuration's tiles, until the first view is known

  function addDeferredTiles() {
    if (deferredTiles !== null) PK.setTiles(deferredTiles);
  }

  PK.setTiles = function (list) {
    deferredTiles = null;
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
      restyleRegions();
    }
    updateLegend();
    redraw();
    return true;
  };

  function fitHome(home, instant) {
    if (home) map.fitBounds([[home[0], home[1]], [home[2], home[3]]], instant ? { animate: false } : {});
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
      if (first && !cfg.keepView) fitHome(doc.home, true);
      if (first) addDeferredTiles();
      if (pendingSelect) { var ps = pendingSelect; pendingSelect = null; PK.select(ps, true); }
      var held = S.heldDeltas; S.heldDeltas = [];
      held.forEach(function (d) { PK.applyDelta(d[0], d[1], d[2]); });
      redraw();
      updateLegend();
      afterPaint(function () { notify('rendered', 'load', doc.gen, n); });
    }).catch(function (err) {
      addDeferredTiles(); // a map without its reports still shows its base map
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
    if (ui.selected && S.index.has(ui.selected) && ui.popup && map.hasLayer(ui.popup)) openPopupFor(ui.selected);
    afterPaint(function () { notify('rendered', 'delta', token, S.count); });
    return S.count;
  };

  var pendingSelect = null;

  // What a click on a report's dot does, for the other layers (a gauge opens its report).
  PK.openFromMap = function (id) { chooseReport(String(id), true); };

  PK.select = function (id, pan) {
    if (!id) { ui.selected = null; pendingSelect = null; if (ui.popup) map.closePopup(ui.popup); redraw(); return false; }
    if (S.gen < 0) { pendingSelect = id; return null; } // markers still on their way
    var i = S.index.get(id);
    ui.selected = id;
    if (i === undefined) { if (ui.popup) map.closePopup(ui.popup); redraw(); return false; }
    var ll = latLngOfIndex(i);
    if (pan !== false) {
      var inner = map.getBounds().pad(-0.1);
      if (map.getZoom() < 13) map.setView(ll, 14);
      else if (!inner.contains(ll)) map.panTo(ll);
    }
    redraw();
    if (ui.popup) map.closePopup(ui.popup);
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
    var it = ui.points && ui.points.hit(x, y);
    if (!it) return null;
    return it.kind === 'point' ? { kind: 'point', id: S.ids[it.i] } : { kind: 'cluster', n: it.n };
  };

  PK.stats = function () {
    var pts = 0, cl = 0, inClusters = 0;
    (ui.points ? ui.points.items : []).forEach(function (it) {
      if (it.kind === 'point') pts++; else { cl++; inClusters += it.n; }
    });
    var shownCount = 0, regions = regionStats();
    for (var i = 0; i < S.ids.length; i++) if (shown(i)) shownCount++;
    return { count: S.count, shown: shownCount, regionFeatures: regions.shownFeatures,
             gen: S.gen, points: pts, clusters: cl, inClusters: inClusters,
             zoom: map.getZoom(), selected: ui.selected, area: !!ui.area, heat: !!ui.heat,
             regions: regions.levels, tiles: tileLayers.length,
             drawing: ui.drawing ? ui.drawing.kind : (ui.picking ? 'pick' : null),
             pin: !!ui.pickPin, centre: [map.getCenter().lat, map.getCenter().lng] };
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
    P.attach.forEach(function (f) { f(m, config); });
    opts.colorBy = cfg.options.colorBy || 'priority';
    opts.heat = !!cfg.options.heat;
    opts.choropleth = !!cfg.options.choropleth;
    opts.hidden = new Set(cfg.options.hidden || []);
    map.setMinZoom(4);
    map.setMaxZoom(19);
    map.attributionControl.setPrefix('Leaflet');
    L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
    map.createPane('pkRegions').style.zIndex = 350;
    ui.points = new PointsLayer();
    ui.points.addTo(map);
    addLegend();
    // The city first, then the tiles: a tile layer asks at once for the tiles of the view
    // it is added to, and folium's first view is all of Indonesia (folium_page.py) - some
    // twenty tiles nobody looks at, on a link that may carry 64 kbit/s. Without a home in
    // the configuration the first data brings it (PK.reload).
    if (cfg.home) { fitHome(cfg.home, true); PK.setTiles(cfg.tiles); } else deferredTiles = cfg.tiles;
    map.on('click', onMapClick);
    map.on('mousemove', onMouseMove);
    map.on('mouseout', function () { if (ui.tooltip) { map.removeLayer(ui.tooltip); ui.tooltip = null; } ui.hoverItem = null; });
    map.on('mousedown', onDrawDown);
    map.on('mousemove', onDrawMove);
    map.on('mouseup', onDrawUp);
    map.on('click', onDrawClick);
    map.on('dblclick', function () { if (ui.drawing && ui.drawing.kind === 'polygon') finishPolygon(); });
    map.on('zoomend', function () {
      showRegionLevel();
      if (opts.choropleth) restyleRegions();
    });
    map.on('popupclose', function (e) { if (e.popup === ui.popup) ui.popup = null; });
    map.getContainer().setAttribute('tabindex', '0');
    document.addEventListener('keydown', onKey);
    updateLegend();
    (PK.initHooks || []).forEach(function (f) { f(map, cfg); }); // posko-sensors.js

    PK.reload(cfg.gen || 0);
    fetch(cfg.regionsUrl).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (fc) { if (fc) PK.setRegions(fc); })
      .catch(function (err) { notify('jsError', 'regions: ' + err); });

    connectBridge();
  };
})();
