/**
 * `floorsense import` on a simulated day: positions land in the store as a finished archive-style
 * job, the day is rolled up (daily KPIs and the dashboard's day view), a second import of the same
 * folder adds nothing, and a folder without track files is refused naming it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../agent/src/cli/main.js';
import { openStore } from '../../agent/src/store/open.js';
import { loadDayView } from '../../agent/src/store/day-reports.js';

const SCENARIO = `store: {id: imp-store, timezone: Europe/Moscow, currency: RUB}
date: "2025-05-06"
hours: {open: "10:00", close: "12:00"}
cameras: {count: 1}
sellers:
  - {id: S1, name: Анна Иванова, start: "10:00", end: "12:00", post: counter}
  - {id: S2, name: Борис Петров, start: "10:00", end: "12:00", post: floor}
customers:
  arrivals_per_hour: [12, 12]
video: {fps: 25, stride: 50}
`;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void (out += `${a.join(' ')}\n`);
  console.error = (...a: unknown[]) => void (err += `${a.join(' ')}\n`);
  try {
    return { code: await main(args), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('floorsense import', () => {
  let dir: string;
  let args: string[];
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-import-'));
    writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
    expect((await run(['simulate', '--config', join(dir, 'scenario.yaml'), '--seed', '4', '--out', join(dir, 'day')])).code).toBe(0);
    db = join(dir, 'fs.db');
    writeFileSync(join(dir, 'store.yaml'), `${readFileSync(join(dir, 'day', 'store.yaml'), 'utf8')}storage:\n  path: ${db}\n`);
    args = [
      'import',
      '--config',
      join(dir, 'store.yaml'),
      '--tracks',
      join(dir, 'day', 'tracks'),
      '--receipts',
      join(dir, 'day', 'receipts.csv'),
      '--schedule',
      join(dir, 'day', 'schedule.csv'),
    ];
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the tracks as a finished job and rolls the day up; a second import adds nothing', async () => {
    const first = await run(args);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^cam1: \d+ positions$/m);
    expect(first.out).toMatch(/^2025-05-06: \d+ visits, \d+ consultations, 2 seller rows rolled up$/m);
    const s = openStore(db, { nowMs: Date.now() });
    const count = (sql: string): number => s.db.prepare<[], { n: number }>(sql).get()!.n;
    const positions = count('SELECT COUNT(*) AS n FROM positions');
    const rows = readFileSync(join(dir, 'day', 'tracks', 'cam1.txt'), 'utf8')
      .trim()
      .split('\n').length;
    expect(positions).toBe(rows);
    expect(count("SELECT COUNT(*) AS n FROM jobs WHERE state = 'done' AND id LIKE 'import:cam1:%'")).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM daily_kpis WHERE day = '2025-05-06'")).toBe(2);
    const view = loadDayView(s.db, '2025-05-06')!;
    expect(view.report.sellers.map((x) => [x.seller_id, x.name])).toEqual([
      ['S1', 'Анна Иванова'],
      ['S2', 'Борис Петров'],
    ]);
    expect(view.hourly.reduce((n, h) => n + h.visitors, 0)).toBe(view.report.store.customers);
    // The config names no currency: the receipts' own (RUB in the simulated CSV) is kept.
    expect(readFileSync(join(dir, 'store.yaml'), 'utf8')).not.toMatch(/currency/);
    expect(view.report.currency).toBe('RUB');
    s.close();

    const again = await run(args);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/^cam1: already imported \(skipped\)$/m);
    expect(again.out).toMatch(/receipts: 0 new, 0 updated, \d+ already stored/);
    const s2 = openStore(db, { nowMs: Date.now() });
    expect(s2.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM positions').get()!.n).toBe(positions);
    expect(loadDayView(s2.db, '2025-05-06')!.report).toEqual(view.report);
    s2.close();
  });

  it('refuses a folder with no track file of a configured camera, naming the folder', async () => {
    const r = await run(['import', '--config', join(dir, 'store.yaml'), '--tracks', join(dir, 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nowhere: no <camera-id>\.txt for any configured camera \(cam1\)/);
  });
});
