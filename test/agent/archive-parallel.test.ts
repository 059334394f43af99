/**
 * Archive cameras side by side (agent.archive_parallel): with 2, the second camera's file is
 * claimed before the first camera's is done, and both finish with the rows a one-at-a-time pass
 * stores; with 1, cameras strictly take turns. Real ffmpeg, detector and SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { startAgent } from '../../agent/src/agent/agent.js';
import { scopeRowCounts } from '../../agent/src/store/detail.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip } from './helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');
const FILE = 'cam_20261120_090000.mp4';

describe.skipIf(!ok)('archive cameras side by side', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-archive-parallel-'));
    for (const [cam, at] of [
      ['a', 0],
      ['b', 8],
    ] as const) {
      mkdirSync(join(dir, cam));
      cutClip(dataPath('video/checkout_counter_cashier.mp4'), join(dir, cam, FILE), at, 5);
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function pass(parallel: number): Promise<{ events: string[]; counts: Record<string, { tracks: number; positions: number }> }> {
    const db = join(dir, `p${parallel}.db`);
    const events: string[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          const l = JSON.parse(line) as { msg: string; camera?: string };
          if (l.msg === 'archive: file claimed' || l.msg === 'archive: file done') events.push(`${l.camera} ${l.msg.slice('archive: file '.length)}`);
        },
      },
    );
    const cfg = validateConfig({
      store: { id: 's', timezone: 'UTC' },
      cameras: [
        { id: 'a', url: join(dir, 'a') },
        { id: 'b', url: join(dir, 'b') },
      ],
      sampling: { stride: 25 },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: db },
      agent: { archive_min_age_s: 0, archive_parallel: parallel },
    });
    const agent = await startAgent(cfg, { logger, clock: Date.now, once: true });
    await agent.done;
    const d = new Database(db, { readonly: true });
    try {
      return { events, counts: Object.fromEntries(['a', 'b'].map((c) => [c, scopeRowCounts(d, c, `archive:${c}:${FILE}`)])) };
    } finally {
      d.close();
    }
  }

  it('overlaps the cameras with archive_parallel 2 and stores what taking turns stores', async () => {
    const turns = await pass(1);
    expect(turns.events).toEqual(['a claimed', 'a done', 'b claimed', 'b done']);
    const side = await pass(2);
    expect(side.events.slice(0, 2).sort()).toEqual(['a claimed', 'b claimed']);
    expect(side.events.slice(2).sort()).toEqual(['a done', 'b done']);
    expect(side.counts).toEqual(turns.counts);
    for (const c of ['a', 'b']) expect(side.counts[c]!.positions).toBeGreaterThan(0);
  }, 120_000);
});
