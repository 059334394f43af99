/**
 * Bad receipt and schedule CSV, as a table: each input with the rows that must import and the
 * problems (line, scope, message) that must be reported. The issue's cases are here: an unquoted
 * `77,49` shifting columns, a stray quote swallowing the next receipts, a missing column or `;`
 * separators reported as "(row skipped)" while the whole file was ignored, a repeated receipt id
 * with another amount called a duplicate, and a receipt dated 2099 stored.
 */
import { describe, expect, it } from 'vitest';
import { problemLine, problemSummary, readCsvTable } from '../../agent/src/sales/csv.js';
import { parseReceiptsCsv } from '../../agent/src/sales/receipts.js';
import { parseScheduleCsv, sellerIdProblem } from '../../agent/src/sales/schedule.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const H = 'receipt_id,timestamp,total,currency,register,seller_code';
const T = '2026-11-20T10:05:00+03:00';

type Expected = [line: number, scope: 'row' | 'file', message: RegExp];

describe('receipts CSV: bad inputs and what is said about them', () => {
  it.each<[string, string, Array<[string, number, string | null]>, number, Expected[]]>([
    [
      'good rows, comma separated',
      [H, `R1,${T},12.50,RUB,till-1,s1`, `R2,${T},3,RUB,till-1,`].join('\n'),
      [
        ['R1', 12.5, 's1'],
        ['R2', 3, null],
      ],
      0,
      [],
    ],
    [
      'an unquoted decimal comma is refused, not shifted into currency',
      [H, `R1,${T},77,49,RUB,till-1,s1`, `R2,${T},5,RUB,till-1,`].join('\n'),
      [['R2', 5, null]],
      0,
      [
        [
          2,
          'row',
          /^expected 6 fields \(receipt_id,timestamp,total,currency,register,seller_code\), got 7 \(an unquoted decimal comma such as 77,49\? quote it/,
        ],
      ],
    ],
    ['a quoted decimal comma is read', [H, `R1,${T},"77,49",RUB,till-1,s1`].join('\n'), [['R1', 77.49, 's1']], 0, []],
    [
      'semicolon separated, with decimal commas',
      [H.replaceAll(',', ';'), `R1;${T};77,49;RUB;till-1;s1`, `R2;${T};"1250,5";RUB;till-2;`].join('\r\n'),
      [
        ['R1', 77.49, 's1'],
        ['R2', 1250.5, null],
      ],
      0,
      [],
    ],
    [
      'a stray quote spoils its own line only',
      [H, `R1,${T},10,RUB,"till-1,s1`, `R2,${T},11,RUB,till-1,`, `R3,${T},12,RUB,till-1,`, `R4,${T},13,RUB,till-1,`].join('\n'),
      [
        ['R2', 11, null],
        ['R3', 12, null],
        ['R4', 13, null],
      ],
      0,
      [[2, 'row', /^a quote opened on this line is not closed/]],
    ],
    [
      'a quote opened on one line and closed on the next: both lines refused, the rest read',
      [H, `R1,${T},10,RUB,"till-1,s1`, `R2,${T},11,RUB,till-1",`, `R3,${T},12,RUB,till-1,`].join('\n'),
      [['R3', 12, null]],
      0,
      [
        [2, 'row', /^a quote opened on this line is not closed/],
        [3, 'row', /^a quote inside a field/],
      ],
    ],
    [
      'a quote inside an unquoted field',
      [H, `R1,${T},10,RUB,till"1,`, `R2,${T},11,RUB,till-1,`].join('\n'),
      [['R2', 11, null]],
      0,
      [[2, 'row', /^a quote inside a field/]],
    ],
    ['too few fields', [H, `R1,${T},10,RUB`, `R2,${T},11,RUB,till-1,`].join('\n'), [['R2', 11, null]], 0, [[2, 'row', /^expected 6 fields .*got 4$/]]],
    [
      'a missing column is a problem of the whole file',
      ['receipt_id,timestamp,currency,register', `R1,${T},RUB,till-1`].join('\n'),
      [],
      0,
      [
        [
          1,
          'file',
          /^the header lacks total \(got "receipt_id,timestamp,currency,register"\); expected receipt_id,timestamp,total,currency,register,seller_code separated by , or ;$/,
        ],
      ],
    ],
    [
      'a header in another separator than , or ;',
      [H.replaceAll(',', '\t'), `R1\t${T}\t10\tRUB\ttill-1\t`].join('\n'),
      [],
      0,
      [[1, 'file', /^the header lacks receipt_id, timestamp, total, currency, register/]],
    ],
    ['an HTML page instead of CSV', '<!DOCTYPE html>\n<html><body>Sign in</body></html>\n', [], 0, [[1, 'file', /^the header lacks receipt_id/]]],
    ['an empty file', '\n\n', [], 0, [[1, 'file', /^empty file: expected the header receipt_id,timestamp,total,currency,register,seller_code$/]]],
    ['a column named twice', [`${H},total`, `R1,${T},10,RUB,till-1,,10`].join('\n'), [], 0, [[1, 'file', /^the header names column total twice$/]]],
    ['a header after blank lines and a BOM keeps true line numbers', `\uFEFF\n\n${H}\nR1,${T},x,RUB,till-1,`, [], 0, [[4, 'row', /^total "x"/]]],
    [
      'a repeated id with another amount is a conflict, the first kept',
      [H, `R1,${T},10,RUB,till-1,`, `R1,${T},12,RUB,till-1,`].join('\n'),
      [['R1', 10, null]],
      0,
      [[3, 'row', /^conflict: receipt_id R1 is also on line 2 with another total \(10 vs 12\); line 2 is kept, this one is refused$/]],
    ],
    ['a repeated id with the same content is a duplicate', [H, `R1,${T},10,RUB,till-1,`, `R1,${T},10,RUB,till-1,`].join('\n'), [['R1', 10, null]], 1, []],
    [
      'a repeated id with another seller is a conflict',
      [H, `R1,${T},10,RUB,till-1,s1`, `R1,${T},10,RUB,till-1,s2`].join('\n'),
      [['R1', 10, 's1']],
      0,
      [[3, 'row', /another seller_code \(s1 vs s2\)/]],
    ],
    [
      'a receipt dated 2099 is refused',
      [H, `R1,2099-01-01T10:00:00+03:00,10,RUB,till-1,`, `R2,${T},5,RUB,till-1,`].join('\n'),
      [['R2', 5, null]],
      0,
      [
        [
          2,
          'row',
          /^timestamp "2099-01-01T10:00:00\+03:00" is 26340 days in the future \(the box's clock says 2026-11-20T12:00:00\.000Z; at most 15 min ahead/,
        ],
      ],
    ],
    ['a POS clock a few minutes fast is taken', [H, `R1,2026-11-20T12:10:00Z,10,RUB,till-1,`].join('\n'), [['R1', 10, null]], 0, []],
    ['20 minutes ahead is refused', [H, `R1,2026-11-20T12:20:00Z,10,RUB,till-1,`].join('\n'), [], 0, [[2, 'row', /is 20 min in the future/]]],
    [
      'amounts: thousands separators, three decimals, negatives, exponents',
      [H, `A,${T},"1 234,50",RUB,t,`, `B,${T},12.505,RUB,t,`, `C,${T},-5,RUB,t,`, `D,${T},1e3,RUB,t,`, `E,${T},,RUB,t,`].join('\n'),
      [],
      0,
      [
        [2, 'row', /^total "1 234,50" is not a non-negative amount/],
        [3, 'row', /^total "12\.505"/],
        [4, 'row', /^total "-5"/],
        [5, 'row', /^total "1e3"/],
        [6, 'row', /^total ""/],
      ],
    ],
    [
      'seller_code may be left out of the header',
      ['receipt_id,timestamp,total,currency,register', `R1,${T},10,RUB,till-1`].join('\n'),
      [['R1', 10, null]],
      0,
      [],
    ],
  ])('%s', (_n, text, rows, duplicates, problems) => {
    const r = parseReceiptsCsv(text, 'pos/day.csv', { nowMs: NOW });
    expect(r.rows.map((x) => [x.receiptId, x.total, x.sellerCode])).toEqual(rows);
    expect(r.duplicates).toBe(duplicates);
    expect(r.problems).toEqual(problems.map(([line, scope, message]) => ({ origin: 'pos/day.csv', line, scope, message: expect.stringMatching(message) })));
  });

  it('whole-file and row problems are told apart in the log lines', () => {
    const file = parseReceiptsCsv('receipt_id;timestamp\nR1;x\n', 'pos/a.csv', { nowMs: NOW }).problems;
    const row = parseReceiptsCsv(`${H}\nR1,${T},x,RUB,t,\n`, 'pos/b.csv', { nowMs: NOW }).problems;
    expect(problemLine(file[0]!)).toMatch(/^pos\/a\.csv:1: the header lacks total, currency, register .* \(whole file ignored\)$/);
    expect(problemLine(row[0]!)).toMatch(/^pos\/b\.csv:2: total "x" .* \(row skipped\)$/);
    expect(problemSummary([...file, ...row])).toBe('1 bad row(s) skipped, good rows kept; 1 file(s) ignored whole: pos/a.csv');
  });

  it('the separator is told by the header, so a ; file with commas in its names still reads', () => {
    const t = readCsvTable('date;seller_id;name;start;end\n2026-11-20;s1;Ivanova, Anna;10:00;18:00\n', 's.csv', {
      required: ['date', 'seller_id', 'name', 'start', 'end'],
    });
    expect(t).toMatchObject({ ok: true, separator: ';', rows: [{ line: 2, fields: ['2026-11-20', 's1', 'Ivanova, Anna', '10:00', '18:00'] }] });
  });
});

describe('schedule CSV: seller ids checked at import, display names in any script', () => {
  const text = [
    'date,seller_id,name,start,end',
    '2026-11-20,anna-ivanova,Анна Иванова,10:00,18:00',
    '2026-11-20,Анна,Анна,10:00,18:00',
    '2026-11-20,boris 2,Борис,12:00,20:00',
    '2026-11-20,S3,,09:00,13:00',
    '2026-11-20,S3,,09:00,14:00',
  ].join('\n');
  const r = parseScheduleCsv(text, 'schedule.csv', 'Europe/Moscow');

  it('keeps good rows with their names, refuses bad ids by file and line', () => {
    expect(r.rows.map((s) => [s.sellerId, s.name])).toEqual([
      ['anna-ivanova', 'Анна Иванова'],
      ['S3', ''],
    ]);
    expect(r.problems.map(problemLine)).toEqual([
      'schedule.csv:3: seller_id "Анна" is not an id of 1-128 letters A-Z a-z, digits, _ . : -; a display name goes in the name column, the id is e.g. anna-ivanova or S12 (row skipped)',
      'schedule.csv:4: seller_id "boris 2" is not an id of 1-128 letters A-Z a-z, digits, _ . : - (row skipped)',
      "schedule.csv:6: conflict: S3's shift on 2026-11-20 from 09:00 is also on line 5 ending 13:00, here 14:00; line 5 is kept, this one is refused (row skipped)",
    ]);
  });

  it.each<[string, string | null]>([
    ['S1', null],
    ['seller.7:a_b-c', null],
    ['x'.repeat(128), null],
    ['x'.repeat(129), expect.stringMatching(/is not an id/) as unknown as string],
    ['', 'seller_id is empty'],
  ])('seller id %j', (id, want) => {
    expect(sellerIdProblem(id)).toEqual(want);
  });
});
