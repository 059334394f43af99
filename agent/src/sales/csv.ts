/**
 * The POS and schedule CSV files, read with csv-parse (RFC 4180 quoting) under a strict contract:
 *
 * - the separator is `,` or `;` (European spreadsheets export `;`), told by which one makes the
 *   header hold the expected columns;
 * - one record per line: fields never span lines, so one stray quote spoils its own line only
 *   instead of swallowing the receipts after it (such a file is parsed line by line);
 * - every line has exactly the header's number of fields; anything else is refused by line,
 *   never shifted into the neighbouring columns;
 * - a header without the expected columns is a problem of the whole file (scope 'file'), not of
 *   one row: nothing of such a file is read.
 */
import { parse } from 'csv-parse/sync';

export interface RowProblem {
  readonly origin: string;
  /** 1-based line of the file; the header's line for whole-file problems. */
  readonly line: number;
  /** 'row': this line was refused, the rest was read; 'file': nothing of the file was read. */
  readonly scope: 'row' | 'file';
  readonly message: string;
}

export interface CsvRow {
  readonly line: number;
  /** Trimmed fields, one per header column, in header order. */
  readonly fields: readonly string[];
}

export type CsvSeparator = ',' | ';';

export type CsvTable =
  | {
      readonly ok: true;
      readonly separator: CsvSeparator;
      readonly columns: readonly string[];
      readonly rows: readonly CsvRow[];
      readonly problems: readonly RowProblem[];
    }
  | { readonly ok: false; readonly problem: RowProblem };

export interface CsvContract {
  /** Columns that must be in the header (lower case). */
  readonly required: readonly string[];
  /** Columns that may be (lower case). */
  readonly optional?: readonly string[];
}

const SEPARATORS: readonly CsvSeparator[] = [',', ';'];

/** "file:line: message (row skipped | whole file ignored)", for logs and the CLI. */
export function problemLine(p: RowProblem): string {
  return `${p.origin}:${p.line}: ${p.message} (${p.scope === 'file' ? 'whole file ignored' : 'row skipped'})`;
}

/** One log message for a file's problems: rows skipped (good rows kept) and files ignored whole. */
export function problemSummary(problems: readonly RowProblem[]): string {
  const files = new Set(problems.filter((p) => p.scope === 'file').map((p) => p.origin));
  const rows = problems.length - problems.filter((p) => p.scope === 'file').length;
  const parts: string[] = [];
  if (rows > 0) parts.push(`${rows} bad row(s) skipped, good rows kept`);
  if (files.size > 0) parts.push(`${files.size} file(s) ignored whole: ${[...files].join(', ')}`);
  return parts.join('; ');
}

/** Read `text` as a table with the columns of `contract`; see the module comment for the rules. */
export function readCsvTable(text: string, origin: string, contract: CsvContract): CsvTable {
  const expected = [...contract.required, ...(contract.optional ?? [])];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  const fileProblem = (line: number, message: string): CsvTable => ({ ok: false, problem: { origin, line, scope: 'file', message } });
  if (headerAt < 0) return fileProblem(1, `empty file: expected the header ${expected.join(',')}`);
  const headerLine = headerAt + 1;
  const header = chooseSeparator(lines[headerAt]!, contract.required);
  if (header === null) {
    return fileProblem(headerLine, `the header does not parse as CSV ("${clip(lines[headerAt]!)}"); expected ${expected.join(',')}`);
  }
  const { separator, columns, missing } = header;
  if (missing.length > 0) {
    return fileProblem(
      headerLine,
      `the header lacks ${missing.join(', ')} (got "${clip(lines[headerAt]!)}"); expected ${expected.join(',')} separated by , or ;`,
    );
  }
  const twice = columns.find((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (twice !== undefined) return fileProblem(headerLine, `the header names column ${twice} twice`);
  const rows: CsvRow[] = [];
  const problems: RowProblem[] = [];
  const body: Array<{ line: number; text: string }> = [];
  for (let i = headerAt + 1; i < lines.length; i++) if (lines[i]!.trim() !== '') body.push({ line: i + 1, text: lines[i]! });
  const parsed = parseBody(
    body.map((b) => b.text),
    separator,
  );
  for (let k = 0; k < body.length; k++) {
    const line = body[k]!.line;
    const fields = parsed[k]!;
    if (typeof fields === 'string') {
      problems.push({ origin, line, scope: 'row', message: fields });
      continue;
    }
    if (fields.length !== columns.length) {
      const hint =
        separator === ',' && fields.length > columns.length ? ' (an unquoted decimal comma such as 77,49? quote it, "77,49", or separate the file with ;)' : '';
      problems.push({ origin, line, scope: 'row', message: `expected ${columns.length} fields (${columns.join(separator)}), got ${fields.length}${hint}` });
      continue;
    }
    rows.push({ line, fields: fields.map((f) => f.trim()) });
  }
  return { ok: true, separator, columns, rows, problems };
}

/** Index of each wanted column in `columns` (-1 when absent). */
export function columnIndex(columns: readonly string[], wanted: readonly string[]): number[] {
  return wanted.map((c) => columns.indexOf(c));
}

/**
 * The separator under which the header holds the required columns; failing both, the one that
 * finds more of them (so the message lists what is really missing). Null when neither parses.
 */
function chooseSeparator(headerText: string, required: readonly string[]): { separator: CsvSeparator; columns: string[]; missing: string[] } | null {
  let best: { separator: CsvSeparator; columns: string[]; missing: string[] } | null = null;
  for (const separator of SEPARATORS) {
    const fields = parseLine(headerText, separator);
    if (typeof fields === 'string') continue;
    const columns = fields.map((f) => f.trim().toLowerCase());
    const missing = required.filter((c) => !columns.includes(c));
    if (missing.length === 0) return { separator, columns, missing };
    if (best === null || missing.length < best.missing.length) best = { separator, columns, missing };
  }
  return best;
}

/**
 * The fields of each line (or why it is not a CSV record). One csv-parse pass over all lines when
 * that gives exactly one record per line (the normal file: fast); otherwise, when a quote spans
 * lines or a line does not parse, each line on its own, so one bad line spoils only itself.
 */
function parseBody(lines: readonly string[], separator: CsvSeparator): Array<string[] | string> {
  if (lines.length === 0) return [];
  try {
    const records = parse(lines.join('\n'), { delimiter: separator, relax_column_count: true }) as string[][];
    if (records.length === lines.length && records.every((r) => r.every((f) => !/[\r\n]/.test(f)))) return records;
  } catch {
    // a bad line somewhere: find it line by line below
  }
  return lines.map((l) => parseLine(l, separator));
}

/** The fields of one line, or the reason it is not a CSV record. */
function parseLine(text: string, separator: CsvSeparator): string[] | string {
  try {
    const records = parse(text, { delimiter: separator, relax_column_count: true, skip_empty_lines: false }) as string[][];
    return records[0] ?? [''];
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote opened on this line is not closed (fields cannot span lines; a stray " ?)';
    if (code === 'INVALID_OPENING_QUOTE' || code === 'CSV_INVALID_CLOSING_QUOTE')
      return `a quote inside a field (quote the whole field and double inner quotes: "a ""b"" c"): ${e instanceof Error ? e.message : String(e)}`;
    return `not a CSV record: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** One field for writing CSV: quoted when it holds a separator, a quote or a line break. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
