/**
 * README's "What leaves the box" lists every column the sync whitelist sends, per central table,
 * and nothing else: the privacy statement cannot drift from the code (issue 14 item 9).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { RECORD_SPECS, RECORD_TYPES } from '../../agent/src/store/records.js';

function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The backticked names in the first cell of each table row under the paragraph naming `table`. */
function listed(sec: string, table: string): string[] {
  const at = sec.indexOf(`\n\`${table}\`:`);
  if (at < 0) throw new Error(`README.md "What leaves the box" does not describe ${table}`);
  const rows = sec
    .slice(at)
    .split('\n\n')
    .slice(1, 2)
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  return rows.flatMap((r) => [...(r.split('|')[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]!));
}

describe('README lists every column that leaves the box', () => {
  const sec = section(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'), 'What leaves the box');
  it.each(RECORD_TYPES.map((t) => [RECORD_SPECS[t].table, t] as const))('%s', (table, type) => {
    expect(listed(sec, table).sort()).toEqual(RECORD_SPECS[type].columns.map((c) => c.name).sort());
  });
});
