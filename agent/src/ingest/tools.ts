/**
 * A small typed wrapper around spawning ffmpeg/ffprobe. Everything else in ingest builds argv as
 * data (argv.ts) and hands it here; this is the only file that calls child_process.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { FailureError } from '../core/errors.js';

/** Which binaries to run. Injected so a box with ffmpeg elsewhere (or a test) can point at it. */
export interface ToolPaths {
  readonly ffmpeg: string;
  readonly ffprobe: string;
}

export const DEFAULT_TOOLS: ToolPaths = Object.freeze({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });

export interface ToolResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export type ToolChild = ChildProcessByStdio<null, Readable, Readable>;

/** Start a tool with stdin closed and stdout/stderr piped. Spawn failures surface on 'error'. */
export function spawnTool(binary: string, args: readonly string[]): ToolChild {
  return spawn(binary, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
}

/** ENOENT from spawn means the binary is not on PATH: turn it into the coded error users can act on. */
export function toolSpawnError(binary: string, err: unknown): FailureError {
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  if (code === 'ENOENT') {
    return new FailureError('FS_FFMPEG_MISSING', `${binary} not found on PATH: install ffmpeg (Debian: apt-get install ffmpeg)`, { binary }, { cause: err });
  }
  return new FailureError(
    'FS_FFMPEG_MISSING',
    `${binary} could not be started: ${err instanceof Error ? err.message : String(err)}`,
    { binary },
    { cause: err },
  );
}

export interface RunOptions {
  /** Kill the tool (SIGTERM, then SIGKILL) after this many ms; undefined = no limit. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Run a tool to completion, collecting stdout (binary) and stderr (text). */
export function runTool(binary: string, args: readonly string[], opts: RunOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    let child: ToolChild;
    try {
      child = spawnTool(binary, args);
    } catch (e) {
      reject(toolSpawnError(binary, e));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const stop = (): void => void stopChild(child);
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(stop, opts.timeoutMs);
    opts.signal?.addEventListener('abort', stop, { once: true });
    let failed = false;
    child.on('error', (e) => {
      failed = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      reject(toolSpawnError(binary, e));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      if (failed) return;
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/**
 * Stop a child cleanly: close our end of its stdout (so a blocked write fails instead of hanging),
 * SIGTERM, and SIGKILL after `graceMs`. Resolves once the child has exited and been reaped.
 */
export function stopChild(child: ToolChild, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdout.destroy();
    child.kill('SIGTERM');
  });
}
