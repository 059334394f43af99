/** Style of the Manager face and the tabs; the Technician face keeps status-style.ts. */
export const MANAGER_PAGE_CSS = `
header { flex-wrap: wrap; }
.tabs { display: flex; gap: 4px; margin-left: 1em; }
.tabs a { color: #b8c0cc; text-decoration: none; padding: 4px 12px; border-radius: 4px; }
.tabs a[aria-selected="true"] { background: #fff; color: #1d2430; font-weight: 600; }
.tabs a:focus-visible, button:focus-visible, select:focus-visible { outline: 3px solid #f6ad55; outline-offset: 2px; }
.lang { margin-left: auto; color: #b8c0cc; display: flex; gap: 6px; align-items: center; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 12px 0; }
.toolbar button { font-size: 16px; min-width: 32px; }
.notice { background: #fff; padding: 16px; font-size: 15px; border-left: 4px solid #6b7585; }
.warning { background: #fff7e0; padding: 8px 12px; border-left: 4px solid #d99a00; }
#cards .card h3 { color: #6b7585; font-weight: 600; }
#cards .value { font-size: 22px; margin: 0; font-variant-numeric: tabular-nums; }
.row { display: flex; gap: 16px; flex-wrap: wrap; }
.grow { flex: 3; min-width: 340px; }
.funnel-box { flex: 1; min-width: 260px; }
.chart { background: #fff; padding: 6px; }
.funnel-row { display: grid; grid-template-columns: 9em 1fr auto; gap: 8px; align-items: center; margin: 6px 0; }
.funnel-track { background: #e3e7ee; height: 18px; }
.funnel-bar { display: block; height: 100%; background: #2b6cb0; }
.funnel-value { font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
#m-sellers { font-size: 13px; }
#m-sellers th, #m-sellers td { padding: 4px 5px; }
#m-sellers th[scope="row"] { text-align: left; font-size: 13px; color: #1d2430; min-width: 8em; }
#m-sellers th { white-space: normal; vertical-align: bottom; font-size: 11px; }
.seller-name { display: block; font-weight: 600; }
.seller-id { color: #6b7585; font-size: 11px; }
.rule { color: #4a5465; font-size: 12px; max-width: 70em; }
.tl-row { display: grid; grid-template-columns: 10em 1fr; align-items: center; min-height: 22px; }
.tl-lane { position: relative; height: 18px; background: #fff; border-bottom: 1px solid #e3e7ee; }
.tl-scale .tl-lane { background: transparent; border: 0; }
.tl-tick { position: absolute; font-size: 11px; color: #6b7585; transform: translateX(-50%); }
.tl-bar { position: absolute; top: 2px; bottom: 2px; min-width: 2px; }
.tl-bar.ok, .swatch.ok { background: #2f855a; }
.tl-bar.no, .swatch.no { background: #c53030; }
.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
.legend { font-size: 12px; color: #4a5465; }
td.spark { padding: 0 4px; }
#camera-heatmaps figure { margin: 0; background: #fff; padding: 6px; }
#camera-heatmaps canvas { display: block; width: 480px; max-width: 100%; height: auto; }
#camera-heatmaps figcaption { font-size: 12px; color: #4a5465; margin-top: 4px; }
`;
