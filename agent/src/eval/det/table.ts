/** Plain-text table of detection AP: one row per class, then "all". */
import type { DetMetrics } from './ap.js';

export function formatDetTable(m: DetMetrics): string {
  const header = ['class', 'GT', 'preds', 'AP50', 'AP50-95', `P@${m.operatingThreshold}`, `R@${m.operatingThreshold}`];
  const f = (v: number): string => v.toFixed(3);
  const rows = [
    ...m.perClass.map((c) => [c.name, String(c.numGt), String(c.numPred), f(c.AP50), f(c.AP50_95), f(c.precision), f(c.recall)]),
    ['all', String(m.perClass.reduce((s, c) => s + c.numGt, 0)), String(m.numPred), f(m.AP50), f(m.AP50_95), f(m.precision), f(m.recall)],
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
