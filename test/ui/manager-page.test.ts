/**
 * The Manager face in real headless Chromium against the agent's own provider and API server over a
 * real SQLite store filled by `floorsense import` with three simulated days (named sellers, receipts,
 * schedule). Checks: the page's numbers equal `floorsense report --json` for the same day, in ru and
 * en; Russian by default with a `lang` attribute; table headers; keyboard-reachable controls; an
 * unknown seller id shown as its id; a day without data says so; partial camera coverage is shown;
 * nothing is requested outside the agent. Screenshots go to out/ui/ (look at them).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { rollUpCameraUptime } from '../../agent/src/agent/rollup.js';
import { main } from '../../agent/src/cli/main.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import type { DayReport } from '../../agent/src/metrics/kpis.js';
import { zonedToUtc } from '../../agent/src/core/local-time.js';
import { insertCameraHealth } from '../../agent/src/store/detail.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { haveChromium, launchChromium, refuseOutside } from '../helpers/chromium.js';
import { storeProvider } from '../helpers/store-provider.js';

const SHOTS = join(process.cwd(), 'out', 'ui');
const TZ = 'Europe/Moscow';
const DAYS = ['2025-04-14', '2025-04-15', '2025-04-16'] as const;
const NO_DATA_DAY = '2025-04-13';

// A short day: four opening hours, one camera, a counter seller and two on the floor.
const SCENARIO = `store: {id: ui-store, timezone: ${TZ}, currency: RUB}
date: "2025-04-14"
hours: {open: "10:00", close: "14:00"}
cameras: {count: 1, homography: true}
sellers:
  - {id: S1, name: Анна Иванова, start: "10:00", end: "14:00", post: counter}
  - {id: S2, name: Борис Петров, start: "10:00", end: "14:00", post: floor}
  - {id: S3, name: Вера Смирнова, start: "11:00", end: "14:00", post: floor}
customers:
  arrivals_per_hour: [10, 14, 14, 10]
  consult_probability: 0.45
video: {fps: 25, stride: 50}
`;

async function quiet<T>(f: () => Promise<T>): Promise<{ value: T; out: string }> {
  let out = '';
  const w = process.stdout.write.bind(process.stdout);
  const log = console.log;
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  console.log = (...a: unknown[]) => void (out += `${a.join(' ')}\n`);
  try {
    return { value: await f(), out };
  } finally {
    process.stdout.write = w;
    console.log = log;
  }
}

describe.skipIf(!haveChromium())('manager dashboard in headless Chromium over imported days', () => {
  let dir: string;
  let cfgPath: string;
  let store: Store;
  let srv: ApiServer;
  let browser: BrowserContext;
  const reports = new Map<string, DayReport>();
  const outside: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-manager-'));
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
    for (const [i, day] of DAYS.entries()) {
      const out = join(dir, day);
      expect((await quiet(() => main(['simulate', '--config', join(dir, 'scenario.yaml'), '--seed', String(i + 1), '--date', day, '--out', out]))).value).toBe(
        0,
      );
      if (i === 0) {
        // The store config the simulator wrote, with the store's currency and a store file.
        cfgPath = join(dir, 'store.yaml');
        writeFileSync(
          cfgPath,
          `${readFileSync(join(out, 'store.yaml'), 'utf8').replace(
            /^store:\n {2}id: ui-store\n {2}timezone: Europe\/Moscow\n/m,
            'store:\n  id: ui-store\n  timezone: Europe/Moscow\n  currency: RUB\n',
          )}storage:\n  path: ${join(dir, 'fs.db')}\n`,
        );
      }
      // The second day's schedule never arrived: the staff the cameras saw is explained by no
      // shift, so the analytics cannot name them and they keep their ids (staff-<person>).
      if (i === 1) writeFileSync(join(out, 'schedule.csv'), 'date,seller_id,name,start,end\n');
      const args = ['--config', cfgPath, '--tracks', join(out, 'tracks'), '--receipts', join(out, 'receipts.csv'), '--schedule', join(out, 'schedule.csv')];
      expect((await quiet(() => main(['import', ...args]))).value).toBe(0);
      const rep = await quiet(() => main(['report', ...args, '--date', day, '--json']));
      expect(rep.value).toBe(0);
      reports.set(day, JSON.parse(rep.out) as DayReport);
    }
    expect(readFileSync(cfgPath, 'utf8')).toMatch(/currency: RUB/);
    const cfg = loadConfigFile(cfgPath);
    store = openStore(cfg.storage.path, { nowMs: Date.now() });
    // The camera was down 11:00-11:40 on the last day: the roll-up records it as uptime < 100%.
    const d = DAYS[2];
    insertCameraHealth(store.db, [
      { cameraId: 'cam1', tMs: zonedToUtc(d, '10:00', TZ), state: 'up' },
      { cameraId: 'cam1', tMs: zonedToUtc(d, '11:00', TZ), state: 'down' },
      { cameraId: 'cam1', tMs: zonedToUtc(d, '11:40', TZ), state: 'up' },
    ]);
    rollUpCameraUptime(store.db, cfg.store.id, TZ, [d], Date.now(), cfg.health.opening_hours);
    const provider = storeProvider(cfg, store.db);
    srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: TZ }, provider);
    browser = await launchChromium({ viewport: { width: 1400, height: 1000 }, timezoneId: TZ });
    // Every request the page makes passes here: anything not for the agent is refused and recorded.
    const origin = new URL(srv.url).origin;
    await refuseOutside(browser, origin, outside);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${srv.url}/`);
    await page.waitForSelector('body[data-manager="ready"]', { timeout: 15_000 });
    return page;
  }

  async function ready(page: Page, day: string): Promise<void> {
    await page.waitForSelector(`body[data-day="${day}"][data-manager="ready"]`, { timeout: 15_000 });
  }

  /** The page's numbers: cards and seller cells by KPI key, raw value and shown text. */
  async function pageNumbers(page: Page) {
    return page.evaluate(() => {
      const cards = [...document.querySelectorAll<HTMLElement>('#cards .card')].map((c) => ({
        key: c.dataset.kpi!,
        value: c.querySelector<HTMLElement>('.value')!.dataset.value ?? null,
        text: c.querySelector('.value')!.textContent,
      }));
      const sellers = [...document.querySelectorAll<HTMLTableRowElement>('#m-sellers tbody tr')].map((tr) => ({
        id: tr.dataset.seller!,
        name: tr.querySelector('.seller-name')!.textContent,
        small: tr.querySelector('.seller-id')?.textContent ?? null,
        cells: [...tr.querySelectorAll<HTMLElement>('td[data-key]')].map((td) => ({
          key: td.dataset.key!,
          value: td.dataset.value ?? null,
          text: td.textContent,
        })),
      }));
      return { cards, sellers };
    });
  }

  function expectNumbersEqual(got: Awaited<ReturnType<typeof pageNumbers>>, r: DayReport, locale: 'ru' | 'en'): void {
    const store = r.store as unknown as Record<string, number | null>;
    for (const c of got.cards) expect([c.key, c.value === null ? null : Number(c.value)]).toEqual([c.key, store[c.key]]);
    expect(got.cards.map((c) => c.key)).toEqual(
      expect.arrayContaining(['customers', 'consulted_customers', 'buying_customers', 'receipts', 'receipts_total', 'interaction_ratio']),
    );
    expect(got.sellers.map((s) => s.id)).toEqual(r.sellers.map((s) => s.seller_id));
    for (const s of got.sellers) {
      const want = r.sellers.find((x) => x.seller_id === s.id)! as unknown as Record<string, number | null>;
      for (const c of s.cells) expect([s.id, c.key, c.value === null ? null : Number(c.value)]).toEqual([s.id, c.key, want[c.key]]);
    }
    // Shown as Intl formats them for the locale.
    const card = (k: string) => got.cards.find((c) => c.key === k)!.text;
    expect(card('customers')).toBe(new Intl.NumberFormat(locale).format(r.store.customers));
    expect(card('interaction_ratio')).toBe(new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(r.store.interaction_ratio!));
    expect(card('receipts_total')).toBe(new Intl.NumberFormat(locale, { style: 'currency', currency: 'RUB' }).format(r.store.receipts_total));
  }

  it('opens in Russian on the latest day; its numbers equal `floorsense report --json`; coverage is flagged', async () => {
    const page = await open();
    await ready(page, DAYS[2]);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.inputValue('#day')).toBe(DAYS[2]);
    // A past day comes from the roll-up's saved view, and says so.
    expect(await page.isVisible('#saved')).toBe(true);
    const headers = await page.$$eval('#m-sellers thead th', (ths) => ths.map((th) => [th.getAttribute('scope'), th.textContent]));
    expect(headers).toHaveLength(14);
    expect(headers.every(([scope, text]) => scope === 'col' && (text ?? '').length > 0)).toBe(true);
    expect(headers[0]![1]).toBe('Продавец');
    const r = reports.get(DAYS[2])!;
    expect(r.sellers.map((s) => s.name)).toEqual(['Анна Иванова', 'Борис Петров', 'Вера Смирнова']);
    const got = await pageNumbers(page);
    expectNumbersEqual(got, r, 'ru');
    expect(got.sellers.map((s) => [s.name, s.small])).toEqual([
      ['Анна Иванова', 'S1'],
      ['Борис Петров', 'S2'],
      ['Вера Смирнова', 'S3'],
    ]);
    // Consultations happened and some of them sold.
    expect(r.store.consultations).toBeGreaterThan(5);
    expect(r.store.successful_consultations).toBeGreaterThan(0);
    expect(await page.$$eval('#timeline .tl-bar', (b) => b.length)).toBe(r.store.consultations);
    // The hourly chart's series add up to the day's figures.
    const api = (await (await fetch(`${srv.url}/api/kpis?date=${DAYS[2]}`)).json()) as { hourly: Array<{ visitors: number; consultations: number }> };
    expect(api.hourly).toHaveLength(24);
    expect(api.hourly.reduce((n, h) => n + h.visitors, 0)).toBe(r.store.customers);
    expect(api.hourly.reduce((n, h) => n + h.consultations, 0)).toBe(r.store.consultations);
    // Partial coverage is said next to the numbers.
    expect(await page.isVisible('#coverage')).toBe(true);
    expect(await page.textContent('#coverage')).toMatch(/камеры не работали.*cam1 \d+(,\d)?\s%/);
    // The hourly chart and one sparkline per seller, with a point for each day the seller has a row.
    expect(await page.$$eval('#chart-hourly canvas', (c) => c.length)).toBe(1);
    const rowDays = r.sellers.map((s) =>
      String(DAYS.filter((d) => reports.get(d)!.sellers.some((x) => x.seller_id === s.seller_id && x.interaction_ratio !== null)).length),
    );
    expect(rowDays).toEqual(['2', '2', '2']); // day 2 had no schedule: its sellers are unnamed ids
    expect(await page.$$eval('#m-sellers td.spark > div', (d) => d.map((x) => (x as HTMLElement).dataset.points))).toEqual(rowDays);
    // Another KPI's trend, picked in the page.
    await page.selectOption('#trend-metric', 'consultations');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#m-sellers td.spark > div')?.dataset.metric === 'consultations');
    expect(await page.$$eval('#m-sellers td.spark > div', (d) => d.map((x) => (x as HTMLElement).dataset.points))).toEqual(rowDays);
    await page.selectOption('#trend-metric', 'interaction_ratio');
    expect(await page.textContent('.rule')).toMatch(/Выручка продавца: каждый чек/);
    // The floor heatmap (the simulated camera has a floor homography): drawn, with busy cells.
    expect(Number(await page.getAttribute('#heatmap', 'data-cells'))).toBeGreaterThan(20);
    expect(await page.textContent('#heatmap-note')).toMatch(/клетки 0,5 м/);
    await page.screenshot({ path: join(SHOTS, 'manager-ru.png'), fullPage: true });
    await page.close();
  });

  it('switches to English in the page and keeps the same numbers', async () => {
    const page = await open();
    await ready(page, DAYS[2]);
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await ready(page, DAYS[2]);
    expect(await page.textContent('#m-sellers thead th')).toBe('Seller');
    expectNumbersEqual(await pageNumbers(page), reports.get(DAYS[2])!, 'en');
    expect(await page.textContent('.rule')).toMatch(/^Attributed revenue: each receipt counts for at most one seller/);
    await page.screenshot({ path: join(SHOTS, 'manager-en.png'), fullPage: true });
    await page.click('#tab-technician');
    await page.waitForSelector('#technician:not([hidden])');
    expect(await page.textContent('#technician h2')).toBe('Warnings');
    await page.screenshot({ path: join(SHOTS, 'technician-en.png'), fullPage: true });
    await page.click('#tab-manager');
    await page.waitForSelector('#manager:not([hidden])');
    // The choice is the viewer's and survives a reload.
    await page.reload();
    await page.waitForSelector('body[data-manager="ready"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.selectOption('#lang', 'ru');
    await page.close();
  });

  it('is driven by keyboard alone: earlier days, an unknown seller id, a day without data, the Technician tab', async () => {
    const page = await open();
    await ready(page, DAYS[2]);
    const reached: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(reached).toEqual(expect.arrayContaining(['tab-manager', 'tab-technician', 'lang', 'day-prev', 'day', 'day-next', 'trend-metric']));

    await page.focus('#day-prev');
    await page.keyboard.press('Enter');
    await ready(page, DAYS[1]);
    const r1 = reports.get(DAYS[1])!;
    const got = await pageNumbers(page);
    expectNumbersEqual(got, r1, 'ru');
    // No schedule that day: every seller is an unknown id, shown as the id (no name, no small id).
    const unknown = got.sellers.filter((s) => /^staff-\d+$/.test(s.id));
    expect(unknown.length).toBeGreaterThan(1);
    expect(unknown.length).toBe(got.sellers.length);
    for (const u of unknown) expect([u.name, u.small]).toEqual([u.id, null]);
    await page.screenshot({ path: join(SHOTS, 'manager-unknown-seller.png'), fullPage: true });

    await page.keyboard.press('Enter');
    await ready(page, DAYS[0]);
    await page.keyboard.press('Enter');
    await ready(page, NO_DATA_DAY);
    expect(await page.isVisible('#no-data')).toBe(true);
    expect(await page.textContent('#no-data')).toMatch(/^Нет данных за этот день/);
    expect(await page.isVisible('#cards')).toBe(false);
    expect(await page.inputValue('#day')).toBe(NO_DATA_DAY);
    await page.screenshot({ path: join(SHOTS, 'manager-no-data.png'), fullPage: true });

    await page.focus('#tab-technician');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#technician:not([hidden])');
    expect(await page.isVisible('#manager')).toBe(false);
    expect(await page.textContent('#technician h2')).toBe('Предупреждения');
    await page.screenshot({ path: join(SHOTS, 'technician-ru.png'), fullPage: true });
    await page.close();
  });

  it('asked nothing outside the agent and raised no script error', () => {
    expect(outside).toEqual([]);
    expect(problems, problems.join('; ')).toEqual([]);
  });
});
