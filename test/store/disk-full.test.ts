/**
 * A full disk meeting the sales writers: SQLite's own SQLITE_FULL (PRAGMA max_page_count: the file
 * may not grow), turned into FS_DISK_FULL naming the database and what was kept; the failed batch is
 * rolled back whole and everything stored before stays. And the API answers it with 507. Where the
 * tests run as root and may mount, the same on a really full file system (a 512 KiB tmpfs: ENOSPC).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../agent/src/api/index.js';
import { FailureError } from '../../agent/src/core/errors.js';
import { isDiskFull, openStore } from '../../agent/src/store/open.js';
import { importReceiptFile, importedByStat, storeReceipts, type StoredReceipt } from '../../agent/src/store/sales.js';
import { fixtureProvider } from '../api/fixture.js';

/** A 512 KiB tmpfs at `dir`, or why there is none (not root, no CAP_SYS_ADMIN). */
function mountTiny(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
}

const receipt = (i: number): StoredReceipt => ({
  id: `R${i}-${'x'.repeat(100)}`,
  tMs: 1_700_000_000_000 + i,
  day: '2023-11-14',
  amountMinor: 100 + i,
  registerId: 'till-1',
  sellerId: null,
});

describe('full disk in the sales store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-full-'));
  // One afterAll: the tmpfs below is mounted inside dir, so it is unmounted before dir goes.
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups.reverse()) c();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a batch that does not fit is FS_DISK_FULL naming the database; the receipts stored before are all kept', () => {
    const path = join(dir, 'fs.db');
    const store = openStore(path, { nowMs: 0 });
    try {
      const db = store.db;
      expect(storeReceipts(db, [0, 1, 2].map(receipt))).toMatchObject({ inserted: 3 });
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const big = Array.from({ length: 400 }, (_, i) => receipt(10 + i));
      let err: unknown;
      try {
        storeReceipts(db, big);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FailureError);
      expect(err).toMatchObject({
        code: 'FS_DISK_FULL',
        status: 507,
        details: { path, sqlite: 'SQLITE_FULL' },
        message: `disk full: database ${path} cannot grow (SQLITE_FULL); no receipt of this batch was stored (one transaction); receipts stored before are kept; free space on the disk holding ${dir} (storage.min_free_disk_mb sets the floor retention keeps)`,
      });
      expect(isDiskFull(err)).toBe(true);
      expect((err as Error).cause).toMatchObject({ code: 'SQLITE_FULL' });
      expect(db.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: 3 });

      const file = { sha256: 'a'.repeat(64), name: 'day.csv', size: 123, mtimeMs: 5 };
      expect(() => importReceiptFile(db, file, big, 0, 0)).toThrow(
        /^disk full: .*nothing of day\.csv was stored and it is not marked imported, so the next scan reads it again; receipts stored before are kept/,
      );
      expect(importedByStat(db, 'day.csv', 123, 5)).toBe(false);
      expect(db.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: 3 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });

  const tiny = join(dir, 'tiny');
  const noMount = mountTiny(tiny);
  if (noMount !== null)
    console.warn(`\n*** SKIPPING the tmpfs full-disk test: cannot mount a tmpfs here (${noMount}); the max_page_count test above covers SQLITE_FULL ***\n`);
  cleanups.push(() => {
    if (noMount === null) execFileSync('umount', [tiny]);
  });

  it.skipIf(noMount !== null)('a really full file system (tmpfs, ENOSPC) is FS_DISK_FULL too, and every batch stored before is kept', () => {
    const path = join(tiny, 'fs.db');
    const store = openStore(path, { nowMs: 0 });
    let stored = 0;
    let err: unknown;
    try {
      for (let b = 0; b < 1000 && err === undefined; b++) {
        try {
          storeReceipts(
            store.db,
            Array.from({ length: 50 }, (_, i) => receipt(b * 50 + i)),
          );
          stored += 50;
        } catch (e) {
          err = e;
        }
      }
      expect(stored).toBeGreaterThan(0);
      expect(err).toMatchObject({
        code: 'FS_DISK_FULL',
        details: { path, sqlite: 'SQLITE_FULL' },
        message: expect.stringMatching(/^disk full: database .* cannot grow \(SQLITE_FULL\); no receipt of this batch was stored/),
      });
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: stored });
    } finally {
      store.close();
    }
  });

  it('the API answers a provider meeting a full disk with 507 and the coded message', async () => {
    const p = fixtureProvider();
    const srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'UTC' }, p);
    try {
      p.fail = new FailureError('FS_DISK_FULL', 'disk full: database /data/fs.db cannot grow (SQLITE_FULL)');
      const r = await fetch(`${srv.url}/status`);
      expect(r.status).toBe(507);
      expect(await r.json()).toEqual({ error: 'disk full: database /data/fs.db cannot grow (SQLITE_FULL)', code: 'FS_DISK_FULL', status: 507 });
    } finally {
      await srv.close();
    }
  });
});
