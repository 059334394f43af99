import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureError } from '../../agent/src/core/errors.js';
import { loadSchedule } from '../../agent/src/sales/schedule-source.js';
import { syncSchedule } from '../../agent/src/sales/schedule-sync.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { startSheetServer, type SheetServer } from './schedule-http.js';

const TZ = 'Europe/Moscow';
const SHEET = [
  'date,seller_id,name,start,end',
  '2026-11-20,s1,Anna,09:00,18:00',
  '2026-11-20,s2,Boris,21-00,23:00', // line 3: bad time
  '2026-11-20,s3,Vera,20:00,02:00', // crosses midnight
  '2026-11-21,s1,Anna,09:00,18:00',
].join('\n');

interface ShiftRow {
  seller: string;
  start: string;
  end: string;
}

function shiftsIn(store: Store): ShiftRow[] {
  return store.db
    .prepare<[], { seller: string; s: number; e: number }>('SELECT seller_id AS seller, start_ms AS s, end_ms AS e FROM shifts ORDER BY start_ms, seller_id')
    .all()
    .map((r) => ({ seller: r.seller, start: new Date(r.s).toISOString(), end: new Date(r.e).toISOString() }));
}

describe('schedule from a published sheet over real HTTP, cached on disk', () => {
  let sheet: SheetServer;
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    sheet = await startSheetServer(SHEET);
    dir = mkdtempSync(join(tmpdir(), 'fs-sched-'));
    store = openStore(join(dir, 'fs.db'), { nowMs: 0 });
  });
  afterAll(async () => {
    store.close();
    await sheet.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const opts = (over: Partial<Parameters<typeof loadSchedule>[0]> = {}) => ({
    source: sheet.url,
    cachePath: join(dir, 'cache', 'schedule.csv'),
    timeoutMs: 2000,
    timeZone: TZ,
    ...over,
  });

  it('fetches, keeps good rows, reports the bad one with URL and line, caches atomically and fills the shifts table', async () => {
    const r = await syncSchedule(store.db, opts(), 't1');
    expect(r.from).toBe('source');
    expect(r.warnings).toEqual([]);
    expect(r.problems).toEqual([{ origin: sheet.url, line: 3, scope: 'row', message: 'start "21-00" / end "23:00" must be HH:MM (24-hour, store time)' }]);
    expect(r.days).toEqual(['2026-11-20', '2026-11-21']);
    expect(shiftsIn(store)).toEqual([
      { seller: 's1', start: '2026-11-20T06:00:00.000Z', end: '2026-11-20T15:00:00.000Z' },
      { seller: 's3', start: '2026-11-20T17:00:00.000Z', end: '2026-11-20T23:00:00.000Z' },
      { seller: 's1', start: '2026-11-21T06:00:00.000Z', end: '2026-11-21T15:00:00.000Z' },
    ]);
    expect(readFileSync(join(dir, 'cache', 'schedule.csv'), 'utf8')).toBe(SHEET);
    expect(readdirSync(join(dir, 'cache'))).toEqual(['schedule.csv']); // no temp file left behind
  });

  it('a re-fetched sheet replaces the days it covers and keeps the others', async () => {
    sheet.state.body = ['date,seller_id,name,start,end', '2026-11-21,s4,Gleb,10:00,19:00', '2026-11-21,s1,Anna,09:00,13:00'].join('\n');
    const r = await syncSchedule(store.db, opts(), 't2');
    expect(r).toMatchObject({ from: 'source', shifts: 2, days: ['2026-11-21'], problems: [] });
    expect(shiftsIn(store)).toEqual([
      { seller: 's1', start: '2026-11-20T06:00:00.000Z', end: '2026-11-20T15:00:00.000Z' },
      { seller: 's3', start: '2026-11-20T17:00:00.000Z', end: '2026-11-20T23:00:00.000Z' },
      { seller: 's1', start: '2026-11-21T06:00:00.000Z', end: '2026-11-21T10:00:00.000Z' },
      { seller: 's4', start: '2026-11-21T07:00:00.000Z', end: '2026-11-21T16:00:00.000Z' },
    ]);
  });

  it.each<[string, (s: SheetServer) => void, RegExp]>([
    ['HTTP 404 (sheet unpublished)', (s) => (s.state.status = 404), /answered HTTP 404 \(is the sheet still published/],
    [
      'an HTML sign-in page instead of CSV',
      (s) => ((s.state.status = 200), (s.state.body = '<!DOCTYPE html><html><body>Sign in</body></html>')),
      /is not a schedule CSV \(line 1: the header lacks date, seller_id, name, start, end/,
    ],
    ['no answer within the timeout', (s) => ((s.state.body = SHEET), (s.state.hang = true)), /is unreachable: no answer in 0\.3 s/],
  ])('%s: the cache is used and the warning names the URL; the cache is not overwritten', async (_, breakIt, why) => {
    const cached = readFileSync(join(dir, 'cache', 'schedule.csv'), 'utf8');
    breakIt(sheet);
    const t0 = Date.now();
    const r = await loadSchedule(opts({ timeoutMs: 300 }), 't3');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.from).toBe('cache');
    expect(r.shifts.map((s) => s.sellerId)).toEqual(['s4', 's1']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(sheet.url);
    expect(r.warnings[0]).toMatch(why);
    expect(r.warnings[0]).toMatch(/using the cached copy .*schedule\.csv$/);
    expect(readFileSync(join(dir, 'cache', 'schedule.csv'), 'utf8')).toBe(cached);
    sheet.state.status = 200;
    sheet.state.hang = false;
  });

  it('server stopped: the cached schedule still fills the store, with a warning naming the URL', async () => {
    const url = sheet.url;
    await sheet.close();
    store.db.exec('DELETE FROM shifts');
    const r = await syncSchedule(store.db, opts({ source: url }), 't4');
    expect(r.from).toBe('cache');
    expect(r.warnings[0]).toMatch(new RegExp(`^schedule URL ${url.replace(/[.?]/g, '\\$&')} is unreachable: .*; using the cached copy`));
    expect(shiftsIn(store).map((s) => s.seller)).toEqual(['s1', 's4']);
  });

  it('no cache and the server down: FS_REMOTE naming the URL and the missing cache; nothing written', async () => {
    const fresh = join(dir, 'fresh-box', 'schedule.csv');
    const err = await loadSchedule(opts({ cachePath: fresh }), 't5').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailureError);
    expect(err).toMatchObject({ code: 'FS_REMOTE', details: { source: sheet.url, cache: fresh } });
    expect((err as FailureError).message).toContain(`schedule URL ${sheet.url} is unreachable`);
    expect((err as FailureError).message).toContain(`no cached copy at ${fresh}`);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('schedule from a local CSV file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-sched-local-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and caches a local file; a vanished file falls back to the cache; none at all is FS_FILE_NOT_FOUND', async () => {
    const src = join(dir, 'schedule.csv');
    const cachePath = join(dir, 'cache.csv');
    writeFileSync(src, SHEET);
    const first = await loadSchedule({ source: src, cachePath, timeoutMs: 1000, timeZone: TZ });
    expect(first).toMatchObject({ from: 'source', warnings: [] });
    expect(first.problems.map((p) => `${p.origin}:${p.line}`)).toEqual([`${src}:3`]);
    rmSync(src);
    const second = await loadSchedule({ source: src, cachePath, timeoutMs: 1000, timeZone: TZ });
    expect(second.from).toBe('cache');
    expect(second.shifts).toEqual(first.shifts);
    expect(second.warnings[0]).toContain(`schedule file ${src} cannot be read`);
    await expect(loadSchedule({ source: src, cachePath: join(dir, 'none.csv'), timeoutMs: 1000, timeZone: TZ })).rejects.toMatchObject({
      code: 'FS_FILE_NOT_FOUND',
      message: expect.stringContaining(`schedule file ${src} cannot be read`),
    });
  });
});
