/**
 * The status page the tray window shows (GET /): static HTML, with its script and style served
 * beside it by the API. No framework and no external URL, so it works on a box without internet
 * and the page's Content-Security-Policy can forbid everything but the agent itself.
 */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FloorSense status</title>
<link rel="stylesheet" href="/ui/status.css">
<script src="/ui/status.js" defer></script>
</head>
<body>
<header>
  <h1>FloorSense <span id="store"></span></h1>
  <p id="updated" class="muted">connecting…</p>
</header>
<div id="offline" class="banner" hidden></div>
<main>
  <section>
    <h2>Warnings</h2>
    <ul id="warnings" class="warnings"><li class="muted">none</li></ul>
  </section>
  <section>
    <h2>Cameras</h2>
    <table id="cameras">
      <thead><tr><th>Camera</th><th>State</th><th>Since</th><th>FPS</th><th>Frames</th><th>Dropped</th><th>Coverage today</th><th>Last frame</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section class="cards">
    <div class="card"><h3>Detector</h3><dl id="detector"></dl></div>
    <div class="card"><h3>Sync</h3><dl id="sync"></dl></div>
    <div class="card"><h3>Box</h3><dl id="box"></dl></div>
  </section>
  <section>
    <h2>Today <span id="kpi-date" class="muted"></span></h2>
    <dl id="store-kpis" class="inline"></dl>
    <table id="sellers">
      <thead><tr><th>Seller</th><th>Customers</th><th>Consulted</th><th>Interaction</th><th>Consultations</th><th>Conversion</th><th>Avg with consult.</th><th>Avg without</th><th>Revenue</th><th>On floor</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
</body>
</html>
`;
