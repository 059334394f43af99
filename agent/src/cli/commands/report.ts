import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../config/load.js';
import { FailureError, MisuseError } from '../../core/errors.js';
import { formatReportTable } from '../../metrics/format.js';
import { analyzeStoreDay, cameraSceneFromConfig } from '../../metrics/store-day.js';
import { isIsoDate } from '../../core/local-time.js';
import { problemLine } from '../../sales/csv.js';
import { parseReceiptsCsv, type ImportResult } from '../../sales/receipts.js';
import { parseScheduleCsv } from '../../sales/schedule.js';
import { readCameraTracks } from '../../scene/interchange.js';

interface ReportOptions {
  config: string;
  tracks: string;
  receipts?: string;
  schedule?: string;
  date: string;
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
  for (const p of r.problems) console.error(`floorsense: warning: ${problemLine(p)}`);
  if (r.duplicates > 0) console.error(`floorsense: warning: ${r.duplicates} duplicate ${what} row(s) ignored`);
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Per-seller and per-store KPIs of one local day, from saved tracks, receipts and the schedule')
    .requiredOption('--config <file>', 'store config (YAML) with cameras, zones and analytics settings')
    .requiredOption('--tracks <dir>', 'folder with <camera-id>.txt (MOTChallenge) and <camera-id>.json per camera')
    .option('--receipts <file>', 'receipts CSV: receipt_id,timestamp,total,currency,register,seller_code')
    .option('--schedule <file>', 'schedule CSV: date,seller_id,name,start,end (store time)')
    .requiredOption('--date <YYYY-MM-DD>', 'local day in the store time zone')
    .option('--json', 'print one JSON object instead of a table')
    .action((opts: ReportOptions) => {
      if (!isIsoDate(opts.date)) throw new MisuseError('FS_BAD_ARGUMENT', `--date "${opts.date}" is not a date; use YYYY-MM-DD`);
      const cfg = loadConfigFile(opts.config);
      // Enabled cameras must have their files; a disabled one is read when its file is there (a
      // camera whose only data is imported, like the demo's simulated week: see `floorsense import`).
      const hasFile = (id: string): boolean => existsSync(join(opts.tracks, `${id}.txt`));
      const onlyImported = cfg.cameras.filter((c) => !c.enabled && hasFile(c.id));
      const cams = onlyImported.length > 0 ? [...cfg.cameras.filter((c) => c.enabled && hasFile(c.id)), ...onlyImported] : cfg.cameras.filter((c) => c.enabled);
      if (cams.length === 0) throw new MisuseError('FS_CONFIG_INVALID', `${opts.config}: cameras: no enabled camera to report on`);
      const tracks = cams.map((c) => readCameraTracks(opts.tracks, c.id));
      const receipts = opts.receipts
        ? parseReceiptsCsv(readText(opts.receipts), opts.receipts, { nowMs: Date.now() })
        : { rows: [], problems: [], duplicates: 0 };
      const schedule = opts.schedule ? parseScheduleCsv(readText(opts.schedule), opts.schedule, cfg.store.timezone) : { rows: [], problems: [], duplicates: 0 };
      warnProblems(receipts, 'receipt');
      warnProblems(schedule, 'schedule');
      const result = analyzeStoreDay({
        storeId: cfg.store.id,
        timeZone: cfg.store.timezone,
        date: opts.date,
        cameras: cams.map(cameraSceneFromConfig),
        analytics: cfg.analytics,
        tracks,
        receipts: receipts.rows,
        shifts: schedule.rows,
      });
      const unmatched = result.matches.filter((m) => m.visitId === null).length;
      if (unmatched > 0) console.error(`floorsense: warning: ${unmatched} receipt(s) matched no visit at a till zone`);
      const consultations = result.consultations.map((c) => ({
        store: c.store,
        camera: c.camera,
        seller_id: c.sellerId,
        visit_id: c.visitId,
        start: new Date(c.start).toISOString(),
        end: new Date(c.end).toISOString(),
        duration_s: c.durationS,
        outcome: c.outcome,
      }));
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...result.report, consultations }, null, 2)}\n`);
      else process.stdout.write(formatReportTable(result.report));
    });
}
