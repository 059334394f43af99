/**
 * Receipt CSV parse speed (a script, not a test): `npx tsx agent/bench/csv-import.ts [rows]`.
 * A busy store's day is a few thousand receipts; a chain's month export is some 100k rows. Prints
 * rows/s for a `,` file and a `;` file with decimal commas, each line parsed on its own by
 * csv-parse (sales/csv.ts), with one bad row in 1000 to keep the problem path warm.
 */
import { parseReceiptsCsv } from '../src/sales/receipts.js';

const rows = Number(process.argv[2] ?? 100_000);
const T0 = Date.UTC(2026, 10, 20, 7);

function file(sep: ',' | ';'): string {
  const out = [['receipt_id', 'timestamp', 'total', 'currency', 'register', 'seller_code'].join(sep)];
  for (let i = 0; i < rows; i++) {
    const total = `${(i % 9000) + 1}${sep === ';' ? ',' : '.'}${String(i % 100).padStart(2, '0')}`;
    const ts = new Date(T0 + i * 1000).toISOString();
    out.push(
      i % 1000 === 999
        ? `R${i}${sep}not-a-time${sep}1${sep}RUB${sep}till-1${sep}`
        : [`R${i}`, ts, total, 'RUB', `till-${i % 4}`, i % 3 === 0 ? `s${i % 7}` : ''].join(sep),
    );
  }
  return `${out.join('\n')}\n`;
}

for (const sep of [',', ';'] as const) {
  const text = file(sep);
  parseReceiptsCsv(text.slice(0, 20_000), 'warm.csv', { nowMs: Date.now() });
  const t = process.hrtime.bigint();
  const r = parseReceiptsCsv(text, `bench-${sep === ',' ? 'comma' : 'semicolon'}.csv`, { nowMs: Date.now() });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `separator "${sep}": ${rows} rows (${(text.length / 1e6).toFixed(1)} MB) in ${s.toFixed(2)} s = ${Math.round(rows / s)} rows/s; imported ${r.rows.length}, problems ${r.problems.length}`,
  );
}
