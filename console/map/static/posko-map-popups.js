/* Posko map page, what a click or the pointer shows (after posko-map-points.js; see
 * posko-map-core.js for the parts): report summaries asked of the console, the report's
 * popup, a cluster's list or zoom, and the hover tooltip.
 */
(function () {
  'use strict';

  var PK = window.PoskoMap, P = PK.shared, ui = P.ui;
  var S = P.S, opts = P.opts, summaries = P.summaries, shown = P.shown;
  var text = P.text, fmt = P.fmt, label = P.label, notify = P.notify, redraw = P.redraw;
  var CELL = P.CELL, UNCLUSTER_ZOOM = P.UNCLUSTER_ZOOM, PAD = P.PAD;
  var map = null;
  var cfg = null;
  P.attach.push(function (m, c) { map = m; cfg = c; });

  // ------------------------------------------------------------------- summaries
  // The store holds ids, places and classes only; a popup's or tooltip's text is asked of
  // the console (requestSummaries) and arrives through PK.receiveSummaries.
  var summaryWaiters = new Map();
  var nextReq = 1;

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
      if (!list.length || ui.selected !== id) return;
      if (ui.popup) map.closePopup(ui.popup);
      ui.popup = L.popup({ offset: [0, -8], autoPanPadding: [30, 30], maxWidth: 340, className: 'pk-popup' })
        .setLatLng(latLngOfIndex(i)).setContent(summaryElement(list[0], true));
      ui.popup.openOn(map);
    });
  }

  function chooseReport(id, fromMap) {
    ui.selected = id;
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
      if (ui.popup) map.closePopup(ui.popup);
      var ll = map.containerPointToLatLng(ui.points.toContainer(it));
      ui.popup = L.popup({ maxWidth: 360, className: 'pk-popup' }).setLatLng(ll)
        .setContent(listElement(list, mem.total));
      ui.popup.openOn(map);
    });
    return true;
  }

  function padPoint() {
    var size = map.getSize();
    return L.point(Math.round(size.x * PAD), Math.round(size.y * PAD));
  }

  var hoverPending = null;
  function onMouseMove(ev) {
    if (ui.drawing || !ui.points) return;
    hoverPending = ev.containerPoint;
    requestAnimationFrame(function () {
      if (!hoverPending) return;
      var cp = hoverPending; hoverPending = null;
      var it = ui.points.hit(cp.x, cp.y);
      map.getContainer().style.cursor = it ? 'pointer' : '';
      if (it === ui.hoverItem || (it && ui.hoverItem && it.kind === 'point' && ui.hoverItem.kind === 'point' && it.i === ui.hoverItem.i)) return;
      ui.hoverItem = it;
      if (ui.tooltip) { map.removeLayer(ui.tooltip); ui.tooltip = null; }
      if (!it) return;
      var ll = map.containerPointToLatLng(ui.points.toContainer(it));
      if (it.kind === 'cluster') {
        showTooltip(ll, text('div', fmt(label('clusterTooltip'), { n: it.n })), it.r);
      } else {
        var id = S.ids[it.i];
        withSummaries([id], function (list) {
          if (ui.hoverItem !== it || !list.length) return;
          showTooltip(ll, summaryElement(list[0], false), it.r);
        });
      }
    });
  }

  function showTooltip(ll, el, r) {
    if (ui.tooltip) map.removeLayer(ui.tooltip);
    ui.tooltip = L.tooltip({ direction: 'top', offset: [0, -r - 2], className: 'pk-tooltip', opacity: 0.95 })
      .setLatLng(ll).setContent(el);
    ui.tooltip.addTo(map);
  }

  L.extend(P, {
    statusLabel: statusLabel, priorityLabel: priorityLabel, latLngOfIndex: latLngOfIndex,
    openPopupFor: openPopupFor, chooseReport: chooseReport, handleItem: handleItem,
    onMouseMove: onMouseMove
  });
})();
