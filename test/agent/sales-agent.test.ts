/**
 * The whole agent (`startAgent`, once mode, real detector, real SQLite) with its sales inputs: the
 * schedule from a real HTTP server, then with that server stopped (cached copy and a warning naming
 * the URL), then a fresh box with no cache and the server down (a clear error naming the URL; the
 * agent keeps going and still imports the receipts folder).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { haveData } from '../helpers/shared-data.js';
import { startSheetServer, type SheetServer } from '../sales/schedule-http.js';

const ok = haveData('models/yolov8n_fp32.onnx');

interface Line {
  level: number;
  msg: string;
  [k: string]: unknown;
}

describe.skipIf(!ok)('agent with a schedule URL and a receipts folder (once mode)', () => {
  let dir: string;
  let sheet: SheetServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-sales-agent-'));
    mkdirSync(join(dir, 'clips'));
    mkdirSync(join(dir, 'pos'));
    writeFileSync(
      join(dir, 'pos', 'z.csv'),
      [
        'receipt_id,timestamp,total,currency,register,seller_code',
        'Z1,2026-11-20T11:00:00+03:00,100,RUB,till-1,',
        'Z2,2026-11-20T11:01:00+03:00,-5,RUB,till-1,',
      ].join('\n'),
    );
    utimesSync(join(dir, 'pos', 'z.csv'), 1_700_000_000, 1_700_000_000);
    sheet = await startSheetServer(['date,seller_id,name,start,end', '2026-11-20,s1,Anna,09:00,18:00', '2026-11-20,s2,Boris,12:00,21:00'].join('\n'));
  });
  afterAll(async () => {
    await sheet.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const runOnce = async (box: string): Promise<{ lines: Line[]; shifts: unknown[]; receipts: unknown[] }> => {
    const cfg = validateConfig({
      store: { id: 'st', timezone: 'Europe/Moscow' },
      cameras: [{ id: 'arch', url: join(dir, 'clips') }],
      detector: { threads: 1 },
      storage: { path: join(dir, box, 'fs.db') },
      agent: { archive_min_age_s: 0 },
      sales: { schedule: { source: sheet.url, timeout_s: 2 }, receipts: { folder: join(dir, 'pos'), min_age_s: 0 } },
    });
    const lines: Line[] = [];
    const agent = await startAgent(cfg, {
      logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as Line) }),
      clock: Date.now,
      once: true,
      cwd: dir,
    });
    await agent.done;
    const db = new Database(join(dir, box, 'fs.db'), { readonly: true });
    try {
      return {
        lines,
        shifts: db.prepare('SELECT seller_id AS s FROM shifts ORDER BY seller_id').all(),
        receipts: db.prepare('SELECT id FROM receipts ORDER BY id').all(),
      };
    } finally {
      db.close();
    }
  };

  it('loads from the sheet, then from the cache when the sheet is gone; a fresh box without a cache reports the URL', async () => {
    const first = await runOnce('box1');
    expect(first.shifts).toEqual([{ s: 's1' }, { s: 's2' }]);
    expect(first.receipts).toEqual([{ id: 'Z1' }]);
    expect(first.lines.find((l) => l.msg.startsWith('receipts: 1 bad row'))?.bad_rows).toEqual([
      `${join(dir, 'pos', 'z.csv')}:3: total "-5" is not a non-negative amount with at most 2 decimals (e.g. 77.49 or "77,49") (row skipped)`,
    ]);
    expect(existsSync(join(dir, 'box1', 'schedule-cache.csv'))).toBe(true);

    await sheet.close();
    const second = await runOnce('box1');
    expect(second.shifts).toEqual([{ s: 's1' }, { s: 's2' }]);
    const warn = second.lines.find((l) => l.level === 40 && l.msg.includes('using the cached copy'));
    expect(warn?.msg).toMatch(/^schedule URL http:\/\/127\.0\.0\.1:\d+\/spreadsheets\/d\/e\/2PACX-test\/pub\?output=csv is unreachable/);
    expect(warn?.msg).toContain(sheet.url);

    const fresh = await runOnce('box2');
    const err = fresh.lines.find((l) => l.level === 50 && l.msg.startsWith('job schedule failed'));
    expect(err?.msg).toContain(`schedule URL ${sheet.url} is unreachable`);
    expect(err?.msg).toContain(`no cached copy at ${join(dir, 'box2', 'schedule-cache.csv')}`);
    expect(fresh.shifts).toEqual([]);
    // The agent went on: the receipts folder was still imported and the agent stopped cleanly.
    expect(fresh.receipts).toEqual([{ id: 'Z1' }]);
    expect(fresh.lines.some((l) => l.msg === 'agent stopped')).toBe(true);
  }, 20_000);
});
