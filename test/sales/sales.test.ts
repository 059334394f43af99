import { describe, expect, it } from 'vitest';
import { matchReceipts } from '../../agent/src/sales/match.js';
import { parseReceiptsCsv } from '../../agent/src/sales/receipts.js';
import { parseScheduleCsv } from '../../agent/src/sales/schedule.js';
import { fragmentsOf, makePerson } from '../../agent/src/scene/stitch.js';
import { T0, track, type Leg } from '../scene/script.js';

describe('receipts CSV', () => {
  const text = [
    'receipt_id,timestamp,total,currency,register,seller_code',
    'R1,2025-04-08T10:05:00+02:00,12.50,EUR,till-1,s1',
    'R2,2025-04-08 10:06,3.00,EUR,till-1,',
    'R3,2025-04-08T10:07:00+02:00,abc,EUR,till-1,',
    ',2025-04-08T10:08:00+02:00,1,EUR,till-1,',
    'R1,2025-04-08T10:05:00+02:00,12.50,EUR,till-1,s1',
    '"R,4",2025-04-08T08:09:00Z,7,EUR,till-2,',
  ].join('\n');
  const r = parseReceiptsCsv(text, 'pos/receipts.csv', { nowMs: Date.UTC(2025, 3, 9) });

  it('imports good rows, reports bad ones with file and line, keeps duplicates once', () => {
    expect(r.rows.map((x) => [x.receiptId, x.total, x.sellerCode])).toEqual([
      ['R1', 12.5, 's1'],
      ['R,4', 7, null],
    ]);
    expect(r.rows[0]!.t).toBe(Date.UTC(2025, 3, 8, 8, 5, 0));
    expect(r.duplicates).toBe(1);
    expect(r.problems.map((p) => `${p.origin}:${p.line}`)).toEqual(['pos/receipts.csv:3', 'pos/receipts.csv:4', 'pos/receipts.csv:5']);
    expect(r.problems[0]!.message).toMatch(/timestamp "2025-04-08 10:06" is not ISO-8601 with an offset/);
    expect(r.problems[1]!.message).toMatch(/total "abc"/);
    expect(r.problems[2]!.message).toMatch(/receipt_id is empty/);
  });

  it('a wrong header is one clear problem', () => {
    const bad = parseReceiptsCsv('id,time,sum\n1,2,3\n', 'x.csv', { nowMs: 0 });
    expect(bad.rows).toEqual([]);
    expect(bad.problems).toEqual([
      { origin: 'x.csv', line: 1, scope: 'file', message: expect.stringMatching(/^the header lacks receipt_id, timestamp, total, currency, register/) },
    ]);
  });
});

describe('schedule CSV in store time', () => {
  const text =
    'date,seller_id,name,start,end\n2025-04-08,s1,Anna,10:00,18:00\n2025-04-08,s2,Boris,22:00,06:00\n2025-04-08,s3,Vera,9am,5pm\n2025-02-30,s4,Gleb,10:00,11:00\n';
  const r = parseScheduleCsv(text, 'schedule.csv', 'Europe/Berlin');
  it('reads local times, crosses midnight, reports bad rows by line', () => {
    expect(r.rows.map((s) => [s.sellerId, new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['s1', '2025-04-08T08:00:00.000Z', '2025-04-08T16:00:00.000Z'],
      ['s2', '2025-04-08T20:00:00.000Z', '2025-04-09T04:00:00.000Z'],
    ]);
    expect(r.problems.map((p) => p.line)).toEqual([4, 5]);
  });
});

describe('receipt to visit matching', () => {
  const visit = (id: number, legs: Leg[]) => makePerson(id, fragmentsOf(track('c1', id, legs)));
  // Visit 1 pays at the till 100..160 s; visit 2 waits, then stands at the till 158..220 s.
  const v1 = visit(1, [
    { from: 0, to: 99, a: [5, 5] },
    { from: 100, to: 160, a: [10, 10], zone: 'till' },
    { from: 161, to: 200, a: [2, 1] },
  ]);
  const v2 = visit(2, [
    { from: 60, to: 157, a: [9, 8] },
    { from: 158, to: 220, a: [10, 10], zone: 'till' },
  ]);
  const rc = (id: string, s: number) => ({ receiptId: id, t: T0 + s * 1000, total: 10, currency: 'EUR', register: 't', sellerCode: null });

  it('the visit at the till at receipt time; overlap resolved by who leaves the till next', () => {
    const m = matchReceipts([rc('A', 158), rc('B', 219), rc('C', 900)], [v1, v2], { clockOffsetS: 0, toleranceS: 60 });
    expect(m.map((x) => [x.receipt.receiptId, x.visitId])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', null],
    ]);
    expect(m[0]!.confidence).toBeGreaterThan(0.5);
    expect(m[0]!.confidence).toBeLessThan(1);
    expect(m[1]!.confidence).toBeGreaterThan(0.5);
  });

  it('the POS clock offset is applied', () => {
    const m = matchReceipts([rc('A', 130 + 600)], [v1, v2], { clockOffsetS: 600, toleranceS: 10 });
    expect(m[0]!.visitId).toBe(1);
    expect(m[0]!.confidence).toBe(1);
  });
});
