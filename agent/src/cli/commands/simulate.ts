import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { MisuseError } from '../../core/errors.js';
import { isIsoDate } from '../../core/local-time.js';
import { writeCameraEmbeddings, writeCameraTracks } from '../../scene/interchange.js';
import { loadScenarioFile } from '../../sim/scenario.js';
import { simulateDay, truthDocument } from '../../sim/simulate.js';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Simulate a store day with known truth: tracks (interchange layout), receipts, schedule, store.yaml, truth.json')
    .requiredOption('--config <file>', 'scenario YAML (see config/scenarios/)')
    .option('--seed <n>', 'random seed', '1')
    .requiredOption('--out <dir>', 'output folder')
    .option('--date <YYYY-MM-DD>', "the store-local day to simulate instead of the scenario's date (e.g. a week of days for the demo)")
    .action((opts: { config: string; seed: string; out: string; date?: string }) => {
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
        throw new MisuseError('FS_BAD_ARGUMENT', `--seed "${opts.seed}" must be an integer from 0 to 4294967295`);
      if (opts.date !== undefined && !isIsoDate(opts.date)) throw new MisuseError('FS_BAD_ARGUMENT', `--date "${opts.date}" is not a date; use YYYY-MM-DD`);
      const loaded = loadScenarioFile(opts.config);
      const scenario = opts.date === undefined ? loaded : { ...loaded, date: opts.date };
      const day = simulateDay(scenario, seed);
      mkdirSync(opts.out, { recursive: true });
      for (const s of day.streams) {
        writeCameraTracks(join(opts.out, 'tracks'), s.camera, s.timebase, s.rows, s.downtime);
        if (s.embeddings || s.colors) writeCameraEmbeddings(join(opts.out, 'tracks'), s.camera, s.embeddings ?? new Map(), s.colors);
      }
      writeFileSync(
        join(opts.out, 'store.yaml'),
        `# Written by floorsense simulate (seed ${seed}); zones and floor points as an installer would draw them.\n${stringify(day.storeConfigRaw)}`,
      );
      writeFileSync(join(opts.out, 'receipts.csv'), day.receiptsCsv);
      writeFileSync(join(opts.out, 'schedule.csv'), day.scheduleCsv);
      writeFileSync(join(opts.out, 'truth.json'), `${JSON.stringify(truthDocument(day), null, 1)}\n`);
      const rows = day.streams.reduce((n, s) => n + s.rows.length, 0);
      console.log(
        `${opts.out}: ${scenario.date}, ${day.plan.visits.length} visits, ${day.plan.receipts.length} receipts, ${day.streams.length} camera(s), ${rows} track rows`,
      );
      console.log(
        `report: floorsense report --config ${join(opts.out, 'store.yaml')} --tracks ${join(opts.out, 'tracks')} --receipts ${join(opts.out, 'receipts.csv')} --schedule ${join(opts.out, 'schedule.csv')} --date ${scenario.date}`,
      );
    });
}
