/**
 * Benchmark inputs made once from the shared clips and cached (never committed): a 1080p H.264
 * clip of at least 5 minutes made by looping street_elevated_pedestrians.mp4, re-encoded with a
 * 1 s and a 4 s keyframe interval (both common on CCTV cameras), at 25 fps as PAL-region CCTV
 * records (the source is 30 fps), so stride 25 is exactly one sampled frame per second.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchClip {
  readonly name: string;
  readonly path: string;
  readonly note: string;
}

export function benchCacheDir(repoRoot: string): string {
  const dir = process.env.FLOORSENSE_BENCH_CACHE ?? join(repoRoot, 'out', 'bench-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Frame size of a looped clip: the 1080p main stream, or a substream as cameras serve for detection. */
export interface ClipSize {
  readonly width: number;
  readonly height: number;
  readonly label: string;
}

export const MAIN_1080P: ClipSize = Object.freeze({ width: 1920, height: 1080, label: '1080p' });
export const SUBSTREAM_360P: ClipSize = Object.freeze({ width: 640, height: 360, label: '360p' });
/** The checkout clip's own size (a retail till: a cashier and two customers), for a shop-like loop. */
export const CHECKOUT_432P: ClipSize = Object.freeze({ width: 768, height: 432, label: '432p' });

/** Loop a clip (the 10 s street clip unless `stem` names another) to `seconds` and encode at `size` (default 1080p) with a GOP of `gopSec` seconds. */
export function makeLoopedClip(source: string, cacheDir: string, seconds: number, gopSec: number, size: ClipSize = MAIN_1080P, stem = 'street'): BenchClip {
  const name = `${stem}_${size.label}_${seconds}s_gop${gopSec}s.mp4`;
  const path = join(cacheDir, name);
  if (!existsSync(path)) {
    const tmp = `${path}.part.mp4`;
    process.stderr.write(`making ${name} (one-off, cached in ${cacheDir})...\n`);
    execFileSync(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-stream_loop',
        '-1',
        '-i',
        source,
        '-t',
        String(seconds),
        '-vf',
        `scale=${size.width}:${size.height},fps=25`,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-crf',
        '26',
        '-pix_fmt',
        'yuv420p',
        // Fixed GOP: a keyframe every gopSec seconds at 25 fps, no scene-cut keyframes.
        '-g',
        String(25 * gopSec),
        '-keyint_min',
        String(25 * gopSec),
        '-sc_threshold',
        '0',
        '-an',
        tmp,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    renameSync(tmp, path);
  }
  return { name, path, note: `${size.label} H.264, ${seconds} s, keyframe every ${gopSec} s` };
}
