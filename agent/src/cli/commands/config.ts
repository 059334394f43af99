import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { loadConfigFile } from '../../config/load.js';
import { configJsonSchema } from '../../config/schema.js';

export function registerConfigCommand(program: Command): void {
  const cmd = program.command('config').description('Validate a config file or export its JSON Schema');
  cmd
    .command('check <file>')
    .description('Validate a YAML config; errors name the key path')
    .action((file: string) => {
      const cfg = loadConfigFile(file);
      console.log(`${file}: ok (store ${cfg.store.id}, ${cfg.cameras.length} camera(s))`);
    });
  cmd
    .command('schema')
    .description('Print the JSON Schema of the config (for editors)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((opts: { out?: string }) => {
      const text = JSON.stringify(configJsonSchema(), null, 2) + '\n';
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}
