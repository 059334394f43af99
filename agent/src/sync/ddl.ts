/**
 * Central ClickHouse schema, generated from the record whitelist (store/records.ts) so the two can
 * never disagree. Works on ClickHouse 18.16 (Debian) and current releases: plain types, no TTL, no
 * LowCardinality, no query parameters.
 *
 * Tables are ReplacingMergeTree(version) ordered by record_id and partitioned by the record's own
 * month, so every version of a record lands in one partition and merges keep the newest; a replayed
 * batch adds nothing once merged. Readers must use FINAL or argMax until then: the views do.
 */
import { RECORD_SPECS, RECORD_TYPES, type ColumnKind, type RecordType } from '../store/records.js';

const CH_TYPE: Readonly<Record<ColumnKind, string>> = Object.freeze({
  id: 'String',
  day: 'Date',
  time: "DateTime('UTC')",
  count: 'UInt64',
  duration: 'UInt64',
  amount: 'Int64',
  flag: 'UInt8',
});

/** Columns every central table has besides the whitelist: the record's identity. */
export const IDENTITY_COLUMNS: readonly string[] = Object.freeze(['record_id', 'version']);

export function tableName(database: string, type: RecordType): string {
  return `${database}.${RECORD_SPECS[type].table}`;
}

/** Every whitelisted column name per central table, identity included. */
export function centralColumns(type: RecordType): readonly string[] {
  return [...IDENTITY_COLUMNS, ...RECORD_SPECS[type].columns.map((c) => c.name)];
}

export function createTableSql(database: string, type: RecordType): string {
  const cols = ['record_id String', 'version UInt64', ...RECORD_SPECS[type].columns.map((c) => `${c.name} ${CH_TYPE[c.kind]}`)];
  return `CREATE TABLE IF NOT EXISTS ${tableName(database, type)} (\n  ${cols.join(',\n  ')}\n) ENGINE = ReplacingMergeTree(version)\nPARTITION BY toYYYYMM(day)\nORDER BY record_id`;
}

/** Dashboard views: per store, seller and day; per store and day; per camera and day. */
export function createViewsSql(database: string): string[] {
  const d = database;
  return [
    `CREATE VIEW IF NOT EXISTS ${d}.v_seller_day AS
SELECT store_id, seller_id, day, consultations, consulted_buyers,
  receipts_with_consult, amount_with_consult_minor,
  receipts_without_consult, amount_without_consult_minor,
  if(receipts_with_consult = 0, 0, amount_with_consult_minor / receipts_with_consult) AS avg_receipt_with_consult_minor,
  if(receipts_without_consult = 0, 0, amount_without_consult_minor / receipts_without_consult) AS avg_receipt_without_consult_minor,
  if(consultations = 0, 0, consulted_buyers / consultations) AS conversion,
  consult_duration_ms
FROM ${d}.seller_daily_kpis FINAL`,
    `CREATE VIEW IF NOT EXISTS ${d}.v_store_day AS
SELECT store_id, day, sum(visits) AS visits, sum(consultations) AS consultations, sum(receipts) AS receipts, sum(dwell_ms) AS dwell_ms
FROM ${d}.store_hourly_traffic FINAL
GROUP BY store_id, day`,
    `CREATE VIEW IF NOT EXISTS ${d}.v_store_hour AS
SELECT store_id, day, hour, visits, consultations, receipts, dwell_ms
FROM ${d}.store_hourly_traffic FINAL`,
    `CREATE VIEW IF NOT EXISTS ${d}.v_camera_day AS
SELECT store_id, camera_id, day, up_ms, down_ms, outages,
  if(up_ms + down_ms = 0, 0, up_ms / (up_ms + down_ms)) AS uptime_ratio
FROM ${d}.camera_uptime FINAL`,
    // argMax form: one row per consultation even before merges, without FINAL's cost on big scans.
    `CREATE VIEW IF NOT EXISTS ${d}.v_consultations AS
SELECT record_id, argMax(store_id, version) AS store_id, argMax(day, version) AS day,
  argMax(seller_id, version) AS seller_id, argMax(visit_id, version) AS visit_id,
  argMax(started_at, version) AS started_at, argMax(duration_ms, version) AS duration_ms,
  argMax(bought, version) AS bought, argMax(amount_minor, version) AS amount_minor
FROM ${d}.consultations
GROUP BY record_id`,
  ];
}

/** Everything `floorsense sync --init` runs, in order. Idempotent (IF NOT EXISTS throughout). */
export function initStatements(database: string): string[] {
  return [`CREATE DATABASE IF NOT EXISTS ${database}`, ...RECORD_TYPES.map((t) => createTableSql(database, t)), ...createViewsSql(database)];
}

/**
 * SQL (or users.xml, for servers before SQL access control) for a read-only dashboard user that
 * DataLens or Grafana connect with. Printed, not executed: creating users is the chain admin's call.
 */
export function dashboardUserSql(database: string, serverVersion: string, user = 'floorsense_dashboard'): string {
  const [major = 0, minor = 0] = serverVersion.split('.').map((x) => Number.parseInt(x, 10));
  const hasRbac = major > 20 || (major === 20 && minor >= 4);
  if (hasRbac) {
    return [
      `-- read-only dashboard user (ClickHouse ${serverVersion}); replace the password`,
      `CREATE USER IF NOT EXISTS ${user} IDENTIFIED WITH sha256_password BY 'change-me' SETTINGS readonly = 1;`,
      `GRANT SELECT ON ${database}.* TO ${user};`,
    ].join('\n');
  }
  return [
    `<!-- ClickHouse ${serverVersion} has no SQL access control: add this to users.xml (users section),`,
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
