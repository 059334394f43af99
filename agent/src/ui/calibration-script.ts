/**
 * The Technician face's calibration editor: per camera, the snapshot at source resolution with the
 * live tracks drawn over it (box in the track's colour, id, foot point, the zone it stands in),
 * the zone polygons (draw: click the corners, then Finish; move: drag a corner; delete; name and
 * kind editable) and the floor homography (click 4+ floor points, type their metres; the 1 m grid
 * the agent fits from them is drawn back over the picture). Save PUTs the camera's zones and floor
 * to /api/cameras/:id/calibration, which validates, writes the YAML (keeping .bak) and reloads the
 * camera; refusals list their key paths. Every coordinate on the wire is in source pixels: the
 * canvas has the picture's source size and the mouse is mapped into it.
 * Plain ES2017 in a String.raw literal: no backticks or dollar-brace inside; text via textContent only.
 */
export const CALIBRATION_PAGE_JS = String.raw`'use strict';
(function () {
  var POLL_MS = 2000;
  var KINDS = ['staff', 'floor', 'till', 'entrance'];
  var token = new URLSearchParams(location.search).get('token');
  var headers = token ? { Authorization: 'Bearer ' + token } : {};
  var t = window.FS.t;
  var cam = null;        // camera id being calibrated
  var view = null;       // last GET /api/cameras/:id/calibration
  var zones = [];        // edited copy: { name, kind, polygon: [[x, y], ...] }
  var floorPts = [];     // edited copy: { image: [x, y], world: [X|null, Y|null] }
  var grid = null;       // { lines, rms_m } for floorPts
  var mode = 'idle';     // idle | draw | floor
  var drawing = [];      // corners of the zone being drawn
  var drag = null;       // { zone, index } or { floor: index }
  var dirty = false;
  var timer = null;
  var imgBusy = false;   // a snapshot is loading: do not ask for another (the encoder serves 2 at once)

  function $(id) { return document.getElementById(id); }
  /** A message kept as the function that words it, so a language switch rewords it. */
  var said = {};
  function say(id, words) { said[id] = words; $(id).textContent = words(); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function request(method, path, body) {
    var h = Object.assign({}, headers);
    if (body !== undefined) h['Content-Type'] = 'application/json';
    return fetch(path, { method: method, headers: h, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) { return { ok: r.ok, status: r.status, body: b }; });
    });
  }
  function api(path) { return '/api/cameras/' + encodeURIComponent(cam) + path; }
  function round1(v) { return Math.round(v * 10) / 10; }

  // ---- geometry on the canvas (source pixels) ----
  function kindLabel(k) { return { staff: t('cal.kind.staff'), floor: t('cal.kind.floor'), till: t('cal.kind.till'), entrance: t('cal.kind.entrance') }[k] || k; }
  function canvas() { return $('cal-canvas'); }
  function toSource(ev) {
    var c = canvas();
    var r = c.getBoundingClientRect();
    return [round1(((ev.clientX - r.left) * c.width) / r.width), round1(((ev.clientY - r.top) * c.height) / r.height)];
  }
  /** Source pixels per screen pixel: hit radius and line widths look the same at any zoom. */
  function unit() { var c = canvas(); var r = c.getBoundingClientRect(); return r.width > 0 ? c.width / r.width : 1; }
  function near(p, q, px) { var d = px * unit(); return Math.abs(p[0] - q[0]) <= d && Math.abs(p[1] - q[1]) <= d; }
  function inside(p, poly) {
    var c = false;
    for (var i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      var a = poly[i], b = poly[j];
      if ((a[1] > p[1]) !== (b[1] > p[1]) && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) c = !c;
    }
    return c;
  }

  function draw() {
    var c = canvas();
    var g = c.getContext('2d');
    var u = unit();
    g.clearRect(0, 0, c.width, c.height);
    g.lineWidth = 2 * u;
    g.font = Math.round(12 * u) + 'px sans-serif';
    if (grid) {
      g.save();
      g.strokeStyle = 'rgba(255,255,255,0.8)';
      g.setLineDash([6 * u, 4 * u]);
      g.lineWidth = 1 * u;
      grid.lines.forEach(function (l) {
        g.beginPath();
        l.points.forEach(function (p, i) { if (i === 0) g.moveTo(p[0], p[1]); else g.lineTo(p[0], p[1]); });
        g.stroke();
      });
      g.restore();
    }
    zones.forEach(function (z) {
      var col = (view && view.zone_colors[z.kind]) || '#ffffff';
      g.strokeStyle = col;
      g.fillStyle = col + '33';
      g.beginPath();
      z.polygon.forEach(function (p, i) { if (i === 0) g.moveTo(p[0], p[1]); else g.lineTo(p[0], p[1]); });
      g.closePath();
      g.fill();
      g.stroke();
      g.fillStyle = col;
      z.polygon.forEach(function (p) { g.fillRect(p[0] - 4 * u, p[1] - 4 * u, 8 * u, 8 * u); });
      if (z.polygon.length > 0) { g.fillStyle = '#000'; g.fillText(z.name, z.polygon[0][0] + 6 * u, z.polygon[0][1] + 14 * u); }
    });
    if (drawing.length > 0) {
      g.strokeStyle = '#ffffff';
      g.beginPath();
      drawing.forEach(function (p, i) { if (i === 0) g.moveTo(p[0], p[1]); else g.lineTo(p[0], p[1]); });
      g.stroke();
      drawing.forEach(function (p) { g.fillStyle = '#ffffff'; g.fillRect(p[0] - 3 * u, p[1] - 3 * u, 6 * u, 6 * u); });
    }
    floorPts.forEach(function (f, i) {
      g.strokeStyle = '#000';
      g.fillStyle = '#ffeb3b';
      g.beginPath();
      g.arc(f.image[0], f.image[1], 5 * u, 0, Math.PI * 2);
      g.fill();
      g.stroke();
      g.fillText('P' + (i + 1), f.image[0] + 7 * u, f.image[1] - 7 * u);
    });
    (view ? view.tracks : []).forEach(function (tr) {
      var b = tr.box;
      g.strokeStyle = tr.color;
      g.strokeRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
      var zone = zoneOf(tr.foot);
      var label = '#' + tr.track_id + (zone ? ' ' + zone : '');
      var w = g.measureText(label).width + 6 * u;
      g.fillStyle = tr.color;
      g.fillRect(b[0], b[1] - 16 * u, w, 16 * u);
      g.fillStyle = '#000';
      g.fillText(label, b[0] + 3 * u, b[1] - 4 * u);
      g.fillStyle = '#fff';
      g.beginPath();
      g.arc(tr.foot[0], tr.foot[1], 5 * u, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = tr.color;
      g.beginPath();
      g.arc(tr.foot[0], tr.foot[1], 3 * u, 0, Math.PI * 2);
      g.fill();
    });
  }
  /** The zone a foot point is in on the edited zones (first listed wins, as in analytics). */
  function zoneOf(p) {
    for (var i = 0; i < zones.length; i++) if (zones[i].polygon.length >= 3 && inside(p, zones[i].polygon)) return zones[i].name;
    return null;
  }

  // ---- tables ----
  function renderZones() {
    var tb = $('cal-zones').tBodies[0];
    tb.replaceChildren();
    zones.forEach(function (z, i) {
      var tr = el('tr');
      tr.dataset.zone = String(i);
      var name = el('input');
      name.value = z.name;
      name.className = 'cal-zone-name';
      name.setAttribute('aria-label', t('cal.col.name'));
      name.addEventListener('input', function () { z.name = name.value; changed(); });
      var td = el('td'); td.appendChild(name); tr.appendChild(td);
      var kind = el('select');
      kind.className = 'cal-zone-kind';
      KINDS.forEach(function (k) { var o = el('option', kindLabel(k)); o.value = k; kind.appendChild(o); });
      kind.value = z.kind;
      kind.addEventListener('change', function () { z.kind = kind.value; changed(); });
      td = el('td'); td.appendChild(kind); tr.appendChild(td);
      tr.appendChild(el('td', z.polygon.length, 'num'));
      var del = el('button', t('cal.delete'));
      del.type = 'button';
      del.className = 'cal-zone-delete';
      del.addEventListener('click', function () { zones.splice(i, 1); changed(); renderZones(); });
      td = el('td'); td.appendChild(del); tr.appendChild(td);
      tb.appendChild(tr);
    });
    $('cal-zones-none').hidden = zones.length > 0;
  }
  function renderFloor() {
    var tb = $('cal-floor').tBodies[0];
    tb.replaceChildren();
    floorPts.forEach(function (f, i) {
      var tr = el('tr');
      tr.appendChild(el('td', 'P' + (i + 1)));
      tr.appendChild(el('td', f.image[0] + ', ' + f.image[1], 'num'));
      [0, 1].forEach(function (k) {
        var inp = el('input');
        inp.type = 'number';
        inp.step = '0.01';
        inp.className = 'cal-metre';
        inp.setAttribute('aria-label', k === 0 ? t('cal.col.x_m') : t('cal.col.y_m'));
        inp.value = f.world[k] === null ? '' : String(f.world[k]);
        inp.addEventListener('change', function () { f.world[k] = inp.value === '' ? null : Number(inp.value); changed(); refreshGrid(); });
        var td = el('td'); td.appendChild(inp); tr.appendChild(td);
      });
      var del = el('button', t('cal.delete'));
      del.type = 'button';
      del.addEventListener('click', function () { floorPts.splice(i, 1); changed(); renderFloor(); refreshGrid(); });
      var td = el('td'); td.appendChild(del); tr.appendChild(td);
      tb.appendChild(tr);
    });
  }
  function renderTracks() {
    var tb = $('cal-tracks').tBodies[0];
    tb.replaceChildren();
    (view ? view.tracks : []).forEach(function (tr) {
      var row = el('tr');
      row.dataset.track = String(tr.track_id);
      var sw = el('span', '', 'swatch');
      sw.style.background = tr.color;
      var td = el('td'); td.appendChild(sw); td.appendChild(document.createTextNode('#' + tr.track_id)); row.appendChild(td);
      row.appendChild(el('td', round1(tr.foot[0]) + ', ' + round1(tr.foot[1]), 'num'));
      row.appendChild(el('td', tr.zone === null ? t('cal.no_zone') : tr.zone));
      tb.appendChild(row);
    });
    $('cal-tracks-none').hidden = !!view && view.tracks.length > 0;
  }
  function hint() {
    $('cal-hint').textContent = mode === 'draw' ? t('cal.hint.draw', { n: drawing.length }) : mode === 'floor' ? t('cal.hint.floor') : t('cal.hint.idle');
    $('cal-finish').disabled = !(mode === 'draw' && drawing.length >= 3);
    $('cal-add-zone').setAttribute('aria-pressed', String(mode === 'draw'));
    $('cal-floor-mode').setAttribute('aria-pressed', String(mode === 'floor'));
  }
  function changed() { dirty = true; say('cal-result', function () { return t('cal.unsaved'); }); draw(); }

  function floorBody() {
    var ok = floorPts.filter(function (f) { return f.world[0] !== null && f.world[1] !== null && isFinite(f.world[0]) && isFinite(f.world[1]); });
    if (floorPts.length === 0) return null;
    return { image: floorPts.map(function (f) { return f.image; }), world: floorPts.map(function (f) { return ok.indexOf(f) >= 0 ? [f.world[0], f.world[1]] : null; }) };
  }
  function refreshGrid() {
    var body = floorBody();
    if (!body || body.world.some(function (w) { return w === null; }) || body.image.length < 4) {
      grid = null;
      say('cal-grid-note', function () { return t('cal.grid.need'); });
      draw();
      return;
    }
    request('POST', api('/floor-grid'), body).then(function (r) {
      if (r.ok) { grid = r.body; say('cal-grid-note', function () { return t('cal.grid.fit', { rms: r.body.rms_m }); }); } else { grid = null; say('cal-grid-note', function () { return r.body.error || String(r.status); }); }
      draw();
    });
  }

  // ---- loading and saving ----
  function loadView(resetEdits) {
    if (!cam) return Promise.resolve();
    var id = cam;
    return request('GET', api('/calibration')).then(function (r) {
      if (id !== cam) return;
      if (!r.ok) { say('cal-result', function () { return r.body.error || String(r.status); }); return; }
      view = r.body;
      var c = canvas();
      if (view.width !== null && (c.width !== view.width || c.height !== view.height)) { c.width = view.width; c.height = view.height; }
      var v = view;
      say('cal-size', function () { return v.width === null ? t('cal.no_frame') : t('cal.size', { w: v.width, h: v.height, file: v.config_path || '—' }); });
      if (resetEdits || !dirty) {
        zones = view.zones.map(function (z) { return { name: z.name, kind: z.kind, polygon: z.polygon.map(function (p) { return [p[0], p[1]]; }) }; });
        floorPts = view.floor ? view.floor.image.map(function (p, i) { return { image: [p[0], p[1]], world: [view.floor.world[i][0], view.floor.world[i][1]] }; }) : [];
        grid = view.floor_grid;
        var g = grid;
        say('cal-grid-note', function () { return g ? t('cal.grid.fit', { rms: g.rms_m }) : t('cal.grid.need'); });
        renderZones();
        renderFloor();
      }
      if (!imgBusy) { imgBusy = true; $('cal-img').src = api('/snapshot') + '?overlay=none&detail=source&t=' + Date.now(); }
      renderTracks();
      draw();
      $('calibration').dataset.loaded = 'true';
    });
  }
  function poll() {
    clearTimeout(timer);
    // Tracks move while the technician edits: refresh them (and the picture), never the edits.
    loadView(false).catch(function () {}).then(function () { if (cam) timer = setTimeout(poll, POLL_MS); });
  }
  function open(id) {
    cam = id;
    dirty = false;
    mode = 'idle';
    drawing = [];
    $('cal-camera').value = id;
    $('cal-body').hidden = false;
    $('cal-errors').hidden = true;
    say('cal-result', function () { return ''; });
    $('calibration').dataset.loaded = 'false';
    hint();
    loadView(true).then(poll);
  }
  function save() {
    var body = { zones: zones.map(function (z) { return { name: z.name, kind: z.kind, polygon: z.polygon }; }), floor: floorBody() };
    var errs = $('cal-errors');
    errs.replaceChildren();
    errs.hidden = true;
    say('cal-result', function () { return t('cal.saving'); });
    return request('PUT', api('/calibration'), body).then(function (r) {
      if (r.ok) {
        dirty = false;
        say('cal-result', function () { return t('cal.saved', { file: r.body.path, backup: r.body.backup }); });
        $('calibration').dataset.saved = String(Date.now());
        return loadView(true);
      }
      say('cal-result', function () { return t('cal.refused'); });
      (r.body.issues || [r.body.error || String(r.status)]).forEach(function (m) { errs.appendChild(el('li', m)); });
      errs.hidden = false;
    });
  }

  // ---- mouse ----
  function onDown(ev) {
    if (!view || view.width === null) return;
    var p = toSource(ev);
    if (mode === 'draw') { drawing.push(p); hint(); draw(); return; }
    if (mode === 'floor') { floorPts.push({ image: p, world: [null, null] }); changed(); renderFloor(); refreshGrid(); return; }
    for (var z = 0; z < zones.length; z++)
      for (var i = 0; i < zones[z].polygon.length; i++)
        if (near(p, zones[z].polygon[i], 8)) { drag = { zone: z, index: i }; ev.preventDefault(); return; }
    for (var f = 0; f < floorPts.length; f++) if (near(p, floorPts[f].image, 8)) { drag = { floor: f }; ev.preventDefault(); return; }
  }
  function onMove(ev) {
    if (!drag) return;
    var c = canvas();
    var p = toSource(ev);
    p = [Math.max(0, Math.min(c.width, p[0])), Math.max(0, Math.min(c.height, p[1]))];
    if (drag.floor !== undefined) floorPts[drag.floor].image = p; else zones[drag.zone].polygon[drag.index] = p;
    changed();
  }
  function onUp() {
    if (!drag) return;
    var wasFloor = drag.floor !== undefined;
    drag = null;
    renderZones();
    if (wasFloor) { renderFloor(); refreshGrid(); }
  }
  function finish() {
    if (drawing.length < 3) return;
    var kind = $('cal-kind').value;
    var n = 1;
    var names = zones.map(function (z) { return z.name; });
    while (names.indexOf(kind + '-' + n) >= 0) n++;
    zones.push({ name: kind + '-' + n, kind: kind, polygon: drawing });
    drawing = [];
    mode = 'idle';
    changed();
    renderZones();
    hint();
  }

  function cameraList(ids) {
    var sel = $('cal-camera');
    var have = Array.prototype.map.call(sel.options, function (o) { return o.value; }).filter(Boolean);
    if (have.join(',') === ids.join(',')) return;
    sel.replaceChildren();
    var none = el('option', t('cal.pick'));
    none.value = '';
    sel.appendChild(none);
    ids.forEach(function (id) { var o = el('option', id); o.value = id; sel.appendChild(o); });
    if (cam) sel.value = cam;
  }
  function loadCameras() {
    request('GET', '/status').then(function (r) {
      if (r.ok) cameraList(r.body.cameras.map(function (c) { return c.id; }));
    }).catch(function () {}).then(function () { setTimeout(loadCameras, 10000); });
  }

  function init() {
    var c = canvas();
    c.addEventListener('mousedown', onDown);
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    $('cal-camera').addEventListener('change', function () { if ($('cal-camera').value) open($('cal-camera').value); });
    $('cal-add-zone').addEventListener('click', function () { mode = mode === 'draw' ? 'idle' : 'draw'; drawing = []; hint(); draw(); });
    $('cal-finish').addEventListener('click', finish);
    $('cal-floor-mode').addEventListener('click', function () { mode = mode === 'floor' ? 'idle' : 'floor'; drawing = []; hint(); draw(); });
    $('cal-save').addEventListener('click', save);
    $('cal-reset').addEventListener('click', function () { dirty = false; loadView(true); say('cal-result', function () { return ''; }); });
    // While drawing: Enter finishes, Backspace takes the last corner back, Escape drops the zone.
    window.addEventListener('keydown', function (ev) {
      if (mode !== 'draw' || (ev.target && /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName))) return;
      if (ev.key === 'Enter') { ev.preventDefault(); finish(); }
      else if (ev.key === 'Backspace') { ev.preventDefault(); drawing.pop(); hint(); draw(); }
      else if (ev.key === 'Escape') { mode = 'idle'; drawing = []; hint(); draw(); }
    });
    $('cal-img').addEventListener('load', function () { imgBusy = false; draw(); });
    $('cal-img').addEventListener('error', function () { imgBusy = false; });
    window.addEventListener('resize', draw);
    // The cameras table's rows open their camera's calibration.
    $('cameras').addEventListener('click', function (ev) {
      var tr = ev.target.closest && ev.target.closest('tr[data-camera]');
      if (tr) open(tr.dataset.camera);
    });
    window.FS.onLocale(function () { hint(); renderZones(); renderFloor(); renderTracks(); Object.keys(said).forEach(function (id) { $(id).textContent = said[id](); }); });
    hint();
    loadCameras();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
`;
