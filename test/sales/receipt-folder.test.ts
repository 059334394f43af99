import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReceiptFolder } from '../../agent/src/sales/receipt-folder.js';
import { openStore, type Store } from '../../agent/src/store/open.js';

const TZ = 'Europe/Moscow';
const HEADER = 'receipt_id,timestamp,total,currency,register,seller_code';
const A = [
  HEADER,
  'R1,2026-11-20T10:05:00+03:00,1250.50,RUB,till-1,s1',
  'R2,2026-11-20T10:06:00+03:00,not-a-number,RUB,till-1,', // line 3: bad total
  'R3,2026-11-20T23:30:00+03:00,99,RUB,till-2,',
  'R4,2026-11-21T00:10:00+03:00,10,RUB,till-2,', // next local day
].join('\n');
const C = [
  HEADER,
  'R1,2026-11-20T10:05:00+03:00,1250.50,RUB,till-1,s1',
  'R9,2026-11-20T12:00:00+03:00,5,RUB,till-1,',
  'R3,2026-11-20T23:30:00+03:00,89,RUB,till-2,',
].join('\n');

describe('receipts folder import into a real SQLite store', () => {
  let dir: string;
  let folder: string;
  let store: Store;
  const old = Date.parse('2026-11-20T12:00:00Z') / 1000;
  const scan = (nowMs = Date.now()) => importReceiptFolder(store.db, { folder, extensions: ['.csv'], minAgeS: 5, timeZone: TZ, nowMs });
  const receipts = () => store.db.prepare('SELECT id, day, amount_minor AS minor, register_id AS reg, seller_id AS seller FROM receipts ORDER BY id').all();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-receipts-'));
    folder = join(dir, 'pos');
    store = openStore(join(dir, 'fs.db'), { nowMs: 0 });
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.csv'), A);
    copyFileSync(join(folder, 'a.csv'), join(folder, 'a-copy.csv')); // the POS exported the same file twice
    writeFileSync(join(folder, 'notes.txt'), 'not a receipt file');
    for (const f of ['a.csv', 'a-copy.csv', 'notes.txt']) utimesSync(join(folder, f), old, old);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports good rows, reports the malformed row with file and line, and skips the duplicate file', async () => {
    const r = await scan();
    expect(r.files).toEqual([
      { name: 'a-copy.csv', status: 'imported', inserted: 3, updated: 0, duplicates: 0, problems: 1 },
      { name: 'a.csv', status: 'same-content', as: 'a-copy.csv' },
    ]);
    expect(r.problems).toEqual([
      {
        origin: join(folder, 'a-copy.csv'),
        line: 3,
        scope: 'row',
        message: 'total "not-a-number" is not a non-negative amount with at most 2 decimals (e.g. 77.49 or "77,49")',
      },
    ]);
    expect(r.days).toEqual(['2026-11-20', '2026-11-21']);
    expect(receipts()).toEqual([
      { id: 'R1', day: '2026-11-20', minor: 125050, reg: 'till-1', seller: 's1' },
      { id: 'R3', day: '2026-11-20', minor: 9900, reg: 'till-2', seller: null },
      { id: 'R4', day: '2026-11-21', minor: 1000, reg: 'till-2', seller: null },
    ]);
  });

  it('a second scan reads nothing; re-touching a file (new mtime, same content) imports nothing', async () => {
    expect(await scan()).toEqual({ folder, files: [], problems: [], days: [] });
    utimesSync(join(folder, 'a.csv'), old + 60, old + 60);
    expect((await scan()).files).toEqual([{ name: 'a.csv', status: 'same-content', as: 'a-copy.csv' }]);
    expect((await scan()).files).toEqual([]);
    expect(receipts()).toHaveLength(3);
  });

  it('a file still being written waits; then its new receipts import, known ones count as duplicates, a corrected one replaces', async () => {
    writeFileSync(join(folder, 'c.csv'), C);
    const mtime = statSync(join(folder, 'c.csv')).mtimeMs;
    expect((await scan(mtime + 1000)).files).toEqual([{ name: 'c.csv', status: 'too-young' }]);
    const r = await scan(mtime + 6000);
    expect(r.files).toEqual([{ name: 'c.csv', status: 'imported', inserted: 1, updated: 1, duplicates: 1, problems: 0 }]);
    expect(r.days).toEqual(['2026-11-20']);
    expect(receipts()).toEqual([
      { id: 'R1', day: '2026-11-20', minor: 125050, reg: 'till-1', seller: 's1' },
      { id: 'R3', day: '2026-11-20', minor: 8900, reg: 'till-2', seller: null },
      { id: 'R4', day: '2026-11-21', minor: 1000, reg: 'till-2', seller: null },
      { id: 'R9', day: '2026-11-20', minor: 500, reg: 'till-1', seller: null },
    ]);
    const imports = store.db.prepare('SELECT name, receipts, problems FROM sales_imports ORDER BY name, mtime_ms').all();
    expect(imports).toEqual([
      { name: 'a-copy.csv', receipts: 3, problems: 1 },
      { name: 'a.csv', receipts: 0, problems: 0 },
      { name: 'a.csv', receipts: 0, problems: 0 },
      { name: 'c.csv', receipts: 2, problems: 0 },
    ]);
  });

  it('a file without the receipts header is refused as a whole, said so; fixed, it imports (with ; separators and decimal commas)', async () => {
    const d = join(folder, 'd.csv');
    writeFileSync(d, 'receipt_id;timestamp;sum\nR20;2026-11-20T15:00:00+03:00;12,50\n');
    utimesSync(d, old, old);
    const r = await scan();
    expect(r.files).toEqual([
      {
        name: 'd.csv',
        status: 'refused',
        reason:
          'the header lacks total, currency, register (got "receipt_id;timestamp;sum"); expected receipt_id,timestamp,total,currency,register,seller_code separated by , or ;',
      },
    ]);
    expect(r.problems).toEqual([{ origin: d, line: 1, scope: 'file', message: r.files[0]!.status === 'refused' ? r.files[0]!.reason : '' }]);
    expect(receipts()).not.toContainEqual(expect.objectContaining({ id: 'R20' }));
    writeFileSync(d, 'receipt_id;timestamp;total;currency;register\nR20;2026-11-20T15:00:00+03:00;12,50;RUB;till-3\n');
    utimesSync(d, old + 120, old + 120);
    expect((await scan()).files).toEqual([{ name: 'd.csv', status: 'imported', inserted: 1, updated: 0, duplicates: 0, problems: 0 }]);
    expect(receipts()).toContainEqual({ id: 'R20', day: '2026-11-20', minor: 1250, reg: 'till-3', seller: null });
  });

  it('a missing folder is FS_FILE_NOT_FOUND naming it', async () => {
    const gone = join(dir, 'nope');
    await expect(importReceiptFolder(store.db, { folder: gone, extensions: ['.csv'], minAgeS: 0, timeZone: TZ, nowMs: 0 })).rejects.toMatchObject({
      code: 'FS_FILE_NOT_FOUND',
      message: expect.stringContaining(`receipts folder ${gone} cannot be listed`),
    });
  });
});
