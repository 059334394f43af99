/**
 * `npm run bench:store`: a store's day through one agent, in miniature. N archive cameras (default
 * 4), each a folder holding one export cut from the benchmark's looped street clip, processed by
 * the real agent (`startAgent`, once: shared detector queue, archive cameras side by side, ReID,
 * SQLite) with every feature the config turns on. Prints camera-hours per wall-hour and the peak
 * resident memory of the agent process and of its ffmpeg children.
 *
 * The design's target for a 2-core box: 24 camera-hours per wall-hour with appearance on, RSS
 * <= 500 MB with 4 cameras (issue 13).
 *
 * Usage: npm run bench:store [-- --cameras 4] [-- --seconds 120] [-- --clip gop1|gop4|sub360]
 *        [-- --parallel 4] [-- --no-appearance] [-- --providers webgpu] [-- --input auto|native|WxH] [-- --precision fp32|int8] [-- --reid-input HxW]
 *        [-- --sessions N --threads T] [-- --cli] [-- --json]
 *
 * --cli runs the agent as the installed box does instead of inside this (tsx) process: the compiled
 * CLI (`node bin/floorsense.js run --once`, build dist/ first) as a child, with MALLOC_ARENA_MAX=2
 * unless set (installer/floorsense-launcher.sh sets it), its tree's memory sampled from /proc. The
 * in-process figures include tsx (its transpiler and its esbuild child count as a "child" too).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../src/agent/agent.js';
import { createLogger } from '../src/agent/logger.js';
import { validateConfig } from '../src/config/load.js';
import { benchCacheDir, makeLoopedClip, MAIN_1080P, SUBSTREAM_360P } from './clips.js';
import { stringify } from 'yaml';
import { sampleRss } from './rss.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const cameras = Number(arg('cameras', '4'));
const seconds = Number(arg('seconds', '120'));
const clipName = arg('clip', 'gop1');
const parallel = Number(arg('parallel', String(cameras)));
const appearance = !process.argv.includes('--no-appearance');
const json = process.argv.includes('--json');
const cli = process.argv.includes('--cli');
/** Detector execution providers in order, e.g. webgpu on a GPU box (falls back to cpu with a warning). */
const providers = arg('providers', 'cpu').split(',');
/** detector.input and tracker.reid_input (defaults: the config's). */
const input = arg('input', '');
/** detector.precision (default: the config's). */
const precision = arg('precision', '');
const reidInput = arg('reid-input', '');
/** detector.sessions and detector.threads (e.g. --sessions 2 --threads 1 against 1 x 2). */
const sessions = Number(arg('sessions', '1'));
const threads = Number(arg('threads', '0'));

/** One export per camera, stream-copied out of the looped clip at a different offset each (GOP 1 s or 4 s: cuts land on keyframes). */
function makeExports(work: string): string[] {
  const street = join(data, 'video', 'street_elevated_pedestrians.mp4');
  if (!existsSync(street)) throw new Error(`bench:store needs ${street} (../shared/data)`);
  const gop = clipName === 'gop4' ? 4 : 1;
  const clip = makeLoopedClip(street, benchCacheDir(repoRoot), 300, gop, clipName === 'sub360' ? SUBSTREAM_360P : MAIN_1080P);
  const folders: string[] = [];
  for (let c = 0; c < cameras; c++) {
    const dir = join(work, `cam${c + 1}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `cam${c + 1}_20261120_090000.mp4`);
    if (!existsSync(file)) {
      const offset = (c * 40) % Math.max(1, 300 - seconds);
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-ss',
        String(offset),
        '-i',
        clip.path,
        '-t',
        String(seconds),
        '-an',
        '-c',
        'copy',
        '-map_metadata',
        '-1',
        file,
      ]);
    }
    folders.push(dir);
  }
  return folders;
}

async function main(): Promise<void> {
  const work = join(repoRoot, 'out', 'bench-store', `${clipName}-${cameras}x${seconds}s`);
  const folders = makeExports(work);
  const db = join(work, 'store.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  const input_ = {
    store: { id: 'bench', timezone: 'UTC' },
    cameras: folders.map((url, i) => ({ id: `cam${i + 1}`, url })),
    sampling: { stride: 25 },
    detector: { providers, sessions, threads, ...(input ? { input } : {}), ...(precision ? { precision } : {}) },
    tracker: { appearance, ...(reidInput ? { reid_input: reidInput } : {}) },
    storage: { path: db },
    agent: { archive_min_age_s: 0, archive_parallel: parallel, log_level: 'warn' },
  };
  const cfg = validateConfig(input_);
  let frames: number | null = 0;
  const t0 = performance.now();
  let tReady = t0;
  let peak: ReturnType<ReturnType<typeof sampleRss>['stop']>;
  if (cli) {
    const bin = join(repoRoot, 'bin', 'floorsense.js');
    if (!existsSync(join(repoRoot, 'dist'))) throw new Error('bench:store --cli runs the compiled CLI: build it first (npx tsc -p tsconfig.json)');
    const cfgPath = join(work, 'store.yaml');
    writeFileSync(cfgPath, stringify({ ...input_, api: { port: 0 } }));
    const child = spawn(process.execPath, [bin, 'run', '--once', '--config', cfgPath], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    });
    const rss = sampleRss(250, child.pid);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    peak = rss.stop();
    if (code !== 0) throw new Error(`floorsense run --once exited ${code}`);
    frames = null; // the camera counters live in the child; its wall time is the figure
  } else {
    const logger = createLogger('warn', { write: (s: string) => void process.stderr.write(s) });
    const rss = sampleRss();
    const agent = await startAgent(cfg, { logger, clock: Date.now, once: true });
    tReady = performance.now();
    await agent.done;
    peak = rss.stop();
    // agent.state() reads the (now closed) database; the camera runtimes keep their counters.
    for (const c of agent.cameras.values()) frames += c.snapshot().frames;
  }
  const wallSec = (performance.now() - t0) / 1000;
  const videoSec = cameras * seconds;
  const rec = {
    clip: clipName,
    cameras,
    parallel,
    providers: providers.join(','),
    seconds_per_camera: seconds,
    appearance,
    input: input || 'default',
    precision: precision || 'default',
    sessions,
    threads,
    reid_input: reidInput || 'default',
    frames,
    wall_s: Math.round(wallSec * 10) / 10,
    startup_s: cli ? null : Math.round((tReady - t0) / 100) / 10,
    cam_h_per_h: Math.round((videoSec / wallSec) * 100) / 100,
    rss_mb: peak.selfMb,
    ffmpeg_rss_mb: peak.childrenMb,
    total_rss_mb: peak.totalMb,
    total_pss_mb: peak.totalPssMb,
    max_rss_mb: cli ? null : Math.round(process.resourceUsage().maxRSS / 1024),
    mode: cli ? 'cli' : 'in-process',
    load: Math.round(loadavg()[0]! * 10) / 10,
    cpus: cpus().length,
  };
  if (json) {
    console.log(JSON.stringify(rec));
    return;
  }
  console.log(
    `store day: ${cameras} archive cameras x ${seconds} s (${clipName}, stride 25, appearance ${appearance ? 'on' : 'off'}, detector.input ${rec.input}, precision ${rec.precision}, reid_input ${rec.reid_input}, ${parallel} side by side) on ${cpus().length} cores, load ${rec.load}`,
  );
  console.log(
    cli
      ? `  the compiled agent as a child (MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '2'}): ${rec.wall_s} s wall, start-up included: ${rec.cam_h_per_h} camera-hours per wall-hour`
      : `  ${frames} sampled frames in ${rec.wall_s} s wall (agent start ${rec.startup_s} s): ${rec.cam_h_per_h} camera-hours per wall-hour`,
  );
  console.log(
    `  peak RSS: agent ${rec.rss_mb} MB${cli ? '' : ` (lifetime max ${rec.max_rss_mb} MB)`}, ffmpeg children ${rec.ffmpeg_rss_mb} MB, together ${rec.total_rss_mb} MB (Pss, shared pages once: ${rec.total_pss_mb} MB)`,
  );
}

await main();
