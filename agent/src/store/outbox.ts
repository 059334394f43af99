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
  return appendVersion(db, type, recordIdOf(type, payload), payload, 0, nowMs);
}

/**
 * The one place where a recompute of a day retracts what it no longer yields (issue 14 item 1):
 * every live record of `type` dated `day` whose id is not in `keep` gets a tombstone version
 * (deleted = 1, its last payload, a newer version), which the central views exclude. Call in the
 * transaction that wrote the day's new records. Returns the record ids retracted. Records written
 * before record_versions kept payloads (migration 6) cannot be retracted and are left alone.
 */
export function retractStale(db: Database.Database, type: RecordType, day: string, keep: ReadonlySet<string>, nowMs: number): string[] {
  const live = db
    .prepare<[string, string], { record_id: string; payload: string }>(
      'SELECT record_id, payload FROM record_versions WHERE record_type = ? AND day = ? AND deleted = 0 AND payload IS NOT NULL',
    )
    .all(type, day);
  const out: string[] = [];
  for (const r of live) {
    if (keep.has(r.record_id)) continue;
    let payload: RecordPayload;
    try {
      const parsed: unknown = JSON.parse(r.payload);
      payload = toRecordPayload(type, typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {});
    } catch {
      // A stored payload that no longer passes the whitelist cannot travel as a tombstone either;
      // the day's new records must not be lost over it (its outbox row, if unsent, is quarantined).
      continue;
    }
    appendVersion(db, type, r.record_id, payload, 1, nowMs);
    out.push(r.record_id);
  }
  return out;
}

function appendVersion(db: Database.Database, type: RecordType, recordId: string, payload: RecordPayload, deleted: 0 | 1, nowMs: number): Enqueued {
  const json = JSON.stringify(payload);
  const sha = createHash('sha256').update(json).digest('hex');
  const day = typeof payload.day === 'string' ? payload.day : null;
  const run = db.transaction((): Enqueued => {
    const prev = db
      .prepare<[string, string], { version: number; payload_sha: string; deleted: number }>(
        'SELECT version, payload_sha, deleted FROM record_versions WHERE record_type = ? AND record_id = ?',
      )
      .get(type, recordId);
    // A record that comes back after a retraction with its old payload is a new version all the same.
    if (prev && prev.payload_sha === sha && prev.deleted === deleted) return { recordId, version: null, superseded: 0 };
    const version = Math.max((prev?.version ?? 0) + 1, nowMs);
    const superseded = db.prepare('DELETE FROM outbox WHERE record_type = ? AND record_id = ? AND sent_ms IS NULL').run(type, recordId).changes;
    db.prepare('INSERT INTO outbox (record_type, record_id, version, payload, deleted, created_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
      type,
      recordId,
      version,
      json,
      deleted,
      nowMs,
    );
    db.prepare(
      `INSERT INTO record_versions (record_type, record_id, version, payload_sha, payload, day, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version, payload_sha = excluded.payload_sha,
         payload = excluded.payload, day = excluded.day, deleted = excluded.deleted`,
    ).run(type, recordId, version, sha, json, day, deleted);
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
  /** 1: a tombstone (the record was retracted by a recompute of its day). */
  readonly deleted: 0 | 1;
  readonly createdMs: number;
}

interface RawOutboxRow {
  seq: number;
  record_type: string;
  record_id: string;
  version: number;
  payload: string;
  deleted: number;
  created_ms: number;
}

/**
 * The oldest unsent rows, in seq order. A row that fails the whitelist on the way out (or is of a
 * type this release does not know: a newer release wrote it) is quarantined, never sent, and the
 * rest still go: one bad row must not stall the outbox (issue 14 item 6). Quarantined rows stay in
 * the file, counted by outboxBacklog, until a newer version of their record replaces them.
 */
export function pendingRows(db: Database.Database, limit: number, nowMs: number = Date.now()): OutboxRow[] {
  const select = db.prepare<[number], RawOutboxRow>(
    'SELECT seq, record_type, record_id, version, payload, deleted, created_ms FROM outbox WHERE sent_ms IS NULL AND quarantined_ms IS NULL ORDER BY seq LIMIT ?',
  );
  const quarantine = db.prepare('UPDATE outbox SET quarantined_ms = ?, quarantine_reason = ? WHERE seq = ?');
  for (;;) {
    const out: OutboxRow[] = [];
    let quarantined = 0;
    const rows = select.all(limit);
    for (const r of rows) {
      // Re-validate on the way out: whatever sits in the file, only whitelisted columns leave.
      try {
        if (!isRecordType(r.record_type)) throw new Error(`unknown record type (written by a newer FloorSense?)`);
        const parsed: unknown = JSON.parse(r.payload);
        const payload = toRecordPayload(r.record_type, typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {});
        out.push({
          seq: r.seq,
          type: r.record_type,
          recordId: r.record_id,
          version: r.version,
          payload,
          deleted: r.deleted === 1 ? 1 : 0,
          createdMs: r.created_ms,
        });
      } catch (e) {
        quarantine.run(nowMs, `fails the sync whitelist: ${e instanceof Error ? e.message : String(e)}`, r.seq);
        quarantined += 1;
      }
    }
    // A batch that was all quarantine: read on, or the caller would take "none" for "all sent".
    if (out.length > 0 || quarantined === 0) return out;
  }
}

export interface QuarantinedRow {
  readonly seq: number;
  readonly type: string;
  readonly recordId: string;
  readonly quarantinedMs: number;
  readonly reason: string;
}

/** The quarantined rows, oldest first (at most `limit`). */
export function quarantinedRows(db: Database.Database, limit = 20): QuarantinedRow[] {
  return db
    .prepare<[number], QuarantinedRow>(
      'SELECT seq, record_type AS type, record_id AS recordId, quarantined_ms AS quarantinedMs, quarantine_reason AS reason FROM outbox WHERE quarantined_ms IS NOT NULL AND sent_ms IS NULL ORDER BY seq LIMIT ?',
    )
    .all(limit);
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
  /** Rows waiting to be sent (quarantined rows not included). */
  readonly unsent: number;
  readonly sent: number;
  readonly oldestUnsentMs: number | null;
  readonly byType: Readonly<Record<string, number>>;
  /** Rows set aside because they fail the whitelist: never sent (see `quarantine`). */
  readonly quarantined: number;
  /** The first quarantined rows, with why. */
  readonly quarantine: readonly QuarantinedRow[];
}

export function outboxBacklog(db: Database.Database): Backlog {
  const totals = db
    .prepare<[], { unsent: number; sent: number; oldest: number | null; quarantined: number }>(
      `SELECT COUNT(*) FILTER (WHERE sent_ms IS NULL AND quarantined_ms IS NULL) AS unsent, COUNT(*) FILTER (WHERE sent_ms IS NOT NULL) AS sent,
         MIN(created_ms) FILTER (WHERE sent_ms IS NULL AND quarantined_ms IS NULL) AS oldest,
         COUNT(*) FILTER (WHERE sent_ms IS NULL AND quarantined_ms IS NOT NULL) AS quarantined FROM outbox`,
    )
    .get();
  const byType: Record<string, number> = {};
  for (const r of db
    .prepare<[], { t: string; n: number }>(
      'SELECT record_type AS t, COUNT(*) AS n FROM outbox WHERE sent_ms IS NULL AND quarantined_ms IS NULL GROUP BY record_type ORDER BY record_type',
    )
    .all()) {
    byType[r.t] = r.n;
  }
  const quarantined = totals?.quarantined ?? 0;
  return {
    unsent: totals?.unsent ?? 0,
    sent: totals?.sent ?? 0,
    oldestUnsentMs: totals?.oldest ?? null,
    byType,
    quarantined,
    quarantine: quarantined > 0 ? quarantinedRows(db) : [],
  };
}
