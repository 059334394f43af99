/**
 * Sales inputs in the local store: receipts stored once by receipt id (from the POS folder and the
 * API alike), the shift schedule replaced day by day, and the receipt files already imported.
 * Every writer is one synchronous transaction; callers do file and network I/O before calling.
 */
import type Database from 'better-sqlite3';
import { storeWriteError } from './open.js';
import { MisuseError } from '../core/errors.js';
import { ID_RE } from './records.js';

export interface StoredReceipt {
  readonly id: string;
  readonly tMs: number;
  /** Store-local day of tMs, computed by the caller from the store's zone. */
  readonly day: string;
  readonly amountMinor: number;
  readonly registerId: string | null;
  readonly sellerId: string | null;
  /** ISO 4217 as the POS gave it; absent or null: none. */
  readonly currency?: string | null;
}

export interface ReceiptStoreReport {
  /** Receipts not seen before. */
  readonly inserted: number;
  /** Receipts seen before whose content changed (a POS correction): the new copy replaces the old. */
  readonly updated: number;
  /** Receipts seen before, identical: nothing written. */
  readonly duplicates: number;
  /** Store-local days whose receipts changed (their KPIs need a recompute). */
  readonly days: readonly string[];
}

interface ReceiptRow {
  readonly tMs: number;
  readonly day: string;
  readonly amountMinor: number;
  readonly registerId: string | null;
  readonly sellerId: string | null;
  readonly currency: string | null;
}

/**
 * Run a write; SQLite's failures come out coded (a full disk as FS_DISK_FULL), naming the
 * database and `kept`, what survived (the failed transaction was rolled back whole).
 */
function written<T>(db: Database.Database, kept: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    throw storeWriteError(db.name, e, kept);
  }
}

/** Idempotent: storing the same receipt twice stores it once and reports it as a duplicate. */
export function storeReceipts(db: Database.Database, receipts: readonly StoredReceipt[]): ReceiptStoreReport {
  return written(db, 'no receipt of this batch was stored (one transaction); receipts stored before are kept', () => putReceipts(db, receipts));
}

function putReceipts(db: Database.Database, receipts: readonly StoredReceipt[]): ReceiptStoreReport {
  const get = db.prepare<[string], ReceiptRow>(
    'SELECT t_ms AS tMs, day, amount_minor AS amountMinor, register_id AS registerId, seller_id AS sellerId, currency FROM receipts WHERE id = ?',
  );
  const put = db.prepare(
    `INSERT INTO receipts (id, t_ms, day, amount_minor, register_id, seller_id, currency) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET t_ms = excluded.t_ms, day = excluded.day, amount_minor = excluded.amount_minor,
       register_id = excluded.register_id, seller_id = excluded.seller_id, currency = excluded.currency`,
  );
  return db.transaction((): ReceiptStoreReport => {
    let inserted = 0;
    let updated = 0;
    let duplicates = 0;
    const days = new Set<string>();
    for (const r of receipts) {
      const old = get.get(r.id);
      if (
        old &&
        old.tMs === r.tMs &&
        old.amountMinor === r.amountMinor &&
        old.registerId === r.registerId &&
        old.sellerId === r.sellerId &&
        old.day === r.day &&
        old.currency === (r.currency ?? null)
      ) {
        duplicates++;
        continue;
      }
      put.run(r.id, r.tMs, r.day, r.amountMinor, r.registerId, r.sellerId, r.currency ?? null);
      if (old) {
        updated++;
        days.add(old.day);
      } else inserted++;
      days.add(r.day);
    }
    return { inserted, updated, duplicates, days: [...days].sort() };
  })();
}

export interface ScheduledShift {
  /** Store-local date the shift starts on (the schedule's `date`). */
  readonly date: string;
  readonly sellerId: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface ShiftReplaceReport {
  readonly days: readonly string[];
  readonly deleted: number;
  readonly inserted: number;
}

/**
 * Replace the shifts of every day the schedule covers, in one transaction: a re-fetched sheet
 * whose day changed (a seller swapped, a shift moved) leaves no stale rows; days the sheet no
 * longer lists (older than its window) are kept. `dayBounds` gives a local day's [from, to) in UTC ms.
 * A seller id that is not a record id is refused before anything is written (MisuseError naming
 * it): it would otherwise stop every later roll-up of its day, for all sellers. The CSV import
 * refuses such rows by file and line first (sales/schedule.ts); this keeps any other writer honest.
 */
export function replaceShifts(
  db: Database.Database,
  shifts: readonly ScheduledShift[],
  dayBounds: (date: string) => readonly [number, number],
  source = 'schedule',
): ShiftReplaceReport {
  shifts.forEach((s, i) => {
    if (!ID_RE.test(s.sellerId))
      throw new MisuseError(
        'FS_BAD_ARGUMENT',
        `shifts[${i}].sellerId: ${JSON.stringify(s.sellerId)} is not a seller id (1-128 letters A-Z a-z, digits, _ . : -); nothing was replaced`,
        { sellerId: s.sellerId, index: i },
      );
  });
  const days = [...new Set(shifts.map((s) => s.date))].sort();
  const del = db.prepare('DELETE FROM shifts WHERE source = ? AND start_ms >= ? AND start_ms < ?');
  const ins = db.prepare('INSERT INTO shifts (seller_id, start_ms, end_ms, source) VALUES (?, ?, ?, ?)');
  const replace = db.transaction((): ShiftReplaceReport => {
    let deleted = 0;
    for (const d of days) {
      const [from, to] = dayBounds(d);
      deleted += del.run(source, from, to).changes;
    }
    for (const s of shifts) ins.run(s.sellerId, s.startMs, s.endMs, source);
    return { days, deleted, inserted: shifts.length };
  });
  return written(db, 'the shifts stored before are kept unchanged', () => replace());
}

export interface ImportedFile {
  readonly sha256: string;
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** True when a file with this name, size and mtime was imported (no need to read it again). */
export function importedByStat(db: Database.Database, name: string, size: number, mtimeMs: number): boolean {
  return (
    db
      .prepare<[string, number, number], { n: number }>('SELECT COUNT(*) AS n FROM sales_imports WHERE name = ? AND size = ? AND mtime_ms = ?')
      .get(name, size, Math.round(mtimeMs))!.n > 0
  );
}

/** The name under which this content was first imported, or null when it is new. */
export function importedAs(db: Database.Database, sha256: string): string | null {
  return (
    db.prepare<[string], { name: string }>('SELECT name FROM sales_imports WHERE sha256 = ? ORDER BY imported_ms, rowid LIMIT 1').get(sha256)?.name ?? null
  );
}

/**
 * Store a file's receipts and mark the file imported in ONE transaction, so a crash between the
 * two never loses receipts nor imports a file twice.
 */
export function importReceiptFile(
  db: Database.Database,
  file: ImportedFile,
  receipts: readonly StoredReceipt[],
  problems: number,
  nowMs: number,
): ReceiptStoreReport {
  const mark = db.prepare(
    `INSERT INTO sales_imports (sha256, name, size, mtime_ms, imported_ms, receipts, problems) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name, size, mtime_ms) DO NOTHING`,
  );
  const importFile = db.transaction((): ReceiptStoreReport => {
    const r = putReceipts(db, receipts);
    mark.run(file.sha256, file.name, file.size, Math.round(file.mtimeMs), nowMs, r.inserted + r.updated, problems);
    return r;
  });
  return written(db, `nothing of ${file.name} was stored and it is not marked imported, so the next scan reads it again; receipts stored before are kept`, () =>
    importFile(),
  );
}

/** Store-local days that already have KPIs saved (a receipt arriving for one of them is late). */
export function daysWithKpis(db: Database.Database, days: readonly string[]): string[] {
  // A saved day view counts too: a day whose sellers had no rows still shows on the dashboard.
  const q = db.prepare<[string, string], { n: number }>(
    'SELECT (SELECT COUNT(*) FROM daily_kpis WHERE day = ?) + (SELECT COUNT(*) FROM day_reports WHERE day = ?) AS n',
  );
  return days.filter((d) => q.get(d, d)!.n > 0);
}

/** Shift rows overlapping [fromMs, toMs) (the roll-up dates and names them). */
export function shiftRowsBetween(db: Database.Database, fromMs: number, toMs: number): Array<{ sellerId: string; start: number; end: number }> {
  return db
    .prepare<[number, number], { sellerId: string; start: number; end: number }>(
      'SELECT seller_id AS sellerId, start_ms AS start, end_ms AS "end" FROM shifts WHERE start_ms < ? AND end_ms > ?',
    )
    .all(toMs, fromMs);
}
