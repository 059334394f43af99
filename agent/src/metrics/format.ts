/** A day report as a plain-text table for people (the JSON form is the report object itself). */
import type { DayReport, Kpis } from './kpis.js';

const COLUMNS: Array<[keyof Kpis | 'time_on_floor_seconds', string]> = [
  ['customers', 'customers'],
  ['consulted_customers', 'consulted'],
  ['interaction_ratio', 'ratio'],
  ['consultations', 'consults'],
  ['successful_consultations', 'success'],
  ['unsuccessful_consultations', 'unsucc'],
  ['conversion', 'conv'],
  ['avg_purchase_with_consultation', 'avg w/ cons'],
  ['avg_purchase_without_consultation', 'avg w/o cons'],
  ['mean_consultation_seconds', 'mean cons s'],
  ['time_on_floor_seconds', 'on floor h'],
];

function cell(k: string, v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v !== 'number') return String(v);
  if (k === 'time_on_floor_seconds') return (v / 3600).toFixed(1);
  if (k === 'interaction_ratio' || k === 'conversion') return `${(v * 100).toFixed(1)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function formatReportTable(r: DayReport): string {
  const rows: string[][] = [['', ...COLUMNS.map(([, h]) => h)]];
  const rec = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o));
  rows.push([`store ${r.store.store_id}`, ...COLUMNS.map(([k]) => cell(k, rec(r.store)[k]))]);
  for (const s of r.sellers) rows.push([`seller ${s.name ? `${s.name} (${s.seller_id})` : s.seller_id}`, ...COLUMNS.map(([k]) => cell(k, rec(s)[k]))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${r.store.store_id} ${r.date} (${r.store.time_zone})\n${rows.map(line).join('\n')}\n`;
}
