import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { loadConfigFile } from '../../config/load.js';
import { configJsonSchema } from '../../config/schema.js';

export function registerConfigCommand(program: Command): void {
  const cmd = program.command('config').description('Validate a config file or export its JSON Schema');
  cmd
    .command('check <file>')
    .description(
      'Validate a YAML config; errors name the key path. --live also probes every enabled camera and checks zones and floor points lie inside its picture (exit 1 on any problem)',
    )
    .option('--live', 'probe each enabled camera (as doctor does) and check zone / floor points against its picture size')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: { live?: boolean; json?: boolean }) => {
      const cfg = loadConfigFile(file);
      if (!flags.live) {
        if (flags.json) process.stdout.write(`${JSON.stringify({ config: file, ok: true, store: cfg.store.id, cameras: cfg.cameras.length }, null, 2)}\n`);
        else console.log(`${file}: ok (store ${cfg.store.id}, ${cfg.cameras.length} camera(s))`);
        return;
      }
      // Loaded only for --live: doctor pulls in ffmpeg probing, ONNX and SQLite; plain check stays fast.
      const { checkConfigLive, formatLiveReport } = await import('../../health/config-live.js');
      const report = await checkConfigLive(cfg);
      if (flags.json) process.stdout.write(`${JSON.stringify({ config: file, store: cfg.store.id, ...report }, null, 2)}\n`);
      else process.stdout.write(formatLiveReport(file, cfg.store.id, report));
      if (!report.ok) process.exitCode = 1;
    });
  cmd
    .command('schema')
    .description('Print the JSON Schema of the config (for editors)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((opts: { out?: string }) => {
      const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}
