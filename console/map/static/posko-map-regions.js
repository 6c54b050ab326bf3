/* Posko map page, the regions (after posko-map-draw.js; see posko-map-core.js for the
 * parts): kecamatan and kelurahan outlines by zoom, the report-count choropleth on them,
 * and the legend that explains the colours on the map.
 */
(function () {
  'use strict';

  var PK = window.PoskoMap, P = PK.shared, ui = P.ui;
  var S = P.S, opts = P.opts, text = P.text, fmt = P.fmt, label = P.label, notify = P.notify;
  var statusLabel = P.statusLabel, priorityLabel = P.priorityLabel;
  var map = null;
  var cfg = null;
  P.attach.push(function (m, c) { map = m; cfg = c; });

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
          layer.on('click', function () { if (!ui.drawing) notify('regionClicked', f.properties.code); });
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
    restyleRegions();
    updateLegend();
  };

  // Colours follow the counts, the choropleth switch and the zoom (regionStyle).
  function restyleRegions() {
    Object.keys(regionLayers).forEach(function (l) { regionLayers[l].setStyle(regionStyle); });
  }

  // For PK.stats: the levels loaded, and how many outlines are on the map now.
  function regionStats() {
    var shownFeatures = 0;
    Object.keys(regionLayers).forEach(function (l) {
      if (map.hasLayer(regionLayers[l])) shownFeatures += regionLayers[l].getLayers().length;
    });
    return { levels: Object.keys(regionLayers), shownFeatures: shownFeatures };
  }

  // ------------------------------------------------------------------- legend
  var legend = null;
  var legendCollapsed = null;

  function addLegend() {
    legend = L.control({ position: 'bottomleft' });
    legend.onAdd = function () { return L.DomUtil.create('div', 'pk-legend'); };
    legend.addTo(map);
    legendCollapsed = map.getSize().y < 360; // a small map dock: start folded
    L.DomEvent.disableClickPropagation(legend.getContainer());
  }

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

  L.extend(P, {
    showRegionLevel: showRegionLevel, restyleRegions: restyleRegions, regionStats: regionStats,
    addLegend: addLegend, updateLegend: updateLegend
  });
})();
