/**
 * `floorsense track --det det.txt --out tracks.txt`: the tracker on MOTChallenge public
 * detections (motion only: no images), writing MOT rows for `floorsense eval mot`.
 * A thin shell over track/mot-run.ts; the tracker runs with the product defaults unless --config
 * names a config file, whose `tracker` section is used.
 */
import type { Command } from 'commander';
import { MisuseError } from '../../core/errors.js';
import { readMotFile, writeMotFile } from '../../io/mot.js';
import { loadConfigFile } from '../../config/load.js';
import { trackMotDetections } from '../../track/mot-run.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptionsFromConfig } from '../../track/options.js';
import { DEFAULT_QUANTILE_RULE } from '../../track/thresholds.js';

export interface TrackCommandOptions {
  readonly det: string;
  readonly out: string;
  readonly fps: number;
  readonly stride: number;
  readonly minScore: number;
  readonly config?: string;
  /** Score thresholds from the file's own scores (quantile rule) rather than the options'. */
  readonly calibrate?: boolean;
}

/** Run and write; returns the line the CLI prints. */
export async function runTrackCommand(o: TrackCommandOptions): Promise<string> {
  const rows = readMotFile(o.det);
  const tracker = o.config ? trackerOptionsFromConfig(loadConfigFile(o.config).tracker) : DEFAULT_TRACKER_OPTIONS;
  const res = await trackMotDetections(rows, {
    fps: o.fps,
    stride: o.stride,
    minScore: o.minScore,
    tracker,
    ...(o.calibrate !== false ? { calibrate: DEFAULT_QUANTILE_RULE } : {}),
  });
  writeMotFile(o.out, res.rows);
  const ids = new Set(res.rows.map((r) => r.id)).size;
  return `${o.out}: ${res.rows.length} boxes, ${ids} tracks from ${res.detectionsUsed} detections in ${res.framesUsed} frames (stride ${o.stride}, motion only)`;
}

export function registerTrackCommand(program: Command): void {
  program
    .command('track')
    .description('Track MOTChallenge public detections (motion only) and write MOT output')
    .requiredOption('--det <file>', 'detections, MOTChallenge CSV (frame,-1,x,y,w,h,score,...)')
    .requiredOption('--out <file>', 'tracks to write, MOTChallenge CSV (frame,id,x,y,w,h,conf,-1,-1,-1)')
    .option('--fps <n>', 'frame rate of the sequence (frames -> video seconds)', '25')
    .option('--stride <n>', 'use only frames where (frame - 1) % N == 0', '1')
    .option('--min-score <s>', 'drop detections scoring below this', '0')
    .option('--config <file>', 'take tracker settings from this config file instead of the defaults')
    .option('--no-calibrate', "use the configured score thresholds instead of calibrating them from the file's own scores")
    .action(async (opts: { det: string; out: string; fps: string; stride: string; minScore: string; config?: string; calibrate: boolean }) => {
      const line = await runTrackCommand({
        det: opts.det,
        out: opts.out,
        fps: parseNumber('--fps', opts.fps, (v) => v > 0, 'a number > 0'),
        stride: parseNumber('--stride', opts.stride, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1'),
        minScore: parseNumber('--min-score', opts.minScore, (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
        ...(opts.config ? { config: opts.config } : {}),
        calibrate: opts.calibrate,
      });
      console.log(line);
    });
}

function parseNumber(flag: string, text: string, ok: (v: number) => boolean, what: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `${flag} must be ${what}, got "${text}"`, { flag, value: text });
  }
  return v;
}
