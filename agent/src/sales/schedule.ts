/**
 * Shift schedule as the chain keeps it (`date,seller_id,name,start,end`): local date and HH:MM in the
 * store's time zone; an end at or before the start means the shift crosses midnight.
 * Fetching the Google Sheets published CSV with a disk cache is a separate shell (not yet written).
 */
import { parseCsv } from './csv.js';
import { isHhMm, isIsoDate, zonedToUtc } from './local-time.js';
import type { ImportResult, RowProblem } from './receipts.js';

export interface Shift {
  readonly date: string;
  readonly sellerId: string;
  readonly name: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
}

export const SCHEDULE_COLUMNS = ['date', 'seller_id', 'name', 'start', 'end'] as const;

export function parseScheduleCsv(text: string, origin: string, timeZone: string): ImportResult<Shift> {
  const rows = parseCsv(text);
  const problems: RowProblem[] = [];
  const header = rows.shift();
  if (!header) return { rows: [], problems: [{ origin, line: 1, message: 'empty file: expected header ' + SCHEDULE_COLUMNS.join(',') }], duplicates: 0 };
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  const idx = SCHEDULE_COLUMNS.map((c) => cols.indexOf(c));
  const missing = SCHEDULE_COLUMNS.filter((_, i) => idx[i]! < 0);
  if (missing.length > 0) return { rows: [], problems: [{ origin, line: header.line, message: `header lacks ${missing.join(', ')}; expected ${SCHEDULE_COLUMNS.join(',')}` }], duplicates: 0 };
  const out: Shift[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of rows) {
    const [date, sellerId, name, start, end] = idx.map((i) => (r.fields[i] ?? '').trim()) as [string, string, string, string, string];
    const bad = (message: string): void => void problems.push({ origin, line: r.line, message });
    if (!isIsoDate(date)) {
      bad(`date "${date}" is not YYYY-MM-DD`);
      continue;
    }
    if (sellerId === '') {
      bad('seller_id is empty');
      continue;
    }
    if (!isHhMm(start) || !isHhMm(end)) {
      bad(`start "${start}" / end "${end}" must be HH:MM (24-hour, store time)`);
      continue;
    }
    const key = `${date}|${sellerId}|${start}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const s = zonedToUtc(date, start, timeZone);
    let e = zonedToUtc(date, end, timeZone);
    if (e <= s) e = zonedToUtc(date, end, timeZone, 1);
    out.push({ date, sellerId, name, start: s, end: e });
  }
  return { rows: out, problems, duplicates };
}

/** Sellers on shift at instant t. */
export function onShiftAt(shifts: readonly Shift[], t: number): Shift[] {
  return shifts.filter((s) => s.start <= t && t < s.end);
}
