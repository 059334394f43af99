/**
 * probeSource: ffprobe a file or stream into a SourceInfo, including the keyframe interval (GOP)
 * that decides keyframe-only decoding. Thin shell over argv.ts, source-info.ts and failures.ts.
 */
import { open, stat } from 'node:fs/promises';
import { FailureError } from '../core/errors.js';
import { keyframeProbeArgv, probeArgv, type NetworkInput } from './argv.js';
import { probeFailure, startsLikeMp4, unsupportedInfo } from './failures.js';
import { gopFromKeyframes, keyframePtsFromCsvLine, parseProbeJson, sourceInfoFromProbe, type SourceInfo } from './source-info.js';
import { DEFAULT_TOOLS, runTool, spawnTool, stopChild, toolSpawnError, type ToolPaths } from './tools.js';
import { displayName, ffmpegInput, isLiveUrl, localPath, urlScheme } from './source-url.js';

export interface ProbeOptions {
  readonly tools?: ToolPaths;
  /** Base for relative paths; default process.cwd(). */
  readonly cwd?: string;
  /** Socket I/O timeout for streams, seconds. Default 10. */
  readonly socketTimeoutSec?: number;
  /** Seconds of packets read to measure the GOP; 0 skips it. Default 12 (more than a 10 s camera GOP). */
  readonly gopWindowSec?: number;
  /** Stop the GOP probe after this many keyframes (a stream is read in real time). Default 4. */
  readonly gopMaxKeyframes?: number;
  readonly signal?: AbortSignal;
}

export const PROBE_DEFAULTS = Object.freeze({ socketTimeoutSec: 10, gopWindowSec: 12, gopMaxKeyframes: 4 });

/** Resolved input naming shared by probe and decode. */
export interface ResolvedInput extends NetworkInput {
  readonly url: string;
  readonly name: string;
  readonly isLive: boolean;
  readonly path: string | undefined;
}

export function resolveInput(url: string, cwd: string, socketTimeoutSec: number): ResolvedInput {
  const path = localPath(url, cwd);
  return {
    url,
    name: path ?? displayName(url),
    isLive: isLiveUrl(url),
    path,
    input: ffmpegInput(url, cwd),
    scheme: path === undefined ? urlScheme(url) : undefined,
    socketTimeoutUs: Math.round(socketTimeoutSec * 1e6),
  };
}

/** Fail early and clearly on a local path that is missing, unreadable or not a file. */
export async function checkLocalFile(path: string): Promise<void> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new FailureError('FS_FILE_NOT_FOUND', `${path}: not a regular file`, { source: path });
    const fh = await open(path, 'r');
    await fh.close();
  } catch (e) {
    if (e instanceof FailureError) throw e;
    const code = e instanceof Error && 'code' in e ? String(e.code) : '';
    const why = code === 'ENOENT' ? 'file not found' : `cannot be read (${code || String(e)})`;
    throw new FailureError('FS_FILE_NOT_FOUND', `${path}: ${why}`, { source: path }, { cause: e });
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(12);
    const { bytesRead } = await fh.read(buf, 0, 12, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function probeSource(url: string, opts: ProbeOptions = {}): Promise<SourceInfo> {
  const { info, src } = await probeStreamInfo(url, opts);
  const gop = await probeGop(src, opts);
  return Object.freeze({ ...info, ...(gop !== undefined ? { gopSec: gop } : {}) });
}

/** Stream info without the GOP (one ffprobe call); the resolved input comes along for probeGop. */
export async function probeStreamInfo(url: string, opts: ProbeOptions = {}): Promise<{ info: SourceInfo; src: ResolvedInput }> {
  const tools = opts.tools ?? DEFAULT_TOOLS;
  const src = resolveInput(url, opts.cwd ?? process.cwd(), opts.socketTimeoutSec ?? PROBE_DEFAULTS.socketTimeoutSec);
  if (src.path !== undefined) await checkLocalFile(src.path);
  // A stream that never answers must not hang the probe past its socket timeout.
  const timeoutMs = src.isLive ? (opts.socketTimeoutSec ?? PROBE_DEFAULTS.socketTimeoutSec) * 1000 + 5000 : undefined;
  const res = await runTool(tools.ffprobe, probeArgv(src), {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  // Stopped on purpose: say so, not "not a video".
  opts.signal?.throwIfAborted();
  const lines = res.stderr.split('\n');
  const json = res.code === 0 ? parseProbeJson(res.stdout.toString('utf8')) : undefined;
  if (json === undefined) {
    const mp4 = src.path !== undefined && startsLikeMp4(await readHead(src.path));
    throw probeFailure(src.name, src.isLive, lines, mp4);
  }
  const info = sourceInfoFromProbe(url, src.isLive, json);
  if (typeof info === 'string') throw unsupportedInfo(src.name, info);
  return { info, src };
}

/**
 * Keyframe interval from packet flags in a bounded window, stopping early once enough keyframes
 * were seen. A failure here only leaves the GOP unknown (so keyframe mode is not chosen by 'auto').
 */
export function probeGop(src: ResolvedInput, opts: ProbeOptions = {}): Promise<number | undefined> {
  const ffprobe = (opts.tools ?? DEFAULT_TOOLS).ffprobe;
  const windowSec = opts.gopWindowSec ?? PROBE_DEFAULTS.gopWindowSec;
  const maxKeys = opts.gopMaxKeyframes ?? PROBE_DEFAULTS.gopMaxKeyframes;
  if (!(windowSec > 0)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawnTool>;
    try {
      child = spawnTool(ffprobe, keyframeProbeArgv(src, windowSec));
    } catch (e) {
      reject(toolSpawnError(ffprobe, e));
      return;
    }
    const c = child;
    const keys: number[] = [];
    let pending = '';
    const stop = (): void => void stopChild(c, 500);
    const timer = src.isLive ? setTimeout(stop, (windowSec + src.socketTimeoutUs / 1e6) * 1000) : undefined;
    opts.signal?.addEventListener('abort', stop, { once: true });
    c.stdout.setEncoding('utf8');
    c.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        const pts = keyframePtsFromCsvLine(line);
        if (pts !== undefined) keys.push(pts);
      }
      if (keys.length >= maxKeys) stop();
    });
    c.stderr.resume();
    c.on('error', (e) => reject(toolSpawnError(ffprobe, e)));
    c.on('close', () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      const last = keyframePtsFromCsvLine(pending);
      if (last !== undefined) keys.push(last);
      resolve(gopFromKeyframes(keys.slice(0, Math.max(2, maxKeys))));
    });
  });
}
