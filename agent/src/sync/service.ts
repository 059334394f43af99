/**
 * What `floorsense sync` does, as library functions taking plain config and returning plain
 * reports (the CLI only prints them): create the central schema, drain the outbox once, show the
 * backlog. Each opens what it needs and closes it again.
 */
import { isFloorSenseError, MisuseError } from '../core/errors.js';
import { openStore } from '../store/open.js';
import { outboxBacklog, type Backlog } from '../store/outbox.js';
import { createClickHouseTransport, type CentralTransport } from './clickhouse.js';
import { CLUSTER_QUERIES, checkCluster, dashboardUserSql, planSchema, readCatalog } from './ddl.js';
import { drainOutbox, type DrainReport } from './drain.js';
import { abortableSleep } from '../core/sleep.js';
import { runSyncLoop } from './loop.js';

export interface SyncSettings {
  readonly url?: string | undefined;
  readonly database: string;
  /** The cluster (remote_servers) of the cluster layout; absent = one server. */
  readonly cluster?: string | undefined;
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
  return createClickHouseTransport({
    url: sync.url,
    username: sync.username,
    password: sync.password,
    timeoutMs: sync.timeout_s * 1000,
    ...(sync.cluster ? { settings: clusterSettings(sync.timeout_s) } : {}),
  });
}

/**
 * Server settings for the cluster layout (18.16 has no INSERT ... SETTINGS; they go with the request).
 * - insert_distributed_sync = 1: the INSERT into a Distributed table returns only once every
 *   shard's block is written on one of its replicas (the others copy it through ZooKeeper). The
 *   default queues the block on the receiving server's disk and acknowledges at once: the box
 *   would mark rows sent that no shard holds yet, and a lost or rebuilt receiving server would
 *   lose them. Synchronously, a shard with no live replica fails the INSERT, the batch stays
 *   unsent and is retried whole; the shards that took it before receive it again, which the
 *   replicated tables drop as a repeated block or ReplacingMergeTree(version) collapses (same
 *   record ids and versions), so a retry never counts twice.
 * - the server-side time limits are a little under the HTTP timeout, so a slow shard or a server
 *   of the cluster that is down during `sync --init` comes back as ClickHouse's own message naming
 *   it, not as a bare client timeout.
 */
export function clusterSettings(timeoutS: number): Readonly<Record<string, number>> {
  const limit = Math.max(1, timeoutS - 2);
  return { insert_distributed_sync: 1, insert_distributed_timeout: limit, distributed_ddl_task_timeout: limit };
}

export interface InitReport {
  readonly url: string;
  /** The cluster the schema was made ON CLUSTER, null for one server. */
  readonly cluster: string | null;
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
    if (sync.cluster) {
      const names = async (sql: string, key: string): Promise<string[]> => (await transport.queryRows(sql)).map((r) => String(r[key]));
      checkCluster(
        sync.cluster,
        { clusters: await names(CLUSTER_QUERIES.clusters, 'cluster'), macros: await names(CLUSTER_QUERIES.macros, 'macro') },
        transport.url,
      );
    }
    const plan = planSchema(sync.database, await readCatalog(transport, sync.database), sync.cluster);
    for (const sql of plan.statements) await transport.exec(sql);
    return {
      url: transport.url,
      cluster: sync.cluster ?? null,
      serverVersion,
      statements: plan.statements.length,
      added: plan.added,
      retired: plan.retired,
      dashboardUser: dashboardUserSql(sync.database, serverVersion, undefined, sync.cluster),
    };
  } finally {
    await transport.close();
  }
}

export async function syncOnce(
  storage: StorageSettings,
  sync: SyncSettings,
  clock: () => number,
  transport: CentralTransport = transportFor(sync),
): Promise<DrainReport> {
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
  error(obj: object, msg: string): void;
}

/** What /status shows of the background sync. */
export interface SyncState {
  readonly lastSuccessMs: number | null;
  readonly lastError: string | null;
  /** Failures in a row since the last success. */
  readonly failures: number;
  /** When the next try is due (UTC ms), null before the first. */
  readonly nextTryMs: number | null;
}

export interface RunningSync {
  state(): SyncState;
  /** Ask the loop to stop after the current batch; resolves when it has. */
  stop(): Promise<void>;
}

export interface SyncLoopSeams {
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Resolves after `ms` or when the signal aborts (tests pass one that records the delays). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly transport?: CentralTransport;
}

/**
 * The agent's one sync scheduler (issue 14 item 6), on an already-open store: drain at once, then
 * every interval_s while all goes well; after a failure, exponential backoff with full jitter
 * between backoff_min_s and backoff_max_s, one warning line per failure (no stack: an unreachable
 * or refusing server is expected weather). Does nothing (and says so) when sync.url is absent.
 */
export function startSyncLoop(
  db: Parameters<typeof drainOutbox>[0],
  sync: SyncSettings & { readonly interval_s: number; readonly backoff_min_s: number; readonly backoff_max_s: number },
  logger: SyncLogger,
  seams: SyncLoopSeams = {},
): RunningSync {
  let state: SyncState = { lastSuccessMs: null, lastError: null, failures: 0, nextTryMs: null };
  if (!sync.url) {
    logger.info({}, 'sync.url is not set: aggregates stay in the outbox until it is');
    return { state: () => state, stop: async () => {} };
  }
  const clock = seams.clock ?? Date.now;
  const transport = seams.transport ?? transportFor(sync);
  const ctl = new AbortController();
  const done = runSyncLoop({
    drain: () => drainOutbox(db, transport, { database: sync.database, batchRows: sync.batch_rows, clock }),
    sleep: seams.sleep ?? abortableSleep,
    random: seams.random ?? Math.random,
    signal: ctl.signal,
    intervalMs: sync.interval_s * 1000,
    backoff: { minMs: sync.backoff_min_s * 1000, maxMs: sync.backoff_max_s * 1000 },
    onDrained: (r) => {
      state = { lastSuccessMs: clock(), lastError: null, failures: 0, nextTryMs: clock() + sync.interval_s * 1000 };
      if (r.sent > 0) logger.info({ sync: r }, `sent ${r.sent} aggregate record(s) to ${transport.url}`);
      if (r.quarantined > 0)
        logger.warn(
          { quarantined: r.quarantined },
          `${r.quarantined} outbox row(s) fail the sync whitelist and are quarantined, not sent (floorsense sync --status lists them)`,
        );
    },
    onFailure: (e, ms, attempt) => {
      const text = e instanceof Error ? e.message : String(e);
      state = { ...state, lastError: text, failures: attempt + 1, nextTryMs: clock() + ms };
      logger.warn(
        { attempt: attempt + 1, retryInMs: ms, code: isFloorSenseError(e) ? e.code : undefined },
        `${text}; retrying in ${Math.round(ms / 1000)} s (outbox kept)`,
      );
    },
  })
    .catch((e: unknown) => {
      // Not the world's fault (a bug or a misuse): the loop has stopped; say so once, with the stack.
      state = { ...state, lastError: e instanceof Error ? e.message : String(e), nextTryMs: null };
      logger.error({ err: e }, `sync stopped: ${state.lastError}`);
    })
    .finally(() => transport.close());
  return {
    state: () => state,
    stop: async () => {
      ctl.abort();
      await done;
    },
  };
}
