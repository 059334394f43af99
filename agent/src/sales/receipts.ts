/**
 * POS receipts from CSV (`receipt_id,timestamp,total,currency,register,seller_code`). Bad rows are
 * reported with file and line and skipped; good rows import; a receipt id seen twice is kept once.
 */
import { parseCsv } from './csv.js';

export interface Receipt {
  readonly receiptId: string;
  /** Epoch milliseconds (POS clock). */
  readonly t: number;
  readonly total: number;
  readonly currency: string;
  readonly register: string;
  readonly sellerCode: string | null;
}

export interface RowProblem {
  readonly origin: string;
  readonly line: number;
  readonly message: string;
}

export interface ImportResult<T> {
  readonly rows: T[];
  readonly problems: RowProblem[];
  readonly duplicates: number;
}

export const RECEIPT_COLUMNS = ['receipt_id', 'timestamp', 'total', 'currency', 'register', 'seller_code'] as const;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseReceiptsCsv(text: string, origin: string): ImportResult<Receipt> {
  const rows = parseCsv(text);
  const problems: RowProblem[] = [];
  const header = rows.shift();
  if (!header) return { rows: [], problems: [{ origin, line: 1, message: 'empty file: expected header ' + RECEIPT_COLUMNS.join(',') }], duplicates: 0 };
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  const idx = RECEIPT_COLUMNS.map((c) => cols.indexOf(c));
  const missing = RECEIPT_COLUMNS.filter((c, i) => idx[i]! < 0 && c !== 'seller_code');
  if (missing.length > 0) return { rows: [], problems: [{ origin, line: header.line, message: `header lacks ${missing.join(', ')}; expected ${RECEIPT_COLUMNS.join(',')}` }], duplicates: 0 };
  const seen = new Set<string>();
  const out: Receipt[] = [];
  let duplicates = 0;
  for (const r of rows) {
    const get = (k: (typeof RECEIPT_COLUMNS)[number]): string => {
      const i = idx[RECEIPT_COLUMNS.indexOf(k)]!;
      return i < 0 ? '' : (r.fields[i] ?? '').trim();
    };
    const bad = (message: string): void => void problems.push({ origin, line: r.line, message });
    if (r.fields.length < cols.length - (idx[5]! >= 0 ? 1 : 0)) {
      bad(`expected ${cols.length} fields, got ${r.fields.length}`);
      continue;
    }
    const id = get('receipt_id');
    const ts = get('timestamp');
    const total = Number(get('total'));
    if (id === '') {
      bad('receipt_id is empty');
      continue;
    }
    if (!ISO_WITH_OFFSET.test(ts) || !Number.isFinite(Date.parse(ts))) {
      bad(`timestamp "${ts}" is not ISO-8601 with an offset (e.g. 2025-03-01T12:30:00+03:00)`);
      continue;
    }
    if (get('total') === '' || !Number.isFinite(total) || total < 0) {
      bad(`total "${get('total')}" is not a non-negative number`);
      continue;
    }
    if (seen.has(id)) {
      duplicates++;
      continue;
    }
    seen.add(id);
    const code = get('seller_code');
    out.push({ receiptId: id, t: Date.parse(ts), total, currency: get('currency'), register: get('register'), sellerCode: code === '' ? null : code });
  }
  return { rows: out, problems, duplicates };
}
