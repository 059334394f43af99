/**
 * The Manager face's script: the day picker (/api/days), the day's KPIs, hourly traffic, funnel,
 * sellers and consultation timeline (/api/kpis?date=), and each seller's 30-day trend
 * (/api/trends). Charts are uPlot (served by the agent from node_modules/uplot/dist); the timeline
 * and funnel are plain elements. Data is written with textContent only, never innerHTML. Every
 * number cell carries its raw value in data-value, so tests compare it with `floorsense report`.
 * Plain ES2017 in a String.raw literal: no backticks or dollar-brace inside.
 */
export const MANAGER_PAGE_JS = String.raw`'use strict';
(function () {
  var FS = window.FS;
  var t = FS.t;
  var token = new URLSearchParams(location.search).get('token');
  var headers = token ? { Authorization: 'Bearer ' + token } : {};
  var info = null;
  var current = null; // { date, kpis, trends }
  var charts = [];

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function get(path) {
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (r) {
      if (!r.ok) return r.json().catch(function () { return {}; }).then(function (b) { throw new Error(path + ': ' + r.status + ' ' + (b.error || r.statusText)); });
      return r.json();
    });
  }
  function shiftDay(d, n) { return new Date(Date.parse(d + 'T12:00:00Z') + n * 86400000).toISOString().slice(0, 10); }
  // The receipts' own currency first (amounts are theirs); store.currency when they carry none.
  function currency(report) { return (report && report.currency) || (info && info.currency) || null; }

  // ---- tabs and language ----
  function showTab() {
    var tech = location.hash === '#technician';
    $('manager').hidden = tech;
    $('technician').hidden = !tech;
    $('tab-manager').setAttribute('aria-selected', String(!tech));
    $('tab-technician').setAttribute('aria-selected', String(tech));
    if (!tech && current) render();
  }
  window.addEventListener('hashchange', showTab);
  var lang = $('lang');
  lang.value = FS.locale;
  lang.addEventListener('change', function () { FS.setLocale(lang.value); });
  FS.onLocale(function (l) { lang.value = l; fillDays(); if (current) render(); });

  // ---- day picker ----
  function fillDays() {
    var sel = $('day');
    sel.replaceChildren();
    var days = info ? info.days.slice() : [];
    if (current && days.indexOf(current.date) < 0) { days.push(current.date); days.sort(); }
    days.slice().reverse().forEach(function (d) {
      var o = el('option', FS.date(d));
      o.value = d;
      sel.appendChild(o);
    });
    if (current) sel.value = current.date;
  }
  $('day').addEventListener('change', function () { load($('day').value); });
  $('trend-metric').addEventListener('change', function () { if (current) render(); });
  // Calendar steps, not list steps: a day without data is reachable and says so.
  $('day-prev').addEventListener('click', function () { if (current) load(shiftDay(current.date, -1)); });
  $('day-next').addEventListener('click', function () { if (current) load(shiftDay(current.date, 1)); });

  function load(date) {
    return Promise.all([get('/api/kpis?date=' + date), get('/api/trends?date=' + date + '&days=30')]).then(function (res) {
      current = { date: date, kpis: res[0], trends: res[1] };
      fillDays();
      render();
    }).catch(function (e) {
      var o = $('offline');
      o.textContent = t('ui.offline', { error: e.message });
      o.hidden = false;
    });
  }

  // ---- rendering ----
  function destroyCharts() { charts.forEach(function (c) { c.destroy(); }); charts = []; }

  function render() {
    destroyCharts();
    var k = current.kpis;
    var r = k.report;
    document.body.dataset.day = current.date;
    $('day-name').textContent = FS.date(current.date);
    $('no-data').hidden = r !== null;
    $('day-content').hidden = r === null;
    $('saved').hidden = !(r && k.source === 'saved');
    renderCoverage(k.camera_coverage || {});
    if (r) {
      var cur = currency(r);
      renderCards(r, cur);
      renderFunnel(r.store);
      renderSellers(r, cur);
      renderHourly(k.hourly || []);
      renderTimeline(k.timeline || [], r);
      renderHeatmap(k.heatmap || null, k.camera_heatmaps || []);
      renderCameraHeatmaps(k.camera_heatmaps || []);
      var c = info && info.consultation;
      $('rule-definitions').textContent = t('rule.definitions', { distance: c ? FS.num(c.distance_m, 1) : '—', seconds: c ? FS.num(c.min_seconds) : '—' });
    }
    document.body.dataset.manager = 'ready';
  }

  function renderCoverage(cov) {
    var low = Object.keys(cov).filter(function (id) { return typeof cov[id] === 'number' && cov[id] < 0.995; }).sort();
    var p = $('coverage');
    p.hidden = low.length === 0 || !current.kpis.report;
    p.textContent = low.length === 0 ? '' : t('coverage.partial', { cameras: low.map(function (id) { return id + ' ' + FS.pct(cov[id]); }).join(', ') });
  }

  function card(parent, label, field, raw, text) {
    var d = el('div', null, 'card');
    d.dataset.kpi = field;
    d.appendChild(el('h3', label));
    var v = el('p', text, 'value');
    if (raw !== null && raw !== undefined) v.dataset.value = String(raw);
    d.appendChild(v);
    parent.appendChild(d);
  }

  function renderCards(r, cur) {
    var s = r.store;
    var box = $('cards');
    box.replaceChildren();
    card(box, t('card.visitors'), 'customers', s.customers, FS.num(s.customers));
    card(box, t('card.consulted'), 'consulted_customers', s.consulted_customers, FS.num(s.consulted_customers));
    card(box, t('card.buying'), 'buying_customers', s.buying_customers, FS.num(s.buying_customers));
    card(box, t('card.receipts'), 'receipts', s.receipts, FS.num(s.receipts));
    card(box, t('card.revenue'), 'receipts_total', s.receipts_total, FS.money(s.receipts_total, cur));
    card(box, t('card.interaction'), 'interaction_ratio', s.interaction_ratio, FS.pct(s.interaction_ratio));
    card(box, t('card.visitors_per_staff_hour'), 'visitors_per_staff_hour', s.visitors_per_staff_hour, FS.num(s.visitors_per_staff_hour, 1));
    card(box, t('card.sales_per_staff_hour'), 'sales_per_staff_hour', s.sales_per_staff_hour, FS.money(s.sales_per_staff_hour, cur));
    card(box, t('card.first_contact'), 'median_time_to_first_contact_s', s.median_time_to_first_contact_s, FS.dur(s.median_time_to_first_contact_s));
  }

  function renderFunnel(s) {
    var box = $('funnel');
    box.replaceChildren();
    var steps = [[t('funnel.visitors'), s.customers], [t('funnel.consulted'), s.consulted_customers], [t('funnel.bought'), s.buying_customers]];
    steps.forEach(function (st) {
      var row = el('div', null, 'funnel-row');
      row.appendChild(el('span', st[0], 'funnel-label'));
      var track = el('span', null, 'funnel-track');
      var bar = el('span', null, 'funnel-bar');
      bar.style.width = (s.customers > 0 ? Math.max(1, (100 * st[1]) / s.customers) : 0) + '%';
      track.appendChild(bar);
      row.appendChild(track);
      var v = el('span', FS.num(st[1]) + (s.customers > 0 ? ' · ' + FS.pct(st[1] / s.customers) : ''), 'funnel-value');
      v.dataset.value = String(st[1]);
      row.appendChild(v);
      box.appendChild(row);
    });
  }

  function numCell(tr, key, raw, text) {
    var td = el('td', text, 'num');
    td.dataset.key = key;
    if (raw !== null && raw !== undefined) td.dataset.value = String(raw);
    tr.appendChild(td);
  }

  function renderSellers(r, cur) {
    var tb = $('m-sellers').tBodies[0];
    tb.replaceChildren();
    $('sellers-none').hidden = r.sellers.length > 0;
    var sparks = [];
    r.sellers.forEach(function (s) {
      var tr = el('tr');
      tr.dataset.seller = s.seller_id;
      var th = el('th');
      th.scope = 'row';
      th.appendChild(el('span', s.name || s.seller_id, 'seller-name'));
      if (s.name) th.appendChild(el('small', s.seller_id, 'seller-id'));
      tr.appendChild(th);
      numCell(tr, 'customers', s.customers, FS.num(s.customers));
      numCell(tr, 'consulted_customers', s.consulted_customers, FS.num(s.consulted_customers));
      numCell(tr, 'interaction_ratio', s.interaction_ratio, FS.pct(s.interaction_ratio));
      numCell(tr, 'consultations', s.consultations, FS.num(s.consultations));
      numCell(tr, 'successful_consultations', s.successful_consultations, FS.num(s.successful_consultations));
      numCell(tr, 'unsuccessful_consultations', s.unsuccessful_consultations, FS.num(s.unsuccessful_consultations));
      numCell(tr, 'conversion', s.conversion, FS.pct(s.conversion));
      numCell(tr, 'avg_purchase_with_consultation', s.avg_purchase_with_consultation, FS.money(s.avg_purchase_with_consultation, cur));
      numCell(tr, 'avg_purchase_without_consultation', s.avg_purchase_without_consultation, FS.money(s.avg_purchase_without_consultation, cur));
      numCell(tr, 'attributed_revenue', s.attributed_revenue, FS.money(s.attributed_revenue, cur));
      numCell(tr, 'time_on_floor_seconds', s.time_on_floor_seconds, FS.dur(s.time_on_floor_seconds));
      numCell(tr, 'median_time_to_first_contact_s', s.median_time_to_first_contact_s, FS.dur(s.median_time_to_first_contact_s));
      var td = el('td', null, 'spark');
      var box = el('div');
      td.appendChild(box);
      tr.appendChild(td);
      tb.appendChild(tr);
      sparks.push([box, s.seller_id]);
    });
    var un = r.store.unattributed_receipts;
    $('unattributed').textContent = typeof un === 'number' && un > 0 ? t('sellers.unattributed', { n: FS.num(un) }) : '';
    sparks.forEach(function (p) { sparkline(p[0], p[1]); });
  }

  // 30 calendar days ending on the page's day; days without a row are gaps, not zeros.
  function sparkline(box, sellerId) {
    if (!window.uPlot) return;
    var metric = $('trend-metric').value;
    var tr = current.trends;
    var pts = (tr.sellers && tr.sellers[sellerId]) || [];
    var byDate = {};
    pts.forEach(function (p) { byDate[p.date] = p; });
    var xs = [], ys = [];
    for (var i = 29; i >= 0; i--) {
      var d = shiftDay(current.date, -i);
      xs.push(30 - i);
      ys.push(byDate[d] && typeof byDate[d][metric] === 'number' ? byDate[d][metric] : null);
    }
    var ratio = metric === 'interaction_ratio' || metric === 'conversion';
    box.dataset.points = String(ys.filter(function (y) { return y !== null; }).length);
    box.dataset.metric = metric;
    box.title = t('trend.metric') + ' ' + $('trend-metric').selectedOptions[0].textContent;
    charts.push(new window.uPlot({
      width: 100, height: 30, legend: { show: false }, cursor: { show: false }, select: { show: false },
      scales: { x: { time: false }, y: { range: function (u, lo, hi) { return [0, Math.max(ratio ? 0.1 : 1, hi || 0)]; } } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: '#2b6cb0', width: 1.5, spanGaps: false, points: { show: true, size: 5, fill: '#2b6cb0' } }]
    }, [xs, ys], box));
  }

  function renderHourly(hourly) {
    var box = $('chart-hourly');
    box.replaceChildren();
    if (!window.uPlot || hourly.length === 0) return;
    var used = hourly.filter(function (h) { return h.visitors + h.consultations + h.receipts + h.sellers_on_floor > 0; });
    var lo = used.length ? used[0].hour : 0;
    var hi = used.length ? used[used.length - 1].hour : 23;
    var rows = hourly.filter(function (h) { return h.hour >= lo && h.hour <= hi; });
    var col = function (f) { return rows.map(function (h) { return h[f]; }); };
    var width = Math.max(320, box.clientWidth || 720);
    charts.push(new window.uPlot({
      width: width, height: 240,
      scales: { x: { time: false } },
      axes: [{ label: t('chart.hour'), values: function (u, v) { return v.map(function (x) { return Number.isInteger(x) ? x + ':00' : ''; }); } }, {}],
      series: [
        { label: t('chart.hour'), value: function (u, v) { return v === null || v === undefined ? '—' : v + ':00'; } },
        { label: t('series.visitors'), stroke: '#2b6cb0', fill: 'rgba(43,108,176,0.12)', width: 2 },
        { label: t('series.consultations'), stroke: '#2f855a', width: 2 },
        { label: t('series.receipts'), stroke: '#b7791f', width: 2 },
        { label: t('series.sellers'), stroke: '#805ad5', width: 1.5, dash: [6, 4] }
      ]
    }, [col('hour'), col('visitors'), col('consultations'), col('receipts'), col('sellers_on_floor')], box));
  }

  function renderTimeline(items, r) {
    var box = $('timeline');
    box.replaceChildren();
    if (items.length === 0) { box.appendChild(el('p', t('timeline.none'), 'muted')); return; }
    var t0 = Math.min.apply(null, items.map(function (i) { return i.start_ms; }));
    var t1 = Math.max.apply(null, items.map(function (i) { return i.end_ms; }));
    // Whole hours around the consultations, so the lanes read like a clock.
    t0 = Math.floor(t0 / 3600000) * 3600000;
    t1 = Math.ceil(t1 / 3600000) * 3600000;
    var span = Math.max(1, t1 - t0);
    var names = {};
    r.sellers.forEach(function (s) { names[s.seller_id] = s.name || s.seller_id; });
    var lanes = {};
    items.forEach(function (i) { (lanes[i.seller_id] = lanes[i.seller_id] || []).push(i); });
    var zone = info ? info.time_zone : undefined;
    var scale = el('div', null, 'tl-row tl-scale');
    scale.appendChild(el('span', '', 'tl-label'));
    var ticks = el('span', null, 'tl-lane');
    for (var h = t0; h <= t1; h += 3600000) {
      var tk = el('span', FS.time(h, zone).slice(0, 5), 'tl-tick');
      tk.style.left = ((100 * (h - t0)) / span) + '%';
      ticks.appendChild(tk);
    }
    scale.appendChild(ticks);
    box.appendChild(scale);
    Object.keys(lanes).sort().forEach(function (sid) {
      var row = el('div', null, 'tl-row');
      row.dataset.seller = sid;
      row.appendChild(el('span', names[sid] || sid, 'tl-label'));
      var lane = el('span', null, 'tl-lane');
      lanes[sid].forEach(function (i) {
        var b = el('span', null, 'tl-bar ' + (i.outcome === 'successful' ? 'ok' : 'no'));
        b.style.left = ((100 * (i.start_ms - t0)) / span) + '%';
        b.style.width = Math.max(0.3, (100 * (i.end_ms - i.start_ms)) / span) + '%';
        b.title = (names[sid] || sid) + ' ' + FS.time(i.start_ms, zone) + '–' + FS.time(i.end_ms, zone) + ', ' + t(i.outcome === 'successful' ? 'outcome.successful' : 'outcome.unsuccessful');
        lane.appendChild(b);
      });
      row.appendChild(lane);
      box.appendChild(row);
    });
  }

  // Counts on a canvas, square-root scaled so a quiet corner still shows against the busy till.
  function renderHeatmap(h, pictures) {
    var cv = $('heatmap');
    var note = $('heatmap-note');
    if (!h) { cv.hidden = true; note.textContent = pictures.length > 0 ? t('heatmap.pictures') : t('heatmap.none'); return; }
    var px = Math.max(4, Math.min(24, Math.floor(640 / Math.max(h.cols, h.rows))));
    cv.width = h.cols * px;
    cv.height = h.rows * px;
    cv.hidden = false;
    var g = cv.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, cv.width, cv.height);
    var max = Math.max.apply(null, h.counts.concat([1]));
    for (var r = 0; r < h.rows; r++) for (var c = 0; c < h.cols; c++) {
      var n = h.counts[r * h.cols + c];
      if (n === 0) continue;
      g.fillStyle = 'rgba(197, 48, 48, ' + Math.sqrt(n / max).toFixed(3) + ')';
      g.fillRect(c * px, r * px, px, px);
    }
    cv.dataset.cells = String(h.counts.filter(function (n) { return n > 0; }).length);
    note.textContent = t('heatmap.note', { cell: FS.num(h.cell_m, 2), w: FS.num(h.cols * h.cell_m, 1), h: FS.num(h.rows * h.cell_m, 1) });
  }

  // Each uncalibrated camera's presence over its own picture (the live snapshot when the camera has
  // one, a plain ground otherwise), in the same square-root scale as the floor plan.
  function renderCameraHeatmaps(list) {
    var box = $('camera-heatmaps');
    box.replaceChildren();
    list.forEach(function (h) {
      var fig = el('figure');
      var cv = document.createElement('canvas');
      cv.dataset.camera = h.camera;
      cv.dataset.cells = String(h.counts.filter(function (n) { return n > 0; }).length);
      cv.dataset.background = 'loading';
      cv.setAttribute('role', 'img');
      cv.setAttribute('aria-label', t('heatmap.camera', { camera: h.camera }));
      fig.appendChild(cv);
      fig.appendChild(el('figcaption', t('heatmap.camera', { camera: h.camera })));
      box.appendChild(fig);
      var max = Math.max.apply(null, h.counts.concat([1]));
      function paint(img) {
        cv.width = img ? img.naturalWidth : h.cols * h.cell_px;
        cv.height = img ? img.naturalHeight : h.rows * h.cell_px;
        var g = cv.getContext('2d');
        if (img) g.drawImage(img, 0, 0); else { g.fillStyle = '#e3e7ee'; g.fillRect(0, 0, cv.width, cv.height); }
        for (var r = 0; r < h.rows; r++) for (var c = 0; c < h.cols; c++) {
          var n = h.counts[r * h.cols + c];
          if (n === 0) continue;
          g.fillStyle = 'rgba(197, 48, 48, ' + (0.15 + 0.75 * Math.sqrt(n / max)).toFixed(3) + ')';
          g.fillRect(c * h.cell_px, r * h.cell_px, h.cell_px, h.cell_px);
        }
        cv.dataset.background = img ? 'picture' : 'none';
      }
      if (!h.picture) { paint(null); return; }
      var img = new Image();
      img.onload = function () { paint(img); };
      img.onerror = function () { paint(null); };
      img.src = '/api/cameras/' + encodeURIComponent(h.camera) + '/snapshot?overlay=none&detail=source';
    });
  }

  showTab();
  get('/api/days').then(function (d) {
    info = d;
    $('no-days').hidden = d.days.length > 0;
    var last = d.days.length > 0 ? d.days[d.days.length - 1] : null;
    if (last) return load(last);
    document.body.dataset.manager = 'ready';
  }).catch(function (e) {
    var o = $('offline');
    o.textContent = t('ui.offline', { error: e.message });
    o.hidden = false;
  });
})();
`;
