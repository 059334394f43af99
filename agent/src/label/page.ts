/**
 * The label page: one HTML file, a stylesheet and a plain ES2017 script (no framework, no CDN: the
 * tool runs on a box without internet). Boxes are absolutely positioned elements over the frame,
 * in source pixels times the display scale, so mouse events map straight to MOT coordinates.
 */
import { LABEL_MESSAGES, type Locale } from './i18n.js';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export const LABEL_HTML = (locale: Locale): string => `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${esc(LABEL_MESSAGES[locale]['app.title'])}</title><link rel="stylesheet" href="/label.css"></head>
<body>
<header>
  <button id="prev" data-i18n-label="frame.prev">◀</button>
  <span id="frame-label"></span>
  <button id="next" data-i18n-label="frame.next">▶</button>
  <input id="frame-slider" type="range" min="0" value="0" aria-label="frame">
  <label><span data-i18n="ui.language"></span> <select id="lang"><option value="ru">Русский</option><option value="en">English</option></select></label>
  <button id="save" data-i18n="save.go"></button>
  <span id="status" role="status"></span>
</header>
<main>
  <div id="stage"><img id="frame" alt=""></div>
  <aside>
    <p id="from"></p>
    <h2 data-i18n="ids.title"></h2>
    <ul id="ids"></ul>
    <h2 data-i18n="merge.title"></h2>
    <p><span data-i18n="merge.from"></span> <input id="merge-from" type="number" min="0"> <span data-i18n="merge.into"></span> <input id="merge-into" type="number" min="0"> <button id="merge-go" data-i18n="merge.go"></button></p>
    <h2 data-i18n="event.title"></h2>
    <div id="event-form">
      <label><span data-i18n="event.kind"></span> <select id="ev-kind"><option value="consultation" data-i18n="event.consultation"></option><option value="checkout" data-i18n="event.checkout"></option></select></label>
      <label><span data-i18n="event.seller"></span> <input id="ev-seller" type="number" min="0"></label>
      <label><span data-i18n="event.customer"></span> <input id="ev-customer" type="number" min="0"></label>
      <label><span data-i18n="event.start"></span> <input id="ev-start" type="number" min="1"> <button id="ev-set-start" data-i18n="event.set_start"></button></label>
      <label><span data-i18n="event.end"></span> <input id="ev-end" type="number" min="1"> <button id="ev-set-end" data-i18n="event.set_end"></button></label>
      <button id="ev-add" data-i18n="event.add"></button>
    </div>
    <ul id="events"></ul>
    <p class="help" data-i18n="help.keys"></p>
  </aside>
</main>
<script src="/i18n.js"></script>
<script src="/label.js"></script>
</body>
</html>
`;

export const LABEL_CSS = `
body { font: 14px system-ui, sans-serif; margin: 0; background: #1d1f21; color: #eee; }
header { display: flex; gap: 8px; align-items: center; padding: 6px 10px; background: #2a2d30; flex-wrap: wrap; }
#frame-slider { width: 240px; }
#status { color: #9fd; }
#status.error { color: #f99; }
main { display: flex; gap: 12px; padding: 10px; align-items: flex-start; }
#stage { position: relative; user-select: none; flex: none; cursor: crosshair; }
#stage img { display: block; pointer-events: none; }
.box { position: absolute; box-sizing: border-box; border: 2px solid #fc3; cursor: move; }
.box.staff { border-color: #f55; }
.box.customer { border-color: #4af; }
.box.selected { outline: 2px dashed #fff; }
.box span { position: absolute; left: -2px; top: -18px; background: rgba(0,0,0,.7); font-size: 12px; padding: 0 3px; white-space: nowrap; }
.handle { position: absolute; right: -5px; bottom: -5px; width: 10px; height: 10px; background: #fff; cursor: nwse-resize; }
aside { min-width: 320px; max-width: 420px; }
aside h2 { font-size: 15px; margin: 12px 0 4px; }
#ids, #events { list-style: none; padding: 0; margin: 0; }
#ids li { display: flex; gap: 6px; align-items: center; padding: 1px 0; }
#ids li.selected { background: #444; }
#event-form label { display: block; margin: 2px 0; }
input[type=number] { width: 70px; }
.help { color: #aaa; font-size: 12px; }
button, select, input { font: inherit; }
`;

/** The page script. Plain ES2017, no backticks or dollar-brace inside (it sits in a template literal). */
export const LABEL_JS = String.raw`'use strict';
(function () {
  // The dictionary helpers are the store page's own (ui/i18n.ts i18nScript over the label table,
  // served as /i18n.js): t, the language kept in localStorage, data-i18n and data-i18n-label.
  var FS = window.FS;
  var t = FS.t;
  function applyI18n() {
    FS.apply();
    $('lang').value = FS.locale;
  }
  function $(id) { return document.getElementById(id); }

  var S = null;        // state from /api/state
  var boxes = [];      // {frame, id, x, y, w, h}
  var roles = {};      // id -> 'staff' | 'customer'
  var events = [];     // {kind, seller, customer, start, end}
  var cur = 0;         // index into S.frames
  var sel = null;      // selected identity
  var mergeInto = null; // pending keyboard merge: the next clicked box joins this identity
  var scale = 1;
  var drag = null;

  function frame() { return S.frames[cur]; }
  function nextId() { var m = 0; boxes.forEach(function (b) { if (b.id > m) m = b.id; }); return m + 1; }
  function boxOf(id, f) { for (var i = 0; i < boxes.length; i++) if (boxes[i].id === id && boxes[i].frame === f) return boxes[i]; return null; }
  function status(msg, isError) { var s = $('status'); s.textContent = msg; s.className = isError ? 'error' : ''; }

  function render() {
    var f = frame();
    $('frame').src = '/frames/' + f + '.jpg';
    $('frame-label').textContent = t('frame.label', { frame: f, i: cur + 1, n: S.frames.length, time: ((f - 1) / S.fps).toFixed(1) });
    $('frame-slider').value = String(cur);
    var stage = $('stage');
    stage.querySelectorAll('.box').forEach(function (e) { e.remove(); });
    boxes.forEach(function (b) {
      if (b.frame !== f) return;
      var d = document.createElement('div');
      d.className = 'box' + (roles[b.id] ? ' ' + roles[b.id] : '') + (b.id === sel ? ' selected' : '');
      d.dataset.id = String(b.id);
      d.style.left = b.x * scale + 'px'; d.style.top = b.y * scale + 'px';
      d.style.width = b.w * scale + 'px'; d.style.height = b.h * scale + 'px';
      var label = document.createElement('span');
      label.textContent = b.id + (roles[b.id] ? ' ' + t('role.' + roles[b.id]) : '');
      d.appendChild(label);
      var h = document.createElement('div'); h.className = 'handle'; d.appendChild(h);
      stage.appendChild(d);
    });
    renderIds();
  }

  function renderIds() {
    var counts = {};
    boxes.forEach(function (b) { counts[b.id] = (counts[b.id] || 0) + 1; });
    var ul = $('ids'); ul.textContent = '';
    Object.keys(counts).map(Number).sort(function (a, b) { return a - b; }).forEach(function (id) {
      var li = document.createElement('li');
      if (id === sel) li.className = 'selected';
      var name = document.createElement('button'); name.textContent = '#' + id; name.dataset.selectId = String(id);
      name.addEventListener('click', function () { select(id); });
      var role = document.createElement('select'); role.dataset.roleId = String(id);
      ['', 'staff', 'customer'].forEach(function (r) { var o = document.createElement('option'); o.value = r; o.textContent = t(r ? 'role.' + r : 'role.none'); role.appendChild(o); });
      role.value = roles[id] || '';
      role.addEventListener('change', function () { setRole(id, role.value); });
      var n = document.createElement('span'); n.textContent = t('ids.frames', { n: counts[id] });
      li.appendChild(name); li.appendChild(role); li.appendChild(n); ul.appendChild(li);
    });
    var el = $('events'); el.textContent = '';
    if (events.length === 0) { var none = document.createElement('li'); none.textContent = t('event.none'); el.appendChild(none); }
    events.forEach(function (e, i) {
      var li = document.createElement('li');
      li.textContent = t('event.' + e.kind) + ': #' + e.seller + ' → #' + e.customer + ', ' + e.start + '–' + e.end + ' ';
      var del = document.createElement('button'); del.textContent = t('event.delete');
      del.addEventListener('click', function () { events.splice(i, 1); render(); });
      li.appendChild(del); el.appendChild(li);
    });
  }

  function select(id) {
    sel = id;
    if (id !== null) {
      if (roles[id] === 'staff') $('ev-seller').value = String(id);
      else if (roles[id] === 'customer') $('ev-customer').value = String(id);
      $('merge-into').value = String(id);
    }
    render();
  }
  function setRole(id, role) { if (role) roles[id] = role; else delete roles[id]; render(); }

  function merge(from, into) {
    if (from === into || isNaN(from) || isNaN(into)) return;
    var framesInto = {};
    boxes.forEach(function (b) { if (b.id === into) framesInto[b.frame] = true; });
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].id === from && framesInto[boxes[i].frame]) { status(t('merge.clash', { from: from, into: into, frame: boxes[i].frame }), true); return; }
    }
    boxes.forEach(function (b) { if (b.id === from) b.id = into; });
    events.forEach(function (e) { if (e.seller === from) e.seller = into; if (e.customer === from) e.customer = into; });
    if (!roles[into] && roles[from]) roles[into] = roles[from];
    delete roles[from];
    sel = into;
    status(t('merge.done', { from: from, into: into }));
    render();
  }

  function split(id) {
    var f = frame(); var n = nextId();
    boxes.forEach(function (b) { if (b.id === id && b.frame >= f) b.id = n; });
    if (roles[id]) roles[n] = roles[id];
    sel = n;
    status(t('split.done', { id: id, frame: f, 'new': n }));
    render();
  }

  function go(i) { cur = Math.max(0, Math.min(S.frames.length - 1, i)); render(); }

  function stagePoint(ev) {
    var r = $('stage').getBoundingClientRect();
    return { x: Math.max(0, Math.min(S.width, (ev.clientX - r.left) / scale)), y: Math.max(0, Math.min(S.height, (ev.clientY - r.top) / scale)) };
  }

  $('stage').addEventListener('mousedown', function (ev) {
    if (ev.button !== 0) return;
    ev.preventDefault();
    var p = stagePoint(ev);
    var el = ev.target.closest ? ev.target.closest('.box') : null;
    if (el) {
      var id = Number(el.dataset.id);
      if (mergeInto !== null) { var into = mergeInto; mergeInto = null; merge(id, into); return; }
      var b = boxOf(id, frame());
      sel = id;
      drag = { mode: ev.target.classList.contains('handle') ? 'resize' : 'move', box: b, p0: p, x0: b.x, y0: b.y, w0: b.w, h0: b.h };
    } else {
      var nb = { frame: frame(), id: nextId(), x: p.x, y: p.y, w: 0, h: 0 };
      drag = { mode: 'draw', box: nb, p0: p };
      boxes.push(nb); sel = nb.id;
    }
    render();
  });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var p = stagePoint(ev); var b = drag.box;
    var dx = p.x - drag.p0.x, dy = p.y - drag.p0.y;
    if (drag.mode === 'move') { b.x = drag.x0 + dx; b.y = drag.y0 + dy; }
    else if (drag.mode === 'resize') { b.w = Math.max(2, drag.w0 + dx); b.h = Math.max(2, drag.h0 + dy); }
    else { b.x = Math.min(p.x, drag.p0.x); b.y = Math.min(p.y, drag.p0.y); b.w = Math.abs(dx); b.h = Math.abs(dy); }
    render();
  });
  window.addEventListener('mouseup', function () {
    if (!drag) return;
    var b = drag.box;
    // A click on empty space is not a box: drop anything smaller than a few pixels.
    if (drag.mode === 'draw' && (b.w < 4 || b.h < 4)) { boxes.splice(boxes.indexOf(b), 1); sel = null; }
    b.x = Math.round(b.x * 100) / 100; b.y = Math.round(b.y * 100) / 100; b.w = Math.round(b.w * 100) / 100; b.h = Math.round(b.h * 100) / 100;
    drag = null;
    render();
  });

  function deleteBox(all) {
    if (sel === null) return;
    var f = frame(), id = sel;
    boxes = boxes.filter(function (b) { return b.id !== id || (!all && b.frame !== f); });
    if (all) { delete roles[id]; events = events.filter(function (e) { return e.seller !== id && e.customer !== id; }); }
    sel = null; render();
  }
  function copyPrevious() {
    if (sel === null || cur === 0 || boxOf(sel, frame())) return;
    for (var i = cur - 1; i >= 0; i--) {
      var b = boxOf(sel, S.frames[i]);
      if (b) { boxes.push({ frame: frame(), id: sel, x: b.x, y: b.y, w: b.w, h: b.h }); render(); return; }
    }
  }
  function addEvent() {
    var e = { kind: $('ev-kind').value, seller: Number($('ev-seller').value), customer: Number($('ev-customer').value), start: Number($('ev-start').value), end: Number($('ev-end').value) };
    var has = function (id) { return boxes.some(function (b) { return b.id === id; }); };
    if (!$('ev-seller').value || !$('ev-customer').value || e.seller === e.customer || !has(e.seller) || !has(e.customer) || !(e.start >= 1) || !(e.end >= e.start)) { status(t('event.bad'), true); return; }
    events.push(e); render();
  }
  function save() {
    fetch('/api/save', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ boxes: boxes, roles: roles, events: events }) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (r) { if (r.ok) status(t('save.done', { boxes: r.j.boxes, ids: r.j.identities })); else status(t('save.failed', { error: r.j.error }), true); })
      .catch(function (e) { status(t('save.failed', { error: String(e) }), true); });
  }

  document.addEventListener('keydown', function (ev) {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 's') { ev.preventDefault(); save(); return; }
    var tag = ev.target && ev.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT') return;
    var k = ev.key;
    if (k === 'ArrowRight') { ev.preventDefault(); go(cur + 1); }
    else if (k === 'ArrowLeft') { ev.preventDefault(); go(cur - 1); }
    else if (k === 'Delete' || k === 'Backspace') { ev.preventDefault(); deleteBox(ev.shiftKey); }
    else if (k === 'Escape') { mergeInto = null; select(null); status(''); }
    else if ((k === 'm' || k === 'M') && sel !== null) { mergeInto = sel; status(t('merge.pick', { id: sel })); }
    else if ((k === 's' || k === 'S') && sel !== null) split(sel);
    else if ((k === 'c' || k === 'C') && sel !== null) copyPrevious();
    else if (k === '1' && sel !== null) setRole(sel, 'staff');
    else if (k === '2' && sel !== null) setRole(sel, 'customer');
    else if (k === '0' && sel !== null) setRole(sel, '');
    else if (k === '[') $('ev-start').value = String(frame());
    else if (k === ']') $('ev-end').value = String(frame());
  });
  $('prev').addEventListener('click', function () { go(cur - 1); });
  $('next').addEventListener('click', function () { go(cur + 1); });
  $('frame-slider').addEventListener('input', function () { go(Number($('frame-slider').value)); });
  $('save').addEventListener('click', save);
  $('merge-go').addEventListener('click', function () { merge(Number($('merge-from').value), Number($('merge-into').value)); });
  $('ev-set-start').addEventListener('click', function () { $('ev-start').value = String(frame()); });
  $('ev-set-end').addEventListener('click', function () { $('ev-end').value = String(frame()); });
  $('ev-add').addEventListener('click', addEvent);
  $('lang').addEventListener('change', function () { FS.setLocale($('lang').value); });
  FS.onLocale(function () {
    applyI18n(); if (S) { $('from').textContent = t(S.from === 'labels' ? 'from.labels' : 'from.tracker'); render(); }
  });

  applyI18n();
  fetch('/api/state').then(function (r) { return r.json(); }).then(function (s) {
    S = s; boxes = s.boxes; roles = s.roles; events = s.events;
    scale = Math.min(1, 1100 / s.width);
    var img = $('frame'); img.width = Math.round(s.width * scale); img.height = Math.round(s.height * scale);
    $('frame-slider').max = String(s.frames.length - 1);
    $('from').textContent = t(s.from === 'labels' ? 'from.labels' : 'from.tracker');
    document.body.dataset.ready = '1';
    render();
  }).catch(function (e) { status(String(e), true); });
})();
`;
