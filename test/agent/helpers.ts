/**
 * Test helpers for the agent: short clips cut from the shared sample with real ffmpeg, a config
 * file written to a temp folder, and the agent run as a child process (`floorsense run` from the
 * sources via tsx) whose JSON-line log the test can wait on.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Config } from '../../agent/src/config/schema.js';
import { analyzeStoreDay, cameraSceneFromConfig, type CameraTracks, type StoreDayResult } from '../../agent/src/metrics/store-day.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

/** Cut `seconds` of `src` from `fromSec`, re-encoded small and fast (GOP 25) with no creation_time tag. */
export function cutClip(src: string, dest: string, fromSec: number, seconds: number): void {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-ss',
    String(fromSec),
    '-i',
    src,
    '-t',
    String(seconds),
    '-an',
    '-vf',
    'scale=384:216',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '25',
    '-pix_fmt',
    'yuv420p',
    '-map_metadata',
    '-1',
    dest,
  ]);
}

export function writeConfig(dir: string, cfg: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'store.yaml');
  writeFileSync(path, stringify(cfg));
  return path;
}

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface AgentChild {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly stderr: () => string;
  /** Resolves with the first log line (already seen or future) that matches. */
  waitFor(pred: (l: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runAgentChild(args: readonly string[]): AgentChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/agent/cli-entry.ts'), 'run', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters: Array<{ pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let err = '';
  let buf = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout!.on('data', (b: Buffer) => {
    buf += b.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const p of parts) {
      if (p.trim() === '') continue;
      let l: LogLine;
      try {
        l = JSON.parse(p) as LogLine;
      } catch {
        continue;
      }
      lines.push(l);
      for (const w of [...waiters]) {
        if (w.pred(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor: (pred, timeoutMs) => {
      const seen = lines.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(
                `no matching log line in ${timeoutMs} ms; last lines:\n${lines
                  .slice(-8)
                  .map((l) => JSON.stringify(l))
                  .join('\n')}\nstderr: ${err}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
        void exited.then(() => {
          clearTimeout(t);
          reject(
            new Error(
              `agent exited before the expected log line; last lines:\n${lines
                .slice(-8)
                .map((l) => JSON.stringify(l))
                .join('\n')}\nstderr: ${err}`,
            ),
          );
        });
      });
    },
  };
}

/** Poll `cond` every 100 ms; fail naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `floorsense analyze clip --config cfgPath --camera-id cameraId --out outDir --no-preview` from the sources: the files `report` reads, to compare the agent's store with. */
export function analyzeClip(cfgPath: string, clip: string, cameraId: string, outDir: string): void {
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'test/agent/cli-entry.ts'),
      'analyze',
      clip,
      '--config',
      cfgPath,
      '--camera-id',
      cameraId,
      '--out',
      outDir,
      '--no-preview',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * What `report` computes for one store day from track files (no receipts, no shifts): the other
 * side of the roll-up-against-report tests. `analytics` defaults to the config's.
 */
export function reportOf(
  cfg: Readonly<Config>,
  date: string,
  tracks: readonly CameraTracks[],
  analytics: Readonly<Config>['analytics'] = cfg.analytics,
): StoreDayResult {
  return analyzeStoreDay({
    storeId: cfg.store.id,
    timeZone: cfg.store.timezone,
    date,
    cameras: cfg.cameras.map(cameraSceneFromConfig),
    analytics,
    tracks,
    receipts: [],
    shifts: [],
  });
}

/**
 * A store time zone in which it is mid-afternoon now, inside the default opening hours (10:00-21:00):
 * camera uptime and coverage count only opening hours, so a live test run at night in UTC would
 * find none. An Etc/GMT zone (their sign is inverted: Etc/GMT-3 is UTC+3) within -12..+14 always
 * reaches 11:00-19:00 local.
 */
export function openNowZone(nowMs: number = Date.now()): string {
  const offset = Math.max(-12, Math.min(14, 15 - new Date(nowMs).getUTCHours()));
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
