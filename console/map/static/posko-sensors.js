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
      // A gauge is not a case: a square badge with its current level ("222 cm"), in
      // its state's colour, above the report canvas; bigger and bold in danger. Built
      // from elements with textContent, so markup in a unit is shown, never run.
      var badge = document.createElement('div');
      badge.className = 'pk-gauge pk-gauge-' + String(s.state || 'none');
      badge.style.background = String(s.color || '#757575');
      var mark = document.createElement('span');
      mark.className = 'pk-gauge-mark';
      mark.textContent = '\u25A0';
      var label = document.createElement('span');
      label.textContent = s.label == null ? '' : String(s.label);
      badge.appendChild(mark);
      badge.appendChild(label);
      var m = L.marker([lat, lon], {
        pane: 'pkSensors', keyboard: false, fillColor: String(s.color || '#757575'),
        icon: L.divIcon({ className: 'pk-gauge-icon', html: badge, iconSize: null,
                          iconAnchor: [12, 12] })
      });
      m.bindTooltip(tooltipElement(s), { className: 'pk-tooltip', direction: 'top' });
      // A click on a gauge opens its danger report, as a click on the report's dot does.
      if (s.report) {
        var report = String(s.report);
        m.on('click', function () { if (PK.openFromMap) PK.openFromMap(report); });
      }
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
    return { text: el.textContent, html: el.innerHTML, color: it.marker.options.fillColor,
             label: it.marker.getElement() ? it.marker.getElement().textContent : null };
  };

  (PK.initHooks = PK.initHooks || []).push(function (m) {
    map = m;
    map.createPane('pkSensors').style.zIndex = 450; // above the report canvas
    var css = document.createElement('style');
    css.textContent =
      '.pk-gauge-icon{background:none;border:none}' +
      '.pk-gauge{display:inline-flex;align-items:center;gap:3px;white-space:nowrap;' +
      'padding:1px 5px 1px 3px;border:2px solid #fff;border-radius:3px;color:#fff;' +
      'font:600 11px/16px sans-serif;box-shadow:0 1px 3px rgba(0,0,0,.45)}' +
      '.pk-gauge-mark{font-size:10px}' +
      '.pk-gauge-danger{font-size:13px;line-height:19px;font-weight:700}' +
      '.pk-gauge-warn{color:#1f1f1f}';
    document.head.appendChild(css);
    layer = L.layerGroup().addTo(map);
    if (pending) { var p = pending; pending = null; paint(p); }
  });
})();
