/**
 * The status page's script: polls /status and /api/kpis every few seconds and redraws. Data is
 * written with textContent only (never innerHTML), so a camera id or warning text cannot inject
 * markup. When the page was opened with ?token=..., the token is sent as a Bearer header.
 * Plain ES2017 in a String.raw literal: no backticks or dollar-brace inside.
 */
export const STATUS_PAGE_JS = String.raw`'use strict';
(function () {
  var POLL_MS = 5000;
  var token = new URLSearchParams(location.search).get('token');
  var headers = token ? { Authorization: 'Bearer ' + token } : {};
  var tz = undefined;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function dash(v) { return v === null || v === undefined ? '—' : v; }
  function pct(v) { return v === null || v === undefined ? '—' : (v * 100).toFixed(0) + '%'; }
  function num(v, d) { return v === null || v === undefined ? '—' : Number(v).toFixed(d || 0); }
  function money(v) { return v === null || v === undefined ? '—' : Number(v).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function mib(v) { return v === null || v === undefined ? '—' : (v / 1048576 / 1024).toFixed(1) + ' GiB'; }
  function time(ms) {
    if (ms === null || ms === undefined) return '—';
    try { return new Date(ms).toLocaleTimeString(undefined, { timeZone: tz, hour12: false }); }
    catch (e) { return new Date(ms).toLocaleTimeString(); }
  }
  function dur(s) {
    if (s === null || s === undefined) return '—';
    var m = Math.round(s / 60);
    return m >= 60 ? Math.floor(m / 60) + ' h ' + (m % 60) + ' min' : m + ' min';
  }
  function cell(tr, text, cls) { tr.appendChild(el('td', text, cls)); }
  function fillDl(dl, pairs) {
    dl.replaceChildren();
    pairs.forEach(function (p) {
      var wrap = dl.classList.contains('inline') ? el('div') : dl;
      wrap.appendChild(el('dt', p[0]));
      wrap.appendChild(el('dd', p[1]));
      if (wrap !== dl) dl.appendChild(wrap);
    });
  }
  function get(path) {
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (r) {
      if (!r.ok) return r.json().catch(function () { return {}; }).then(function (b) { throw new Error(path + ': ' + r.status + ' ' + (b.error || r.statusText)); });
      return r.json();
    });
  }

  function renderStatus(s) {
    tz = s.time_zone;
    $('store').textContent = s.store_id;
    $('updated').textContent = 'updated ' + time(s.now_ms) + ' (' + s.time_zone + ')';
    var wl = $('warnings');
    wl.replaceChildren();
    if (s.warnings.length === 0) wl.appendChild(el('li', 'none', 'muted none'));
    s.warnings.forEach(function (w) {
      var li = el('li');
      li.dataset.source = w.source;
      li.appendChild(el('span', w.source, 'src'));
      li.appendChild(document.createTextNode(w.message));
      wl.appendChild(li);
    });
    var tb = $('cameras').tBodies[0];
    tb.replaceChildren();
    s.cameras.forEach(function (c) {
      var tr = el('tr');
      tr.dataset.camera = c.id;
      cell(tr, c.id);
      var td = el('td');
      td.appendChild(el('span', c.state.replace('_', ' '), 'badge state-' + c.state));
      tr.appendChild(td);
      cell(tr, time(c.since_ms));
      cell(tr, num(c.fps, 1), 'num');
      cell(tr, c.frames, 'num');
      cell(tr, c.dropped_frames, 'num');
      cell(tr, pct(c.coverage_today), 'num');
      cell(tr, time(c.last_frame_ms));
      tb.appendChild(tr);
    });
    var d = s.detector;
    fillDl($('detector'), [['queue', d.queue_depth + ' / ' + d.queue_capacity], ['fps', num(d.fps, 1)], ['dropped', d.dropped_frames]]);
    var y = s.sync;
    fillDl($('sync'), [['enabled', y.enabled ? 'yes' : 'no'], ['backlog', y.backlog_rows + ' rows'], ['last success', time(y.last_success_ms)], ['last error', dash(y.last_error)]]);
    var b = s.box;
    fillDl($('box'), b ? [
      ['CPU', num(b.cpu_load_percent, 0) + '%'],
      ['memory free', mib(b.memory_available_bytes) + ' of ' + mib(b.memory_total_bytes)],
      ['disk free', mib(b.disk_free_bytes)],
      ['CPU temp', b.cpu_temperature_c === null ? 'not reported' : num(b.cpu_temperature_c, 0) + ' °C'],
      ['GPU', b.gpus.length === 0 ? 'none' : b.gpus.map(function (g) { return g.model; }).join(', ')]
    ] : [['box', 'not measured yet']]);
  }

  function renderKpis(k) {
    $('kpi-date').textContent = k.date;
    var r = k.report;
    var tb = $('sellers').tBodies[0];
    tb.replaceChildren();
    if (!r) {
      fillDl($('store-kpis'), [['store', 'no data yet today']]);
      return;
    }
    var st = r.store;
    fillDl($('store-kpis'), [['customers', st.customers], ['consulted', st.consulted_customers], ['conversion', pct(st.conversion)], ['revenue', money(st.revenue)]]);
    r.sellers.forEach(function (s) {
      var tr = el('tr');
      tr.dataset.seller = s.seller_id;
      cell(tr, s.seller_id);
      cell(tr, s.customers, 'num');
      cell(tr, s.consulted_customers, 'num');
      cell(tr, pct(s.interaction_ratio), 'num');
      cell(tr, s.consultations, 'num');
      cell(tr, pct(s.conversion), 'num');
      cell(tr, money(s.avg_purchase_with_consultation), 'num');
      cell(tr, money(s.avg_purchase_without_consultation), 'num');
      cell(tr, money(s.revenue), 'num');
      cell(tr, dur(s.time_on_floor_seconds), 'num');
      tb.appendChild(tr);
    });
  }

  function poll() {
    Promise.all([get('/status'), get('/api/kpis')]).then(function (res) {
      $('offline').hidden = true;
      renderStatus(res[0]);
      renderKpis(res[1]);
      document.body.dataset.loaded = 'true';
    }).catch(function (e) {
      var o = $('offline');
      o.textContent = 'cannot reach the agent: ' + e.message;
      o.hidden = false;
    }).then(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})();
`;
