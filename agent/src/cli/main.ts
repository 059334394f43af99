/**
 * The `floorsense` command line. A thin shell: parse arguments, call library functions with plain
 * options, print results. Library code never sees commander's objects.
 */
import { Command, CommanderError } from 'commander';
import { isFloorSenseError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import { registerRunCommand } from './commands/run.js';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { registerReportCommand } from './commands/report.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTrackCommand } from './commands/track.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerConfigCommand } from './commands/config.js';
import { registerImportCommand } from './commands/import.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { packageVersion } from './commands/run.js';
import { registerHqCommand } from './commands/hq.js';
import { registerLabelCommand } from './commands/label.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerSetupCommand } from './commands/setup.js';

/** Each command module adds itself to the program. Keep one line per command. */
const COMMANDS: Array<(program: Command) => void> = [
  registerRunCommand,
  registerAnalyzeCommand,
  registerReportCommand,
  registerSimulateCommand,
  registerTrackCommand,
  registerEvalCommand,
  registerSyncCommand,
  registerConfigCommand,
  registerImportCommand,
  registerDoctorCommand,
  registerHqCommand,
  registerLabelCommand,
  registerAuditCommand,
  registerSetupCommand,
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command('floorsense')
    .description('FloorSense: in-store video analytics agent')
    .version(packageVersion(), '-V, --version', 'print the FloorSense version')
    .exitOverride()
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isFloorSenseError(e)) {
      console.error(`floorsense: ${redactSecrets(e.message)}`);
      return e.kind === 'misuse' ? 2 : 1;
    }
    throw e;
  }
}
