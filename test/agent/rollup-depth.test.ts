/**
 * The agent's roll-up and `analyze` + `report` judge one clip alike on a camera without a floor
 * homography (the pixel fallback, every freshly installed store). The checkout clip goes through
 * the agent's archive mode (real ffmpeg, detector, tracker, SQLite; the agent as a child process)
 * and through `analyze` with the same config; the day's analytics from the store
 * (store-day.ts `analyzeStoredDay`) and from the interchange files (what `report` runs) must find
 * the same interactions. The store once kept no frame size, so the roll-up's pixel fallback had
 * focal length 0 and no image centre: no depth, and the clip's checkout at the till went unfound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { analyzeStoredDay, tracksOfDay } from '../../agent/src/agent/store-day.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import type { StoreDayResult } from '../../agent/src/metrics/store-day.js';
import { localDate, localDayBounds } from '../../agent/src/core/local-time.js';
import { readCameraTracks } from '../../agent/src/scene/interchange.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';
import { analyzeClip, reportOf, runAgentChild, writeConfig } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');
const CLIP = 'checkout_20261120_090000.mp4';

function interactionsOf(r: StoreDayResult): Array<{ kind: string; seller: string; start: number; end: number }> {
  return r.interactions.map((i) => ({ kind: i.kind, seller: i.sellerId, start: i.start, end: i.end }));
}

describe.skipIf(!ok)('roll-up vs analyze + report on an uncalibrated camera (real clip, real agent)', () => {
  let dir: string;
  let cfgPath: string;
  let dbPath: string;
  const outDir = (): string => join(dir, 'analyze');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-rollup-depth-'));
    const clips = join(dir, 'clips');
    mkdirSync(clips);
    copyFileSync(dataPath('video/checkout_counter_cashier.mp4'), join(clips, CLIP));
    // The checkout store as committed (zones, analytics; it has no floor: the pixel fallback),
    // its camera pointed at the archive folder; appearance on (the default): the sidecar and the
    // store's embeddings are both in play (test/agent/rollup-appearance.test.ts compares the two).
    const store = parse(readFileSync(join(REPO_ROOT, 'config/stores/checkout-demo.yaml'), 'utf8')) as Record<string, unknown>;
    const cams = store.cameras as Array<Record<string, unknown>>;
    expect(cams[0]!.floor).toBeUndefined();
    dbPath = join(dir, 'fs.db');
    cfgPath = writeConfig(dir, {
      ...store,
      cameras: [{ ...cams[0], url: clips }],
      sampling: { fps: 2 },
      detector: { threads: 1 },
      storage: { path: dbPath, integrity_check: 'quick' },
      agent: { archive_min_age_s: 0, flush_frames: 5 },
      api: { port: 0 },
    });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the same interactions from the store as from the analyze files', { timeout: 180_000 }, async () => {
    const agent = runAgentChild(['--config', cfgPath, '--once']);
    const exit = await agent.exited;
    expect(exit, agent.stderr()).toEqual({ code: 0, signal: null });
    analyzeClip(cfgPath, join(dir, 'clips', CLIP), 'checkout', outDir());
    const cfg = loadConfigFile(cfgPath);
    const files = readCameraTracks(outDir(), 'checkout');
    expect(files.timebase.width).toBe(768);
    const date = localDate(files.timebase.startMs, cfg.store.timezone);
    const db = new Database(dbPath, { readonly: true });
    try {
      // The store knows the picture the boxes are in.
      const [from, to] = localDayBounds(date, cfg.store.timezone);
      const stored = tracksOfDay(db, from, to);
      expect(stored.map((t) => [t.camera, t.timebase.width, t.timebase.height])).toEqual([['checkout', 768, 432]]);
      // Both sides stitch with appearance: the store holds an embedding for each track the sidecar has one for.
      expect(files.embeddings?.size).toBeGreaterThan(0);
      expect(stored[0]!.embeddings?.size).toBe(files.embeddings!.size);
      const rolled = analyzeStoredDay(db, cfg, date)!;
      const reported = reportOf(cfg, date, [files]);
      // The clip's checkout at the till (the labelled set's one interaction): without the frame
      // size the roll-up found none. Times agree to half a sample: the roll-up puts stored
      // positions on a grid of the camera's sampling rate from the start of the day.
      const want = interactionsOf(reported);
      expect(want.length).toBeGreaterThan(0);
      const got = interactionsOf(rolled);
      expect(got.map(({ kind, seller }) => ({ kind, seller }))).toEqual(want.map(({ kind, seller }) => ({ kind, seller })));
      for (const [k, g] of got.entries()) {
        expect(Math.abs(g.start - want[k]!.start)).toBeLessThanOrEqual(250);
        expect(Math.abs(g.end - want[k]!.end)).toBeLessThanOrEqual(250);
      }
      expect(rolled.visits.length).toBe(reported.visits.length);
    } finally {
      db.close();
    }
  });
});
