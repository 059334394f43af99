/**
 * The Manager face's heatmap for a store whose camera has no floor calibration (the common case
 * on a freshly installed box): presence is drawn over the camera's own picture instead of a floor
 * plan. Real headless Chromium against the agent's provider and API over a real SQLite store filled
 * by `floorsense import` with a simulated day whose store.yaml has no floor point pairs.
 * Screenshot: out/ui/manager-heatmap-pictures-ru.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { main } from '../../agent/src/cli/main.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { haveChromium, launchChromium, refuseOutside } from '../helpers/chromium.js';
import { storeProvider } from '../helpers/store-provider.js';

const SHOTS = join(process.cwd(), 'out', 'ui');
const DAY = '2025-04-14';
const SCENARIO = `store: {id: uncalibrated, timezone: Europe/Moscow}
date: "${DAY}"
hours: {open: "10:00", close: "13:00"}
cameras: {count: 1, homography: false}
sellers:
  - {id: S1, name: Анна Иванова, start: "10:00", end: "13:00", post: floor}
customers:
  arrivals_per_hour: [12, 12, 12]
  consult_probability: 0.4
video: {fps: 25, stride: 50}
`;

describe.skipIf(!haveChromium())('manager heatmap over the camera picture (no floor calibration)', () => {
  let dir: string;
  let store: Store;
  let srv: ApiServer;
  let browser: BrowserContext;
  const outside: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-heat-'));
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
    const out = join(dir, 'sim');
    const log = console.log;
    console.log = () => undefined;
    try {
      expect(await main(['simulate', '--config', join(dir, 'scenario.yaml'), '--seed', '3', '--date', DAY, '--out', out])).toBe(0);
      const cfgPath = join(dir, 'store.yaml');
      const { readFileSync } = await import('node:fs');
      writeFileSync(cfgPath, `${readFileSync(join(out, 'store.yaml'), 'utf8')}storage:\n  path: ${join(dir, 'fs.db')}\n`);
      expect(readFileSync(cfgPath, 'utf8')).not.toMatch(/floor:/);
      const args = ['--config', cfgPath, '--tracks', join(out, 'tracks'), '--receipts', join(out, 'receipts.csv'), '--schedule', join(out, 'schedule.csv')];
      expect(await main(['import', ...args])).toBe(0);
      const cfg = loadConfigFile(cfgPath);
      store = openStore(cfg.storage.path, { nowMs: Date.now() });
      const provider = storeProvider(cfg, store.db);
      srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow' }, provider);
    } finally {
      console.log = log;
    }
    browser = await launchChromium({ viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Moscow' });
    await refuseOutside(browser, new URL(srv.url).origin, outside);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws each uncalibrated camera’s presence, says why there is no floor plan, and asks nothing of a camera that is not live', async () => {
    const api = (await (await fetch(`${srv.url}/api/kpis?date=${DAY}`)).json()) as {
      heatmap: unknown;
      camera_heatmaps: Array<{ camera: string; cell_px: number; cols: number; rows: number; counts: number[]; picture: boolean }>;
    };
    expect(api.heatmap).toBeNull();
    expect(api.camera_heatmaps.map((h) => [h.camera, h.picture])).toEqual([['cam1', false]]);
    const h = api.camera_heatmaps[0]!;
    const busy = h.counts.filter((n) => n > 0).length;
    expect(busy).toBeGreaterThan(20);
    // Inside the simulated 1280x720 picture.
    expect(h.cols * h.cell_px).toBeLessThanOrEqual(1280 + h.cell_px);
    expect(h.rows * h.cell_px).toBeLessThanOrEqual(720 + h.cell_px);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => void errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    const requested: string[] = [];
    page.on('request', (r) => void requested.push(new URL(r.url()).pathname));
    await page.goto(`${srv.url}/`);
    await page.waitForSelector(`body[data-day="${DAY}"][data-manager="ready"]`, { timeout: 15_000 });
    await page.waitForSelector('#camera-heatmaps canvas[data-camera="cam1"][data-background="none"]');
    expect(await page.isHidden('#heatmap')).toBe(true);
    expect(await page.textContent('#heatmap-note')).toMatch(/поверх изображения каждой камеры/);
    expect(Number(await page.getAttribute('#camera-heatmaps canvas', 'data-cells'))).toBe(busy);
    expect(await page.textContent('#camera-heatmaps figcaption')).toBe('Камера cam1: где стояли покупатели');
    // Painted: the canvas has the grid's size and red cells on the plain ground.
    const painted = await page.$eval('#camera-heatmaps canvas', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let red = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! > d[i + 1]! + 10) red++;
      return { w: cv.width, h: cv.height, red };
    });
    expect([painted.w, painted.h]).toEqual([h.cols * h.cell_px, h.rows * h.cell_px]);
    expect(painted.red).toBeGreaterThan(busy * h.cell_px * h.cell_px * 0.5);
    expect(requested.filter((p) => p.includes('/snapshot'))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'manager-heatmap-pictures-ru.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
