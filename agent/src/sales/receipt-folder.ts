/**
 * Receipt CSV files the POS drops into a folder, imported once each. A scan lists the folder, skips
 * files it has seen (same name, size and mtime) and files still being written (younger than
 * min_age_s), reads the rest, and skips content already imported under another name (sha256).
 * Good rows are stored by receipt id (idempotent); bad rows come back with file and line, and a
 * file that is not a receipts CSV at all (wrong header) is reported as refused, as a whole.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { extname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { FailureError } from '../core/errors.js';
import { importedAs, importedByStat, importReceiptFile } from '../store/sales.js';
import type { RowProblem } from './csv.js';
import { parseReceiptsCsv } from './receipts.js';
import { toStoredReceipt } from './stored-receipt.js';

export interface ReceiptFolderOptions {
  readonly folder: string;
  readonly extensions: readonly string[];
  readonly minAgeS: number;
  readonly timeZone: string;
  readonly nowMs: number;
}

export type FileOutcome =
  | {
      readonly name: string;
      readonly status: 'imported';
      readonly inserted: number;
      readonly updated: number;
      readonly duplicates: number;
      readonly problems: number;
    }
  /** Nothing of the file was read (wrong header, missing column, empty): the reason says why. */
  | { readonly name: string; readonly status: 'refused'; readonly reason: string }
  | { readonly name: string; readonly status: 'same-content'; readonly as: string }
  | { readonly name: string; readonly status: 'too-young' };

export interface ReceiptFolderReport {
  readonly folder: string;
  /** Files read this scan (files seen before are not listed). */
  readonly files: readonly FileOutcome[];
  readonly problems: readonly RowProblem[];
  /** Store-local days whose receipts changed. */
  readonly days: readonly string[];
}

export async function importReceiptFolder(db: Database.Database, o: ReceiptFolderOptions): Promise<ReceiptFolderReport> {
  let names: string[];
  try {
    names = (await readdir(o.folder)).sort();
  } catch (e) {
    throw new FailureError(
      'FS_FILE_NOT_FOUND',
      `receipts folder ${o.folder} cannot be listed: ${e instanceof Error ? e.message : String(e)}`,
      { folder: o.folder },
      { cause: e },
    );
  }
  const exts = new Set(o.extensions.map((x) => x.toLowerCase()));
  const files: FileOutcome[] = [];
  const problems: RowProblem[] = [];
  const days = new Set<string>();
  for (const name of names) {
    if (!exts.has(extname(name).toLowerCase())) continue;
    const path = join(o.folder, name);
    let st: Stats;
    try {
      st = await stat(path);
    } catch {
      continue; // removed between listing and stat: the POS moved it; nothing to import
    }
    if (!st.isFile() || importedByStat(db, name, st.size, st.mtimeMs)) continue;
    if (o.nowMs - st.mtimeMs < o.minAgeS * 1000) {
      files.push({ name, status: 'too-young' });
      continue;
    }
    const bytes = await readFile(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = { sha256, name, size: st.size, mtimeMs: st.mtimeMs };
    const earlier = importedAs(db, sha256);
    if (earlier !== null) {
      // Record this name too (by stat) so the next scan does not read it again.
      importReceiptFile(db, file, [], 0, o.nowMs);
      files.push({ name, status: 'same-content', as: earlier });
      continue;
    }
    const parsed = parseReceiptsCsv(bytes.toString('utf8'), path, { nowMs: o.nowMs });
    // Marked imported even when refused as a whole: a fixed file comes with another size or mtime.
    const r = importReceiptFile(
      db,
      file,
      parsed.rows.map((x) => toStoredReceipt(x, o.timeZone)),
      parsed.problems.length,
      o.nowMs,
    );
    problems.push(...parsed.problems);
    const whole = parsed.problems.find((p) => p.scope === 'file');
    if (whole !== undefined) {
      files.push({ name, status: 'refused', reason: whole.message });
      continue;
    }
    for (const d of r.days) days.add(d);
    files.push({
      name,
      status: 'imported',
      inserted: r.inserted,
      updated: r.updated,
      duplicates: r.duplicates + parsed.duplicates,
      problems: parsed.problems.length,
    });
  }
  return { folder: o.folder, files, problems, days: [...days].sort() };
}
