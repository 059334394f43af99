/**
 * Every query in dashboards/ with the columns its file says it returns, and Grafana's macro and
 * variable expansion as the Grafana ClickHouse data source (grafana-clickhouse-datasource v4)
 * performs it, so a test can run the very SQL a dashboard sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface DashboardQuery {
  /** File and panel, chart or dataset, for messages. */
  readonly where: string;
  readonly sql: string;
  readonly columns: readonly string[];
  /** Grafana SQL: macros and ${variables} to expand first. */
  readonly grafana: boolean;
}

const obj = (v: unknown, where: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: expected an object`);
  return Object.fromEntries(Object.entries(v));
};
const arr = (v: unknown, where: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`${where}: expected a list`);
  return v;
};
const str = (v: unknown, where: string): string => {
  if (typeof v !== 'string' || v === '') throw new Error(`${where}: expected text`);
  return v;
};

export const GRAFANA_FILE = 'dashboards/grafana/floorsense-chain.json';
export const DATALENS_FILE = 'dashboards/datalens/floorsense-chain.yaml';

/**
 * Grafana: each panel's target SQL; its columns are the panel's byName field overrides, in order
 * (every column gets a Russian display name there). The template variable's query returns store_id.
 * DataLens: each dataset's SQL with its fields, each chart's SQL with its fields; roles checked.
 */
export function dashboardQueries(root: string): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const g = obj(JSON.parse(readFileSync(join(root, GRAFANA_FILE), 'utf8')), GRAFANA_FILE);
  for (const p of arr(g.panels, `${GRAFANA_FILE}: panels`)) {
    const panel = obj(p, `${GRAFANA_FILE}: panel`);
    const where = `${GRAFANA_FILE}: panel "${String(panel.title)}"`;
    if (obj(panel.datasource, where).type !== 'grafana-clickhouse-datasource') throw new Error(`${where}: not the ClickHouse data source`);
    const overrides = arr(obj(panel.fieldConfig, where).overrides, `${where}: overrides`).map((o) => obj(obj(o, where).matcher, where));
    const columns = overrides.map((m) => (m.id === 'byName' ? str(m.options, where) : ''));
    for (const t of arr(panel.targets, `${where}: targets`)) out.push({ where, sql: str(obj(t, where).rawSql, `${where}: rawSql`), columns, grafana: true });
  }
  for (const v of arr(obj(g.templating, GRAFANA_FILE).list, `${GRAFANA_FILE}: templating`)) {
    const variable = obj(v, GRAFANA_FILE);
    if (variable.type === 'query')
      out.push({ where: `${GRAFANA_FILE}: variable ${String(variable.name)}`, sql: str(variable.query, GRAFANA_FILE), columns: ['store_id'], grafana: true });
  }
  const d = obj(parse(readFileSync(join(root, DATALENS_FILE), 'utf8')), DATALENS_FILE);
  const datasets = new Set<string>();
  const fieldsOf = (fs: unknown, where: string): string[] =>
    arr(fs, `${where}: fields`).map((f) => {
      const field = obj(f, where);
      if (field.role !== 'dimension' && field.role !== 'measure')
        throw new Error(`${where}: field ${String(field.name)} has role ${String(field.role)}, not dimension or measure`);
      return str(field.name, where);
    });
  for (const x of arr(d.datasets, `${DATALENS_FILE}: datasets`)) {
    const ds = obj(x, DATALENS_FILE);
    const where = `${DATALENS_FILE}: dataset ${String(ds.name)}`;
    datasets.add(str(ds.name, where));
    out.push({ where, sql: str(ds.sql, where), columns: fieldsOf(ds.fields, where), grafana: false });
  }
  for (const x of arr(d.charts, `${DATALENS_FILE}: charts`)) {
    const chart = obj(x, DATALENS_FILE);
    const where = `${DATALENS_FILE}: chart ${String(chart.name)}`;
    if (!datasets.has(String(chart.dataset))) throw new Error(`${where}: dataset ${String(chart.dataset)} is not described`);
    out.push({ where, sql: str(chart.sql, where), columns: fieldsOf(chart.fields, where), grafana: false });
  }
  return out;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDay = (ms: number): string => {
  const t = new Date(ms);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
};

/**
 * Expand Grafana SQL as the ClickHouse data source does (its README's macro table):
 * $__timeFilter(c) -> c >= toDateTime(from_s) AND c <= toDateTime(to_s);
 * $__dateFilter(c) -> c >= toDate('from') AND c <= toDate('to'); $__fromTime / $__toTime;
 * ${store:singlequote} -> 'a','b' (the "All" of a multi-value variable is every value);
 * ${database} -> the constant.
 */
export function grafanaSql(
  sql: string,
  o: { readonly from: number; readonly to: number; readonly stores: readonly string[]; readonly database: string },
): string {
  const fromS = Math.floor(o.from / 1000);
  const toS = Math.floor(o.to / 1000);
  return sql
    .replace(/\$__timeFilter\(\s*([\w.]+)\s*\)/g, (_m, c: string) => `${c} >= toDateTime(${fromS}) AND ${c} <= toDateTime(${toS})`)
    .replace(/\$__dateFilter\(\s*([\w.]+)\s*\)/g, (_m, c: string) => `${c} >= toDate('${isoDay(o.from)}') AND ${c} <= toDate('${isoDay(o.to)}')`)
    .replace(/\$__fromTime\b/g, `toDateTime(${fromS})`)
    .replace(/\$__toTime\b/g, `toDateTime(${toS})`)
    .replace(/\$\{store:singlequote\}/g, o.stores.map((s) => `'${s.replace(/'/g, "\\'")}'`).join(','))
    .replace(/\$\{database\}/g, o.database);
}
