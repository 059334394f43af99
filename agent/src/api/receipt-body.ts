/**
 * POST /api/receipts: one receipt or a batch, with the same fields as the POS CSV import
 * (sales/receipts.ts), validated with zod; the first problem is reported with its path.
 */
import { z } from 'zod';
import { receiptTimeProblem, type Receipt } from '../sales/receipts.js';
import { HttpError } from './http.js';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const receiptBody = z.strictObject({
  receipt_id: z.string().min(1).max(128),
  timestamp: z
    .string()
    .regex(ISO_WITH_OFFSET, 'expected ISO-8601 with an offset, e.g. 2025-03-01T12:30:00+03:00')
    .refine((s) => Number.isFinite(Date.parse(s)), 'not a real date and time'),
  total: z.number().min(0).max(1e12),
  currency: z.string().min(1).max(8).default(''),
  register: z.string().max(64).default(''),
  seller_code: z.string().min(1).max(64).nullable().default(null),
});

export const MAX_RECEIPTS_PER_REQUEST = 1000;

export const receiptsBody = z.union([receiptBody, z.array(receiptBody).min(1).max(MAX_RECEIPTS_PER_REQUEST)]);

function pathText(path: readonly PropertyKey[]): string {
  return `body${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
}

/**
 * Parse the raw body into receipts, or HttpError 400 naming the first bad field. `nowMs` is the
 * box's clock: a receipt dated in the future beyond POS clock drift is refused, as in the CSV.
 */
export function parseReceiptsBody(raw: Buffer, nowMs: number): Receipt[] {
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = receiptsBody.safeParse(data);
  if (!r.success) {
    // A union reports its branches' issues; the array branch is the informative one for arrays.
    const issue = pickIssue(r.error.issues, Array.isArray(data));
    throw new HttpError(400, `${pathText(issue.path)}: ${issue.message}`);
  }
  const list = Array.isArray(r.data) ? r.data : [r.data];
  list.forEach((b, i) => {
    const future = receiptTimeProblem(Date.parse(b.timestamp), nowMs);
    if (future !== null) throw new HttpError(400, `${pathText(Array.isArray(r.data) ? [i, 'timestamp'] : ['timestamp'])}: "${b.timestamp}" ${future}`);
  });
  return list.map((b) => ({
    receiptId: b.receipt_id,
    t: Date.parse(b.timestamp),
    total: b.total,
    currency: b.currency,
    register: b.register,
    sellerCode: b.seller_code,
  }));
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly errors?: readonly (readonly Issue[])[];
}

function pickIssue(issues: readonly Issue[], isArray: boolean): Issue {
  const first = issues[0] ?? { path: [], message: 'invalid body' };
  if (first.code === 'invalid_union' && first.errors) {
    const branch = first.errors[isArray ? 1 : 0] ?? first.errors[0];
    if (branch && branch.length > 0) return pickIssue(branch, isArray);
  }
  return first;
}
