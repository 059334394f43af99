/** A parsed receipt (CSV or API) as the store keeps it: integer minor units, the store-local day. */
import type { StoredReceipt } from '../store/sales.js';
import { localDate } from '../core/local-time.js';
import type { Receipt } from './receipts.js';

export function toStoredReceipt(r: Receipt, timeZone: string): StoredReceipt {
  return {
    id: r.receiptId,
    tMs: r.t,
    day: localDate(r.t, timeZone),
    amountMinor: Math.round(r.total * 100),
    registerId: r.register === '' ? null : r.register,
    sellerId: r.sellerCode,
    currency: r.currency === '' ? null : r.currency,
  };
}
