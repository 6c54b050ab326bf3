/* Posko map page: the city sensor layer (issue 15). Loaded after posko-map.js, it adds
 * PoskoMap.setSensors(list) and hooks into PoskoMap.init for the map object.
 *
 * Each item is {id, lat, lon, state, color, lines}: the console composes and translates
 * the tooltip lines (console/views/map_sensors.py); they are inserted here as text nodes
 * only, never as HTML, so markup in a sensor id or unit is shown, never run.
 */
(function () {
  'use strict';

  var PK = window.PoskoMap;
  var map = null;
  var layer = null;
  var byId = new Map();
  var pending = null;

  function tooltipElement(s) {
    var box = document.createElement('div');
    box.className = 'pk-sensor-tip';
    (s.lines || []).forEach(function (line, k) {
      var el = document.createElement('div');
      if (k === 0) el.className = 'pk-title';
      el.textContent = line == null ? '' : String(line);
      box.appendChild(el);
    });
    return box;
  }

  function paint(list) {
    layer.clearLayers();
    byId = new Map();
    list.forEach(function (s) {
      var lat = Number(s.lat), lon = Number(s.lon);
      if (!isFinite(lat) || !isFinite(lon)) return;
      // A white-ringed dot above the report canvas, larger in danger: a gauge, not a case.
      var m = L.circleMarker([lat, lon], {
        pane: 'pkSensors', radius: s.state === 'danger' ? 9 : 7, weight: 3,
        color: '#ffffff', fillColor: String(s.color || '#757575'), fillOpacity: 0.95
      });
      m.bindTooltip(tooltipElement(s), { className: 'pk-tooltip', direction: 'top' });
      m.addTo(layer);
      byId.set(String(s.id), { marker: m, state: String(s.state) });
    });
  }

  PK.setSensors = function (list) {
    if (!Array.isArray(list)) return -1;
    if (!map) { pending = list; return 0; }
    paint(list);
    return byId.size;
  };

  // For tests: what the layer holds, and a gauge's tooltip as text and as markup.
  PK.sensorStats = function () {
    var states = {};
    byId.forEach(function (v, k) { states[k] = v.state; });
    return { count: byId.size, states: states };
  };
  PK.sensorTooltip = function (id) {
    var it = byId.get(id);
    if (!it) return null;
    var el = it.marker.getTooltip().getContent();
    return { text: el.textContent, html: el.innerHTML, color: it.marker.options.fillColor };
  };

  (PK.initHooks = PK.initHooks || []).push(function (m) {
    map = m;
    map.createPane('pkSensors').style.zIndex = 450; // above the report canvas
    layer = L.layerGroup().addTo(map);
    if (pending) { var p = pending; pending = null; paint(p); }
  });
})();
