/**
 * The outbox: aggregate records waiting for the central ClickHouse. Rows are appended by the
 * repository functions in the same transaction as the data they summarise, read in seq order by
 * the sync, and marked sent only after ClickHouse acknowledged them.
 *
 * Versions: version = max(previous version + 1, now in ms). Monotonic per record for the life of
 * the database (record_versions outlives purged outbox rows), and still ahead of what ClickHouse
 * holds if the box's database is ever replaced, as long as the clock is sane.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { FailureError } from '../core/errors.js';
import { recordIdOf, toRecordPayload, isRecordType, type RecordPayload, type RecordType } from './records.js';

export interface Enqueued {
  readonly recordId: string;
  /** Null when the payload equals the last version: nothing new to send. */
  readonly version: number | null;
  /** Unsent older versions of the same record dropped in favour of this one. */
  readonly superseded: number;
}

/**
 * Append one record version. Call inside the caller's transaction (better-sqlite3 nests it as a
 * savepoint otherwise); never awaits.
 */
export function enqueueRecord(db: Database.Database, type: RecordType, values: Readonly<Record<string, unknown>>, nowMs: number): Enqueued {
  const payload = toRecordPayload(type, values);
  const recordId = recordIdOf(type, payload);
  const json = JSON.stringify(payload);
  const sha = createHash('sha256').update(json).digest('hex');
  const run = db.transaction((): Enqueued => {
    const prev = db
      .prepare<[string, string], { version: number; payload_sha: string }>('SELECT version, payload_sha FROM record_versions WHERE record_type = ? AND record_id = ?')
      .get(type, recordId);
    if (prev && prev.payload_sha === sha) return { recordId, version: null, superseded: 0 };
    const version = Math.max((prev?.version ?? 0) + 1, nowMs);
    const superseded = db.prepare('DELETE FROM outbox WHERE record_type = ? AND record_id = ? AND sent_ms IS NULL').run(type, recordId).changes;
    db.prepare('INSERT INTO outbox (record_type, record_id, version, payload, created_ms) VALUES (?, ?, ?, ?, ?)').run(type, recordId, version, json, nowMs);
    db.prepare(
      `INSERT INTO record_versions (record_type, record_id, version, payload_sha) VALUES (?, ?, ?, ?)
       ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version, payload_sha = excluded.payload_sha`,
    ).run(type, recordId, version, sha);
    return { recordId, version, superseded };
  });
  return run();
}

export interface OutboxRow {
  readonly seq: number;
  readonly type: RecordType;
  readonly recordId: string;
  readonly version: number;
  readonly payload: RecordPayload;
  readonly createdMs: number;
}

interface RawOutboxRow {
  seq: number;
  record_type: string;
  record_id: string;
  version: number;
  payload: string;
  created_ms: number;
}

/** The oldest unsent rows, in seq order. Rows of an unknown type (newer schema) are skipped. */
export function pendingRows(db: Database.Database, limit: number): OutboxRow[] {
  const rows = db
    .prepare<[number], RawOutboxRow>('SELECT seq, record_type, record_id, version, payload, created_ms FROM outbox WHERE sent_ms IS NULL ORDER BY seq LIMIT ?')
    .all(limit);
  const out: OutboxRow[] = [];
  for (const r of rows) {
    if (!isRecordType(r.record_type)) continue;
    // Re-validate on the way out: whatever sits in the file, only whitelisted columns leave.
    let payload: RecordPayload;
    try {
      const parsed: unknown = JSON.parse(r.payload);
      payload = toRecordPayload(r.record_type, typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {});
    } catch (e) {
      // Stuck and loud beats sent and wrong: a row that fails the whitelist never leaves the box.
      throw new FailureError('FS_DB', `outbox row seq ${r.seq} (${r.record_type}) fails the sync whitelist and was not sent: ${e instanceof Error ? e.message : String(e)}`, { seq: r.seq }, { cause: e });
    }
    out.push({ seq: r.seq, type: r.record_type, recordId: r.record_id, version: r.version, payload, createdMs: r.created_ms });
  }
  return out;
}

/** Mark rows sent, after ClickHouse acknowledged them. Returns how many were still unsent. */
export function markSent(db: Database.Database, seqs: readonly number[], nowMs: number): number {
  const stmt = db.prepare('UPDATE outbox SET sent_ms = ? WHERE seq = ? AND sent_ms IS NULL');
  const run = db.transaction((): number => {
    let n = 0;
    for (const s of seqs) n += stmt.run(nowMs, s).changes;
    return n;
  });
  return run();
}

export interface Backlog {
  readonly unsent: number;
  readonly sent: number;
  readonly oldestUnsentMs: number | null;
  readonly byType: Readonly<Record<string, number>>;
}

export function outboxBacklog(db: Database.Database): Backlog {
  const totals = db
    .prepare<[], { unsent: number; sent: number; oldest: number | null }>(
      'SELECT COUNT(*) FILTER (WHERE sent_ms IS NULL) AS unsent, COUNT(*) FILTER (WHERE sent_ms IS NOT NULL) AS sent, MIN(created_ms) FILTER (WHERE sent_ms IS NULL) AS oldest FROM outbox',
    )
    .get();
  const byType: Record<string, number> = {};
  for (const r of db.prepare<[], { t: string; n: number }>('SELECT record_type AS t, COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL GROUP BY record_type ORDER BY record_type').all()) {
    byType[r.t] = r.n;
  }
  return { unsent: totals?.unsent ?? 0, sent: totals?.sent ?? 0, oldestUnsentMs: totals?.oldest ?? null, byType };
}
