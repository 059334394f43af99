/**
 * Central ClickHouse schema, generated from the record whitelist (store/records.ts) so the two can
 * never disagree. Works on ClickHouse 18.16 (Debian) and current releases: plain types, no TTL, no
 * LowCardinality, no query parameters.
 *
 * Tables are ReplacingMergeTree(version) ordered by record_id and partitioned by the record's own
 * month, so every version of a record lands in one partition and merges keep the newest; a replayed
 * batch adds nothing once merged. Readers must use FINAL or argMax until then: the views do.
 * `planSchema` migrates a database an earlier release initialised (columns added, views replaced).
 *
 * The cluster layout (`sync --init --cluster NAME`, `sync.cluster`), for a chain that outgrows one
 * server, made ON CLUSTER NAME so every server of the cluster gets the same schema:
 * - `<table>_local`: ReplicatedReplacingMergeTree(version), the very columns, partitions, order and
 *   version/tombstone rules of the single-server table, replicated through ZooKeeper under
 *   /clickhouse/tables/{shard}/<database>/<table>_local with the server's {shard} and {replica}
 *   macros;
 * - `<table>`: a Distributed table over them with the single-server table's name and columns,
 *   sharded by cityHash64(store_id). Every version of a record has the record's store, so all its
 *   versions and its tombstone land on one shard, where FINAL and argMax collapse them as on one
 *   server; a store's whole history is on one shard;
 * - the views, with the same text over the Distributed tables: every view keeps its name and
 *   columns, and dashboards and hq read them unchanged.
 * The agent inserts into the Distributed table, not into the shard's local table by the same hash:
 * the server knows the shards and the hash; a box choosing the shard itself would need the cluster
 * map and every shard's address. It sends insert_distributed_sync = 1 then (service.ts
 * clusterSettings: see there why).
 */
import { FailureError } from '../core/errors.js';
import type { CentralTransport } from './clickhouse.js';
import { RECORD_SPECS, RECORD_TYPES, RETIRED_TABLES, type ColumnKind, type RecordType } from '../store/records.js';

const CH_TYPE: Readonly<Record<ColumnKind, string>> = Object.freeze({
  id: 'String',
  day: 'Date',
  time: "DateTime('UTC')",
  minute: "DateTime('UTC')",
  count: 'UInt64',
  duration: 'UInt64',
  amount: 'Int64',
  flag: 'UInt8',
});

/**
 * Columns every central table has besides the whitelist: the record's identity, and `deleted`
 * (1 on the tombstone version a recompute of the record's day queues when it no longer yields the
 * record; every view excludes it: issue 14 item 1).
 */
export const IDENTITY_COLUMNS: readonly string[] = Object.freeze(['record_id', 'version', 'deleted']);

export function tableName(database: string, type: RecordType): string {
  return `${database}.${RECORD_SPECS[type].table}`;
}

/** The shard-local replicated table behind a record type's Distributed table (cluster layout). */
export function localTable(type: RecordType): string {
  return `${RECORD_SPECS[type].table}_local`;
}

/** Every record type's rows go to the shard this picks (the Distributed tables' sharding key). */
export const SHARDING_KEY = 'cityHash64(store_id)';

/** ` ON CLUSTER name` for the cluster layout, nothing for one server. */
const on = (cluster: string | undefined): string => (cluster ? ` ON CLUSTER ${cluster}` : '');

/** Every whitelisted column name per central table, identity included. */
export function centralColumns(type: RecordType): readonly string[] {
  return [...IDENTITY_COLUMNS, ...RECORD_SPECS[type].columns.map((c) => c.name)];
}

/** [name, ClickHouse type] of every column of a central table, in table order. */
export function centralColumnTypes(type: RecordType): ReadonlyArray<readonly [string, string]> {
  return [['record_id', 'String'], ['version', 'UInt64'], ['deleted', 'UInt8'], ...RECORD_SPECS[type].columns.map((c) => [c.name, CH_TYPE[c.kind]] as const)];
}

/**
 * The table a record type is stored in: on one server `<table>` itself; in the cluster layout
 * `<table>_local` on every server, the same definition replicated per shard.
 */
export function createTableSql(database: string, type: RecordType, cluster?: string): string {
  const cols = centralColumnTypes(type).map(([n, t]) => `${n} ${t}`);
  const name = cluster ? `${database}.${localTable(type)}` : tableName(database, type);
  const engine = cluster
    ? `ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${database}/${localTable(type)}', '{replica}', version)`
    : 'ReplacingMergeTree(version)';
  return `CREATE TABLE IF NOT EXISTS ${name}${on(cluster)} (\n  ${cols.join(',\n  ')}\n) ENGINE = ${engine}\nPARTITION BY toYYYYMM(day)\nORDER BY record_id`;
}

/** The cluster layout's Distributed table under the record type's own name, columns as its local table. */
export function createDistributedSql(database: string, type: RecordType, cluster: string): string {
  return `CREATE TABLE IF NOT EXISTS ${tableName(database, type)}${on(cluster)} AS ${database}.${localTable(type)} ENGINE = Distributed(${cluster}, ${database}, ${localTable(type)}, ${SHARDING_KEY})`;
}

/*
 * Rounding in the views: half up, as the box's report rounds (Math.round), not ClickHouse's
 * banker's round() on floats, so a view shows the very figure `floorsense report --json` prints.
 * Amounts are currency units (minor / 100). A ratio or mean with a zero denominator is NULL, as the
 * report's null.
 */
const half = (expr: string, digits: number): string => `floor(${expr} * ${10 ** digits} + 0.5) / ${10 ** digits}`;
const per = (num: string, den: string, digits: number, scale = 1): string =>
  `if(${den} = 0, NULL, ${half(scale === 1 ? `${num} / ${den}` : `${num} / ${den} / ${scale}`, digits)})`;

/**
 * The newest version of each record, tombstones dropped. FINAL in a subquery and the filter
 * outside it: a filter next to FINAL may be moved to PREWHERE (before the versions collapse), which
 * would drop the tombstone and resurrect the version it retracted.
 */
const live = (table: string): string => `(SELECT * FROM ${table} FINAL) WHERE deleted = 0`;

/** The views' names, in the order `sync --init` (re)creates them. */
export const VIEW_NAMES: readonly string[] = Object.freeze(['v_seller_day', 'v_store_day', 'v_store_hour', 'v_camera_day', 'v_consultations']);

/**
 * The chain's views, one per grain: seller-day, store-day, store-hour, camera-day and consulted
 * visit. Names and columns are the contract with BI tools and the files under dashboards/.
 */
export function createViewsSql(database: string, cluster?: string): string[] {
  const d = database;
  const c = on(cluster);
  return [
    `CREATE VIEW IF NOT EXISTS ${d}.v_seller_day${c} AS
SELECT store_id, day, seller_id, customers, consulted_customers,
  ${per('consulted_customers', 'customers', 4)} AS interaction_ratio,
  consultations, successful_consultations, unsuccessful_consultations,
  ${per('amount_with_consult_minor', 'receipts_with_consult', 2, 100)} AS avg_purchase_with_consultation,
  ${per('amount_without_consult_minor', 'receipts_without_consult', 2, 100)} AS avg_purchase_without_consultation,
  time_on_floor_seconds,
  consulted_buyers, consult_duration_ms, receipts_with_consult, amount_with_consult_minor, receipts_without_consult, amount_without_consult_minor
FROM ${live(`${d}.seller_daily_kpis`)}`,
    `CREATE VIEW IF NOT EXISTS ${d}.v_store_day${c} AS
SELECT store_id, day, visitors, consulted_customers,
  ${per('consulted_customers', 'visitors', 4)} AS interaction_ratio,
  consultations, successful_consultations, unsuccessful_consultations,
  ${per('buying_customers', 'visitors', 4)} AS conversion,
  ${per('amount_with_consult_minor', 'buyers_with_consult', 2, 100)} AS avg_purchase_with_consultation,
  ${per('amount_without_consult_minor', 'buyers_without_consult', 2, 100)} AS avg_purchase_without_consultation,
  ${per('consult_duration_ms', 'consultations', 1, 1000)} AS mean_consultation_seconds,
  buying_customers,
  (amount_with_consult_minor + amount_without_consult_minor) / 100 AS revenue,
  buyers_with_consult, amount_with_consult_minor / 100 AS amount_with_consultation,
  buyers_without_consult, amount_without_consult_minor / 100 AS amount_without_consultation,
  receipts, receipts_amount_minor / 100 AS receipts_amount,
  sellers_on_shift, staff_seconds AS staff_on_floor_seconds,
  cameras, ${per('camera_up_ms', '(camera_up_ms + camera_down_ms)', 4)} AS camera_coverage
FROM ${live(`${d}.store_daily_kpis`)}`,
    `CREATE VIEW IF NOT EXISTS ${d}.v_store_hour${c} AS
SELECT store_id, day, hour, local_hour, visits AS visitors, consultations, receipts, receipts_amount_minor / 100 AS receipts_amount,
  ${half('staff_seconds / 3600', 2)} AS staff_on_floor, sellers_seen,
  ${per('dwell_ms', 'visits', 1, 1000)} AS mean_visit_seconds
FROM ${live(`${d}.store_hourly_traffic`)}`,
    `CREATE VIEW IF NOT EXISTS ${d}.v_camera_day${c} AS
SELECT store_id, camera_id, day, up_ms, down_ms, outages,
  if(up_ms + down_ms = 0, 0, up_ms / (up_ms + down_ms)) AS uptime_ratio
FROM ${live(`${d}.camera_uptime`)}`,
    // argMax form: one row per consulted visit even before merges, without FINAL's cost on big scans.
    `CREATE VIEW IF NOT EXISTS ${d}.v_consultations${c} AS
SELECT record_id, argMax(store_id, version) AS store_id, argMax(day, version) AS day,
  argMax(seller_id, version) AS seller_id, argMax(visit_id, version) AS visit_id,
  argMax(started_minute, version) AS started_minute, argMax(consultations, version) AS consultations,
  argMax(duration_s, version) AS duration_s, argMax(bought, version) AS bought
FROM ${d}.consulted_visits
GROUP BY record_id
HAVING argMax(deleted, version) = 0`,
  ];
}

/** The statements that build a fresh central database, in order (IF NOT EXISTS throughout). */
export function initStatements(database: string, cluster?: string): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${database}${on(cluster)}`,
    ...RECORD_TYPES.map((t) => createTableSql(database, t, cluster)),
    ...(cluster ? RECORD_TYPES.map((t) => createDistributedSql(database, t, cluster)) : []),
    ...createViewsSql(database, cluster),
  ];
}

/** What the central server already holds: rows of system.tables and system.columns for the database. */
export interface CentralCatalog {
  readonly tables: ReadonlyArray<{ readonly name: string; readonly engine: string }>;
  readonly columns: ReadonlyArray<{ readonly table: string; readonly name: string; readonly type: string }>;
}

export interface SchemaPlan {
  /** Statements to run, in order. */
  readonly statements: readonly string[];
  /** `table.column` added to tables an earlier release created. */
  readonly added: readonly string[];
  /** Retired tables still on the server (left in place; the admin may drop them). */
  readonly retired: readonly string[];
}

/**
 * Bring a central database (fresh, or created by an earlier release's `sync --init`) to this
 * release's schema, without losing a row:
 * - missing tables are created; missing whitelisted columns are added at the end (ALTER ... ADD
 *   COLUMN: metadata only, old rows read the type's default, 0);
 * - a column whose type differs from the whitelist is refused (FS_REMOTE naming table, column and
 *   both types) before anything is changed: converting it could corrupt amounts;
 * - views hold no data and are dropped and created again, so their definitions are this release's
 *   (CREATE OR REPLACE VIEW is newer than 18.16); a table of another engine under a view's name
 *   is refused rather than dropped;
 * - retired tables (RETIRED_TABLES) are reported, never dropped.
 * With `cluster`, the same for the cluster layout, ON CLUSTER: columns are added to the local
 * replicated tables, and a Distributed table that lacks them is dropped and created again (18.16
 * refuses ALTER ... ON CLUSTER of a Distributed table on a replicated cluster; it holds no rows,
 * the agents insert synchronously). One layout is never converted into the other: a single-server
 * table where the cluster layout wants a Distributed one (or the reverse) is refused, naming each,
 * before anything is changed (see layoutProblems).
 * Pure: the catalog comes from the server, the statements go back to it.
 */
export function planSchema(database: string, catalog: CentralCatalog, cluster?: string): SchemaPlan {
  const engines = new Map(catalog.tables.map((t) => [t.name, t.engine]));
  const layout = layoutProblems(database, engines, cluster);
  if (layout) throw new FailureError('FS_REMOTE', layout.message, { database, cluster, notConverted: layout.tables });
  const diff = schemaDiff(database, catalog);
  const local = cluster ? schemaDiff(database, catalog, localTable) : null;
  const statements: string[] = [`CREATE DATABASE IF NOT EXISTS ${database}${on(cluster)}`];
  if (cluster && local) {
    for (const type of local.missingTables) statements.push(createTableSql(database, type, cluster));
    for (const m of local.missingColumns) statements.push(`ALTER TABLE ${database}.${m.table}${on(cluster)} ADD COLUMN ${m.column} ${m.expected}`);
    const stale = new Set(diff.missingColumns.map((m) => m.table));
    for (const type of RECORD_TYPES) {
      const name = RECORD_SPECS[type].table;
      if (stale.has(name)) statements.push(`DROP TABLE IF EXISTS ${database}.${name}${on(cluster)}`);
      if (stale.has(name) || diff.missingTables.includes(type)) statements.push(createDistributedSql(database, type, cluster));
    }
  } else {
    for (const type of diff.missingTables) statements.push(createTableSql(database, type));
    for (const m of diff.missingColumns) statements.push(`ALTER TABLE ${database}.${m.table} ADD COLUMN ${m.column} ${m.expected}`);
  }
  const mismatched = [...(local?.mismatched ?? []), ...diff.mismatched];
  const foreign = VIEW_NAMES.filter((v) => engines.has(v) && engines.get(v) !== 'View').map((v) => `${database}.${v} is a ${engines.get(v)} table, not a view`);
  if (mismatched.length > 0 || foreign.length > 0) {
    throw new FailureError(
      'FS_REMOTE',
      `central schema in ${database} differs from this release and was not changed: ${[...mismatched.map(mismatchText), ...foreign].join('; ')} (fix or rename these on the server, then run \`floorsense sync --init\` again)`,
      { database, mismatched: mismatched.map(mismatchText), foreign },
    );
  }
  // On a cluster every server's views go, whatever this one holds (IF EXISTS): all end up alike.
  for (const v of VIEW_NAMES) if (cluster || engines.has(v)) statements.push(`DROP TABLE IF EXISTS ${database}.${v}${on(cluster)}`);
  statements.push(...createViewsSql(database, cluster));
  // Only the Distributed tables' columns count as added (the local tables get the same ones).
  return { statements, added: diff.missingColumns.map((m) => `${m.table}.${m.column}`), retired: RETIRED_TABLES.filter((t) => engines.has(t)) };
}

/**
 * What `sync --init` will not convert: tables of the other layout under this layout's names. A
 * single-server ReplacingMergeTree holds the chain's history on one server; turning it into
 * sharded replicas means moving every row to the shard of its store, which is the chain admin's
 * operation (INSERT ... SELECT through the new Distributed tables), not a side effect of init.
 */
function layoutProblems(database: string, engines: ReadonlyMap<string, string>, cluster: string | undefined): { message: string; tables: string[] } | null {
  const found: string[] = [];
  for (const type of RECORD_TYPES) {
    const name = RECORD_SPECS[type].table;
    const engine = engines.get(name);
    const localEngine = engines.get(localTable(type));
    if (cluster) {
      if (engine !== undefined && engine !== 'Distributed') found.push(`${database}.${name} is a ${engine} table`);
      if (localEngine !== undefined && !localEngine.startsWith('Replicated'))
        found.push(`${database}.${localTable(type)} is a ${localEngine} table, not replicated`);
    } else if (engine === 'Distributed') found.push(`${database}.${name} is a Distributed table`);
  }
  if (found.length === 0) return null;
  if (!cluster) {
    return {
      tables: found,
      message: `${database} holds the cluster layout (${found.join('; ')}): run \`floorsense sync --init --cluster NAME\` (or set sync.cluster) with the cluster it was made on; nothing was changed`,
    };
  }
  const target = `${database}_cluster`;
  return {
    tables: found,
    message:
      `sync --init --cluster ${cluster} does not convert a single-server database, and nothing was changed: ${found.join('; ')}. ` +
      `To move the chain onto the cluster: create the cluster layout in another database (sync.database: ${target}, then \`floorsense sync --init --cluster ${cluster}\`), ` +
      `copy each table with INSERT INTO ${target}.<table> SELECT * FROM ${database}.<table> (from another server: FROM remote('host:9000', ${database}, <table>); the Distributed table sends each row to its store's shard, versions and tombstones included), ` +
      `then point the boxes' sync.database at ${target}`,
  };
}

export interface ColumnMismatch {
  readonly database: string;
  readonly table: string;
  readonly column: string;
  readonly expected: string;
  readonly found: string;
}

export interface SchemaDiff {
  readonly missingTables: readonly RecordType[];
  /** Whitelisted columns absent from a table that exists (`found` is empty). */
  readonly missingColumns: readonly ColumnMismatch[];
  /** Columns whose type differs from what this release writes. */
  readonly mismatched: readonly ColumnMismatch[];
}

const mismatchText = (m: ColumnMismatch): string => `${m.database}.${m.table}.${m.column} is ${m.found}, expected ${m.expected}`;

/**
 * The central tables against this release's: the one comparison behind both `sync --init`
 * (planSchema) and the check before every drain (checkCentralSchema). Types compare exactly: a
 * column narrowed on the server (Int64 to UInt8) would wrap amounts silently.
 */
export function schemaDiff(database: string, catalog: CentralCatalog, tableOf: (type: RecordType) => string = (t) => RECORD_SPECS[t].table): SchemaDiff {
  const tables = new Set(catalog.tables.map((t) => t.name));
  const missingTables: RecordType[] = [];
  const missingColumns: ColumnMismatch[] = [];
  const mismatched: ColumnMismatch[] = [];
  for (const type of RECORD_TYPES) {
    const table = tableOf(type);
    if (!tables.has(table)) {
      missingTables.push(type);
      continue;
    }
    const have = new Map(catalog.columns.filter((c) => c.table === table).map((c) => [c.name, c.type]));
    for (const [column, expected] of centralColumnTypes(type)) {
      const found = have.get(column);
      if (found === undefined) missingColumns.push({ database, table, column, expected, found: '' });
      else if (found !== expected) mismatched.push({ database, table, column, expected, found });
    }
  }
  return { missingTables, missingColumns, mismatched };
}

/**
 * Before sending: refuse (FS_REMOTE, so the agent backs off and keeps the outbox) when a central
 * table or column this release writes is missing or of another type, naming each.
 */
export function checkCentralSchema(database: string, catalog: CentralCatalog, url: string): void {
  const d = schemaDiff(database, catalog);
  const problems = [
    ...d.mismatched.map(mismatchText),
    ...d.missingColumns.map((m) => `${m.database}.${m.table}.${m.column} is missing (expected ${m.expected})`),
    ...d.missingTables.map((t) => `table ${database}.${RECORD_SPECS[t].table} is missing`),
  ];
  if (problems.length === 0) return;
  const hint =
    d.mismatched.length > 0
      ? 'a narrower or other type would corrupt values: restore the expected type on the server; nothing was sent, the outbox is kept'
      : 'run `floorsense sync --init` to create or migrate the central schema; nothing was sent, the outbox is kept';
  throw new FailureError('FS_REMOTE', `ClickHouse at ${url}: central schema check failed before sending: ${problems.join('; ')} (${hint})`, {
    url,
    database,
    mismatched: d.mismatched,
    missingColumns: d.missingColumns.map((m) => `${m.table}.${m.column}`),
    missingTables: d.missingTables.map((t) => RECORD_SPECS[t].table),
  });
}

/** What `sync --init --cluster` reads first: the clusters the server knows and its macros. */
export const CLUSTER_QUERIES = Object.freeze({
  clusters: 'SELECT DISTINCT cluster FROM system.clusters',
  macros: 'SELECT macro FROM system.macros',
});

/**
 * Before anything ON CLUSTER: the server must have the cluster in its remote_servers and the
 * {shard} and {replica} macros the replicated tables' ZooKeeper paths name; otherwise say which.
 */
export function checkCluster(cluster: string, found: { readonly clusters: readonly string[]; readonly macros: readonly string[] }, url: string): void {
  const problems: string[] = [];
  if (!found.clusters.includes(cluster))
    problems.push(`cluster ${cluster} is not in its remote_servers (it knows: ${found.clusters.length > 0 ? found.clusters.join(', ') : 'none'})`);
  const missing = ['shard', 'replica'].filter((m) => !found.macros.includes(m));
  if (missing.length > 0)
    problems.push(`macros ${missing.map((m) => `{${m}}`).join(' and ')} are not set (<macros> in its config: this server's shard and replica names)`);
  if (problems.length > 0)
    throw new FailureError('FS_REMOTE', `ClickHouse at ${url} cannot hold the cluster layout: ${problems.join('; ')}; nothing was changed`, {
      url,
      cluster,
      problems,
    });
}

/** The catalog queries planSchema needs (plain SELECTs, 18.16 and current alike). */
export function catalogQueries(database: string): { readonly tables: string; readonly columns: string } {
  const db = database.replace(/'/g, "\\'");
  return {
    tables: `SELECT name, engine FROM system.tables WHERE database = '${db}'`,
    columns: `SELECT table, name, type FROM system.columns WHERE database = '${db}'`,
  };
}

/** Read the central catalog of `database` (for planSchema and checkCentralSchema). */
export async function readCatalog(transport: CentralTransport, database: string): Promise<CentralCatalog> {
  const q = catalogQueries(database);
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    tables: (await transport.queryRows(q.tables)).map((r) => ({ name: text(r.name), engine: text(r.engine) })),
    columns: (await transport.queryRows(q.columns)).map((r) => ({ table: text(r.table), name: text(r.name), type: text(r.type) })),
  };
}

/**
 * SQL (or users.xml, for servers before SQL access control) for a read-only dashboard user that
 * DataLens or Grafana connect with. Printed, not executed: creating users is the chain admin's call.
 */
export function dashboardUserSql(database: string, serverVersion: string, user = 'floorsense_dashboard', cluster?: string): string {
  const [major = 0, minor = 0] = serverVersion.split('.').map((x) => Number.parseInt(x, 10));
  const hasRbac = major > 20 || (major === 20 && minor >= 4);
  if (hasRbac) {
    return [
      `-- read-only dashboard user (ClickHouse ${serverVersion}); replace the password`,
      `CREATE USER IF NOT EXISTS ${user}${on(cluster)} IDENTIFIED WITH sha256_password BY 'change-me' SETTINGS readonly = 1;`,
      `GRANT${on(cluster)} SELECT ON ${database}.* TO ${user};`,
    ].join('\n');
  }
  return [
    `<!-- ClickHouse ${serverVersion} has no SQL access control: add this to users.xml (users section)${cluster ? ` of every server of cluster ${cluster} a dashboard may connect to` : ''},`,
    `     with a profile <readonly><readonly>1</readonly></readonly>; put the sha256 of a password in password_sha256_hex -->`,
    `<${user}>`,
    `  <password_sha256_hex>REPLACE_WITH_SHA256_HEX</password_sha256_hex>`,
    `  <networks><ip>::/0</ip></networks>`,
    `  <profile>readonly</profile>`,
    `  <quota>default</quota>`,
    `  <allow_databases><database>${database}</database></allow_databases>`,
    `</${user}>`,
  ].join('\n');
}
