/**
 * The chain dashboard's page (GET / of `floorsense hq`): static HTML whose scripts and styles hq
 * serves beside it — the store page's i18n helpers, uPlot and base style (agent/src/ui), plus the
 * chain's own script — so nothing is loaded from outside and the CSP forbids everything else.
 */
import type { Locale } from '../ui/i18n.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageOptions {
  readonly locale: Locale;
  /** The ClickHouse URL without credentials, named by the page when it cannot be reached. */
  readonly server: string;
  readonly retrySeconds: number;
  /** ISO 4217 code for money; null formats amounts as plain numbers. */
  readonly currency: string | null;
}

export function hqPageHtml(o: PageOptions): string {
  return `<!doctype html>
<html lang="${o.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FloorSense</title>
<link rel="stylesheet" href="/ui/uplot.css">
<link rel="stylesheet" href="/ui/status.css">
<link rel="stylesheet" href="/hq/hq.css">
<script src="/ui/i18n.js" defer></script>
<script src="/ui/uplot.js" defer></script>
<script src="/hq/hq.js" defer></script>
</head>
<body data-server="${esc(o.server)}" data-retry="${o.retrySeconds}" data-currency="${esc(o.currency ?? '')}">
<header>
  <h1 data-i18n="hq.title"></h1>
  <p id="server" class="muted"></p>
  <label class="lang"><span data-i18n="ui.language"></span>
    <select id="lang"><option value="ru" lang="ru">Русский</option><option value="en" lang="en">English</option></select>
  </label>
</header>
<div id="offline" class="banner" role="alert" hidden></div>
<main>
  <p id="connecting" class="muted" data-i18n="hq.connecting"></p>
  <p id="empty" class="notice" data-i18n="hq.empty" hidden></p>
  <form id="range" class="toolbar" hidden>
    <label for="from" data-i18n="hq.from"></label><input type="date" id="from" required>
    <label for="to" data-i18n="hq.to"></label><input type="date" id="to" required>
    <button type="submit" id="apply" data-i18n="hq.apply"></button>
    <label for="kpi" data-i18n="hq.kpi"></label><select id="kpi"></select>
    <span id="range-name" class="muted"></span>
  </form>
  <div id="content" hidden>
    <p id="no-range" class="notice" data-i18n="hq.no_range" hidden></p>
    <section>
      <h2 data-i18n="hq.coverage"></h2>
      <ul id="coverage" class="warnings"></ul>
      <p id="silent" class="warning" hidden></p>
    </section>
    <section>
      <h2 data-i18n="hq.ranking"></h2>
      <div class="scroll"><table id="stores"><thead><tr></tr></thead><tbody></tbody></table></div>
    </section>
    <section>
      <h2 data-i18n="hq.trend"></h2>
      <p id="trend-title" class="muted"></p>
      <p id="trend-top" class="muted" hidden></p>
      <div id="trend" class="chart"></div>
    </section>
    <section>
      <h2 data-i18n="hq.hours"></h2>
      <p class="toolbar"><label for="hours-store" data-i18n="hq.hours.store"></label><select id="hours-store"></select>
        <span id="hours-title" class="muted"></span></p>
      <div id="hours-chart" class="chart"></div>
      <details><summary data-i18n="hq.hours.table"></summary>
        <div class="scroll"><table id="hours"><thead><tr></tr></thead><tbody></tbody></table></div></details>
    </section>
    <section>
      <h2 data-i18n="hq.sellers"></h2>
      <div class="scroll"><table id="sellers"><thead><tr></tr></thead><tbody></tbody></table></div>
    </section>
  </div>
</main>
</body>
</html>
`;
}

export const HQ_PAGE_CSS = `
header { flex-wrap: wrap; gap: 12px; }
header #server { margin: 0; color: #b8c0cc; }
.lang { margin-left: auto; color: #b8c0cc; display: flex; gap: 6px; align-items: center; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 12px 0; flex-wrap: wrap; }
button:focus-visible, select:focus-visible, input:focus-visible, th button:focus-visible { outline: 3px solid #f6ad55; outline-offset: 2px; }
.notice { background: #fff; padding: 16px; font-size: 15px; border-left: 4px solid #6b7585; }
.warning { background: #fff7e0; padding: 8px 12px; border-left: 4px solid #d99a00; }
.scroll { overflow-x: auto; }
#stores, #sellers, #hours { font-size: 13px; }
#stores th, #stores td, #sellers th, #sellers td, #hours th, #hours td { padding: 4px 6px; }
#stores th, #sellers th { white-space: normal; vertical-align: bottom; font-size: 11px; }
th button { font: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: inherit; color: inherit; }
th[aria-sort] button::after { content: ' ▾'; }
th[aria-sort="ascending"] button::after { content: ' ▴'; }
td.picked, th.picked { background: #ebf4ff; font-weight: 600; }
th[scope="row"] { text-align: left; color: #1d2430; }
.chart { background: #fff; padding: 6px; }
`;
