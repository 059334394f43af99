/**
 * The calibration editor of the Technician face, end to end: a real agent (`floorsense run` as a
 * child process: real ffmpeg, YOLOv8, tracker, SQLite) reads a real 768x432 checkout-counter clip
 * from /work/shared/data; headless Chromium opens /#technician, opens the camera's calibration,
 * draws a staff zone with mouse clicks around where a tracked person stands, drags one corner into
 * place, draws and deletes a second zone, and saves. Then: the YAML holds the polygon in source
 * pixels (768x432, not the model's 640x360) with the file's comments kept, the .bak is the file as
 * it was, and the running agent reports that person's foot point inside the new zone through
 * GET /api/cameras/:id/calibration. Refusals: a nameless zone (from the page: key path listed),
 * fewer than 3 corners and a corner outside the picture (PUT), a cross-origin PUT; the file stays
 * as it was. A screenshot goes to out/ui/calibration-page.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CalibrationView } from '../../agent/src/api/index.js';
import { runAgentChild, type AgentChild } from '../agent/helpers.js';
import { haveChromium, launchChromium, refuseOutside } from '../helpers/chromium.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const SHOTS = join(process.cwd(), 'out', 'ui');
const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx') && haveChromium();

const STORE_YAML = (db: string): string => `# Checkout demo for the calibration editor: comments must survive a save.
store:
  id: calib-e2e
  timezone: UTC
cameras:
  # The counter camera; zones are drawn in the Technician page.
  - id: counter
    url: ./clips
sampling:
  stride: 5 # 5 fps of the 25 fps clip
detector:
  threads: 1
tracker:
  appearance: false
storage:
  path: ${db}
  integrity_check: quick
agent:
  archive_min_age_s: 0
api:
  port: 0
`;

describe.skipIf(!ok)('calibration editor in headless Chromium against a real agent on a real clip', () => {
  let dir: string;
  let cfgPath: string;
  let agent: AgentChild;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  const outside: string[] = [];
  const problems: string[] = [];

  const calibration = async (): Promise<CalibrationView> => {
    const r = await fetch(`${base}/api/cameras/counter/calibration`);
    expect(r.status).toBe(200);
    return (await r.json()) as CalibrationView;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-calib-ui-'));
    mkdirSync(join(dir, 'clips'));
    // 3 s of the counter at the camera's own 768x432 (re-encoded small and fast, no creation time).
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-ss',
      '4',
      '-i',
      dataPath('video/checkout_counter_cashier.mp4'),
      '-t',
      '3',
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '25',
      '-pix_fmt',
      'yuv420p',
      '-map_metadata',
      '-1',
      join(dir, 'clips', 'counter_20261120_090000.mp4'),
    ]);
    cfgPath = join(dir, 'store.yaml');
    writeFileSync(cfgPath, STORE_YAML(join(dir, 'fs.db')));
    agent = runAgentChild(['--config', cfgPath]);
    const listening = await agent.waitFor((l) => l.msg === 'local API listening', 60_000);
    base = String(listening.url);
    const doneLine = await agent.waitFor((l) => l.msg === 'archive: file done' || l.msg === 'archive: file failed', 120_000);
    expect(doneLine.msg).toBe('archive: file done');
    browser = await launchChromium({ viewport: { width: 1280, height: 1400 } });
    await refuseOutside(browser, new URL(base).origin, outside);
    page = await browser.newPage();
    page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (agent) {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Screen position of a source pixel on the editor's canvas. */
  const screen = async (p: readonly [number, number]): Promise<[number, number]> => {
    const box = (await page.locator('#cal-canvas').boundingBox())!;
    const size = await page.$eval('#cal-canvas', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    return [box.x + (p[0] * box.width) / size[0]!, box.y + (p[1] * box.height) / size[1]!];
  };
  const click = async (p: readonly [number, number]): Promise<void> => {
    const [x, y] = await screen(p);
    await page.mouse.click(x, y);
  };

  it('draws a zone around a tracked person with the mouse, saves it to the YAML (.bak kept), and the agent reports the person inside it', async () => {
    const before = await calibration();
    // Source pixels everywhere: the camera's 768x432, not the detector's 640x360 letterboxed picture.
    expect([before.width, before.height]).toEqual([768, 432]);
    expect(before.zones).toEqual([]);
    expect(before.tracks.length).toBeGreaterThan(0);
    for (const t of before.tracks) {
      expect(t.foot[0]).toBeCloseTo((t.box[0] + t.box[2]) / 2, 6);
      expect(t.foot[1]).toBe(t.box[3]);
      expect(t.zone).toBeNull();
      expect(t.color).toMatch(/^#[0-9a-f]{6}$/);
    }
    // The person whose feet are furthest from the picture's edges: room for a square around them.
    const margin = (t: CalibrationView['tracks'][number]): number => Math.min(t.foot[0], 768 - t.foot[0], t.foot[1], 432 - t.foot[1]);
    const person = [...before.tracks].sort((a, b) => margin(b) - margin(a))[0]!;
    const [fx, fy] = person.foot;
    const r = Math.max(8, Math.min(40, margin(person) - 2));
    const corners: Array<[number, number]> = [
      [fx - r, fy - r],
      [fx + r, fy - r],
      [fx + r, fy + r],
      [fx - r, fy + r],
    ];
    const original = readFileSync(cfgPath, 'utf8');

    await page.goto(`${base}/#technician`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    await page.selectOption('#lang', 'en');
    // The cameras table opens the calibration of its camera.
    await page.click('#cameras tr[data-camera="counter"]');
    await page.waitForSelector('#calibration[data-loaded="true"]', { timeout: 15_000 });
    await page.waitForFunction(() => {
      const img = document.getElementById('cal-img') as HTMLImageElement;
      return img.complete && img.naturalWidth > 0;
    });
    expect(await page.$eval('#cal-img', (i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight])).toEqual([768, 432]);
    expect(await page.$eval('#cal-canvas', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])).toEqual([768, 432]);
    expect(await page.$$eval('#cal-tracks tbody tr', (trs) => trs.length)).toBe(before.tracks.length);

    // The zone: 4 clicks, the last deliberately misplaced, then Finish.
    await page.selectOption('#cal-kind', 'staff');
    await page.click('#cal-add-zone');
    for (const c of corners.slice(0, 3)) await click(c);
    const misplaced: [number, number] = [Math.max(2, fx - r - 30), Math.min(430, fy + r + 30)];
    await click(misplaced);
    await page.click('#cal-finish');
    expect(await page.$$eval('#cal-zones tbody tr', (trs) => trs.length)).toBe(1);
    // Drag the misplaced corner to where it belongs.
    const [mx, my] = await screen(misplaced);
    const [tx, ty] = await screen(corners[3]!);
    await page.mouse.move(mx, my);
    await page.mouse.down();
    await page.mouse.move((mx + tx) / 2, (my + ty) / 2);
    await page.mouse.move(tx, ty);
    await page.mouse.up();
    await page.fill('#cal-zones tr[data-zone="0"] .cal-zone-name', 'behind counter');
    // A second zone drawn and deleted again: it must not reach the file.
    await page.click('#cal-add-zone');
    // From the keyboard this time: a stray fourth corner taken back with Backspace, Enter finishes.
    for (const c of [
      [10, 10],
      [60, 10],
      [60, 60],
      [300, 300],
    ] as const)
      await click(c);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    expect(await page.$$eval('#cal-zones tbody tr', (trs) => trs.length)).toBe(2);
    expect(await page.textContent('#cal-zones tr[data-zone="1"] td.num')).toBe('3');
    await page.click('#cal-zones tr[data-zone="1"] .cal-zone-delete');
    expect(await page.$$eval('#cal-zones tbody tr', (trs) => trs.length)).toBe(1);

    await page.click('#cal-save');
    await page.waitForSelector('#calibration[data-saved]', { timeout: 10_000 });
    expect(await page.textContent('#cal-result')).toContain(`${cfgPath}.bak`);

    // The file: the polygon in source pixels (a click lands within a pixel of its target), comments kept.
    const text = readFileSync(cfgPath, 'utf8');
    expect(text).toContain('# The counter camera; zones are drawn in the Technician page.');
    expect(text).toContain('stride: 5 # 5 fps of the 25 fps clip');
    const saved = parse(text) as { cameras: Array<{ id: string; url: string; zones: Array<{ name: string; kind: string; polygon: number[][] }> }> };
    expect(saved.cameras[0]!.url).toBe('./clips');
    expect(saved.cameras[0]!.zones.map((z) => [z.name, z.kind])).toEqual([['behind counter', 'staff']]);
    const poly = saved.cameras[0]!.zones[0]!.polygon;
    expect(poly).toHaveLength(4);
    poly.forEach((p, i) => {
      expect(Math.abs(p[0]! - corners[i]![0]), `corner ${i} x`).toBeLessThanOrEqual(1.5);
      expect(Math.abs(p[1]! - corners[i]![1]), `corner ${i} y`).toBeLessThanOrEqual(1.5);
    });
    expect(readFileSync(`${cfgPath}.bak`, 'utf8')).toBe(original);

    // The running agent took the zone: the person's foot point is inside it, in the JSON and on the page.
    const after = await calibration();
    expect(after.zones).toEqual([{ name: 'behind counter', kind: 'staff', polygon: poly }]);
    const same = after.tracks.find((t) => t.track_id === person.track_id)!;
    expect(same.foot).toEqual(person.foot);
    expect([same.zone, same.zone_kind]).toEqual(['behind counter', 'staff']);
    await page.waitForFunction(
      (id) => document.querySelector(`#cal-tracks tr[data-track="${id}"]`)?.textContent?.includes('behind counter') ?? false,
      person.track_id,
      { timeout: 10_000 },
    );
    // The snapshot draws the zone and ids too (at source size).
    // The page's own polling may hold the encoder a moment (503 + Retry-After): ask again then.
    let snap = await fetch(`${base}/api/cameras/counter/snapshot`);
    for (let i = 0; i < 10 && snap.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 300));
      snap = await fetch(`${base}/api/cameras/counter/snapshot`);
    }
    expect(snap.status, snap.status === 200 ? '' : await snap.clone().text()).toBe(200);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-'], {
      input: Buffer.from(await snap.arrayBuffer()),
    })
      .toString()
      .trim();
    expect(probe).toBe('768,432');

    mkdirSync(SHOTS, { recursive: true });
    await page.locator('#calibration').screenshot({ path: join(SHOTS, 'calibration-page.png') });
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('refuses a nameless zone from the page with its key path, and bad polygons or a cross-origin write over the API; the file stays as it was', async () => {
    const kept = readFileSync(cfgPath, 'utf8');
    const bak = readFileSync(`${cfgPath}.bak`, 'utf8');
    await page.fill('#cal-zones tr[data-zone="0"] .cal-zone-name', '');
    await page.click('#cal-save');
    await page.waitForSelector('#cal-errors:not([hidden])', { timeout: 10_000 });
    const errors = await page.$$eval('#cal-errors li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(
      errors.some((e) => /^cameras\[0\]\.zones\[0\]\.name: /.test(e)),
      errors.join('\n'),
    ).toBe(true);
    expect(await page.textContent('#cal-result')).toContain('file is unchanged');
    // Chromium logs the refused PUT's 400 on its console: that one is expected, nothing else.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    problems.length = 0;

    const put = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${base}/api/cameras/counter/calibration`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const two = await put({
      zones: [
        {
          name: 'z',
          kind: 'staff',
          polygon: [
            [1, 1],
            [20, 20],
          ],
        },
      ],
      floor: null,
    });
    expect(two.status).toBe(400);
    const twoBody = (await two.json()) as { issues: string[] };
    expect(twoBody.issues.join('\n')).toMatch(/^cameras\[0\]\.zones\[0\]\.polygon: .*3/m);
    const far = await put({
      zones: [
        {
          name: 'z',
          kind: 'staff',
          polygon: [
            [10, 10],
            [1768, 20],
            [30, 400],
          ],
        },
      ],
      floor: null,
    });
    expect(far.status).toBe(400);
    expect(((await far.json()) as { issues: string[] }).issues).toEqual([
      'cameras[0].zones[0].polygon[1]: x=1768 is outside the 768x432 picture (zone "z" of camera "counter")',
    ]);
    const cross = await put({ zones: [], floor: null }, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect(readFileSync(cfgPath, 'utf8')).toBe(kept);
    expect(readFileSync(`${cfgPath}.bak`, 'utf8')).toBe(bak);
    // The agent still holds the saved zone.
    expect((await calibration()).zones.map((z) => z.name)).toEqual(['behind counter']);
    expect(existsSync(`${cfgPath}.tmp`)).toBe(false);
  }, 30_000);

  it('takes the floor homography from 4 clicked points and typed metres, draws the 1 m grid, and saves it', async () => {
    await page.click('#cal-reset'); // the nameless edit of the last test is dropped
    await page.waitForFunction(() => (document.querySelector('#cal-zones .cal-zone-name') as HTMLInputElement | null)?.value === 'behind counter');
    const image: Array<[number, number]> = [
      [100, 420],
      [700, 420],
      [600, 300],
      [200, 300],
    ];
    const world: Array<[number, number]> = [
      [0, 0],
      [6, 0],
      [5, 4],
      [1, 4],
    ];
    await page.click('#cal-floor-mode');
    for (const p of image) await click(p);
    await page.click('#cal-floor-mode');
    const inputs = page.locator('#cal-floor .cal-metre');
    expect(await inputs.count()).toBe(8);
    for (let i = 0; i < 4; i++) {
      await inputs.nth(2 * i).fill(String(world[i]![0]));
      await inputs.nth(2 * i).dispatchEvent('change');
      await inputs.nth(2 * i + 1).fill(String(world[i]![1]));
      await inputs.nth(2 * i + 1).dispatchEvent('change');
    }
    // The grid comes from the agent's own fit (POST /api/cameras/:id/floor-grid): exact for 4 points.
    await page.waitForFunction(() => /fit within 0 m/.test(document.getElementById('cal-grid-note')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await page.click('#cal-save');
    await page.waitForFunction(() => /Saved to/.test(document.getElementById('cal-result')?.textContent ?? ''), undefined, { timeout: 10_000 });
    const saved = parse(readFileSync(cfgPath, 'utf8')) as { cameras: Array<{ floor: { image: number[][]; world: number[][] }; zones: unknown[] }> };
    expect(saved.cameras[0]!.zones).toHaveLength(1);
    expect(saved.cameras[0]!.floor.world).toEqual(world);
    saved.cameras[0]!.floor.image.forEach((p, i) => {
      expect(Math.abs(p[0]! - image[i]![0])).toBeLessThanOrEqual(1.5);
      expect(Math.abs(p[1]! - image[i]![1])).toBeLessThanOrEqual(1.5);
    });
    const view = await calibration();
    expect(view.floor?.world).toEqual(world);
    expect(view.floor_grid!.lines.filter((l) => l.axis === 'x').map((l) => l.metres)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4, 5, 6]));
    await page.locator('#calibration').screenshot({ path: join(SHOTS, 'calibration-floor-grid.png') });
    // The store's own language: every label of the editor comes from the dictionary.
    await page.selectOption('#lang', 'ru');
    expect(await page.textContent('#cal-save')).toBe('Сохранить');
    // Messages worded before the switch are reworded too.
    expect(await page.textContent('#cal-size')).toMatch(/^Картинка 768 × 432 пикс\./);
    expect(await page.textContent('#cal-result')).toMatch(/^Сохранено в /);
    expect(await page.textContent('#cal-grid-note')).toMatch(/^Пунктир — сетка 1 м/);
    if (view.tracks.some((t) => t.zone === null)) expect(await page.textContent('#cal-tracks')).toContain('вне зон');
    await page.locator('#calibration').screenshot({ path: join(SHOTS, 'calibration-floor-grid-ru.png') });
    expect(problems).toEqual([]);
  }, 30_000);
});
