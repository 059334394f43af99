/**
 * Region detection against the whole-frame path, on real clips: the same clip through analyze with
 * detector.regions.mode full (ffmpeg letterbox), motion and tiles, motion gate on, appearance off
 * (detection and motion tracking only, so the figures isolate the detector's input). Prints per
 * clip and mode: detector runs, inferred frames by kind, track rows, the share of the full path's
 * rows matched at IoU > 0.5 in the same frame (and of the mode's rows matched by the full path),
 * tracks, wall seconds and the load average.
 *
 * Usage: FLOORSENSE_SHARED_DATA=../shared/data FLOORSENSE_MODELS=../shared/data/models \
 *   npx tsx agent/bench/regions.ts [--clips street,overhead,checkout] [--modes motion,tiles] [--fps 2] [--seconds 10] [--max-cover 0.5] [--json]
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { groupByFrame, type MotRow } from '../src/io/mot.js';
import { analyzeSource, type AnalyzeOptions, type AnalyzeResult } from '../src/pipeline/analyze.js';
import type { RegionMode } from '../src/pipeline/region-detect.js';
import { trackerOptions } from '../src/track/index.js';
import { boxIou } from '../src/eval/mot/frames.js';

const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve('..', 'shared', 'data');
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const CLIPS: Record<string, string> = {
  street: 'street_elevated_pedestrians.mp4', // 1920x1080, small people seen from above
  overhead: 'mall_overhead_pedestrians.mp4', // 1280x720
  checkout: 'checkout_counter_cashier.mp4', // 768x432
  entrance: 'mall_entrance_people.mp4', // 640x360
  indoor: 'indoor_one_by_one_person.mp4', // 768x432, long empty stretches
};
const clips = arg('clips', 'street,overhead,checkout').split(',');
const modes = arg('modes', 'motion,tiles').split(',') as RegionMode[];
const fps = Number(arg('fps', '2'));
const seconds = Number(arg('seconds', '10'));
const json = process.argv.includes('--json');
/** detector.regions.max_cover for motion mode (default the config's 0.5; a 768x432 frame needs > 0.56 for any region). */
const maxCover = Number(arg('max-cover', '0.5'));

const options = (url: string, mode: RegionMode): AnalyzeOptions => ({
  url,
  sourceId: 'bench',
  sampling: { fps, keyframes: 'never' },
  detector: {},
  tracker: trackerOptions({ appearance: false }),
  appearance: false,
  reidModel: 'osnet_x0_25_msmt17',
  motionGate: {},
  regions: { mode, maxCover },
  preview: null,
  limitSec: seconds,
  warn: () => {},
});

/** Share of `a`'s rows with a row of `b` in the same frame at IoU > 0.5. */
function matched(a: readonly MotRow[], b: readonly MotRow[]): number {
  const bf = groupByFrame([...b]);
  let n = 0;
  for (const r of a) if ((bf.get(r.frame) ?? []).some((s) => boxIou(r, s) > 0.5)) n++;
  return a.length > 0 ? n / a.length : 1;
}

for (const name of clips) {
  const url = join(data, 'video', CLIPS[name] ?? name);
  const full: AnalyzeResult = await analyzeSource(options(url, 'full'));
  const report = (mode: string, r: AnalyzeResult): void => {
    const s = r.summary;
    const rec = {
      clip: name,
      size: `${s.width}x${s.height}`,
      mode,
      detector_runs: s.regions?.crops ?? s.frames_inferred,
      frames: s.frames_sampled,
      inferred: s.frames_inferred,
      full_frames: s.regions?.full_frames ?? s.frames_inferred,
      region_frames: s.regions?.region_frames ?? 0,
      carried_frames: s.regions?.carried_frames ?? 0,
      rows: r.rows.length,
      full_rows_matched: Math.round(1000 * matched(full.rows, r.rows)) / 1000,
      rows_matched_by_full: Math.round(1000 * matched(r.rows, full.rows)) / 1000,
      tracks: s.tracks,
      wall_s: s.wall_seconds,
      load: Math.round(loadavg()[0]! * 10) / 10,
    };
    console.log(
      json
        ? JSON.stringify(rec)
        : Object.entries(rec)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
    );
  };
  report('full', full);
  for (const m of modes) report(m, await analyzeSource(options(url, m)));
}
