/**
 * The only module that talks to ClickHouse: a thin shell over @clickhouse/client (HTTP,
 * JSONEachRow), checked against Debian's 18.16 and current servers. The sync core sees the
 * `CentralTransport` interface; every failure becomes FailureError('FS_REMOTE') naming the URL
 * (never the password).
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { FailureError } from '../core/errors.js';

export interface CentralTransport {
  /** Where it points, safe to print. */
  readonly url: string;
  /** INSERT ... FORMAT JSONEachRow; resolves only after the server acknowledged every row. */
  insertRows(table: string, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): Promise<void>;
  exec(sql: string): Promise<void>;
  queryRows(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export interface ClickHouseOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
  /** Server settings sent with every request (the cluster layout's, from transportFor). */
  readonly settings?: Readonly<Record<string, number>>;
}

/** The URL without credentials, for messages. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

export function remoteError(url: string, what: string, e: unknown): FailureError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  const msg = e instanceof Error ? e.message : String(e);
  const reason = code && !msg.includes(code) ? `${code}: ${msg}` : msg;
  const hint = /doesn't exist|UNKNOWN_TABLE|UNKNOWN_DATABASE/.test(msg)
    ? ' (create the central tables with `floorsense sync --init`)'
    : // An agent upgraded before its central database: the new columns are not there yet.
      /Unknown field found while parsing JSONEachRow/.test(msg)
      ? ' (the central schema is older than this agent: run `floorsense sync --init` to migrate it; the outbox is kept)'
      : // An ON CLUSTER statement some servers have not run yet: it waits in ZooKeeper's queue for them.
        /unfinished hosts/.test(msg)
        ? ' (servers of the cluster are down or slow: the statement runs there from the distributed DDL queue when they are back; run `floorsense sync --init --cluster` again then)'
        : '';
  return new FailureError('FS_REMOTE', `ClickHouse at ${url}: ${what} failed: ${reason || 'no response'}${hint}`, { url, what, code }, { cause: e });
}

export function createClickHouseTransport(opts: ClickHouseOptions): CentralTransport {
  const url = printableUrl(opts.url);
  const client: ClickHouseClient = createClient({
    url: opts.url,
    username: opts.username,
    password: opts.password,
    request_timeout: opts.timeoutMs,
    // 18.16 closes idle sockets after 3 s; a reused dead socket would fail a batch for nothing.
    keep_alive: { enabled: true, idle_socket_ttl: 1500 },
    application: 'floorsense',
    ...(opts.settings ? { clickhouse_settings: { ...opts.settings } } : {}),
    // Failures surface as FS_REMOTE to the caller, which logs them once; the client's own error log would double every line.
    log: { level: ClickHouseLogLevel.OFF },
  });
  return transportOverClient(client, url);
}

/**
 * The transport over any @clickhouse/client instance. Split from the HTTP factory so the very same
 * insert/exec/query code can run against current ClickHouse embedded in-process (chdb's
 * `connection` hook) in tests, next to the 18.16 server over HTTP.
 */
export function transportOverClient(client: ClickHouseClient, url: string): CentralTransport {
  const guard = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw remoteError(url, what, e);
    }
  };
  return {
    url,
    insertRows: (table, rows) =>
      guard(`INSERT into ${table}`, async () => {
        if (rows.length === 0) return;
        await client.insert({ table, values: rows.map((r) => ({ ...r })), format: 'JSONEachRow' });
      }),
    exec: (sql) =>
      guard(`query "${sql.split('\n')[0]?.slice(0, 80) ?? ''}"`, async () => {
        await client.command({ query: sql });
      }),
    queryRows: (sql) =>
      guard(`query "${sql.split('\n')[0]?.slice(0, 80) ?? ''}"`, async () => {
        const rs = await client.query({ query: sql, format: 'JSONEachRow' });
        return rs.json<Record<string, unknown>>();
      }),
    close: () => client.close(),
  };
}
