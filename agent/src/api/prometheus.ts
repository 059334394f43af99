/**
 * Prometheus text exposition format 0.0.4, as plain data in and a string out:
 * one `# HELP` and one `# TYPE` line per family, then its samples; label values escape `\`, `"`
 * and newline; HELP text escapes `\` and newline; missing readings (null) are left out rather than
 * reported as 0, which a dashboard would read as a real value.
 */
import { MisuseError } from '../core/errors.js';

export type MetricType = 'gauge' | 'counter';

export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number | null;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const escapeLabelValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
export const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function formatPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const f of families) {
    if (!METRIC_NAME.test(f.name)) throw new MisuseError('FS_BAD_ARGUMENT', `metric name "${f.name}" is not valid (expected [a-zA-Z_:][a-zA-Z0-9_:]*)`);
    if (seen.has(f.name)) throw new MisuseError('FS_BAD_ARGUMENT', `metric family "${f.name}" given twice`);
    seen.add(f.name);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      if (s.value === null) continue;
      const labels = Object.entries(s.labels ?? {});
      for (const [k] of labels) {
        if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new MisuseError('FS_BAD_ARGUMENT', `label name "${k}" of metric "${f.name}" is not valid`);
      }
      const lbl = labels.length > 0 ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
      lines.push(`${f.name}${lbl} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
