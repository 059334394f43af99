/**
 * POS receipts from CSV (`receipt_id,timestamp,total,currency,register,seller_code`; `,` or `;`
 * separated, see csv.ts). Bad rows are reported with file and line and skipped; good rows import.
 * A receipt id seen twice with the same content is a duplicate (kept once); seen twice with other
 * content it is a conflict: the first is kept and the later line is reported, never silently
 * merged. A receipt dated in the future (beyond a POS clock's small drift) is refused.
 */
import { columnIndex, readCsvTable, type RowProblem } from './csv.js';

export interface Receipt {
  readonly receiptId: string;
  /** Epoch milliseconds (POS clock). */
  readonly t: number;
  readonly total: number;
  readonly currency: string;
  readonly register: string;
  readonly sellerCode: string | null;
}

export interface ImportResult<T> {
  readonly rows: T[];
  readonly problems: RowProblem[];
  readonly duplicates: number;
}

export const RECEIPT_COLUMNS = ['receipt_id', 'timestamp', 'total', 'currency', 'register', 'seller_code'] as const;
const REQUIRED: readonly string[] = RECEIPT_COLUMNS.filter((c) => c !== 'seller_code');

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Digits with at most one decimal separator, `.` or `,` ("77,49"), and at most 2 decimals. */
const AMOUNT = /^\d{1,12}([.,]\d{1,2})?$/;

/** How far ahead of the box's clock a receipt may be dated: a POS clock drifting a few minutes. */
export const FUTURE_TOLERANCE_MS = 15 * 60_000;

export interface ReceiptCheckOptions {
  /** The box's clock, epoch ms: receipts dated after now + FUTURE_TOLERANCE_MS are refused. */
  readonly nowMs: number;
}

/** Why a receipt's time cannot be right, or null. One rule for the CSV and the API. */
export function receiptTimeProblem(tMs: number, nowMs: number): string | null {
  if (tMs > nowMs + FUTURE_TOLERANCE_MS) {
    return `is ${formatAhead(tMs - nowMs)} in the future (the box's clock says ${new Date(nowMs).toISOString()}; at most ${FUTURE_TOLERANCE_MS / 60_000} min ahead is taken for POS clock drift)`;
  }
  return null;
}

/** "77,49" and "77.49" -> 77.49; null when it is not a plain non-negative amount. */
function parseAmount(s: string): number | null {
  return AMOUNT.test(s) ? Number(s.replace(',', '.')) : null;
}

export function parseReceiptsCsv(text: string, origin: string, o: ReceiptCheckOptions): ImportResult<Receipt> {
  const table = readCsvTable(text, origin, { required: REQUIRED, optional: ['seller_code'] });
  if (!table.ok) return { rows: [], problems: [table.problem], duplicates: 0 };
  const problems: RowProblem[] = [...table.problems];
  const idx = columnIndex(table.columns, RECEIPT_COLUMNS);
  const first = new Map<string, { line: number; receipt: Receipt }>();
  const out: Receipt[] = [];
  let duplicates = 0;
  for (const r of table.rows) {
    const get = (k: (typeof RECEIPT_COLUMNS)[number]): string => {
      const i = idx[RECEIPT_COLUMNS.indexOf(k)]!;
      return i < 0 ? '' : r.fields[i]!;
    };
    const bad = (message: string): void => void problems.push({ origin, line: r.line, scope: 'row', message });
    const id = get('receipt_id');
    const ts = get('timestamp');
    const totalText = get('total');
    if (id === '') {
      bad('receipt_id is empty');
      continue;
    }
    const t = Date.parse(ts);
    if (!ISO_WITH_OFFSET.test(ts) || !Number.isFinite(t)) {
      bad(`timestamp "${ts}" is not ISO-8601 with an offset (e.g. 2025-03-01T12:30:00+03:00)`);
      continue;
    }
    const future = receiptTimeProblem(t, o.nowMs);
    if (future !== null) {
      bad(`timestamp "${ts}" ${future}`);
      continue;
    }
    const total = parseAmount(totalText);
    if (total === null) {
      bad(`total "${totalText}" is not a non-negative amount with at most 2 decimals (e.g. 77.49 or "77,49")`);
      continue;
    }
    const code = get('seller_code');
    const receipt: Receipt = { receiptId: id, t, total, currency: get('currency'), register: get('register'), sellerCode: code === '' ? null : code };
    const earlier = first.get(id);
    if (earlier !== undefined) {
      const diff = differences(earlier.receipt, receipt);
      if (diff.length === 0) duplicates++;
      else bad(`conflict: receipt_id ${id} is also on line ${earlier.line} with another ${diff.join(', ')}; line ${earlier.line} is kept, this one is refused`);
      continue;
    }
    first.set(id, { line: r.line, receipt });
    out.push(receipt);
  }
  return { rows: out, problems, duplicates };
}

function differences(a: Receipt, b: Receipt): string[] {
  const out: string[] = [];
  if (a.total !== b.total) out.push(`total (${a.total} vs ${b.total})`);
  if (a.t !== b.t) out.push(`timestamp (${new Date(a.t).toISOString()} vs ${new Date(b.t).toISOString()})`);
  if (a.currency !== b.currency) out.push(`currency (${a.currency} vs ${b.currency})`);
  if (a.register !== b.register) out.push(`register (${a.register} vs ${b.register})`);
  if (a.sellerCode !== b.sellerCode) out.push(`seller_code (${a.sellerCode ?? 'none'} vs ${b.sellerCode ?? 'none'})`);
  return out;
}

function formatAhead(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 48 ? `${Math.round(h / 24)} days` : h >= 1 ? `${Math.round(h)} h` : `${Math.round(ms / 60_000)} min`;
}
