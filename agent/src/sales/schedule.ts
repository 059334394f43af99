/**
 * Shift schedule as the chain keeps it (`date,seller_id,name,start,end`; `,` or `;` separated, see
 * csv.ts): local date and HH:MM in the store's time zone; an end at or before the start means the
 * shift crosses midnight. `seller_id` is the pseudonymous id every record carries (to ClickHouse
 * too), so it is held to the records' id rule here, at import, naming file and line: a row with a
 * name in its place ("Анна") is refused and the other sellers' day still computes. `name` is the
 * display name, in any script, and never used as an id.
 */
import { ID_RE } from '../store/records.js';
import { columnIndex, readCsvTable, type RowProblem } from './csv.js';
import { isHhMm, isIsoDate, zonedToUtc } from '../core/local-time.js';
import type { ImportResult } from './receipts.js';

export interface Shift {
  readonly date: string;
  readonly sellerId: string;
  /** Display name as the schedule spells it (any script); may be empty. */
  readonly name: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
}

export const SCHEDULE_COLUMNS = ['date', 'seller_id', 'name', 'start', 'end'] as const;

/** Why `id` cannot be a seller id, or null. */
export function sellerIdProblem(id: string): string | null {
  if (id === '') return 'seller_id is empty';
  if (ID_RE.test(id)) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range \x00-\x7f is ASCII as a whole (a non-ASCII letter means a display name)
  const hint = /\p{L}/u.test(id) && /[^\x00-\x7f]/.test(id) ? '; a display name goes in the name column, the id is e.g. anna-ivanova or S12' : '';
  return `seller_id "${id}" is not an id of 1-128 letters A-Z a-z, digits, _ . : -${hint}`;
}

export function parseScheduleCsv(text: string, origin: string, timeZone: string): ImportResult<Shift> {
  const table = readCsvTable(text, origin, { required: SCHEDULE_COLUMNS });
  if (!table.ok) return { rows: [], problems: [table.problem], duplicates: 0 };
  const problems: RowProblem[] = [...table.problems];
  const idx = columnIndex(table.columns, SCHEDULE_COLUMNS);
  const out: Shift[] = [];
  const seen = new Map<string, { line: number; end: string }>();
  let duplicates = 0;
  for (const r of table.rows) {
    const [date, sellerId, name, start, end] = idx.map((i) => r.fields[i]!) as [string, string, string, string, string];
    const bad = (message: string): void => void problems.push({ origin, line: r.line, scope: 'row', message });
    if (!isIsoDate(date)) {
      bad(`date "${date}" is not YYYY-MM-DD`);
      continue;
    }
    const idProblem = sellerIdProblem(sellerId);
    if (idProblem !== null) {
      bad(idProblem);
      continue;
    }
    if (!isHhMm(start) || !isHhMm(end)) {
      bad(`start "${start}" / end "${end}" must be HH:MM (24-hour, store time)`);
      continue;
    }
    const key = `${date}|${sellerId}|${start}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (earlier.end === end) duplicates++;
      else
        bad(
          `conflict: ${sellerId}'s shift on ${date} from ${start} is also on line ${earlier.line} ending ${earlier.end}, here ${end}; line ${earlier.line} is kept, this one is refused`,
        );
      continue;
    }
    seen.set(key, { line: r.line, end });
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
