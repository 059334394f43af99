/**
 * Opening the local store: pragmas, an integrity check, migrations. Failures become one clear
 * FailureError('FS_DB') that names the file and says what to do; the file is never deleted,
 * moved or re-created here, because that would silently throw away up to three days of results
 * and unsent aggregates.
 *
 * Recovery path (also printed in the error):
 *   Locked: another FloorSense (or a sqlite3 shell) holds the write lock. Stop it
 *     (`systemctl stop floorsense`, or find it with `fuser <db>`), then start again.
 *   Corrupt: stop the agent; keep the damaged file and its -wal/-shm side files together;
 *     1. copy them aside: cp <db>* /var/backups/floorsense/
 *     2. salvage what SQLite can read: sqlite3 <db> ".recover" | sqlite3 <db>.recovered
 *        (then check: sqlite3 <db>.recovered "PRAGMA integrity_check")
 *     3. move the damaged file away and put the recovered one in its place (mv), start the agent;
 *        migrations bring the schema up to date and unsent outbox rows are sent as usual.
 *     If nothing is recoverable, moving the file away lets the agent start with an empty store:
 *     that is an operator's decision, never the agent's.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FailureError } from '../core/errors.js';
import { applyMigrations, type MigrationReport } from './migrations.js';

export interface OpenStoreOptions {
  /** Milliseconds to wait for another connection's lock before failing. */
  readonly busyTimeoutMs?: number;
  readonly integrityCheck?: 'quick' | 'off';
  /** Wall-clock now (for the migrations table only). */
  readonly nowMs: number;
}

export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly migrations: MigrationReport;
  close(): void;
}

export const RECOVERY_HINT_LOCKED =
  'another process holds the database lock: stop the other FloorSense or sqlite3 session (find it with `fuser <db>`), then start again';
export const RECOVERY_HINT_CORRUPT =
  'the database is damaged; stop the agent, copy <db>, <db>-wal and <db>-shm aside, salvage with `sqlite3 <db> ".recover" | sqlite3 <db>.recovered`, check it with PRAGMA integrity_check, then move it into place and restart (see agent/src/store/open.ts)';

const SQLITE_CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

/** Turn a better-sqlite3 error at start into FS_DB with the recovery path for its cause. */
export function dbStartError(path: string, e: unknown): FailureError {
  if (e instanceof FailureError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : '';
  const msg = e instanceof Error ? e.message : String(e);
  const hint = (h: string): string => h.replaceAll('<db>', path);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new FailureError(
      'FS_DB',
      `database ${path} is locked (${code}): ${hint(RECOVERY_HINT_LOCKED)}`,
      { path, cause: 'locked', sqlite: code },
      { cause: e },
    );
  }
  if (SQLITE_CORRUPT_CODES.has(code) || code.startsWith('SQLITE_CORRUPT')) {
    return new FailureError(
      'FS_DB',
      `database ${path} is corrupt (${code}: ${msg}); it was left untouched: ${hint(RECOVERY_HINT_CORRUPT)}`,
      { path, cause: 'corrupt', sqlite: code },
      { cause: e },
    );
  }
  return new FailureError('FS_DB', `cannot open database ${path} (${code || 'error'}: ${msg})`, { path, cause: 'other', sqlite: code }, { cause: e });
}

/** SQLite's result code of a better-sqlite3 error ('' for anything else). */
function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' && e.code.startsWith('SQLITE_') ? e.code : '';
}

/** True when `e` is a FloorSense full-disk error or SQLite's SQLITE_FULL. */
export function isDiskFull(e: unknown): boolean {
  return (e instanceof FailureError && e.code === 'FS_DISK_FULL') || sqliteCode(e).startsWith('SQLITE_FULL');
}

/**
 * A better-sqlite3 error met while writing, as a coded FailureError naming the database: the disk
 * full (SQLITE_FULL; the failed transaction was rolled back, everything committed before stays)
 * becomes FS_DISK_FULL, other engine failures FS_DB. `kept` says what survived, for the message.
 * FloorSense errors and non-SQLite errors pass through unchanged.
 */
export function storeWriteError(path: string, e: unknown, kept: string): unknown {
  if (e instanceof FailureError) return e;
  const code = sqliteCode(e);
  if (code === '') return e;
  if (code.startsWith('SQLITE_FULL')) {
    return new FailureError(
      'FS_DISK_FULL',
      `disk full: database ${path} cannot grow (${code}); ${kept}; free space on the disk holding ${dirname(path)} (storage.min_free_disk_mb sets the floor retention keeps)`,
      { path, sqlite: code },
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return dbStartError(path, e);
  return new FailureError(
    'FS_DB',
    `database ${path} failed a write (${code}: ${e instanceof Error ? e.message : String(e)}); ${kept}`,
    { path, sqlite: code },
    { cause: e },
  );
}

/**
 * Open (creating if absent) the store at `path`, check it, apply migrations. Throws FS_DB on a
 * locked, corrupt or newer-schema database, closing the handle and leaving the file as it was.
 */
export function openStore(path: string, opts: OpenStoreOptions): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: opts.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw dbStartError(path, e);
  }
  try {
    // Read-only checks first: a damaged file must come out of here byte for byte as it went in.
    const isNew = (db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sqlite_master').get()?.n ?? 0) === 0;
    if ((opts.integrityCheck ?? 'quick') === 'quick' && !isNew) {
      const rows = db.pragma('quick_check(5)', { simple: false });
      const problems = Array.isArray(rows) ? rows.map(quickCheckText).filter((t) => t !== 'ok') : [];
      if (problems.length > 0) {
        throw new FailureError(
          'FS_DB',
          `database ${path} failed its integrity check (${problems.join('; ')}); it was left untouched: ${RECOVERY_HINT_CORRUPT.replaceAll('<db>', path)}`,
          {
            path,
            cause: 'corrupt',
            problems,
          },
        );
      }
    }
    // auto_vacuum only takes effect before the first table exists (and setting it on an existing
    // file writes to it): set it on new files only, so retention can give pages back with
    // incremental_vacuum instead of a full VACUUM.
    if (isNew) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const migrations = applyMigrations(db, opts.nowMs);
    const handle = db;
    return { db: handle, path, migrations, close: () => handle.close() };
  } catch (e) {
    db.close();
    throw dbStartError(path, e);
  }
}

function quickCheckText(row: unknown): string {
  if (typeof row === 'object' && row !== null) {
    const v = Object.values(row)[0];
    return typeof v === 'string' ? v : String(v);
  }
  return String(row);
}
