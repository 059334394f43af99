/**
 * JSON-line logging for a service under systemd: pino to stdout (journald keeps the lines) and,
 * when given a log folder (systemd's $LOGS_DIRECTORY, /var/log/floorsense), also appended to
 * agent.log there, the folder the tray's "Open logs folder" opens. One child logger per camera and
 * per job so every line says which one it is about. Every line passes through redactSecrets on
 * its way out: camera URLs carry passwords, and ffmpeg's messages repeat the URL.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type DestinationStream, type Logger } from 'pino';
import { FailureError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The slice of pino the agent uses (the store, sync and tests can pass anything shaped so). */
export interface AgentLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  child(bindings: Record<string, string>): AgentLogger;
}

/** The file inside the log folder; logrotate's rule (installer/logrotate) matches *.log there. */
export const LOG_FILE_NAME = 'agent.log';

export interface LoggerOptions {
  /** Also append every line to <logDir>/agent.log (created if missing). */
  readonly logDir?: string;
}

export function createLogger(level: LogLevel, destination?: DestinationStream, opts: LoggerOptions = {}): Logger {
  const base = { level, base: { app: 'floorsense' }, timestamp: pino.stdTimeFunctions.isoTime, hooks: { streamWrite: redactSecrets } };
  if (destination) return pino(base, destination);
  // Synchronous writes: a SIGKILL or crash must not swallow the last lines (they explain why).
  const stdout = pino.destination({ dest: 1, sync: true });
  if (opts.logDir === undefined) return pino(base, stdout);
  const file = join(opts.logDir, LOG_FILE_NAME);
  try {
    mkdirSync(opts.logDir, { recursive: true });
  } catch (e) {
    throw new FailureError(
      'FS_OUTPUT',
      `log folder ${opts.logDir} cannot be created: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      { path: opts.logDir },
      { cause: e },
    );
  }
  // Opened synchronously here, so a folder the service user cannot write fails at start, by name.
  let toFile: DestinationStream;
  try {
    toFile = pino.destination({ dest: file, sync: true, append: true });
  } catch (e) {
    throw new FailureError('FS_OUTPUT', `log file ${file} cannot be opened: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { path: file }, { cause: e });
  }
  return pino(
    base,
    pino.multistream([
      { level, stream: stdout },
      { level, stream: toFile },
    ]),
  );
}

/** Where the log folder is, from the environment: systemd's LogsDirectory= sets LOGS_DIRECTORY. */
export function logDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.FLOORSENSE_LOG_DIR ?? env.LOGS_DIRECTORY?.split(':')[0];
  return dir === undefined || dir === '' ? undefined : dir;
}

/** Plain-text message of anything thrown, for log lines and stored error columns. */
export function errorText(e: unknown): string {
  return e instanceof Error ? redactSecrets(e.message) : redactSecrets(String(e));
}
