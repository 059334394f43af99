/**
 * The chain dashboard's script: the range picker (two dates, defaulting to the last 7 days with
 * data), the KPI picker ranking the stores, the sellers of every store (sortable by any column),
 * each store's 30-day trend of the picked KPI (uPlot), the hour-of-day profile of the chain or one
 * store (traffic, consultations, receipts and sellers on the floor by store-local hour) and the
 * coverage warnings. Money is formatted in data-currency when hq was given one. Data is written
 * with textContent only. Every number cell carries its raw value in data-value, so tests compare it
 * with the views. When hq answers that ClickHouse cannot be reached, the page says so, naming the
 * server, and tries again every data-retry seconds. Plain ES2017: no backticks or dollar-brace.
 */
export const HQ_PAGE_JS = String.raw`'use strict';
(function () {
  var FS = window.FS;
  var t = FS.t;
  var body = document.body;
  var server = body.dataset.server;
  var retryS = Number(body.dataset.retry) || 5;
  var currency = body.dataset.currency || null;
  // [key, label, format]; the ranking's picker and columns, in the views' names.
  var KPIS = [
    ['visitors', 'card.visitors', 'num'], ['consulted_customers', 'card.consulted', 'num'], ['interaction_ratio', 'card.interaction', 'pct'],
    ['consultations', 'kpi.consultations', 'num'], ['successful_consultations', 'kpi.successful', 'num'], ['unsuccessful_consultations', 'kpi.unsuccessful', 'num'],
    ['conversion', 'kpi.conversion', 'pct'], ['buying_customers', 'card.buying', 'num'], ['receipts', 'card.receipts', 'num'], ['revenue', 'card.revenue', 'money'],
    ['avg_purchase_with_consultation', 'kpi.avg_with', 'money'], ['avg_purchase_without_consultation', 'kpi.avg_without', 'money'], ['camera_coverage', 'kpi.coverage', 'pct']
  ];
  var SELLER_COLS = [
    ['store_id', 'hq.col.store', 'text'], ['seller_id', 'col.seller', 'text'], ['days', 'hq.col.days', 'num'], ['customers', 'col.customers', 'num'],
    ['consulted_customers', 'col.consulted', 'num'], ['interaction_ratio', 'col.interaction', 'pct'], ['consultations', 'col.consultations', 'num'],
    ['successful_consultations', 'col.successful', 'num'], ['unsuccessful_consultations', 'col.unsuccessful', 'num'],
    ['avg_purchase_with_consultation', 'col.avg_with', 'money'], ['avg_purchase_without_consultation', 'col.avg_without', 'money'], ['time_on_floor_seconds', 'col.on_floor', 'dur']
  ];
  var HOUR_COLS = [
    ['visitors', 'card.visitors', 'num'], ['consultations', 'kpi.consultations', 'num'], ['consultations_per_visitor', 'hq.hours.per_visitor', 'pct'],
    ['receipts', 'card.receipts', 'num'], ['staff_on_floor', 'hq.hours.staff', 'dec'], ['store_days', 'hq.hours.store_days', 'num']
  ];
  var span = null, view = null, trends = null, hours = null, chart = null, hoursChart = null, timer = null, ranked = [];
  var TREND_STORES = 8;
  var sellerSort = { key: 'interaction_ratio', dir: -1 };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(kind, v) {
    if (kind === 'pct') return FS.pct(v);
    if (kind === 'money') return FS.money(v, currency);
    if (kind === 'dec') return FS.num(v, 2);
    if (kind === 'dur') return FS.dur(v);
    if (kind === 'text') return v;
    return FS.num(v);
  }
  function get(path) {
    return fetch(path, { cache: 'no-store' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (!r.ok) { var e = new Error(b.error || (path + ': ' + r.status)); e.status = r.status; throw e; }
        return b;
      });
    });
  }
  function shiftDay(d, n) { return new Date(Date.parse(d + 'T12:00:00Z') + n * 86400000).toISOString().slice(0, 10); }
  function kpiOf(key) { return KPIS.filter(function (k) { return k[0] === key; })[0]; }

  // ---- ClickHouse down: say so, name the server, try again. hq down: say that instead.
  // A refused request (4xx: a bad date) is the viewer's to fix: shown, not retried. ----
  function offline(e) {
    var o = $('offline');
    if (e.status && e.status !== 502) {
      o.textContent = t('hq.refused', { error: e.message });
      o.hidden = false;
      body.dataset.hq = 'refused';
      return;
    }
    if (!e.status) {
      o.textContent = t('hq.unreachable', { error: e.message, seconds: retryS });
      o.hidden = false;
      body.dataset.hq = 'offline';
      clearTimeout(timer);
      timer = setTimeout(function () { if (span) load(); else start(); }, retryS * 1000);
      return;
    }
    // The transport's message starts by naming the server too; the sentence names it once.
    var prefix = 'ClickHouse at ' + server + ': ';
    var msg = e.message.indexOf(prefix) === 0 ? e.message.slice(prefix.length) : e.message;
    o.textContent = t('hq.offline', { server: server, error: msg, seconds: retryS });
    o.hidden = false;
    body.dataset.hq = 'offline';
    clearTimeout(timer);
    timer = setTimeout(function () { if (span) load(); else start(); }, retryS * 1000);
  }
  function online() { $('offline').hidden = true; }

  // ---- controls ----
  var lang = $('lang');
  lang.value = FS.locale;
  lang.addEventListener('change', function () { FS.setLocale(lang.value); });
  FS.onLocale(function (l) { lang.value = l; fillKpis(); if (view) render(); });
  function fillKpis() {
    var sel = $('kpi');
    var was = sel.value || 'interaction_ratio';
    sel.replaceChildren();
    KPIS.forEach(function (k) { var o = el('option', t(k[1])); o.value = k[0]; sel.appendChild(o); });
    sel.value = was;
  }
  $('kpi').addEventListener('change', function () { if (view) render(); });
  $('hours-store').addEventListener('change', function () { loadHours(); });
  $('range').addEventListener('submit', function (ev) { ev.preventDefault(); load(); });

  function start() {
    return get('/api/span').then(function (s) {
      online();
      span = s;
      $('connecting').hidden = true;
      $('server').textContent = t('hq.server', { server: s.server, database: s.database });
      if (!s.last_day) { $('empty').hidden = false; body.dataset.hq = 'ready'; return; }
      $('empty').hidden = true;
      $('range').hidden = false;
      $('to').value = s.last_day;
      var from = shiftDay(s.last_day, -6);
      $('from').value = from < s.first_day ? s.first_day : from;
      return load();
    }).catch(offline);
  }

  function load() {
    var from = $('from').value, to = $('to').value;
    body.dataset.hq = 'loading';
    var store = $('hours-store').value;
    return Promise.all([get('/api/chain?from=' + from + '&to=' + to), get('/api/trends?to=' + to + '&days=30'), get(hoursPath(from, to, store))]).then(function (res) {
      online();
      view = res[0];
      trends = res[1];
      hours = res[2];
      render();
    }).catch(offline);
  }
  function hoursPath(from, to, store) { return '/api/hours?from=' + from + '&to=' + to + (store ? '&store=' + encodeURIComponent(store) : ''); }
  function loadHours() {
    if (!view) return;
    body.dataset.hq = 'loading';
    return get(hoursPath(view.from, view.to, $('hours-store').value)).then(function (h) {
      online();
      hours = h;
      renderHours();
      body.dataset.hq = 'ready';
    }).catch(offline);
  }

  // ---- rendering ----
  function render() {
    var kpi = $('kpi').value;
    body.dataset.from = view.from;
    body.dataset.to = view.to;
    body.dataset.kpi = kpi;
    $('server').textContent = t('hq.server', { server: view.server, database: view.database });
    $('range-name').textContent = t('hq.range', { from: FS.date(view.from), to: FS.date(view.to), days: FS.num(view.days) });
    $('content').hidden = false;
    $('no-range').hidden = view.stores.length > 0;
    renderCoverage();
    renderStores(kpi);
    renderTrend(kpi);
    renderHours();
    renderSellers();
    body.dataset.hq = 'ready';
  }

  function renderCoverage() {
    var ul = $('coverage');
    ul.replaceChildren();
    if (view.coverage.length === 0) ul.appendChild(el('li', t('hq.coverage.none'), 'none'));
    view.coverage.forEach(function (g) {
      var li = el('li', t('hq.coverage.item', { store: g.store_id, camera: g.camera_id, day: FS.date(g.day), ratio: FS.pct(g.uptime_ratio), outages: FS.num(g.outages), down: FS.dur(g.down_ms / 1000) }));
      li.dataset.store = g.store_id;
      li.dataset.camera = g.camera_id;
      li.dataset.day = g.day;
      li.dataset.value = String(g.uptime_ratio);
      ul.appendChild(li);
    });
    var s = $('silent');
    s.hidden = view.silent_stores.length === 0;
    s.textContent = view.silent_stores.length ? t('hq.silent', { stores: view.silent_stores.join(', ') }) : '';
  }

  function cell(tr, key, kind, raw, picked) {
    var td = el('td', fmt(kind, raw), (kind === 'text' ? '' : 'num') + (picked ? ' picked' : ''));
    if (kind === 'text') { tr.appendChild(td); return; }
    td.dataset.key = key;
    if (raw !== null && raw !== undefined) td.dataset.value = String(raw);
    tr.appendChild(td);
  }
  // Descending for a ranking; a store or seller without the figure (null) goes last either way.
  function byKey(key, dir) {
    return function (a, b) {
      var x = a[key], y = b[key];
      if (x === null || x === undefined) return (y === null || y === undefined) ? 0 : 1;
      if (y === null || y === undefined) return -1;
      if (typeof x === 'string') return dir * x.localeCompare(y);
      return dir * (x - y);
    };
  }

  function renderStores(kpi) {
    var table = $('stores');
    var head = table.tHead.rows[0];
    head.replaceChildren();
    var cols = [['rank', 'hq.col.rank'], ['store_id', 'hq.col.store']].concat(KPIS.map(function (k) { return [k[0], k[1]]; })).concat([['days', 'hq.col.days']]);
    cols.forEach(function (c) {
      var th = el('th', t(c[1]), c[0] === kpi ? 'picked' : '');
      th.scope = 'col';
      th.dataset.key = c[0];
      if (c[0] === kpi) th.setAttribute('aria-sort', 'descending');
      head.appendChild(th);
    });
    var tb = table.tBodies[0];
    tb.replaceChildren();
    var rows = view.stores.slice().sort(function (a, b) { return byKey(kpi, -1)(a, b) || a.store_id.localeCompare(b.store_id); });
    ranked = rows.map(function (s) { return s.store_id; });
    rows.forEach(function (s, i) {
      var tr = el('tr');
      tr.dataset.store = s.store_id;
      cell(tr, 'rank', 'num', i + 1, false);
      var th = el('th', s.store_id);
      th.scope = 'row';
      tr.appendChild(th);
      KPIS.forEach(function (k) { cell(tr, k[0], k[2], s[k[0]], k[0] === kpi); });
      cell(tr, 'days', 'num', s.days, false);
      tb.appendChild(tr);
    });
  }

  function renderTrend(kpi) {
    var box = $('trend');
    if (chart) { chart.destroy(); chart = null; }
    box.replaceChildren();
    var k = kpiOf(kpi);
    $('trend-title').textContent = t('hq.trend_of', { kpi: t(k[1]), from: FS.date(trends.from), to: FS.date(trends.to) });
    // The ranking's top stores (a chart of hundreds of lines says nothing), then any other store
    // with points when the range ranks fewer.
    var all = [];
    trends.points.forEach(function (p) { if (all.indexOf(p.store_id) < 0) all.push(p.store_id); });
    var order = ranked.filter(function (id) { return all.indexOf(id) >= 0; }).concat(all.filter(function (id) { return ranked.indexOf(id) < 0; }).sort());
    var stores = order.slice(0, TREND_STORES);
    // A store keeps its colour whichever KPI ranks it.
    var byName = all.slice().sort();
    $('trend-top').hidden = order.length <= TREND_STORES;
    $('trend-top').textContent = order.length > TREND_STORES ? t('hq.trend_top', { n: FS.num(TREND_STORES), total: FS.num(order.length) }) : '';
    var days = [];
    for (var d = trends.from; d <= trends.to; d = shiftDay(d, 1)) days.push(d);
    var at = {};
    trends.points.forEach(function (p) { at[p.store_id + '|' + p.day] = p[kpi]; });
    var data = [days.map(function (x) { return Date.parse(x + 'T00:00:00Z') / 1000; })];
    var n = 0;
    stores.forEach(function (s) {
      data.push(days.map(function (x) { var v = at[s + '|' + x]; if (typeof v === 'number') n++; return typeof v === 'number' ? v : null; }));
    });
    box.dataset.kpi = kpi;
    box.dataset.points = String(n);
    box.dataset.stores = String(stores.length);
    if (!window.uPlot || stores.length === 0) return;
    var palette = ['#2b6cb0', '#2f855a', '#b7791f', '#805ad5', '#c53030', '#319795', '#d53f8c', '#4a5568'];
    chart = new window.uPlot({
      width: Math.max(360, box.clientWidth || 900), height: 260,
      scales: { x: { time: true } },
      axes: [{ values: function (u, v) { return v.map(function (x) { return new Intl.DateTimeFormat(FS.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(x * 1000)); }); } },
        { values: function (u, v) { return v.map(function (x) { return fmt(k[2], x); }); }, size: 70 }],
      series: [{ label: t('hq.day'), value: function (u, v) { return v === null || v === undefined ? '—' : FS.date(new Date(v * 1000).toISOString().slice(0, 10)); } }].concat(stores.map(function (s) {
        return { label: s, stroke: palette[byName.indexOf(s) % palette.length], width: 2, spanGaps: false, points: { show: true, size: 6 }, value: function (u, v) { return fmt(k[2], v); } };
      }))
    }, data, box);
  }

  // ---- the hour-of-day profile: when customers come, and whether sellers are out then ----
  function hourName(h) { return (h < 10 ? '0' : '') + h + ':00–' + (h + 1 < 10 ? '0' : '') + (h + 1) + ':00'; }
  function renderHours() {
    var sel = $('hours-store');
    var picked = hours.store || '';
    sel.replaceChildren();
    var all = el('option', t('hq.hours.all'));
    all.value = '';
    sel.appendChild(all);
    view.stores.map(function (x) { return x.store_id; }).sort().forEach(function (id) { var o = el('option', id); o.value = id; sel.appendChild(o); });
    if (picked && view.stores.every(function (x) { return x.store_id !== picked; })) { var o = el('option', picked); o.value = picked; sel.appendChild(o); }
    sel.value = picked;
    var box = $('hours-chart');
    box.dataset.store = picked;
    $('hours-title').textContent = t('hq.hours.of', { from: FS.date(hours.from), to: FS.date(hours.to) });
    var table = $('hours');
    var head = table.tHead.rows[0];
    head.replaceChildren();
    var hth = el('th', t('hq.hours.hour'));
    hth.scope = 'col';
    head.appendChild(hth);
    HOUR_COLS.forEach(function (c) { var th = el('th', t(c[1])); th.scope = 'col'; th.dataset.key = c[0]; head.appendChild(th); });
    var tb = table.tBodies[0];
    tb.replaceChildren();
    hours.hours.forEach(function (h) {
      var tr = el('tr');
      tr.dataset.hour = String(h.hour);
      var th = el('th', hourName(h.hour));
      th.scope = 'row';
      tr.appendChild(th);
      HOUR_COLS.forEach(function (c) { cell(tr, c[0], c[2], h[c[0]], false); });
      tb.appendChild(tr);
    });
    if (hoursChart) { hoursChart.destroy(); hoursChart = null; }
    box.replaceChildren();
    box.dataset.hours = String(hours.hours.length);
    if (!window.uPlot || hours.hours.length === 0) return;
    var xs = [], vis = [], con = [], rec = [], staff = [];
    for (var h = 0; h < 24; h++) {
      var r = hours.hours.filter(function (x) { return x.hour === h; })[0];
      xs.push(h);
      vis.push(r ? r.visitors : null);
      con.push(r ? r.consultations : null);
      rec.push(r ? r.receipts : null);
      staff.push(r ? r.staff_on_floor : null);
    }
    hoursChart = new window.uPlot({
      width: Math.max(360, box.clientWidth || 900), height: 240,
      scales: { x: { time: false }, staff: { range: function (u, lo, hi) { return [0, Math.max(1, hi)]; } } },
      axes: [{ values: function (u, v) { return v.map(function (x) { return x + ':00'; }); } },
        { values: function (u, v) { return v.map(function (x) { return FS.num(x); }); }, size: 60 },
        { scale: 'staff', side: 1, grid: { show: false }, values: function (u, v) { return v.map(function (x) { return FS.num(x, 1); }); }, size: 50 }],
      series: [{ label: t('hq.hours.hour'), value: function (u, v) { return v === null || v === undefined ? '—' : hourName(v); } },
        { label: t('card.visitors'), stroke: '#2b6cb0', width: 2, value: function (u, v) { return FS.num(v); } },
        { label: t('kpi.consultations'), stroke: '#2f855a', width: 2, value: function (u, v) { return FS.num(v); } },
        { label: t('card.receipts'), stroke: '#b7791f', width: 2, value: function (u, v) { return FS.num(v); } },
        { label: t('hq.hours.staff'), scale: 'staff', stroke: '#805ad5', width: 2, dash: [6, 4], value: function (u, v) { return FS.num(v, 2); } }]
    }, [xs, vis, con, rec, staff], box);
  }

  function renderSellers() {
    var table = $('sellers');
    var head = table.tHead.rows[0];
    head.replaceChildren();
    SELLER_COLS.forEach(function (c) {
      var th = el('th');
      th.scope = 'col';
      th.dataset.key = c[0];
      var b = el('button', t(c[1]));
      b.type = 'button';
      b.id = 'sort-' + c[0];
      b.title = t('hq.sort');
      b.addEventListener('click', function () {
        sellerSort = sellerSort.key === c[0] ? { key: c[0], dir: -sellerSort.dir } : { key: c[0], dir: c[2] === 'text' ? 1 : -1 };
        renderSellers();
        $('sort-' + c[0]).focus();
      });
      if (sellerSort.key === c[0]) th.setAttribute('aria-sort', sellerSort.dir > 0 ? 'ascending' : 'descending');
      th.appendChild(b);
      head.appendChild(th);
    });
    var tb = table.tBodies[0];
    tb.replaceChildren();
    view.sellers.slice().sort(function (a, b) {
      return byKey(sellerSort.key, sellerSort.dir)(a, b) || a.store_id.localeCompare(b.store_id) || a.seller_id.localeCompare(b.seller_id);
    }).forEach(function (s) {
      var tr = el('tr');
      tr.dataset.store = s.store_id;
      tr.dataset.seller = s.seller_id;
      SELLER_COLS.forEach(function (c) {
        if (c[0] === 'seller_id') { var th = el('th', s.seller_id); th.scope = 'row'; th.dataset.key = 'seller_id'; tr.appendChild(th); return; }
        cell(tr, c[0], c[2], s[c[0]], false);
      });
      tb.appendChild(tr);
    });
  }

  fillKpis();
  start();
})();
`;
