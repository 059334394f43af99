/**
 * Current ClickHouse (26.x) embedded in the test process through chdb, driven by the agent's own
 * @clickhouse/client code: chdb's `connection` hook replaces only the HTTP socket, so the client
 * still builds `INSERT INTO db.t FORMAT JSONEachRow` + body exactly as it does for a server.
 *
 * Fidelity: clickhouse-local (which chdb is) defaults to lenient input parsing
 * (input_format_skip_unknown_fields = 1, date_time_input_format = best_effort). A server uses
 * strict parsing, and 18.16 always does; every client here pins the strict values, so a column
 * outside the whitelist or a time in another format fails here as it would on a server.
 *
 * chdb binds one data directory per process: one `Chdb` per test file, closed in afterAll.
 * Every connection that `transport()` opens is recorded so `close()` can release it.
 */
import { createClient } from '@clickhouse/client';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { transportOverClient, type CentralTransport } from '../../agent/src/sync/clickhouse.js';

const requireHere = createRequire(import.meta.url);

/**
 * chdb is a test-only extra (installer/test-extras.sh; `.ci/run` installs it), not a dependency:
 * the registry lacks its packages for other platforms, which would break `npm ci`. It is loaded at
 * run time, so the suite still type-checks and runs without it: then this test skips loudly, and
 * fails under CI=true.
 */
export function haveChdb(): boolean {
  try {
    requireHere.resolve('chdb/connection');
    return true;
  } catch {
    const msg = 'chdb is not installed (run installer/test-extras.sh), needed by the current-ClickHouse sync test';
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} — required in CI`);
    console.warn(`\n*** SKIPPING: ${msg} ***\n`);
    return false;
  }
}

function createChdbConnection(opts: { path: string }): object {
  const mod: unknown = requireHere('chdb/connection');
  const create: unknown = mod !== null && typeof mod === 'object' ? Reflect.get(mod, 'createChdbConnection') : undefined;
  if (typeof create !== 'function') throw new Error('chdb/connection no longer exports createChdbConnection');
  const conn: unknown = create(opts);
  if (conn === null || typeof conn !== 'object') throw new Error('createChdbConnection returned no connection');
  return conn;
}

/** Server-strict input settings (see the header). */
export const STRICT_INPUT = Object.freeze({ input_format_skip_unknown_fields: 0, date_time_input_format: 'basic' });

/** One INSERT as it reached the engine: the statement, its settings and parameters, the body. */
export interface SentInsert {
  readonly query: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly queryParams: Readonly<Record<string, unknown>> | undefined;
  readonly body: string;
}

export interface Chdb {
  readonly dir: string;
  /** Every INSERT any transport of this instance sent, in order. */
  readonly inserts: SentInsert[];
  /** A fresh transport (its own client and connection), as `createClickHouseTransport` gives the agent. */
  transport(): CentralTransport;
  /** Rows of a SELECT (JSONEachRow), for assertions. */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

async function readAll(values: string | Readable): Promise<string> {
  if (typeof values === 'string') return values;
  const parts: Buffer[] = [];
  for await (const chunk of values) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(parts).toString('utf8');
}

/** The client's own Connection contract (the package does not export it by name). */
type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/**
 * chdb 3.4 declares its connection against @clickhouse/client-common 1.23.0 while the client
 * bundles its own copy of the same declarations; identical shapes, but classes with private
 * members make them nominally distinct. Checked at run time instead of cast.
 */
function isClientConnection(c: object): c is ClientConnection {
  return ['ping', 'query', 'command', 'exec', 'insert', 'close'].every((m) => typeof Reflect.get(c, m) === 'function');
}

function chdbConnection(dir: string): ClientConnection {
  const c = createChdbConnection({ path: dir });
  if (!isClientConnection(c)) throw new Error('chdb/connection no longer matches the @clickhouse/client Connection contract');
  return c;
}

/** Wraps a connection so each INSERT's statement and body are recorded before the engine runs them. */
function recording(inner: ClientConnection, log: SentInsert[]): ClientConnection {
  return {
    ping: (p) => inner.ping(p),
    query: (p) => inner.query(p),
    command: (p) => inner.command(p),
    exec: (p) => inner.exec(p),
    close: () => inner.close(),
    insert: async (p) => {
      const body = await readAll(p.values);
      log.push({ query: p.query, settings: { ...p.clickhouse_settings }, queryParams: p.query_params, body });
      return inner.insert({ ...p, values: body });
    },
  };
}

export function startChdb(): Chdb {
  const dir = mkdtempSync(join(tmpdir(), 'fs-chdb-'));
  const inserts: SentInsert[] = [];
  const open: CentralTransport[] = [];
  const transport = (): CentralTransport => {
    const client = createClient({ connection: recording(chdbConnection(dir), inserts), clickhouse_settings: STRICT_INPUT });
    const t = transportOverClient(client, `chdb:${dir}`);
    open.push(t);
    return t;
  };
  const reader = transport();
  return {
    dir,
    inserts,
    transport,
    rows: (sql) => reader.queryRows(sql),
    close: async () => {
      // Closing twice is a no-op in chdb; syncInit and syncOnce close theirs already.
      await Promise.allSettled(open.map((t) => t.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
