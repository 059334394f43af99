import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { loadConfigFile } from '../../config/load.js';
import { FailureError } from '../../core/errors.js';
import { importTracks } from '../../agent/import.js';
import { parseReceiptsCsv, type ImportResult } from '../../sales/receipts.js';
import { parseScheduleCsv } from '../../sales/schedule.js';
import { openStore } from '../../store/open.js';

interface ImportOptions {
  config: string;
  tracks: string;
  receipts?: string;
  schedule?: string;
  json?: boolean;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path }, { cause: e });
  }
}

function warnProblems<T>(r: ImportResult<T>, what: string): void {
  for (const p of r.problems) console.error(`floorsense: warning: ${p.origin}:${p.line}: ${p.message} (row skipped)`);
  if (r.duplicates > 0) console.error(`floorsense: warning: ${r.duplicates} duplicate ${what} row(s) ignored`);
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description("Load saved tracks (interchange layout) with receipts and schedule into the agent's store and roll their days up")
    .requiredOption('--config <file>', 'store config (YAML): its storage.path is the store written to')
    .requiredOption('--tracks <dir>', 'folder with <camera-id>.txt (MOTChallenge) and <camera-id>.json per enabled camera')
    .option('--receipts <file>', 'receipts CSV: receipt_id,timestamp,total,currency,register,seller_code')
    .option('--schedule <file>', 'schedule CSV: date,seller_id,name,start,end (store time)')
    .option('--json', 'print the import report as JSON')
    .action((opts: ImportOptions) => {
      const cfg = loadConfigFile(opts.config);
      const receipts = opts.receipts
        ? parseReceiptsCsv(readText(opts.receipts), opts.receipts, { nowMs: Date.now() })
        : { rows: [], problems: [], duplicates: 0 };
      const schedule = opts.schedule ? parseScheduleCsv(readText(opts.schedule), opts.schedule, cfg.store.timezone) : { rows: [], problems: [], duplicates: 0 };
      warnProblems(receipts, 'receipt');
      warnProblems(schedule, 'schedule');
      const now = Date.now();
      const path = isAbsolute(cfg.storage.path) ? cfg.storage.path : resolve(process.cwd(), cfg.storage.path);
      const store = openStore(path, { nowMs: now, integrityCheck: cfg.storage.integrity_check });
      try {
        const r = importTracks(store.db, cfg, { tracksDir: opts.tracks, receipts: receipts.rows, shifts: schedule.rows }, now);
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify(
              { store: path, ...r, days: r.days.map((d) => ({ date: d.date, visits: d.visits, consultations: d.consultations, sellers: d.sellers })) },
              null,
              2,
            )}\n`,
          );
          return;
        }
        for (const c of r.cameras) console.log(`${c.camera}: ${c.skipped ? 'already imported (skipped)' : `${c.positions} positions`}`);
        console.log(`receipts: ${r.receipts.inserted} new, ${r.receipts.updated} updated, ${r.receipts.duplicates} already stored; shifts: ${r.shifts}`);
        for (const d of r.days) console.log(`${d.date}: ${d.visits} visits, ${d.consultations} consultations, ${d.sellers} seller rows rolled up`);
        console.log(`store: ${path}`);
      } finally {
        store.close();
      }
    });
}
