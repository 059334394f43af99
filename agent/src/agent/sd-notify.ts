/**
 * systemd's readiness and watchdog protocol (sd_notify(3)) for floorsense.service (Type=notify,
 * WatchdogSec=): READY=1 once the agent is up, WATCHDOG=1 at half the watchdog interval while the
 * event loop turns (a loop stuck in synchronous work misses its pings and systemd restarts the
 * agent), STOPPING=1 on a signal.
 *
 * Why a child process: Node cannot send on a unix datagram socket (node:dgram is UDP only,
 * node:net is streams only), and the npm bindings (sd-notify, unix-dgram) are native addons that
 * need libsystemd-dev or a compiler for every target of the bundle. systemd's own `systemd-notify`
 * is on every systemd box, and (since v246) it waits until the manager has processed the message
 * (BARRIER=1), so the message is attributed to the unit although a child sent it: the unit needs
 * NotifyAccess=all. About 25 ms a call; with WatchdogSec=60 that is one call every 30 s.
 */
import { spawn } from 'node:child_process';

export interface SdNotifier {
  /** READY=1 (with a STATUS= line), then the watchdog pings when systemd asked for them. */
  ready(status: string): Promise<void>;
  stopping(): Promise<void>;
  /** Stop the watchdog pings. */
  close(): void;
  /** Milliseconds between watchdog pings; undefined when systemd set no watchdog for this process. */
  readonly watchdogMs: number | undefined;
}

export interface SdNotifyOptions {
  readonly warn: (message: string) => void;
  /** The systemd-notify binary; default from PATH. */
  readonly binary?: string;
}

/** A notifier when systemd started us with NOTIFY_SOCKET; undefined otherwise (a shell, a test, Type=simple). */
export function sdNotifier(env: NodeJS.ProcessEnv, opts: SdNotifyOptions): SdNotifier | undefined {
  const socket = env.NOTIFY_SOCKET;
  if (socket === undefined || socket === '') return undefined;
  const bin = opts.binary ?? 'systemd-notify';
  const watchdogMs = watchdogInterval(env, process.pid);
  let warned = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight = false;
  const send = (args: readonly string[]): Promise<void> =>
    new Promise((resolve) => {
      const fail = (why: string): void => {
        if (!warned) opts.warn(`cannot notify systemd (${bin} ${args.join(' ')}): ${why}; the unit needs NotifyAccess=all, or use Type=simple`);
        warned = true;
      };
      let stderr = '';
      const child = spawn(bin, [...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, NOTIFY_SOCKET: socket } });
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.once('error', (e) => {
        fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${bin} not found (it comes with systemd)` : e.message);
        resolve();
      });
      child.once('close', (code) => {
        if (code !== 0 && code !== null) fail(`exit ${code}: ${stderr.trim()}`);
        resolve();
      });
    });
  return {
    watchdogMs,
    async ready(status) {
      await send(['--ready', `--status=${status}`]);
      if (watchdogMs === undefined || timer !== undefined) return;
      timer = setInterval(() => {
        // A ping still waiting for the manager is enough: do not pile them up.
        if (inFlight) return;
        inFlight = true;
        void send(['WATCHDOG=1']).finally(() => (inFlight = false));
      }, watchdogMs);
      // The pings never keep the process alive on their own.
      timer.unref();
    },
    async stopping() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await send(['STOPPING=1']);
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * Half of WATCHDOG_USEC (sd_watchdog_enabled(3)'s advice), when it is meant for this process
 * (WATCHDOG_PID unset or ours); undefined when there is no watchdog.
 */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!(usec > 0)) return undefined;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== '' && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}
