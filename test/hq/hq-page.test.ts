/**
 * `floorsense hq` in real headless Chromium against a real ClickHouse 18.16 filled by three
 * simulated stores through the agent's own sync (test/sync/chain-fixture.ts: the same boxes whose
 * views test/sync/chain-views.test.ts proves equal to `floorsense report --json`), read with the
 * read-only dashboard user of `sync --init` (users.xml form, 18.16 has no SQL users). Checks: the
 * page's numbers equal the views' (one day: the view rows themselves; a range: sums of the view
 * rows), ranking by the picked KPI, sellers sortable by keyboard, ru default with `lang`, en
 * switch, table headers, coverage warnings, ClickHouse down named and retried, the Host guard,
 * nothing requested outside hq. Screenshots go to out/hq/ (look at them).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../agent/src/api/index.js';
import { chainReader, startHqServer } from '../../agent/src/hq/index.js';
import { openStore } from '../../agent/src/store/open.js';
import { createClickHouseTransport, type CentralTransport } from '../../agent/src/sync/clickhouse.js';
import { drainOutbox } from '../../agent/src/sync/drain.js';
import { syncInit } from '../../agent/src/sync/service.js';
import { haveChdb, startChdb } from '../helpers/chdb.js';
import { haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { buildChainFixture, type ChainFixture } from '../sync/chain-fixture.js';
import { haveChromium, launchChromium, refuseOutside } from '../helpers/chromium.js';

const SHOTS = join(process.cwd(), 'out', 'hq');
const NOW = Date.UTC(2025, 3, 20);
const DB = 'chain';
const READER = 'floorsense_dashboard';
const PASSWORD = 'hq-test-password';

/** The helper's users.xml plus the read-only user `sync --init` prints for 18.16, with a real password hash. */
const usersXml = (): string => `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage></default><readonly><readonly>1</readonly></readonly></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default>
    <${READER}>
      <password_sha256_hex>${createHash('sha256').update(PASSWORD).digest('hex')}</password_sha256_hex>
      <networks><ip>::/0</ip></networks>
      <profile>readonly</profile>
      <quota>default</quota>
      <allow_databases><database>${DB}</database></allow_databases>
    </${READER}>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const per = (a: number, b: number, digits: number, scale = 1): number | null =>
  b === 0 ? null : Math.floor((a / b / scale) * 10 ** digits + 0.5) / 10 ** digits;

type Row = Record<string, unknown>;
const STORE_KEYS = [
  'visitors',
  'consulted_customers',
  'interaction_ratio',
  'consultations',
  'successful_consultations',
  'unsuccessful_consultations',
  'conversion',
  'buying_customers',
  'receipts',
  'revenue',
  'avg_purchase_with_consultation',
  'avg_purchase_without_consultation',
  'camera_coverage',
] as const;

/** What a range must show per store, computed here from the view rows alone. */
function expectedStores(days: Row[], cams: Row[]): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  const ids = [...new Set(days.map((r) => String(r.store_id)))].sort();
  for (const id of ids) {
    const rs = days.filter((r) => r.store_id === id);
    const sum = (k: string): number => rs.reduce((a, r) => a + Number(r[k]), 0);
    const cents = (k: string): number => Math.round(sum(k) * 100);
    const cs = cams.filter((c) => c.store_id === id);
    const up = cs.reduce((a, c) => a + Number(c.up_ms), 0);
    const down = cs.reduce((a, c) => a + Number(c.down_ms), 0);
    out[id] = {
      visitors: sum('visitors'),
      consulted_customers: sum('consulted_customers'),
      interaction_ratio: per(sum('consulted_customers'), sum('visitors'), 4),
      consultations: sum('consultations'),
      successful_consultations: sum('successful_consultations'),
      unsuccessful_consultations: sum('unsuccessful_consultations'),
      conversion: per(sum('buying_customers'), sum('visitors'), 4),
      buying_customers: sum('buying_customers'),
      receipts: sum('receipts'),
      revenue: cents('revenue') / 100,
      avg_purchase_with_consultation: per(cents('amount_with_consultation'), sum('buyers_with_consult'), 2, 100),
      avg_purchase_without_consultation: per(cents('amount_without_consultation'), sum('buyers_without_consult'), 2, 100),
      camera_coverage: cs.length === 0 ? null : per(up, up + down, 4),
    };
  }
  return out;
}

describe.skipIf(!haveChromium() || !haveClickHouse())('floorsense hq in headless Chromium over ClickHouse 18.16', () => {
  let fx: ChainFixture;
  let ch: ClickHouseServer;
  let reader: CentralTransport;
  let hq: ApiServer;
  let browser: BrowserContext;
  const outside: string[] = [];
  const problems: string[] = [];
  let outage = false;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    fx = await buildChainFixture(mkdtempSync(join(tmpdir(), 'fs-hq-')), NOW);
    ch = await startClickHouse();
    const admin = createClickHouseTransport({ url: ch.url, username: 'default', password: '', timeoutMs: 10_000 });
    await syncInit({ url: ch.url, database: DB, username: 'default', password: '', batch_rows: 100, timeout_s: 10 }, admin);
    for (const b of fx.boxes) {
      const copy = join(mkdtempSync(join(tmpdir(), 'fs-hq-box-')), 'box.db');
      copyFileSync(b.dbPath, copy);
      const store = openStore(copy, { nowMs: NOW });
      const t = createClickHouseTransport({ url: ch.url, username: 'default', password: '', timeoutMs: 10_000 });
      try {
        expect((await drainOutbox(store.db, t, { database: DB, batchRows: 100, clock: () => NOW })).remaining).toBe(0);
      } finally {
        store.close();
        await t.close();
      }
    }
    // The read-only user, as an admin adds it to users.xml; a restart reads it at once (the
    // server's own reload goes by the file's mtime in seconds and can miss a quick rewrite).
    writeFileSync(join(ch.dir, 'users.xml'), usersXml());
    await ch.kill();
    await ch.start();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await fetch(`${ch.url}/?user=${READER}&password=${PASSWORD}`, { method: 'POST', body: 'SELECT 1' });
      if (r.ok) break;
      if (Date.now() > deadline) throw new Error(`read-only user never accepted: ${await r.text()}`);
      await new Promise((res) => setTimeout(res, 300));
    }
    reader = createClickHouseTransport({ url: ch.url, username: READER, password: PASSWORD, timeoutMs: 5_000 });
    hq = await startHqServer(
      { host: '127.0.0.1', port: 0, locale: 'ru', server: reader.url, database: DB, retrySeconds: 1, currency: 'RUB' },
      chainReader(reader, DB),
    );
    browser = await launchChromium({ viewport: { width: 1500, height: 1000 } });
    const origin = new URL(hq.url).origin;
    await refuseOutside(browser, origin, outside);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await hq?.close();
    await reader?.close();
    await ch?.stop();
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // While ClickHouse is down on purpose, Chromium logs each 502 it gets, and the refused range's
      // 400; anything else counts.
      if (m.type() === 'error' && !(outage && /status of 502/.test(m.text())) && !/status of 400/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${hq.url}/`);
    await page.waitForSelector('body[data-hq="ready"], body[data-hq="offline"]', { timeout: 20_000 });
    if ((await page.getAttribute('body', 'data-hq')) === 'offline') throw new Error(`hq page offline: ${await page.textContent('#offline')}`);
    return page;
  }

  async function showRange(page: Page, from: string, to: string): Promise<void> {
    await page.fill('#from', from);
    await page.fill('#to', to);
    await page.click('#apply');
    await page.waitForSelector(`body[data-hq="ready"][data-from="${from}"][data-to="${to}"]`, { timeout: 15_000 });
  }

  const storeTable = (page: Page) =>
    page.$$eval('#stores tbody tr', (trs) =>
      trs.map((tr) => ({
        id: (tr as HTMLElement).dataset.store!,
        cells: Object.fromEntries(
          [...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => [
            td.dataset.key!,
            td.dataset.value === undefined ? null : Number(td.dataset.value),
          ]),
        ),
        text: Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => [td.dataset.key!, td.textContent])),
      })),
    );
  const sellerTable = (page: Page) =>
    page.$$eval('#sellers tbody tr', (trs) =>
      trs.map((tr) => ({
        store: (tr as HTMLElement).dataset.store!,
        seller: (tr as HTMLElement).dataset.seller!,
        cells: Object.fromEntries(
          [...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => [
            td.dataset.key!,
            td.dataset.value === undefined ? null : Number(td.dataset.value),
          ]),
        ),
      })),
    );

  async function viewRows(from: string, to: string) {
    const w = `day >= '${from}' AND day <= '${to}'`;
    return {
      days: await ch.rows(`SELECT * FROM ${DB}.v_store_day WHERE ${w} ORDER BY store_id, day`),
      cams: await ch.rows(`SELECT * FROM ${DB}.v_camera_day WHERE ${w} ORDER BY store_id, camera_id, day`),
      sellers: await ch.rows(`SELECT * FROM ${DB}.v_seller_day WHERE ${w} ORDER BY store_id, seller_id, day`),
    };
  }

  it('the reader is read-only: it can read the views and cannot write', async () => {
    expect(Number((await reader.queryRows(`SELECT count() AS n FROM ${DB}.v_store_day`))[0]?.n)).toBe(fx.days.length);
    await expect(reader.exec(`INSERT INTO ${DB}.store_daily_kpis (record_id, version) VALUES ('x', 1)`)).rejects.toMatchObject({ code: 'FS_REMOTE' });
  });

  it('opens in Russian on the last 7 days with data (from the first day there is); one day shows exactly the views (and so the boxes’ reports)', async () => {
    const page = await open();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.getAttribute('body', 'data-from')).toBe('2025-04-08'); // 04-07 would be 7 days; no store has a record before 04-08
    expect(await page.getAttribute('body', 'data-to')).toBe('2025-04-13');
    expect(await page.textContent('#server')).toContain(ch.url);
    expect(await page.textContent('#stores thead th[data-key="store_id"]')).toBe('Магазин');
    const heads = await page.$$eval('#stores thead th, #sellers thead th', (ths) =>
      ths.map((th) => [th.getAttribute('scope'), (th.textContent ?? '').trim().length > 0]),
    );
    expect(heads.length).toBe(16 + 12);
    expect(heads.every(([scope, text]) => scope === 'col' && text)).toBe(true);

    await showRange(page, '2025-04-08', '2025-04-08');
    const { days, sellers } = await viewRows('2025-04-08', '2025-04-08');
    expect(days.map((d) => d.store_id)).toEqual(['shop-noschedule', 'shop-quiet']);
    const got = await storeTable(page);
    expect(got.map((r) => r.id).sort()).toEqual(['shop-noschedule', 'shop-quiet']);
    for (const d of days) {
      const row = got.find((r) => r.id === d.store_id)!;
      expect(row.cells, String(d.store_id)).toEqual({ rank: row.cells.rank, days: 1, ...Object.fromEntries(STORE_KEYS.map((k) => [k, num(d[k])])) });
      const report = fx.days.find((x) => x.storeId === d.store_id && x.date === '2025-04-08')!.report.store;
      expect([row.cells.visitors, row.cells.interaction_ratio, row.cells.revenue]).toEqual([report.customers, report.interaction_ratio, report.revenue]);
    }
    // Ranked by the default KPI, interaction ratio, best first.
    expect(got.map((r) => r.cells.rank)).toEqual([1, 2]);
    expect(got[0]!.cells.interaction_ratio!).toBeGreaterThanOrEqual(got[1]!.cells.interaction_ratio!);
    expect(got[0]!.text.interaction_ratio).toBe(
      new Intl.NumberFormat('ru', { style: 'percent', maximumFractionDigits: 1 }).format(got[0]!.cells.interaction_ratio!),
    );
    const gotSellers = await sellerTable(page);
    expect(gotSellers.length).toBe(sellers.length);
    for (const s of sellers) {
      const row = gotSellers.find((x) => x.store === s.store_id && x.seller === s.seller_id)!;
      const keys = [
        'customers',
        'consulted_customers',
        'interaction_ratio',
        'consultations',
        'successful_consultations',
        'unsuccessful_consultations',
        'avg_purchase_with_consultation',
        'avg_purchase_without_consultation',
        'time_on_floor_seconds',
      ];
      expect(row.cells, `${String(s.store_id)} ${String(s.seller_id)}`).toEqual({ days: 1, ...Object.fromEntries(keys.map((k) => [k, num(s[k])])) });
    }
    await page.screenshot({ path: join(SHOTS, 'hq-one-day-ru.png'), fullPage: true });
    await page.close();
  });

  it('a range sums the views; the KPI picker re-ranks the stores and the trend; coverage warnings name store, camera and day', async () => {
    const page = await open();
    await showRange(page, '2025-04-01', '2025-04-13');
    const { days, cams, sellers } = await viewRows('2025-04-01', '2025-04-13');
    const want = expectedStores(days, cams);
    const got = await storeTable(page);
    expect(got.map((r) => r.id).sort()).toEqual(Object.keys(want));
    for (const r of got) {
      const { rank: _r, days: n, ...rest } = r.cells;
      expect(rest, r.id).toEqual(want[r.id]);
      expect(n).toBe(days.filter((d) => d.store_id === r.id).length);
    }
    // Sellers over several days: counts summed, purchase means from the view's summed receipts and
    // amounts (exact, rounded as the view rounds), not averaged from the daily means.
    const gotSellers = await sellerTable(page);
    let combined = 0;
    for (const s of gotSellers) {
      const rs = sellers.filter((x) => x.store_id === s.store && x.seller_id === s.seller);
      const sum = (k: string): number => rs.reduce((a, x) => a + Number(x[k]), 0);
      expect([s.cells.days, s.cells.customers, s.cells.consultations, s.cells.interaction_ratio], `${s.store} ${s.seller}`).toEqual([
        rs.length,
        sum('customers'),
        sum('consultations'),
        per(sum('consulted_customers'), sum('customers'), 4),
      ]);
      expect([s.cells.avg_purchase_with_consultation, s.cells.avg_purchase_without_consultation], `${s.store} ${s.seller} means`).toEqual([
        per(sum('amount_with_consult_minor'), sum('receipts_with_consult'), 2, 100),
        per(sum('amount_without_consult_minor'), sum('receipts_without_consult'), 2, 100),
      ]);
      if (rs.length > 1 && s.cells.avg_purchase_with_consultation !== null) combined++;
    }
    expect(combined, 'sellers with a purchase mean over several days').toBeGreaterThan(0);
    expect(new Set(gotSellers.map((s) => s.store)).size).toBeGreaterThan(1);
    expect(await page.$('#avg-note')).toBeNull(); // the old "one day only" note is gone

    // Pick revenue from the keyboard: the ranking follows it, best first, and so does the trend.
    await page.focus('#kpi');
    await page.selectOption('#kpi', 'revenue');
    await page.waitForSelector('body[data-kpi="revenue"]');
    const byRevenue = await storeTable(page);
    expect(byRevenue.map((r) => r.id)).toEqual(Object.keys(want).sort((a, b) => want[b]!.revenue! - want[a]!.revenue!));
    expect(await page.getAttribute('#stores thead th[data-key="revenue"]', 'aria-sort')).toBe('descending');
    expect(await page.getAttribute('#trend', 'data-kpi')).toBe('revenue');
    // Trend: 30 days ending on the range's last day, a point per store-day the views hold.
    const trendDays = await ch.rows(`SELECT count() AS n FROM ${DB}.v_store_day WHERE day >= '2025-03-15' AND day <= '2025-04-13'`);
    expect(await page.getAttribute('#trend', 'data-points')).toBe(String(num(trendDays[0]?.n)));
    expect(await page.getAttribute('#trend', 'data-stores')).toBe('3');
    expect(await page.$$eval('#trend canvas', (c) => c.length)).toBe(1);

    // Coverage: every camera-day below 99.5 % is listed, with the view's uptime.
    const low = cams.filter((c) => Number(c.up_ms) + Number(c.down_ms) > 0 && per(Number(c.up_ms), Number(c.up_ms) + Number(c.down_ms), 4)! < 0.995);
    expect(low.length).toBeGreaterThan(0);
    const items = await page.$$eval('#coverage li[data-store]', (li) =>
      li.map((x) => [
        (x as HTMLElement).dataset.store,
        (x as HTMLElement).dataset.camera,
        (x as HTMLElement).dataset.day,
        Number((x as HTMLElement).dataset.value),
      ]),
    );
    expect(items.map((i) => i.slice(0, 3).join(' ')).sort()).toEqual(low.map((c) => `${String(c.store_id)} ${String(c.camera_id)} ${String(c.day)}`).sort());
    expect(await page.textContent('#coverage')).toMatch(/shop-quiet, камера cam1, .*работала \d+(,\d)?\s%/);
    await page.screenshot({ path: join(SHOTS, 'hq-range-ru.png'), fullPage: true });
    await page.close();
  });

  it('the hour-of-day profile sums v_store_hour for the chain and for a store picked from the keyboard', async () => {
    const page = await open();
    await showRange(page, '2025-04-01', '2025-04-13');
    const expected = async (store: string | null): Promise<Record<string, Record<string, number | null>>> => {
      const rows = await ch.rows(
        `SELECT * FROM ${DB}.v_store_hour WHERE day >= '2025-04-01' AND day <= '2025-04-13'${store ? ` AND store_id = '${store}'` : ''} ORDER BY local_hour`,
      );
      const out: Record<string, Record<string, number | null>> = {};
      for (const h of [...new Set(rows.map((r) => Number(r.local_hour)))].sort((a, b) => a - b)) {
        const rs = rows.filter((r) => Number(r.local_hour) === h);
        const sum = (k: string): number => rs.reduce((a, r) => a + Number(r[k]), 0);
        const storeDays = new Set(rs.map((r) => `${String(r.store_id)}|${String(r.day)}`)).size;
        out[h] = {
          visitors: sum('visitors'),
          consultations: sum('consultations'),
          consultations_per_visitor: per(sum('consultations'), sum('visitors'), 4),
          receipts: sum('receipts'),
          staff_on_floor: per(Math.round(sum('staff_on_floor') * 100), storeDays, 2, 100),
          store_days: storeDays,
        };
      }
      return out;
    };
    const hourTable = () =>
      page.$$eval('#hours tbody tr', (trs) =>
        Object.fromEntries(
          trs.map((tr) => [
            (tr as HTMLElement).dataset.hour!,
            Object.fromEntries(
              [...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => [
                td.dataset.key!,
                td.dataset.value === undefined ? null : Number(td.dataset.value),
              ]),
            ),
          ]),
        ),
      );
    const chain = await expected(null);
    expect(Object.keys(chain).length).toBeGreaterThan(5);
    expect(await hourTable()).toEqual(chain);
    expect(Object.values(chain).some((h) => (h.staff_on_floor ?? 0) > 0)).toBe(true);
    expect(await page.$$eval('#hours-chart canvas', (c) => c.length)).toBe(1);
    expect(await page.textContent('#hours thead th[data-key="staff_on_floor"]')).toBe('Продавцов в зале (в среднем)');

    await page.focus('#hours-store');
    await page.keyboard.press('ArrowDown'); // the first store after "all stores"
    await page.waitForSelector('#hours-chart[data-store]:not([data-store=""])');
    await page.waitForSelector('body[data-hq="ready"]');
    const store = await page.getAttribute('#hours-chart', 'data-store');
    expect(store).toBe((await storeTable(page)).map((r) => r.id).sort()[0]);
    expect(await hourTable()).toEqual(await expected(store));
    await page.screenshot({ path: join(SHOTS, 'hq-hours-ru.png'), fullPage: true });
    // A store id that is not one is refused by the API, naming it.
    const bad = await page.evaluate(async () => {
      const r = await fetch("/api/hours?from=2025-04-01&to=2025-04-13&store=x'%20OR%201=1");
      return [r.status, (await r.json()).error];
    });
    expect(bad).toEqual([400, `store "x' OR 1=1" is not a store id (letters, digits, _ . -)`]);
    await page.close();
  });

  it('switches to English with the same numbers; every control is reachable by keyboard; sellers sort from the keyboard', async () => {
    const page = await open();
    const before = await storeTable(page);
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('#stores thead th[data-key="store_id"]')).toBe('Store');
    expect(await page.textContent('#sellers thead th[data-key="seller_id"]')).toBe('Seller');
    const after = await storeTable(page);
    expect(after.map((r) => r.cells)).toEqual(before.map((r) => r.cells));
    const r0 = after[0]!;
    // hq was started with --currency RUB: money reads as roubles in either language.
    expect(r0.text.revenue).toBe(new Intl.NumberFormat('en', { style: 'currency', currency: 'RUB' }).format(r0.cells.revenue!));
    await page.screenshot({ path: join(SHOTS, 'hq-en.png'), fullPage: true });

    await page.focus('body');
    const reached: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(reached).toEqual(expect.arrayContaining(['lang', 'from', 'to', 'apply', 'kpi', 'hours-store', 'sort-store_id']));

    // Sort sellers by customers: Enter on the header button, then again for the other direction.
    await page.focus('#sort-customers');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sellers th[data-key="customers"][aria-sort="descending"]');
    const desc = (await sellerTable(page)).map((s) => s.cells.customers!);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sort-customers');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sellers th[data-key="customers"][aria-sort="ascending"]');
    const asc = (await sellerTable(page)).map((s) => s.cells.customers!);
    expect(asc).toEqual([...desc].sort((a, b) => a - b));
    await page.selectOption('#lang', 'ru');
    await page.close();
  });

  it('a range the API refuses is shown as refused, not as ClickHouse down, and not retried', async () => {
    const page = await open();
    await page.fill('#from', '2025-04-10');
    await page.fill('#to', '2025-04-09');
    await page.click('#apply');
    await page.waitForSelector('body[data-hq="refused"]', { timeout: 10_000 });
    expect(await page.textContent('#offline')).toBe('Запрос отклонён: from 2025-04-10 is after to 2025-04-09');
    await showRange(page, '2025-04-09', '2025-04-10');
    expect(await page.isVisible('#offline')).toBe(false);
    await page.close();
  });

  it('ClickHouse down: the page says so, naming the server, and recovers by itself when it is back', async () => {
    const page = await open();
    outage = true;
    await ch.kill();
    const down = async (): Promise<Page> => {
      await page.click('#apply');
      await page.waitForSelector('body[data-hq="offline"]', { timeout: 15_000 });
      const text = await page.textContent('#offline');
      expect(text).toContain(`Нет связи с ClickHouse ${ch.url}: query`);
      expect(text).toMatch(/ECONNREFUSED.*Повтор каждые 1 с\.$/);
      await page.screenshot({ path: join(SHOTS, 'hq-offline-ru.png'), fullPage: true });
      // A page opened while it is down is told the same, from its first request.
      const fresh = await browser.newPage();
      await fresh.goto(`${hq.url}/`);
      await fresh.waitForSelector('body[data-hq="offline"]', { timeout: 15_000 });
      expect(await fresh.textContent('#offline')).toContain(ch.url);
      return fresh;
    };
    // Restarted whatever happens, so a failure here does not fail the tests after it.
    const fresh = await down().finally(() => ch.start());
    await page.waitForSelector('body[data-hq="ready"]', { timeout: 20_000 });
    await fresh.waitForSelector('body[data-hq="ready"]', { timeout: 20_000 });
    outage = false;
    expect(await page.isVisible('#offline')).toBe(false);
    expect((await storeTable(fresh)).length).toBe(3);
    await fresh.close();
    await page.close();
  });

  it('answers only loopback Host names and refuses bad ranges naming the parameter', async () => {
    const status = (host: string, path: string): Promise<[number, string]> =>
      new Promise((resolve, reject) => {
        const u = new URL(hq.url);
        const req = request({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
          let b = '';
          res.on('data', (c: Buffer) => (b += c.toString()));
          res.on('end', () => resolve([res.statusCode ?? 0, b]));
        });
        req.on('error', reject);
        req.end();
      });
    const [refused, why] = await status('evil.example', '/api/span');
    expect([refused, JSON.parse(why).error]).toEqual([
      421,
      expect.stringMatching(/^Host "evil.example" is not served here: .* add the name to --allowed-host to reach it under another$/),
    ]);
    expect((await status(`localhost:${new URL(hq.url).port}`, '/api/span'))[0]).toBe(200);
    const [code, body] = await status('127.0.0.1', '/api/chain?from=2025-04-31&to=2025-05-01');
    expect([code, JSON.parse(body).error]).toEqual([400, 'from "2025-04-31" is not a calendar date YYYY-MM-DD']);
    expect((await status('127.0.0.1', '/api/chain?from=2025-04-09&to=2025-04-08'))[0]).toBe(400);
    expect((await status('127.0.0.1', '/api/chain?from=2025-04-09&to=2025-04-10&x=1'))[0]).toBe(400);
  });

  // The same SQL on current ClickHouse (chdb, embedded): DataLens-era servers give the same page.
  it.skipIf(!haveChdb())(
    'current ClickHouse (chdb) filled by the same boxes answers hq exactly as 18.16 does',
    async () => {
      const cur = startChdb();
      try {
        await syncInit({ url: 'chdb', database: DB, username: 'default', password: '', batch_rows: 100, timeout_s: 10 }, cur.transport());
        for (const b of fx.boxes) {
          const copy = join(mkdtempSync(join(tmpdir(), 'fs-hq-box-')), 'box.db');
          copyFileSync(b.dbPath, copy);
          const store = openStore(copy, { nowMs: NOW });
          try {
            expect((await drainOutbox(store.db, cur.transport(), { database: DB, batchRows: 100, clock: () => NOW })).remaining).toBe(0);
          } finally {
            store.close();
          }
        }
        const old = chainReader(reader, DB);
        const now = chainReader(cur.transport(), DB);
        const strip = <T extends { server: string }>(v: T): Omit<T, 'server'> => {
          const { server: _s, ...rest } = v;
          return rest;
        };
        expect(strip(await now.span())).toEqual(strip(await old.span()));
        for (const [from, to] of [
          ['2025-04-08', '2025-04-08'],
          ['2025-04-01', '2025-04-13'],
          ['2025-04-12', '2025-04-13'],
        ] as const) {
          expect(strip(await now.view({ from, to })), `${from}..${to}`).toEqual(strip(await old.view({ from, to })));
        }
        expect(await now.trends('2025-04-13', 30)).toEqual(await old.trends('2025-04-13', 30));
      } finally {
        await cur.close();
      }
    },
    120_000,
  );

  it('asked nothing outside hq and raised no script error', () => {
    expect(outside).toEqual([]);
    expect(problems, problems.join('; ')).toEqual([]);
  });
});
