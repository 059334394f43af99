/** Plain-text table of MOT results: one row per sequence, aligned columns, fractions to 3 places. */
import { MOT_SUMMARY_KEYS, type MotMetrics } from './metrics.js';

const COUNT_KEYS = new Set(['FP', 'FN', 'IDSW', 'Frag', 'MT', 'PT', 'ML', 'GT']);

/** Column name -> value. MOTP is the mean 1 - IoU (py-motmetrics); MOTP(IoU) is the devkit's mean IoU, shown beside it. */
const COLUMNS: ReadonlyArray<readonly [string, (m: MotMetrics) => number]> = [
  ...MOT_SUMMARY_KEYS.slice(0, 2).map((k) => [k, (m: MotMetrics) => m[k]] as const),
  ['MOTP(IoU)', (m) => m.MOTP_IoU],
  ...MOT_SUMMARY_KEYS.slice(2).map((k) => [k, (m: MotMetrics) => m[k]] as const),
  ['GT', (m) => m.numGtIds],
];

export function formatMotTable(rows: readonly { name: string; metrics: MotMetrics }[]): string {
  const header = ['', ...COLUMNS.map(([k]) => k)];
  const body = rows.map((r) => [r.name, ...COLUMNS.map(([k, get]) => (COUNT_KEYS.has(k) ? String(get(r.metrics)) : get(r.metrics).toFixed(3)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${[line(header), ...body.map(line)].join('\n')}\n`;
}
