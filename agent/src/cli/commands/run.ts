import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MisuseError } from '../../core/errors.js';
import { defaultConfigPath, loadConfigFile } from '../../config/load.js';
import { findRepoRoot } from '../../models/paths.js';
import { startAgent } from '../../agent/agent.js';
import { createLogger, logDirFromEnv, type LogLevel } from '../../agent/logger.js';
import { sdNotifier } from '../../agent/sd-notify.js';

interface RunFlags {
  config?: string;
  once?: boolean;
  logLevel?: string;
}

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Start the in-store agent: live cameras, archive folders, scheduled jobs (JSON-line logs on stdout; SIGTERM stops it cleanly)')
    .option('-c, --config <file>', 'store config YAML (default: $FLOORSENSE_CONFIG, else /etc/floorsense/store.yaml, else the embedded demo config/demo.yaml)')
    .option('--once', 'process the archive folders once, then exit (status 1 when a file or job failed, e.g. a full disk)')
    .option('--log-level <level>', `override agent.log_level: ${LEVELS.join(', ')}`)
    .action(async (flags: RunFlags) => {
      const path = flags.config ?? defaultConfigPath();
      const cfg = loadConfigFile(path);
      const level = flags.logLevel ?? cfg.agent.log_level;
      if (!isLevel(level)) throw new MisuseError('FS_BAD_ARGUMENT', `--log-level ${JSON.stringify(level)}: expected one of ${LEVELS.join(', ')}`);
      // Under systemd, LogsDirectory= passes the log folder; lines go there as well as to journald.
      const logDir = logDirFromEnv();
      const logger = createLogger(level, undefined, logDir !== undefined ? { logDir } : {});
      // Signals are taken from the start: one during start-up (loading the model, opening cameras)
      // stops the agent as soon as it is up, instead of killing it half-initialised.
      let stopRequested = false;
      let stopAgent: (() => Promise<void>) | null = null;
      let signals = 0;
      // Under floorsense.service (Type=notify): READY=1 once up, watchdog pings, STOPPING=1.
      const systemd = sdNotifier(process.env, { warn: (m) => logger.warn({}, m) });
      const onSignal = (sig: NodeJS.Signals): void => {
        signals++;
        if (signals > 1) {
          // A second Ctrl-C: the operator wants out now; SQLite's WAL keeps committed batches.
          logger.warn({ signal: sig }, 'second signal: exiting without waiting');
          process.exit(130);
        }
        logger.info({ signal: sig }, 'signal received: stopping');
        stopRequested = true;
        void systemd?.stopping();
        if (stopAgent) void stopAgent();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      logger.info({ config: path }, 'config loaded');
      try {
        const agent = await startAgent(cfg, { logger, clock: () => Date.now(), once: flags.once === true, version: packageVersion(), configPath: path });
        stopAgent = () => agent.stop();
        if (stopRequested) void agent.stop();
        else if (systemd) {
          await systemd.ready(`running: ${cfg.cameras.filter((c) => c.enabled).length} camera(s), store ${cfg.store.id}`);
          logger.info({ watchdog_ms: systemd.watchdogMs ?? null }, 'systemd notified: ready');
        }
        await agent.done;
        // A batch run is judged by its exit status (cron, CI, an installer step): failed files or a
        // failed job (a full disk, say) must not read as success.
        const problems = flags.once === true ? agent.problems() : [];
        if (problems.length > 0) {
          logger.error({ problems }, `run --once finished with ${problems.length} problem(s): ${problems.join('; ')}`);
          process.exitCode = 1;
        }
      } finally {
        systemd?.close();
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}

function isLevel(s: string): s is LogLevel {
  return (LEVELS as readonly string[]).includes(s);
}

/** This installation's version (package.json), or "dev" when it cannot be read. */
export function packageVersion(): string {
  try {
    const v: unknown = JSON.parse(readFileSync(join(findRepoRoot(), 'package.json'), 'utf8'));
    return typeof v === 'object' && v !== null && 'version' in v && typeof v.version === 'string' ? v.version : 'dev';
  } catch {
    return 'dev';
  }
}
