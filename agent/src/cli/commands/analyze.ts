import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { MisuseError } from '../../core/errors.js';
import { loadConfigFile, validateConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { analyzeSource } from '../../pipeline/analyze.js';
import type { RegionMode } from '../../pipeline/region-detect.js';
import { adaptiveFor, detectorOptionsFrom, detectorPrecision, regionOptionsFrom } from '../../agent/analyze-options.js';
import { fileStartTime } from '../../agent/file-time.js';
import { probeStreamInfo } from '../../ingest/probe.js';
import { localPath } from '../../ingest/source-url.js';
import { writeAnalyzeOutputs } from '../../pipeline/outputs.js';
import { trackerOptionsFromConfig } from '../../track/index.js';
import { createProgress } from '../progress.js';

export interface AnalyzeFlags {
  stride?: string;
  fps?: string;
  out?: string;
  config?: string;
  cameraId?: string;
  model?: string;
  appearance: boolean;
  motionGate: boolean;
  preview: boolean;
  regions?: string;
  emptyEvery?: string;
  limit?: string;
  start?: string;
  keyframes?: string;
  json?: boolean;
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze <source>')
    .description('Detect and track people in a video file or RTSP stream; write tracks, summary.json and preview.png')
    .option('--stride <n>', "process every Nth frame (default 25, or the config's sampling)")
    .option('--fps <f>', 'sample this many frames per second instead of a stride')
    .option('--keyframes <mode>', 'auto | always | never: decode keyframes only (auto: when the GOP fits the sampling interval)')
    .option('--out <dir>', 'output folder (default out/analyze/<camera-id>)')
    .option('--config <file>', 'store config YAML (detector, tracker and sampling settings)')
    .option('--camera-id <id>', 'id used for output file names (default: the file name)')
    .option('--model <name>', 'detector model name from models/manifest.json or an .onnx path')
    .option('--no-appearance', 'motion-only tracking (no OSNet embeddings)')
    .option('--no-motion-gate', 'run the detector on every sampled frame, even static ones')
    .option('--no-preview', 'do not draw preview.png')
    .option('--empty-every <n>', "while no one is tracked, detect one sampled frame in N (default the config's sampling.empty_every)")
    .option('--regions <mode>', "full | motion | tiles: where the detector looks (default the config's detector.regions.mode)")
    .option('--limit <seconds>', 'process at most this many seconds of the source')
    .option(
      '--start <iso>',
      "UTC time of the first frame (default, as the agent's archive mode: the file's creation_time tag, else a timestamp in its name in store.timezone, else its mtime)",
    )
    .option('--json', 'print summary.json to stdout when done')
    .action(async (source: string, flags: AnalyzeFlags) => {
      const { result, files } = await runAnalyze(source, flags);
      const s = result.summary;
      if (flags.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else console.log(`wrote ${files.tracks}, ${files.timeBase}, ${files.summary}${files.preview ? `, ${files.preview}` : ''}`);
      if (result.error) throw result.error;
    });
}

/**
 * `floorsense analyze` without the printing: analyse `source` with the flags and the config they
 * name, write the outputs, report progress on stderr. `floorsense audit prepare` runs its two
 * analyses through here, so an audit sees exactly what analyze (and the agent's settings) make.
 */
export async function runAnalyze(
  source: string,
  flags: AnalyzeFlags,
): Promise<{ result: Awaited<ReturnType<typeof analyzeSource>>; files: ReturnType<typeof writeAnalyzeOutputs> }> {
  const cfg: Readonly<Config> = flags.config ? loadConfigFile(flags.config) : validateConfig({ store: { id: 'adhoc' } });
  const sourceId = flags.cameraId ?? sanitizeId(source);
  const sampling = samplingFrom(flags, cfg);
  const outDir = flags.out ?? join('out', 'analyze', sourceId);
  const startTimeMs = flags.start !== undefined ? isoTime('--start', flags.start) : await archiveStartTime(source, cfg.store.timezone);
  const progress = createProgress({ label: sourceId });
  // A stream is watched as the agent watches its live cameras (agent.watchdog_s, and the camera's
  // rtsp_timeout_s when --config has a camera of this id): a stalled camera ends the run with
  // FS_SOURCE_UNREACHABLE instead of hanging it on an open connection.
  const camera = cfg.cameras.find((c) => c.id === sourceId);
  const stream = localPath(source, process.cwd()) === undefined;
  const regions = { ...regionOptionsFrom(cfg, camera), ...(flags.regions !== undefined ? { mode: regionMode(flags.regions) } : {}) };
  const result = await analyzeSource({
    url: source,
    sourceId,
    sampling,
    decode: { threads: cfg.sampling.decode_threads, skipLoopFilter: cfg.sampling.skip_loop_filter, hw: cfg.sampling.hw_decode },
    // The agent's own detector options (provider fallback, threads, spinning, max_detections,
    // detector.input narrowed for region modes, precision, the derived-model cache), with the flags applied.
    detector: detectorOptionsFrom({
      ...cfg,
      detector: { ...cfg.detector, ...(flags.model !== undefined ? { model: flags.model } : {}), regions: { ...cfg.detector.regions, mode: regions.mode } },
    }),
    tracker: trackerOptionsFromConfig(
      { ...cfg.tracker, appearance: flags.appearance && cfg.tracker.appearance },
      flags.model ?? cfg.detector.model,
      detectorPrecision({ ...cfg, detector: { ...cfg.detector, ...(flags.model !== undefined ? { model: flags.model } : {}) } }),
    ),
    appearance: flags.appearance && cfg.tracker.appearance,
    reidModel: cfg.tracker.reid_model,
    reidInput: cfg.tracker.reid_input,
    reidPrecision: cfg.tracker.reid_precision,
    motionGate: flags.motionGate ? {} : null,
    adaptive: { ...adaptiveFor(cfg, null), ...(flags.emptyEvery !== undefined ? { emptyEvery: positiveInt('--empty-every', flags.emptyEvery) } : {}) },
    regions,
    // The camera's zones when --config has a camera of this id: the preview shows what analytics will judge by.
    preview: flags.preview ? { zones: cfg.cameras.find((c) => c.id === sourceId)?.zones ?? [] } : null,
    ...(flags.limit !== undefined ? { limitSec: positive('--limit', flags.limit) } : {}),
    ...(stream ? { watchdogSec: cfg.agent.watchdog_s } : {}),
    ...(stream && camera?.rtsp_timeout_s !== undefined ? { socketTimeoutSec: camera.rtsp_timeout_s } : {}),
    ...(startTimeMs !== undefined ? { startTimeMs } : {}),
    onProgress: (p) => progress.update(p.fraction, `${p.framesSampled} frames, ${p.videoSec.toFixed(0)} s video, ${p.tracks} tracks`),
  });
  const files = writeAnalyzeOutputs(outDir, result);
  const s = result.summary;
  progress.done(`${s.frames_sampled} frames, ${s.tracks} tracks, ${s.video_seconds} s of video in ${s.wall_seconds} s (${s.realtime_factor}x real time)`);
  return { result, files };
}

/**
 * A local file's start the way the agent's archive mode takes it (agent/file-time.ts), so the same
 * file gets the same times from `analyze` and from `run`; undefined for streams (wall clock).
 */
async function archiveStartTime(source: string, timeZone: string): Promise<number | undefined> {
  const path = localPath(source, process.cwd());
  if (path === undefined) return undefined;
  const { info } = await probeStreamInfo(source);
  const start = fileStartTime({ creationTimeMs: info.creationTimeMs, name: basename(path), mtimeMs: statSync(path).mtimeMs }, timeZone);
  if (start.origin === 'mtime') {
    console.error(
      `floorsense: warning: ${path}: no creation_time tag and no timestamp in the file name; using its mtime ${new Date(start.startMs).toISOString()} as the start (likely the END of the recording; give --start)`,
    );
  }
  return start.startMs;
}

function regionMode(v: string): RegionMode {
  if (v === 'full' || v === 'motion' || v === 'tiles') return v;
  throw new MisuseError('FS_BAD_ARGUMENT', `--regions ${JSON.stringify(v)}: expected full, motion or tiles`);
}

function samplingFrom(flags: AnalyzeFlags, cfg: Readonly<Config>): { stride?: number; fps?: number; keyframes: 'auto' | 'always' | 'never' } {
  if (flags.stride !== undefined && flags.fps !== undefined) throw new MisuseError('FS_BAD_ARGUMENT', 'give --stride or --fps, not both');
  const keyframes = flags.keyframes ?? cfg.sampling.keyframes;
  if (keyframes !== 'auto' && keyframes !== 'always' && keyframes !== 'never') {
    throw new MisuseError('FS_BAD_ARGUMENT', `--keyframes ${JSON.stringify(keyframes)}: expected auto, always or never`);
  }
  if (flags.stride !== undefined) return { stride: positiveInt('--stride', flags.stride), keyframes };
  if (flags.fps !== undefined) return { fps: positive('--fps', flags.fps), keyframes };
  return cfg.sampling.fps !== undefined ? { fps: cfg.sampling.fps, keyframes } : { stride: cfg.sampling.stride ?? 25, keyframes };
}

export function sanitizeId(source: string): string {
  const name = /^[a-z]+:\/\//i.test(source) ? source.replace(/^[a-z]+:\/\/([^@]*@)?/i, '') : basename(source, extname(source));
  return (
    name
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 64) || 'source'
  );
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new MisuseError('FS_BAD_ARGUMENT', `${flag} ${JSON.stringify(v)}: expected a whole number >= 1`);
  return n;
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new MisuseError('FS_BAD_ARGUMENT', `${flag} ${JSON.stringify(v)}: expected a number > 0`);
  return n;
}

function isoTime(flag: string, v: string): number {
  const t = Date.parse(v);
  if (!Number.isFinite(t))
    throw new MisuseError('FS_BAD_ARGUMENT', `${flag} ${JSON.stringify(v)}: expected an ISO-8601 time such as 2026-11-26T09:00:00+03:00`);
  return t;
}
