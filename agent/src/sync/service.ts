/**
 * What `floorsense sync` does, as library functions taking plain config and returning plain
 * reports (the CLI only prints them): create the central schema, drain the outbox once, show the
 * backlog. Each opens what it needs and closes it again.
 */
import { MisuseError } from '../core/errors.js';
import { openStore } from '../store/open.js';
import { outboxBacklog, type Backlog } from '../store/outbox.js';
import { createClickHouseTransport, type CentralTransport } from './clickhouse.js';
import { catalogQueries, dashboardUserSql, planSchema } from './ddl.js';
import { drainOutbox, type DrainReport } from './drain.js';
import { abortableSleep, runSyncLoop } from './loop.js';

export interface SyncSettings {
  readonly url?: string | undefined;
  readonly database: string;
  readonly username: string;
  readonly password: string;
  readonly batch_rows: number;
  readonly timeout_s: number;
}

export interface StorageSettings {
  readonly path: string;
  readonly integrity_check: 'quick' | 'off';
}

export function transportFor(sync: SyncSettings): CentralTransport {
  if (!sync.url) throw new MisuseError('FS_BAD_ARGUMENT', 'sync.url is not set in the config: there is no ClickHouse to talk to', { key: 'sync.url' });
  return createClickHouseTransport({ url: sync.url, username: sync.username, password: sync.password, timeoutMs: sync.timeout_s * 1000 });
}

export interface InitReport {
  readonly url: string;
  readonly serverVersion: string;
  readonly statements: number;
  /** `table.column` added to central tables an earlier release created (their old rows read 0). */
  readonly added: readonly string[];
  /** Retired tables still on the server, left in place for the admin to drop. */
  readonly retired: readonly string[];
  /** SQL (or users.xml) for a read-only dashboard user, to hand to the chain's admin. */
  readonly dashboardUser: string;
}

export async function syncInit(sync: SyncSettings, transport: CentralTransport = transportFor(sync)): Promise<InitReport> {
  try {
    const [row] = await transport.queryRows('SELECT version() AS v');
    const serverVersion = typeof row?.v === 'string' ? row.v : 'unknown';
    const q = catalogQueries(sync.database);
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const catalog = {
      tables: (await transport.queryRows(q.tables)).map((r) => ({ name: text(r.name), engine: text(r.engine) })),
      columns: (await transport.queryRows(q.columns)).map((r) => ({ table: text(r.table), name: text(r.name), type: text(r.type) })),
    };
    const plan = planSchema(sync.database, catalog);
    for (const sql of plan.statements) await transport.exec(sql);
    return { url: transport.url, serverVersion, statements: plan.statements.length, added: plan.added, retired: plan.retired, dashboardUser: dashboardUserSql(sync.database, serverVersion) };
  } finally {
    await transport.close();
  }
}

export async function syncOnce(storage: StorageSettings, sync: SyncSettings, clock: () => number, transport: CentralTransport = transportFor(sync)): Promise<DrainReport> {
  const store = openStore(storage.path, { nowMs: clock(), integrityCheck: storage.integrity_check });
  try {
    return await drainOutbox(store.db, transport, { database: sync.database, batchRows: sync.batch_rows, clock });
  } finally {
    store.close();
    await transport.close();
  }
}

export function syncStatus(storage: StorageSettings, clock: () => number): Backlog {
  const store = openStore(storage.path, { nowMs: clock(), integrityCheck: storage.integrity_check });
  try {
    return outboxBacklog(store.db);
  } finally {
    store.close();
  }
}

/** The slice of pino the sync loop logs through. */
export interface SyncLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RunningSync {
  /** Ask the loop to stop after the current batch; resolves when it has. */
  stop(): Promise<void>;
}

/**
 * Start the agent's background sync on an already-open store: drain, then every interval_s; after a
 * failure, exponential backoff with full jitter between backoff_min_s and backoff_max_s. Does
 * nothing (and says so) when sync.url is absent.
 */
export function startSyncLoop(
  db: Parameters<typeof drainOutbox>[0],
  sync: SyncSettings & { readonly interval_s: number; readonly backoff_min_s: number; readonly backoff_max_s: number },
  logger: SyncLogger,
  clock: () => number = Date.now,
  random: () => number = Math.random,
): RunningSync {
  if (!sync.url) {
    logger.warn({}, 'sync.url is not set: aggregates stay in the outbox until it is');
    return { stop: async () => {} };
  }
  const transport = transportFor(sync);
  const ctl = new AbortController();
  const done = runSyncLoop({
    drain: () => drainOutbox(db, transport, { database: sync.database, batchRows: sync.batch_rows, clock }),
    sleep: abortableSleep,
    random,
    signal: ctl.signal,
    intervalMs: sync.interval_s * 1000,
    backoff: { minMs: sync.backoff_min_s * 1000, maxMs: sync.backoff_max_s * 1000 },
    onDrained: (r) => {
      if (r.sent > 0) logger.info({ sync: r }, `sent ${r.sent} aggregate record(s) to ${transport.url}`);
    },
    onFailure: (e, ms, attempt) => logger.warn({ err: e, attempt }, `${e instanceof Error ? e.message : String(e)}; retrying in ${Math.round(ms / 1000)} s (outbox kept)`),
  }).finally(() => transport.close());
  return {
    stop: async () => {
      ctl.abort();
      await done;
    },
  };
}
