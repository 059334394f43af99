/**
 * The Technician face's script: polls /status and /api/kpis every few seconds and redraws. Words
 * come from the dictionary (window.FS, ui/i18n.ts); it redraws at once when the language changes. Data is
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
  var t = window.FS.t;
  var last = null;

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
  function money(v) { return window.FS.money(v, null); }
  function mib(v) { return v === null || v === undefined ? '—' : (v / 1048576 / 1024).toFixed(1) + ' GiB'; }
  function stateLabel(s) {
    var k = { up: t('state.up'), connecting: t('state.connecting'), reconnecting: t('state.reconnecting'), unreachable: t('state.unreachable'), stalled: t('state.stalled'), decode_error: t('state.decode_error'), no_person: t('state.no_person'), down: t('state.down'), frozen: t('state.frozen'), black: t('state.black'), blank: t('state.blank') }[s];
    return k || s;
  }
  function time(ms) { return window.FS.time(ms, tz); }
  function dur(s) { return window.FS.dur(s); }
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
    $('updated').textContent = t('ui.updated', { time: time(s.now_ms), zone: s.time_zone });
    var wl = $('warnings');
    wl.replaceChildren();
    if (s.warnings.length === 0) wl.appendChild(el('li', t('tech.none'), 'muted none'));
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
      td.appendChild(el('span', stateLabel(c.state), 'badge state-' + c.state));
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
    fillDl($('detector'), [[t('tech.queue'), d.queue_depth + ' / ' + d.queue_capacity], [t('tech.fps'), num(d.fps, 1)], [t('tech.dropped'), d.dropped_frames]]);
    var y = s.sync;
    fillDl($('sync'), [
      [t('tech.enabled'), y.enabled ? t('tech.yes') : t('tech.no')],
      [t('tech.backlog'), t('tech.rows', { n: y.backlog_rows })],
      [t('tech.quarantined'), t('tech.rows', { n: y.quarantined_rows })],
      [t('tech.last_success'), time(y.last_success_ms)],
      [t('tech.last_error'), dash(y.last_error)],
      [t('tech.failures'), y.failures],
      [t('tech.next_try'), time(y.next_try_ms)]
    ]);
    // Quarantined rows are never sent and never retried: say so, and where to see which rows.
    var qn = $('sync-quarantine');
    qn.replaceChildren();
    qn.hidden = !(y.quarantined_rows > 0);
    if (y.quarantined_rows > 0) {
      qn.appendChild(document.createTextNode(t('tech.quarantine_warning', { n: y.quarantined_rows }) + ' '));
      qn.appendChild(el('code', 'floorsense sync --status'));
    }
    var b = s.box;
    fillDl($('box'), b ? [
      [t('tech.cpu'), num(b.cpu_load_percent, 0) + '%'],
      [t('tech.memory_free'), t('tech.of', { a: mib(b.memory_available_bytes), b: mib(b.memory_total_bytes) })],
      [t('tech.disk_free'), mib(b.disk_free_bytes)],
      [t('tech.cpu_temp'), b.cpu_temperature_c === null ? t('tech.not_reported') : num(b.cpu_temperature_c, 0) + ' °C'],
      [t('tech.gpu'), b.gpus.length === 0 ? t('tech.none') : b.gpus.map(function (g) { return g.model; }).join(', ')]
    ] : [[t('tech.box'), t('tech.not_measured')]]);
  }

  function renderKpis(k) {
    $('kpi-date').textContent = k.date;
    var r = k.report;
    var tb = $('sellers').tBodies[0];
    tb.replaceChildren();
    if (!r) {
      fillDl($('store-kpis'), [[t('tech.kpi.store'), t('tech.kpi.no_data')]]);
      return;
    }
    var st = r.store;
    fillDl($('store-kpis'), [[t('tech.kpi.customers'), st.customers], [t('tech.kpi.consulted'), st.consulted_customers], [t('tech.kpi.conversion'), pct(st.conversion)], [t('tech.kpi.revenue'), money(st.revenue)]]);
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
      last = res;
      renderStatus(res[0]);
      renderKpis(res[1]);
      document.body.dataset.loaded = 'true';
    }).catch(function (e) {
      var o = $('offline');
      o.textContent = t('ui.offline', { error: e.message });
      o.hidden = false;
    }).then(function () { setTimeout(poll, POLL_MS); });
  }
  window.FS.onLocale(function () { if (last) { renderStatus(last[0]); renderKpis(last[1]); } });
  poll();
})();
`;
