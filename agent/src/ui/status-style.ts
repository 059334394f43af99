/** Style of the status page: readable in a small tray window, state colours that survive greyscale. */
export const STATUS_PAGE_CSS = `
:root { font-family: system-ui, sans-serif; font-size: 14px; color: #1d2430; background: #f4f6f9; }
body { margin: 0; }
header { display: flex; align-items: baseline; gap: 1em; padding: 10px 16px; background: #1d2430; color: #fff; }
header h1 { font-size: 18px; margin: 0; }
header .muted { color: #b8c0cc; }
main { padding: 8px 16px 24px; }
h2 { font-size: 15px; margin: 16px 0 6px; }
h3 { font-size: 13px; margin: 0 0 6px; }
.muted { color: #6b7585; font-weight: normal; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e7ee; white-space: nowrap; }
th { font-size: 12px; color: #6b7585; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.state-up { background: #d8f3df; color: #13612b; }
.state-connecting, .state-reconnecting, .state-no_person { background: #fff1cc; color: #7a5200; }
.state-down, .state-unreachable, .state-stalled, .state-decode_error, .state-frozen, .state-black, .state-blank { background: #fbd9d9; color: #8f1616; }
.warnings { list-style: none; padding: 0; margin: 0; }
.warnings li { padding: 4px 8px; margin-bottom: 3px; background: #fff; border-left: 4px solid #d99a00; }
.warnings li.none { border-left-color: transparent; }
.warnings .src { font-size: 11px; text-transform: uppercase; color: #6b7585; margin-right: 6px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 12px; }
.card { background: #fff; padding: 8px 12px; min-width: 200px; flex: 1; }
dl { display: grid; grid-template-columns: auto auto; gap: 2px 12px; margin: 0; }
dl.inline { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-bottom: 6px; }
dl.inline div { display: flex; gap: 4px; }
dt { color: #6b7585; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
.quarantine { margin: 6px 0 0; padding: 4px 8px; background: #fff7e0; border-left: 4px solid #d99a00; }
.quarantine code { font-size: 12px; }
.banner { background: #8f1616; color: #fff; padding: 6px 16px; }
#cameras tbody tr { cursor: pointer; }
.cal-stage { position: relative; display: inline-block; max-width: 100%; line-height: 0; background: #000; }
.cal-stage img { display: block; max-width: 100%; height: auto; }
.cal-stage canvas { position: absolute; left: 0; top: 0; width: 100%; height: 100%; cursor: crosshair; }
button[aria-pressed="true"] { background: #1d2430; color: #fff; }
#cal-zones input { width: 12em; }
#cal-floor input { width: 6em; }
#calibration .row { display: flex; gap: 16px; flex-wrap: wrap; }
#calibration .grow { flex: 1; min-width: 320px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
`;
