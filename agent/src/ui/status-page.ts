/**
 * The agent's page (GET /), with two faces: Manager (the default: a day's KPIs, charts, sellers)
 * and Technician (#technician: cameras, warnings, pipeline, box). Static HTML with its scripts and
 * styles served beside it by the API; no framework and no external URL, so it works on a box
 * without internet and the page's Content-Security-Policy can forbid everything but the agent.
 * Visible text comes from the dictionary (ui/i18n.ts) through data-i18n; the agent writes the
 * store's language into `lang` so the first paint is already in it.
 */
import type { Locale } from './i18n.js';

const PAGE = `<!doctype html>
<html lang="__LANG__">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FloorSense</title>
<link rel="stylesheet" href="/ui/uplot.css">
<link rel="stylesheet" href="/ui/status.css">
<link rel="stylesheet" href="/ui/manager.css">
<script src="/ui/i18n.js" defer></script>
<script src="/ui/uplot.js" defer></script>
<script src="/ui/status.js" defer></script>
<script src="/ui/manager.js" defer></script>
<script src="/ui/calibration.js" defer></script>
</head>
<body>
<header>
  <h1><span data-i18n="app.title"></span> <span id="store"></span></h1>
  <nav class="tabs" role="tablist" data-i18n-label="tab.label">
    <a href="#manager" id="tab-manager" role="tab" aria-controls="manager" data-i18n="tab.manager"></a>
    <a href="#technician" id="tab-technician" role="tab" aria-controls="technician" data-i18n="tab.technician"></a>
  </nav>
  <label class="lang"><span data-i18n="ui.language"></span>
    <select id="lang"><option value="ru" lang="ru">Русский</option><option value="en" lang="en">English</option></select>
  </label>
  <p id="updated" class="muted" data-i18n="ui.connecting"></p>
</header>
<div id="offline" class="banner" role="alert" hidden></div>
<main>
<section id="manager" role="tabpanel" aria-labelledby="tab-manager">
  <div class="toolbar">
    <button type="button" id="day-prev" data-i18n-label="day.prev">‹</button>
    <label for="day" data-i18n="day.label"></label>
    <select id="day"></select>
    <button type="button" id="day-next" data-i18n-label="day.next">›</button>
    <span id="day-name" class="muted"></span>
  </div>
  <p id="no-days" class="notice" data-i18n="day.none" hidden></p>
  <p id="no-data" class="notice" data-i18n="day.no_data" hidden></p>
  <p id="coverage" class="warning" role="status" hidden></p>
  <p id="saved" class="muted" data-i18n="day.saved" hidden></p>
  <div id="day-content" hidden>
    <section class="cards" id="cards" aria-live="polite"></section>
    <div class="row">
      <section class="grow">
        <h2 data-i18n="chart.hourly"></h2>
        <div id="chart-hourly" class="chart"></div>
      </section>
      <section class="funnel-box">
        <h2 data-i18n="funnel.title"></h2>
        <div id="funnel"></div>
      </section>
    </div>
    <section>
      <h2 data-i18n="sellers.title"></h2>
      <div class="scroll">
      <table id="m-sellers">
        <thead><tr>
          <th scope="col" data-i18n="col.seller"></th><th scope="col" data-i18n="col.customers"></th><th scope="col" data-i18n="col.consulted"></th>
          <th scope="col" data-i18n="col.interaction"></th><th scope="col" data-i18n="col.consultations"></th><th scope="col" data-i18n="col.successful"></th>
          <th scope="col" data-i18n="col.unsuccessful"></th><th scope="col" data-i18n="col.conversion"></th><th scope="col" data-i18n="col.avg_with"></th>
          <th scope="col" data-i18n="col.avg_without"></th><th scope="col" data-i18n="col.attributed"></th><th scope="col" data-i18n="col.on_floor"></th>
          <th scope="col" data-i18n="col.first_contact"></th><th scope="col" data-i18n="col.trend"></th>
        </tr></thead>
        <tbody></tbody>
      </table>
      </div>
      <p class="toolbar"><label for="trend-metric" data-i18n="trend.metric"></label>
        <select id="trend-metric">
          <option value="interaction_ratio" data-i18n="trend.interaction_ratio"></option><option value="consultations" data-i18n="trend.consultations"></option>
          <option value="conversion" data-i18n="trend.conversion"></option><option value="revenue" data-i18n="trend.revenue"></option>
        </select></p>
      <p id="sellers-none" class="muted" data-i18n="sellers.none" hidden></p>
      <p id="unattributed" class="muted"></p>
      <p class="rule" data-i18n="rule.attribution"></p>
      <p class="rule" id="rule-definitions"></p>
    </section>
    <section>
      <h2 data-i18n="heatmap.title"></h2>
      <canvas id="heatmap" width="10" height="10" hidden></canvas>
      <p id="heatmap-note" class="muted"></p>
      <div id="camera-heatmaps" class="row"></div>
    </section>
    <section>
      <h2 data-i18n="timeline.title"></h2>
      <div id="timeline"></div>
      <p class="legend"><span class="swatch ok"></span><span data-i18n="outcome.successful"></span> <span class="swatch no"></span><span data-i18n="outcome.unsuccessful"></span></p>
    </section>
  </div>
</section>
<section id="technician" role="tabpanel" aria-labelledby="tab-technician" hidden>
  <section>
    <h2 data-i18n="tech.warnings"></h2>
    <ul id="warnings" class="warnings"><li class="muted" data-i18n="tech.none"></li></ul>
  </section>
  <section>
    <h2 data-i18n="tech.cameras"></h2>
    <table id="cameras">
      <thead><tr><th scope="col" data-i18n="tech.col.camera"></th><th scope="col" data-i18n="tech.col.state"></th><th scope="col" data-i18n="tech.col.since"></th><th scope="col" data-i18n="tech.col.fps"></th><th scope="col" data-i18n="tech.col.frames"></th><th scope="col" data-i18n="tech.col.dropped"></th><th scope="col" data-i18n="tech.col.coverage"></th><th scope="col" data-i18n="tech.col.last_frame"></th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section id="calibration">
    <h2 data-i18n="cal.title"></h2>
    <p class="toolbar"><label for="cal-camera" data-i18n="cal.camera"></label> <select id="cal-camera"><option value="" data-i18n="cal.pick"></option></select>
      <span class="muted" data-i18n="cal.open_hint"></span></p>
    <div id="cal-body" hidden>
      <p id="cal-size" class="muted"></p>
      <div class="cal-stage"><img id="cal-img" alt=""><canvas id="cal-canvas" width="16" height="9"></canvas></div>
      <p class="toolbar">
        <button type="button" id="cal-add-zone" aria-pressed="false" data-i18n="cal.add_zone"></button>
        <label for="cal-kind" data-i18n="cal.kind"></label>
        <select id="cal-kind"><option value="staff" data-i18n="cal.kind.staff"></option><option value="floor" data-i18n="cal.kind.floor"></option><option value="till" data-i18n="cal.kind.till"></option><option value="entrance" data-i18n="cal.kind.entrance"></option></select>
        <button type="button" id="cal-finish" data-i18n="cal.finish" disabled></button>
        <button type="button" id="cal-floor-mode" aria-pressed="false" data-i18n="cal.floor_points"></button>
        <button type="button" id="cal-save" data-i18n="cal.save"></button>
        <button type="button" id="cal-reset" data-i18n="cal.reset"></button>
      </p>
      <p id="cal-hint" class="muted" role="status"></p>
      <p id="cal-result" role="status"></p>
      <ul id="cal-errors" class="warnings" role="alert" hidden></ul>
      <div class="row">
        <section class="grow">
          <h3 data-i18n="cal.zones"></h3>
          <table id="cal-zones"><thead><tr><th scope="col" data-i18n="cal.col.name"></th><th scope="col" data-i18n="cal.col.kind"></th><th scope="col" data-i18n="cal.col.points"></th><th scope="col"></th></tr></thead><tbody></tbody></table>
          <p id="cal-zones-none" class="muted" data-i18n="cal.zones_none"></p>
          <h3 data-i18n="cal.floor_title"></h3>
          <table id="cal-floor"><thead><tr><th scope="col" data-i18n="cal.col.point"></th><th scope="col" data-i18n="cal.col.image"></th><th scope="col" data-i18n="cal.col.x_m"></th><th scope="col" data-i18n="cal.col.y_m"></th><th scope="col"></th></tr></thead><tbody></tbody></table>
          <p id="cal-grid-note" class="muted"></p>
        </section>
        <section class="grow">
          <h3 data-i18n="cal.tracks"></h3>
          <table id="cal-tracks"><thead><tr><th scope="col" data-i18n="cal.col.track"></th><th scope="col" data-i18n="cal.col.foot"></th><th scope="col" data-i18n="cal.col.zone"></th></tr></thead><tbody></tbody></table>
          <p id="cal-tracks-none" class="muted" data-i18n="cal.tracks_none"></p>
        </section>
      </div>
    </div>
  </section>
  <section class="cards">
    <div class="card"><h3 data-i18n="tech.detector"></h3><dl id="detector"></dl></div>
    <div class="card"><h3 data-i18n="tech.sync"></h3><dl id="sync"></dl><p id="sync-quarantine" class="quarantine" role="status" hidden></p></div>
    <div class="card"><h3 data-i18n="tech.box"></h3><dl id="box"></dl></div>
  </section>
  <section>
    <h2><span data-i18n="tech.today"></span> <span id="kpi-date" class="muted"></span></h2>
    <dl id="store-kpis" class="inline"></dl>
    <table id="sellers">
      <thead><tr><th scope="col" data-i18n="tech.col.seller"></th><th scope="col" data-i18n="tech.col.customers"></th><th scope="col" data-i18n="tech.col.consulted"></th><th scope="col" data-i18n="tech.col.interaction"></th><th scope="col" data-i18n="tech.col.consultations"></th><th scope="col" data-i18n="tech.col.conversion"></th><th scope="col" data-i18n="tech.col.avg_with"></th><th scope="col" data-i18n="tech.col.avg_without"></th><th scope="col" data-i18n="tech.col.revenue"></th><th scope="col" data-i18n="tech.col.on_floor"></th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</section>
</main>
</body>
</html>
`;

/** The page source as the UI tests read it (language placeholder left in). */
export const STATUS_PAGE_HTML = PAGE;

/** The page with the store's language written into `lang`. */
export function pageHtml(locale: Locale): string {
  return PAGE.replace('__LANG__', locale);
}
