/**
 * The agent's sales wiring with real parts: POST /api/receipts over real HTTP into a real SQLite
 * store through the agent's provider, and the agent's schedule and receipts-folder jobs against a
 * real HTTP server standing in for the published sheet (then stopped).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProvider } from '../../agent/src/agent/api-provider.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { salesJobs } from '../../agent/src/agent/sales-jobs.js';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { DetectorQueue } from '../../agent/src/detect/index.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { startSheetServer, type SheetServer } from '../sales/schedule-http.js';

interface Line {
  level: number;
  msg: string;
  [k: string]: unknown;
}

function capture(): { lines: Line[]; logger: ReturnType<typeof createLogger> } {
  const lines: Line[] = [];
  return { lines, logger: createLogger('debug', { write: (s: string) => void lines.push(JSON.parse(s) as Line) }) };
}

describe('POST /api/receipts over real HTTP into the agent store', () => {
  let dir: string;
  let store: Store;
  let api: ApiServer;
  const touched: string[][] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-api-receipts-'));
    store = openStore(join(dir, 'fs.db'), { nowMs: 0 });
    const cfg = validateConfig({ store: { id: 's', timezone: 'Europe/Moscow' } });
    const queue = new DetectorQueue({ detect: async () => detectionsFromList([]) }, { max_queue: 2 });
    const provider = agentProvider({
      cfg,
      db: store.db,
      version: 't',
      startedMs: 0,
      clock: Date.now,
      cameras: new Map(),
      queue: () => queue.stats(),
      jobs: () => [],
      box: () => null,
      sync: () => ({ lastSuccessMs: null, lastError: null }),
      onReceiptDays: (d) => void touched.push([...d]),
    });
    api = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow' }, provider);
  });
  afterAll(async () => {
    await api.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const post = async (body: unknown) => {
    const r = await fetch(`${api.url}/api/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  const r1 = { receipt_id: 'P1', timestamp: '2026-11-20T23:30:00+03:00', total: 1234.5, currency: 'RUB', register: 'till-1', seller_code: 's1' };
  const r2 = { receipt_id: 'P2', timestamp: '2026-11-21T00:30:00+03:00', total: 10, currency: 'RUB', register: 'till-1' };

  it('stores a batch, then counts the same batch posted again as duplicates (stored once)', async () => {
    expect(await post([r1, r2])).toEqual({ status: 201, json: { received: 2, stored: 2, duplicates: 0 } });
    expect(await post([r1, r2])).toEqual({ status: 200, json: { received: 2, stored: 0, duplicates: 2 } });
    expect(
      await post([
        { ...r1, receipt_id: 'P3' },
        { ...r1, receipt_id: 'P3' },
      ]),
    ).toEqual({ status: 201, json: { received: 2, stored: 1, duplicates: 1 } });
    expect(store.db.prepare('SELECT id, day, amount_minor AS minor, seller_id AS seller FROM receipts ORDER BY id').all()).toEqual([
      { id: 'P1', day: '2026-11-20', minor: 123450, seller: 's1' },
      { id: 'P2', day: '2026-11-21', minor: 1000, seller: null },
      { id: 'P3', day: '2026-11-20', minor: 123450, seller: 's1' },
    ]);
    // The roll-up is told which local days changed; a pure re-post changes none.
    expect(touched).toEqual([['2026-11-20', '2026-11-21'], ['2026-11-20']]);
  });

  it('a bad receipt is a 400 naming the field, and nothing is stored', async () => {
    const r = await post([r1, { ...r2, receipt_id: 'P4', timestamp: '2026-11-21 00:30' }]);
    expect(r.status).toBe(400);
    expect(String(r.json.error ?? JSON.stringify(r.json))).toContain('body[1].timestamp');
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: 3 });
  });
});

describe('the agent sales jobs against a real sheet server and a receipts folder', () => {
  let dir: string;
  let sheet: SheetServer;
  const SHEET = ['date,seller_id,name,start,end', '2026-11-20,s1,Anna,09:00,18:00', 'bad-date,s2,Boris,09:00,18:00'].join('\n');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-sales-jobs-'));
    sheet = await startSheetServer(SHEET);
  });
  afterAll(async () => {
    await sheet.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the schedule and the folder at start; with the sheet gone it warns and keeps the cached shifts; a fresh box with no cache fails naming the URL', async () => {
    const pos = join(dir, 'pos');
    mkdirSync(pos);
    writeFileSync(
      join(pos, 'day.csv'),
      ['receipt_id,timestamp,total,currency,register,seller_code', 'F1,2026-11-20T11:00:00+03:00,100,RUB,till-1,', 'F2,yesterday,1,RUB,till-1,'].join('\n'),
    );
    utimesSync(join(pos, 'day.csv'), 1_700_000_000, 1_700_000_000);
    const cfg = validateConfig({
      store: { id: 's', timezone: 'Europe/Moscow' },
      sales: { schedule: { source: sheet.url, timeout_s: 2 }, receipts: { folder: 'pos', poll_s: 1, min_age_s: 0 } },
    });
    const storeA = openStore(join(dir, 'a', 'fs.db'), { nowMs: 0 });
    const { lines, logger } = capture();
    const days: string[][] = [];
    const jobs = salesJobs(cfg, { db: storeA.db, dbPath: storeA.path, cwd: dir, logger, clock: Date.now, onReceiptDays: (d) => void days.push([...d]) });
    expect(jobs.jobs.map((j) => j.name)).toEqual(['schedule', 'receipts']);
    await jobs.runNow();
    expect(storeA.db.prepare('SELECT seller_id AS s FROM shifts').all()).toEqual([{ s: 's1' }]);
    expect(storeA.db.prepare('SELECT id FROM receipts').all()).toEqual([{ id: 'F1' }]);
    expect(days).toEqual([['2026-11-20']]);
    const bad = lines.filter((l) => l.level === 40).map((l) => ({ msg: l.msg, rows: l.bad_rows }));
    expect(bad).toEqual([
      { msg: 'schedule: 1 bad row(s) skipped, good rows kept', rows: [`${sheet.url}:3: date "bad-date" is not YYYY-MM-DD (row skipped)`] },
      {
        msg: 'receipts: 1 bad row(s) skipped, good rows kept',
        rows: [`${join(pos, 'day.csv')}:3: timestamp "yesterday" is not ISO-8601 with an offset (e.g. 2025-03-01T12:30:00+03:00) (row skipped)`],
      },
    ]);

    // The polling timer picks up a new file without a manual run.
    const timers = jobs.start();
    writeFileSync(
      join(pos, 'later.csv'),
      ['receipt_id,timestamp,total,currency,register,seller_code', 'F3,2026-11-20T12:00:00+03:00,7,RUB,till-1,'].join('\n'),
    );
    const t0 = Date.now();
    while (Date.now() - t0 < 5000 && days.length < 2) await new Promise((r) => setTimeout(r, 100));
    for (const t of timers) t.stop();
    await Promise.all(jobs.jobs.map((j) => j.idle()));
    expect(storeA.db.prepare('SELECT id FROM receipts ORDER BY id').all()).toEqual([{ id: 'F1' }, { id: 'F3' }]);

    await sheet.close();
    lines.length = 0;
    await jobs.runNow();
    const warn = lines.find((l) => l.level === 40 && l.msg.includes('using the cached copy'));
    expect(warn?.msg).toContain(`schedule URL ${sheet.url} is unreachable`);
    expect(storeA.db.prepare('SELECT seller_id AS s FROM shifts').all()).toEqual([{ s: 's1' }]);
    expect(jobs.jobs[0]!.report()).toMatchObject({ failures: 0, lastError: null });
    storeA.close();

    // A fresh box: no cache beside its database, the sheet unreachable.
    const storeB = openStore(join(dir, 'b', 'fs.db'), { nowMs: 0 });
    const fresh = salesJobs(cfg, { db: storeB.db, dbPath: storeB.path, cwd: dir, logger, clock: Date.now, onReceiptDays: () => undefined });
    await fresh.runNow();
    const rep = fresh.jobs[0]!.report();
    expect(rep.failures).toBe(1);
    expect(rep.lastError).toContain(`schedule URL ${sheet.url} is unreachable`);
    expect(rep.lastError).toContain(`no cached copy at ${join(dir, 'b', 'schedule-cache.csv')}`);
    expect(lines.some((l) => l.level === 50 && l.msg.startsWith('job schedule failed: schedule URL'))).toBe(true);
    expect(storeB.db.prepare('SELECT COUNT(*) AS n FROM shifts').get()).toEqual({ n: 0 });
    storeB.close();
  });

  it('configs without a sales section still validate and run no sales jobs', () => {
    const cfg = validateConfig({ store: { id: 's' } });
    expect(cfg.sales).toEqual({ schedule: { cron: '0 * * * *', timeout_s: 20 }, receipts: { poll_s: 30, min_age_s: 5, extensions: ['.csv'] } });
    const { logger } = capture();
    expect(
      salesJobs(cfg, { db: openStore(':memory:', { nowMs: 0 }).db, dbPath: ':memory:', cwd: dir, logger, clock: Date.now, onReceiptDays: () => undefined })
        .jobs,
    ).toEqual([]);
  });
});
