/**
 * JSON-line logging for a service under systemd: pino to stdout (journald keeps the lines), one
 * child logger per camera and per job so every line says which one it is about.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The slice of pino the agent uses (the store, sync and tests can pass anything shaped so). */
export interface AgentLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  child(bindings: Record<string, string>): AgentLogger;
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const opts = { level, base: { app: 'floorsense' }, timestamp: pino.stdTimeFunctions.isoTime };
  // Synchronous writes: a SIGKILL or crash must not swallow the last lines (they explain why).
  return destination ? pino(opts, destination) : pino(opts, pino.destination({ dest: 1, sync: true }));
}

/** Plain-text message of anything thrown, for log lines and stored error columns. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
