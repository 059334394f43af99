/**
 * `floorsense label` in real headless Chromium over a real clip: frames extracted by ffmpeg from
 * checkout_counter_cashier.mp4, the label server with the agent API's Host guard, and the page
 * driven by mouse and keyboard the way an annotator works: drag a box, resize one, draw one, delete
 * one, merge two identities, split one, set roles, mark a consultation, save; then the saved
 * gt.txt and events.json are read back and checked, and a reload resumes from them.
 * Screenshots go to out/label/ (look at them).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMot } from '../../agent/src/io/mot.js';
import { parseEventsFile } from '../../agent/src/eval/events/index.js';
import { openLabelSession } from '../../agent/src/label/session.js';
import { startLabelServer, type LabelServer } from '../../agent/src/label/server.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { haveChromium, launchChromium } from '../helpers/chromium.js';

const SHOTS = join(process.cwd(), 'out', 'label');
const CLIP = 'video/checkout_counter_cashier.mp4';
const CAM = 'checkout_counter_cashier';

// A small analyze-layout folder: four sampled frames at 2 fps of the 25 fps clip. Identity 1 is the
// customer on the left, 2 the cashier on the right, 3 a fragment of the customer (the tracker lost
// and re-found her) on the last two frames, 4 a false box in the upper left on frame 14.
const FRAMES = [1, 14, 26, 39];
const TRACKS = `${[
  '1,1,108,131,96,116,0.8,-1,-1,-1',
  '1,2,620,150,74,128,0.8,-1,-1,-1',
  '14,1,116,127,103,124,0.9,-1,-1,-1',
  '14,2,622,150,76,129,0.8,-1,-1,-1',
  '14,4,20,20,40,60,0.3,-1,-1,-1',
  '26,3,121,126,105,132,0.8,-1,-1,-1',
  '26,2,622,150,76,129,0.8,-1,-1,-1',
  '39,3,125,126,105,132,0.8,-1,-1,-1',
  '39,2,623,150,76,129,0.8,-1,-1,-1',
].join('\n')}\n`;

function call(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(url, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on('error', reject);
    r.end(body);
  });
}

describe.skipIf(!haveChromium() || !haveData(CLIP))('floorsense label in headless Chromium', () => {
  let dir: string;
  let server: LabelServer;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'fs-label-'));
    writeFileSync(join(dir, `${CAM}.txt`), TRACKS);
    writeFileSync(join(dir, `${CAM}.json`), JSON.stringify({ start: '2025-04-14T10:00:00.000Z', fps: 25, width: 768, height: 432 }));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ source: dataPath(CLIP), sampling_interval_s: 0.5, frames_sampled: FRAMES.length }));
    server = await startLabelServer(openLabelSession({ dir }), { port: 0 });
    browser = await launchChromium({ viewport: { width: 1500, height: 800 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="1"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const box = (id: number) => page.locator(`.box[data-id="${id}"]`);
  async function centre(id: number): Promise<{ x: number; y: number }> {
    const b = (await box(id).boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }
  async function dragBy(from: { x: number; y: number }, dx: number, dy: number): Promise<void> {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 3 });
    await page.mouse.move(from.x + dx, from.y + dy, { steps: 3 });
    await page.mouse.up();
  }

  it('extracted the sampled frames with ffmpeg and shows them in Russian by default', async () => {
    for (const f of FRAMES) expect(existsSync(join(dir, 'frames', `${f}.jpg`))).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.textContent('#frame-label')).toContain('Кадр 1 (1 из 4)');
    expect(await page.textContent('#from')).toContain('трекера');
    expect(await page.locator('.box').count()).toBe(2);
    const natural = await page.$eval('#frame', (img) => (img as HTMLImageElement).naturalWidth);
    expect(natural).toBe(768);
    await page.screenshot({ path: join(SHOTS, 'label-start.png') });
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-origin save, like the agent API', async () => {
    expect(await call(`${server.url}/api/state`, { host: 'evil.example' })).toBe(421);
    const save = JSON.stringify({ boxes: [], roles: {}, events: [] });
    expect(await call(`${server.url}/api/save`, { origin: 'http://evil.example', 'content-type': 'application/json' }, 'POST', save)).toBe(403);
    expect(existsSync(join(dir, 'gt.txt'))).toBe(false);
    const res = await page.evaluate(
      async () => (await fetch('/api/save', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"boxes":[]}' })).status,
    );
    expect(res).toBe(400); // same-origin but an incomplete body: refused, nothing written
    expect(existsSync(join(dir, 'gt.txt'))).toBe(false);
  });

  it('moves, resizes, draws and deletes boxes, merges, splits, sets roles, marks a consultation and saves', async () => {
    // Frame 1: drag the customer's box 30 px right and 20 px down, then enlarge the cashier's by its corner.
    await dragBy(await centre(1), 30, 20);
    const h = (await box(2).locator('.handle').boundingBox())!;
    await dragBy({ x: h.x + h.width / 2, y: h.y + h.height / 2 }, 10, 12);
    // Roles: the cashier through the identity list, the customer by key 2 with her box selected.
    await page.selectOption('select[data-role-id="2"]', 'staff');
    await page.mouse.click((await centre(1)).x, (await centre(1)).y);
    await page.keyboard.press('2');
    await expect.poll(() => box(1).getAttribute('class')).toContain('customer');
    // Frame 14: delete the false box 4 (select, Delete), draw a box for a person at the back (the
    // tracker missed him), and mark the consultation's start.
    await page.keyboard.press('ArrowRight');
    expect(await page.textContent('#frame-label')).toContain('Кадр 14');
    await page.mouse.click((await centre(4)).x, (await centre(4)).y);
    await page.keyboard.press('Delete');
    expect(await box(4).count()).toBe(0);
    const stage = (await page.locator('#stage').boundingBox())!;
    await dragBy({ x: stage.x + 400, y: stage.y + 100 }, 40, 90);
    expect(await page.locator('.box').count()).toBe(3);
    await page.keyboard.press('[');
    // Frame 26: the fragment 3 is the same customer: select 1? She is not on this frame, so merge
    // by keyboard from frame 14 is not possible; use the form (3 into 1).
    await page.keyboard.press('ArrowRight');
    await page.fill('#merge-from', '3');
    await page.fill('#merge-into', '1');
    await page.click('#merge-go');
    expect(await page.textContent('#status')).toContain('объединена');
    expect(await box(3).count()).toBe(0);
    expect(await box(1).count()).toBe(1);
    // Frame 39: end of the consultation; seller 2, customer 1.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(']');
    await page.fill('#ev-seller', '2');
    await page.fill('#ev-customer', '1');
    await page.selectOption('#ev-kind', 'checkout');
    await page.click('#ev-add');
    expect(await page.textContent('#events')).toContain('#2 → #1, 14–39');
    // A keyboard merge that would put two boxes of one identity on a frame is refused.
    await page.mouse.click((await centre(2)).x, (await centre(2)).y);
    await page.keyboard.press('m');
    await page.mouse.click((await centre(1)).x, (await centre(1)).y);
    expect(await page.textContent('#status')).toContain('Нельзя объединить');
    await page.screenshot({ path: join(SHOTS, 'label-edited.png') });
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.textContent('#status')).toContain('Сохранено');

    const gt = parseMot(readFileSync(join(dir, 'gt.txt'), 'utf8'), 'gt.txt');
    const at = (f: number, id: number) => gt.find((r) => r.frame === f && r.id === id);
    expect(at(1, 1)).toMatchObject({ x: 138, y: 151, w: 96, h: 116 });
    expect(at(1, 2)).toMatchObject({ x: 620, y: 150, w: 84, h: 140 });
    expect(gt.some((r) => r.frame === 14 && r.x === 20 && r.y === 20)).toBe(false); // the false box is gone
    expect(gt.some((r) => r.id === 3)).toBe(false);
    expect(at(26, 1)).toMatchObject({ x: 121, y: 126 });
    expect(at(39, 1)).toMatchObject({ x: 125, y: 126 });
    const drawn = gt.filter((r) => r.frame === 14 && r.id !== 1 && r.id !== 2);
    expect(drawn).toHaveLength(1);
    expect(drawn[0]!.x).toBeCloseTo(400, 0);
    expect(drawn[0]!.w).toBeCloseTo(40, 0);
    expect(drawn[0]!.h).toBeCloseTo(90, 0);
    const ev = parseEventsFile(readFileSync(join(dir, 'events.json'), 'utf8'), 'events.json');
    expect(ev.roles).toEqual({ '1': 'customer', '2': 'staff' });
    expect(ev.events).toEqual([{ kind: 'checkout', seller: 2, customer: 1, start: 14, end: 39 }]);
    expect(ev.sampled_frames).toEqual(FRAMES);
    expect(ev.camera).toBe(CAM);
  });

  it('refuses a save that breaks the labels (a box off the sampled frames, an identity twice on a frame) and keeps the saved files', async () => {
    const before = readFileSync(join(dir, 'gt.txt'), 'utf8');
    const post = (body: unknown) =>
      page.evaluate(async (b) => {
        const r = await fetch('/api/save', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        return { status: r.status, error: ((await r.json()) as { error?: string }).error ?? '' };
      }, body);
    const b = { frame: 14, id: 7, x: 1, y: 1, w: 10, h: 10 };
    expect(await post({ boxes: [{ ...b, frame: 15 }], roles: {}, events: [] })).toEqual({
      status: 400,
      error: 'labels not saved: a box of identity 7 is on frame 15, which was not sampled',
    });
    expect(await post({ boxes: [b, b], roles: {}, events: [] })).toMatchObject({
      status: 400,
      error: expect.stringContaining('identity 7 has two boxes on frame 14'),
    });
    expect(await post({ boxes: [b], roles: {}, events: [{ kind: 'consultation', seller: 7, customer: 9, start: 1, end: 14 }] })).toMatchObject({
      status: 400,
      error: expect.stringContaining('names identity 9, which has no box'),
    });
    expect(readFileSync(join(dir, 'gt.txt'), 'utf8')).toBe(before);
  });

  it('splits an identity from the current frame on, and a reload resumes from the saved labels in English', async () => {
    await page.selectOption('#lang', 'en');
    expect(await page.textContent('#frame-label')).toContain('Frame 39 (4 of 4)');
    await page.keyboard.press('ArrowLeft'); // frame 26
    await page.mouse.click((await centre(1)).x, (await centre(1)).y);
    await page.keyboard.press('s');
    expect(await page.textContent('#status')).toMatch(/Identity 1 split: from frame 26 on it is \d+/);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en'); // the choice is kept
    expect(await page.textContent('#from')).toContain('saved labels'); // the split was not saved
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await box(1).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'label-resumed-en.png') });
  });
});
