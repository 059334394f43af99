import type { Command } from 'commander';
import { defaultConfigPath, loadConfigFile } from '../../config/load.js';
import { logDirFromEnv } from '../../agent/logger.js';
import { runDoctor, type DoctorReport } from '../../health/doctor.js';

interface DoctorFlags {
  config?: string;
  json?: boolean;
  logDir?: string;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check this box and the store config: Node, ffmpeg, models, execution provider, every camera, disk, ClickHouse, clock, schedule, API port, folders (exit 1 on any fail)',
    )
    .option('-c, --config <file>', 'store config YAML (default: $FLOORSENSE_CONFIG, else /etc/floorsense/store.yaml, else the embedded demo)')
    .option('--log-dir <dir>', 'also check the agent can write this log folder (default: $LOGS_DIRECTORY or $FLOORSENSE_LOG_DIR)')
    .option('--json', 'print {ok, counts, rows} as JSON instead of a table')
    .action(async (flags: DoctorFlags) => {
      const path = flags.config ?? defaultConfigPath();
      const cfg = loadConfigFile(path);
      const logDir = flags.logDir ?? logDirFromEnv();
      const report = await runDoctor(cfg, logDir !== undefined ? { logDir } : {});
      if (flags.json) process.stdout.write(`${JSON.stringify({ config: path, ...report }, null, 2)}\n`);
      else process.stdout.write(formatDoctorTable(path, report));
      if (!report.ok) process.exitCode = 1;
    });
}

const MARK = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function formatDoctorTable(configPath: string, r: DoctorReport): string {
  const w = Math.max(...r.rows.map((x) => `${x.check} ${x.subject}`.trim().length));
  const lines = [`floorsense doctor: ${configPath}`];
  for (const x of r.rows) {
    lines.push(`${MARK[x.status]}  ${`${x.check} ${x.subject}`.trim().padEnd(w)}  ${x.detail}`);
    if (x.fix) lines.push(`${' '.repeat(6 + w + 2)}fix: ${x.fix}`);
  }
  lines.push(`${r.counts.pass} ok, ${r.counts.warn} warning(s), ${r.counts.fail} failure(s)`);
  return `${lines.join('\n')}\n`;
}
