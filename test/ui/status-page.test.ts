/**
 * The status page in real headless Chromium against a real API server on 127.0.0.1 serving fixed
 * data: the cameras, their states, the warnings and today's sellers are rendered, nothing is
 * fetched from outside the box, and the script runs under the page's strict CSP.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { NOW, STATUS, fixtureProvider } from '../api/fixture.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { saveCameraUptime } from '../../agent/src/store/aggregates.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { outboxBacklog, pendingRows } from '../../agent/src/store/outbox.js';
import { storeProvider } from '../helpers/store-provider.js';
import { haveChromium, launchChromium } from '../helpers/chromium.js';

const SCREENSHOT = process.env.FLOORSENSE_UI_SCREENSHOT ?? join(tmpdir(), 'floorsense-status-page.png');
const TOKEN = 'tray-window-token-0123';

describe.skipIf(!haveChromium())('status page in headless Chromium', () => {
  let browser: BrowserContext;
  let srv: ApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ host: '127.0.0.1', port: 0, token: TOKEN, timeZone: 'Europe/Moscow', nowMs: () => NOW }, fixtureProvider());
    browser = await launchChromium({ viewport: { width: 1100, height: 900 }, timezoneId: 'Europe/Moscow' });
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('renders cameras, warnings, pipeline, box and sellers from /status and /api/kpis', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => void requests.push(r.url()));
    page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    // The Technician face is its own tab of the page (the Manager face is the default).
    await page.goto(`${srv.url}/?token=${TOKEN}#technician`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });
    expect(await page.isVisible('#cameras')).toBe(true);
    expect(await page.isVisible('#manager')).toBe(false);

    const rows = await page.$$eval('#cameras tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['entrance', 'up'],
      ['hall', 'frozen'],
      ['till', 'down'],
    ]);
    expect(rows[0]![3]).toBe('4.9');
    expect(rows[2]![6]).toBe('61%');
    expect(await page.$eval('#cameras tr[data-camera="hall"] .badge', (b) => b.className)).toBe('badge state-frozen');

    const warnings = await page.$$eval('#warnings li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(warnings).toEqual(STATUS.warnings.map((w) => w.source + w.message));

    expect(await page.textContent('#store')).toBe('msk-01');
    expect(await page.textContent('#detector')).toContain('2 / 8');
    expect(await page.textContent('#sync')).toContain('124 rows');
    // Failures in a row and the next try, in the store's local time (NOW + 20 s = 12:30:20 MSK).
    const syncPairs = await page.$$eval('#sync dt', (dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
    expect(syncPairs).toEqual(
      expect.arrayContaining([
        ['quarantined', '0 rows'],
        ['failures in a row', '3'],
        ['next try', '12:30:20'],
      ]),
    );
    expect(await page.isVisible('#sync-quarantine')).toBe(false); // nothing quarantined here
    expect(await page.textContent('#box')).toContain('not reported'); // no temperature on this box

    expect(await page.textContent('#kpi-date')).toBe('2025-03-05');
    const sellers = await page.$$eval('#sellers tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(sellers.map((s) => [s[0], s[1], s[2], s[3]])).toEqual([
      ['anna', '30', '11', '37%'],
      ['boris', '25', '6', '24%'],
    ]);
    expect(sellers[1]![7]).toBe('—'); // no purchases without consultation

    // Only the agent itself was contacted, and the script ran under the strict CSP without errors.
    const origin = new URL(srv.url).origin;
    expect(requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
    expect(requests.map((u) => new URL(u).pathname)).toEqual(
      expect.arrayContaining(['/', '/ui/i18n.js', '/ui/status.js', '/ui/status.css', '/status', '/api/kpis']),
    );
    expect(problems, problems.join('; ')).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('shows the agent as unreachable when the token is wrong', async () => {
    const page = await browser.newPage();
    await page.goto(`${srv.url}/?token=${TOKEN}`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });
    // The page itself needs the token too; with it, polling with a wrong header fails visibly.
    await page.route('**/status', (route) => route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer wrong' } }));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 5600)));
    const banner = page.locator('#offline');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toMatch(/cannot reach the agent: \/status: 401 missing or wrong token/);
    await page.close();
  });

  it('warns of quarantined outbox rows of a real store, with failures and the next try', async () => {
    // A real SQLite store: two outbox rows, one tampered so that it fails the sync whitelist,
    // quarantined on the way out by pendingRows() as the sync loop would (test/store/outbox.test.ts).
    const store: Store = openStore(':memory:', { nowMs: NOW });
    saveCameraUptime(store.db, 'msk-02', [{ cameraId: 'cam1', day: '2025-03-04', upMs: 1, downMs: 0, outages: 0 }], NOW);
    saveCameraUptime(store.db, 'msk-02', [{ cameraId: 'cam1', day: '2025-03-05', upMs: 2, downMs: 0, outages: 0 }], NOW);
    store.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.floor_x', 1.5) WHERE seq = 1").run();
    expect(pendingRows(store.db, 10, NOW).map((r) => r.seq)).toEqual([2]);
    expect(outboxBacklog(store.db)).toMatchObject({ unsent: 1, quarantined: 1 });
    const cfg = validateConfig({ store: { id: 'msk-02', timezone: 'Europe/Moscow', locale: 'en' }, sync: { url: 'http://127.0.0.1:9/' } });
    const nextTry = NOW + 95_000; // 12:31:35 MSK
    const real = await startApiServer(
      { host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow', nowMs: () => NOW },
      storeProvider(cfg, store.db, {
        startedMs: NOW - 60_000,
        clock: () => NOW,
        sync: () => ({ lastSuccessMs: null, lastError: 'connect ECONNREFUSED 127.0.0.1:9', failures: 2, nextTryMs: nextTry }),
      }),
    );
    const page = await browser.newPage();
    try {
      await page.goto(`${real.url}/#technician`);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });
      const pairs = await page.$$eval('#sync dt', (dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
      expect(pairs).toEqual([
        ['enabled', 'yes'],
        ['backlog', '1 rows'],
        ['quarantined', '1 rows'],
        ['last success', '—'],
        ['last error', 'connect ECONNREFUSED 127.0.0.1:9'],
        ['failures in a row', '2'],
        ['next try', '12:31:35'],
      ]);
      const warn = page.locator('#sync-quarantine');
      expect(await warn.isVisible()).toBe(true);
      expect(await warn.textContent()).toMatch(/^1 outbox rows quarantined: .*floorsense sync --status$/);
      expect(await page.textContent('#sync-quarantine code')).toBe('floorsense sync --status');
      // The same in Russian once the language is switched.
      await page.evaluate(() => (window as unknown as { FS: { setLocale(l: string): void } }).FS.setLocale('ru'));
      expect(await warn.textContent()).toMatch(/^Строк на карантине: 1\. .*floorsense sync --status$/);
      expect(await page.textContent('#sync')).toContain('следующая попытка12:31:35');
      await page.evaluate(() => (window as unknown as { FS: { setLocale(l: string): void } }).FS.setLocale('en')); // the profile keeps the choice
    } finally {
      await page.close();
      await real.close();
      store.close();
    }
  });
});
