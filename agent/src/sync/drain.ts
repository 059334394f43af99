/**
 * Draining the outbox: read the oldest unsent rows (seq order), send them to ClickHouse grouped
 * by record type, and mark them sent only after every INSERT of the batch was acknowledged.
 *
 * Crash analysis: a crash before the ack leaves the rows unsent; a crash between the ack and the
 * mark replays the batch later with the same record ids and versions, which ReplacingMergeTree
 * collapses (FINAL / argMax / merges). So a record is never lost and never counted twice.
 * No transaction spans the network call (better-sqlite3 transactions are synchronous).
 */
import type Database from 'better-sqlite3';
import { markSent, outboxBacklog, pendingRows, type OutboxRow } from '../store/outbox.js';
import { RECORD_SPECS, type RecordType } from '../store/records.js';
import type { CentralTransport } from './clickhouse.js';
import { checkCentralSchema, readCatalog, tableName } from './ddl.js';

export interface DrainOptions {
  readonly database: string;
  readonly batchRows: number;
  readonly clock: () => number;
  /** Stop after this many batches (default: until the outbox is empty). */
  readonly maxBatches?: number;
  /** Test seams around the network call; the agent passes none. */
  readonly hooks?: {
    readonly beforeInsert?: (batch: number, rows: readonly OutboxRow[]) => void | Promise<void>;
    readonly afterAck?: (batch: number, rows: readonly OutboxRow[]) => void | Promise<void>;
  };
}

export interface DrainReport {
  readonly batches: number;
  readonly sent: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly remaining: number;
  /** Seq of the last row marked sent (rows go strictly in seq order). */
  readonly lastSeq: number | null;
  /** Rows set aside because they fail the whitelist (never sent; see outboxBacklog). */
  readonly quarantined: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** '2026-11-20 10:00:00' (UTC): parsed identically by ClickHouse 18.16 and current releases. */
export function chDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** One outbox row as a central-table row: identity + whitelisted columns, nothing else. */
export function centralRow(row: OutboxRow): Record<string, string | number> {
  const out: Record<string, string | number> = { record_id: row.recordId, version: row.version, deleted: row.deleted };
  for (const c of RECORD_SPECS[row.type].columns) {
    const v = row.payload[c.name];
    if (v === undefined) continue; // toRecordPayload guarantees presence; keep the type checker honest
    out[c.name] = (c.kind === 'time' || c.kind === 'minute') && typeof v === 'number' ? chDateTime(v) : v;
  }
  return out;
}

export async function drainOutbox(db: Database.Database, transport: CentralTransport, opts: DrainOptions): Promise<DrainReport> {
  const byType: Record<string, number> = {};
  let batches = 0;
  let sent = 0;
  let lastSeq: number | null = null;
  const max = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  let checked = false;
  while (batches < max) {
    const rows = pendingRows(db, opts.batchRows, opts.clock());
    if (rows.length === 0) break;
    if (!checked) {
      // Once per drain, before the first INSERT: a central column of another type (narrowed to
      // UInt8 by hand) must refuse the send rather than wrap amounts (sync --init's comparison).
      checkCentralSchema(opts.database, await readCatalog(transport, opts.database), transport.url);
      checked = true;
    }
    batches += 1;
    await opts.hooks?.beforeInsert?.(batches, rows);
    const groups = new Map<RecordType, Array<Record<string, string | number>>>();
    for (const r of rows) {
      const g = groups.get(r.type) ?? [];
      g.push(centralRow(r));
      groups.set(r.type, g);
    }
    // Throws FS_REMOTE on any failure; nothing of this batch is marked, so it is retried whole.
    for (const [type, values] of groups) await transport.insertRows(tableName(opts.database, type), values);
    await opts.hooks?.afterAck?.(batches, rows);
    markSent(
      db,
      rows.map((r) => r.seq),
      opts.clock(),
    );
    for (const r of rows) byType[r.type] = (byType[r.type] ?? 0) + 1;
    sent += rows.length;
    lastSeq = rows[rows.length - 1]?.seq ?? lastSeq;
  }
  const backlog = outboxBacklog(db);
  return { batches, sent, byType, remaining: backlog.unsent, lastSeq, quarantined: backlog.quarantined };
}
