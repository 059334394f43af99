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
 * Usage: npm run bench:store [-- --cameras 4] [-- --seconds 120] [-- --clip gop1|gop4|sub360|checkout]
 *        [-- --parallel 4] [-- --no-appearance] [-- --providers webgpu] [-- --input auto|native|WxH] [-- --precision fp32|int8] [-- --reid-input HxW]
 *        [-- --reid-precision fp32|int8] [-- --sessions N --threads T] [-- --quiet-every N [-- --quiet-radius R]] [-- --cli [-- --bin B] [-- --cpu] [-- --cpu-prof DIR]] [-- --json]
 *
 * --cli runs the agent as the installed box does instead of inside this (tsx) process: the compiled
 * CLI (`node bin/floorsense.js run --once`, build dist/ first) as a child, with MALLOC_ARENA_MAX=2
 * unless set (installer/floorsense-launcher.sh sets it), its tree's memory sampled from /proc. The
 * in-process figures include tsx (its transpiler and its esbuild child count as a "child" too).
 *
 * --cpu (with --cli) says where the CPU time went: the agent tree's CPU seconds (exact, from this
 * process's cutime + cstime once the child is reaped) and their split per process (node, each
 * ffmpeg) and per thread (main, the onnxruntime workers `ort:<model>` with their intra-op threads,
 * the roll-up worker, Node's own `node` threads), sampled from /proc (cpu.ts), with the sampled
 * frames (from the agent's per-file info lines) and CPU milliseconds per sampled frame. --cpu-prof
 * DIR runs the child under `node --cpu-prof` and prints each thread's hottest JS functions by self
 * time. Name every setting on the command line (--input, --precision, --reid-precision): the
 * figures must not move when a default does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../src/agent/agent.js';
import { createLogger } from '../src/agent/logger.js';
import { validateConfig } from '../src/config/load.js';
import { benchCacheDir, CHECKOUT_432P, makeLoopedClip, MAIN_1080P, SUBSTREAM_360P } from './clips.js';
import { stringify } from 'yaml';
import { sampleRss } from './rss.js';
import { hottestFunctions, reapedCpuSec, sampleCpu, type CpuSplit } from './cpu.js';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const cameras = Number(arg('cameras', '4'));
const seconds = Number(arg('seconds', '120'));
const clipName = arg('clip', 'gop1');
if (!['gop1', 'gop4', 'sub360', 'checkout'].includes(clipName)) throw new Error(`--clip ${clipName}: expected gop1, gop4, sub360 or checkout`);
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
/** tracker.reid_precision (default: the config's). */
const reidPrecision = arg('reid-precision', '');
const cpu = process.argv.includes('--cpu');
const cpuProf = arg('cpu-prof', '');
/** Another build's launcher for --cli (an A/B against a copy of the tree at another commit, built there). */
const binArg = arg('bin', '');
if ((cpu || cpuProf) && !cli) throw new Error('bench:store --cpu / --cpu-prof measure the compiled agent: add --cli');
/** detector.sessions and detector.threads (e.g. --sessions 2 --threads 1 against 1 x 2). */
const sessions = Number(arg('sessions', '1'));
const threads = Number(arg('threads', '0'));
/** sampling.quiet_every / quiet_radius (adaptive sampling while nobody is near anybody; default the config's). */
const quietEvery = arg('quiet-every', '');
const quietRadius = arg('quiet-radius', '');

/** One export per camera, stream-copied out of the looped clip at a different offset each (GOP 1 s or 4 s: cuts land on keyframes). */
function makeExports(work: string): string[] {
  // checkout: the retail till clip (768x432, a cashier and two customers) looped, a shop-like load
  // beside the street loop's crowd of passers-by.
  const source = join(data, 'video', clipName === 'checkout' ? 'checkout_counter_cashier.mp4' : 'street_elevated_pedestrians.mp4');
  if (!existsSync(source)) throw new Error(`bench:store needs ${source} (../shared/data)`);
  const gop = clipName === 'gop4' ? 4 : 1;
  const clip =
    clipName === 'checkout'
      ? makeLoopedClip(source, benchCacheDir(repoRoot), 300, gop, CHECKOUT_432P, 'checkout')
      : makeLoopedClip(source, benchCacheDir(repoRoot), 300, gop, clipName === 'sub360' ? SUBSTREAM_360P : MAIN_1080P);
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
    sampling: {
      stride: 25,
      ...(quietEvery ? { quiet_every: Number(quietEvery) } : {}),
      ...(quietRadius ? { quiet_radius: Number(quietRadius) } : {}),
    },
    detector: { providers, sessions, threads, ...(input ? { input } : {}), ...(precision ? { precision } : {}) },
    tracker: { appearance, ...(reidInput ? { reid_input: reidInput } : {}), ...(reidPrecision ? { reid_precision: reidPrecision } : {}) },
    storage: { path: db },
    // --cpu counts the sampled frames from the agent's per-file info lines (tracked frames: a quiet skip, sampling.quiet_every, is not among them).
    agent: { archive_min_age_s: 0, archive_parallel: parallel, log_level: cpu ? 'info' : 'warn' },
  };
  const cfg = validateConfig(input_);
  let frames: number | null = 0;
  const t0 = performance.now();
  let tReady = t0;
  let peak: ReturnType<ReturnType<typeof sampleRss>['stop']>;
  let split: CpuSplit | null = null;
  let agentCpuSec: number | null = null;
  const load0 = loadavg()[0]!;
  if (cli) {
    const bin = binArg ? resolve(binArg) : join(repoRoot, 'bin', 'floorsense.js');
    if (!existsSync(join(dirname(bin), '..', 'dist'))) throw new Error('bench:store --cli runs the compiled CLI: build it first (npx tsc -p tsconfig.json)');
    const cfgPath = join(work, 'store.yaml');
    writeFileSync(cfgPath, stringify({ ...input_, api: { port: 0 } }));
    if (cpuProf) {
      rmSync(cpuProf, { recursive: true, force: true });
      mkdirSync(cpuProf, { recursive: true });
    }
    const reaped0 = reapedCpuSec();
    const child = spawn(process.execPath, [...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []), bin, 'run', '--once', '--config', cfgPath], {
      stdio: ['ignore', cpu ? 'pipe' : 'ignore', 'inherit'],
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const rss = sampleRss(250, child.pid);
    const threads = cpu ? sampleCpu(child.pid!) : null;
    frames = null; // without --cpu the camera counters live in the child; its wall time is the figure
    if (child.stdout) {
      frames = 0;
      for await (const line of createInterface({ input: child.stdout })) {
        const m = /"frames":(\d+)[^\n]*"msg":"archive: file (done|failed)"/.exec(line);
        if (m) frames += Number(m[1]);
      }
    }
    const code = await exited;
    peak = rss.stop();
    // stop() samples once more, after the exit: what ran since the last sample (<= 200 ms of each
    // thread) is in the exact total only, reported as unattributed.
    split = threads?.stop() ?? null;
    agentCpuSec = reapedCpuSec() - reaped0;
    if (code !== 0) throw new Error(`floorsense run --once exited ${code}`);
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
    bin: binArg || null,
    reid_precision: reidPrecision || 'default',
    quiet_every: quietEvery ? Number(quietEvery) : 'default',
    quiet_radius: quietRadius ? Number(quietRadius) : 'default',
    agent_cpu_s: agentCpuSec === null ? null : round(agentCpuSec, 2),
    cpu_ms_per_frame: agentCpuSec !== null && frames ? round((agentCpuSec * 1000) / frames, 1) : null,
    cpu_split: split ? cpuRecord(split, agentCpuSec ?? split.totalSec, frames) : null,
    load_start: round(load0, 1),
    load: Math.round(loadavg()[0]! * 10) / 10,
    cpus: cpus().length,
  };
  const profiles = cpuProf ? profileReport(cpuProf) : null;
  if (json) {
    console.log(JSON.stringify({ ...rec, ...(profiles ? { profiles } : {}) }));
    return;
  }
  console.log(
    `store day: ${cameras} archive cameras x ${seconds} s (${clipName}, stride 25, appearance ${appearance ? 'on' : 'off'}, detector.input ${rec.input}, precision ${rec.precision}, reid_input ${rec.reid_input}, reid_precision ${rec.reid_precision}, quiet_every ${rec.quiet_every} radius ${rec.quiet_radius}, ${parallel} side by side) on ${cpus().length} cores, load ${rec.load}`,
  );
  console.log(
    cli
      ? `  the compiled agent as a child (MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '2'}): ${rec.wall_s} s wall, start-up included: ${rec.cam_h_per_h} camera-hours per wall-hour`
      : `  ${frames} sampled frames in ${rec.wall_s} s wall (agent start ${rec.startup_s} s): ${rec.cam_h_per_h} camera-hours per wall-hour`,
  );
  console.log(
    `  peak RSS: agent ${rec.rss_mb} MB${cli ? '' : ` (lifetime max ${rec.max_rss_mb} MB)`}, ffmpeg children ${rec.ffmpeg_rss_mb} MB, together ${rec.total_rss_mb} MB (Pss, shared pages once: ${rec.total_pss_mb} MB)`,
  );
  if (rec.cpu_split && rec.agent_cpu_s !== null) {
    const c = rec.cpu_split;
    console.log(
      `  CPU: ${rec.agent_cpu_s} s for the agent tree (${frames} sampled frames: ${rec.cpu_ms_per_frame} ms a frame; ${round(rec.agent_cpu_s / rec.wall_s, 2)} cores busy on average), load ${rec.load_start} -> ${rec.load}`,
    );
    const line = (g: { name: string; cpu_s: number; share: number; ms_per_frame: number | null; count: number }) =>
      `    ${g.name.padEnd(30)} ${g.cpu_s.toFixed(2).padStart(7)} s ${(g.share * 100).toFixed(1).padStart(5)} % ${String(g.ms_per_frame ?? '-').padStart(7)} ms/frame  (${g.count} thread(s))`;
    for (const p of c.by_process) console.log(line(p));
    console.log('    by thread:');
    for (const t of c.by_thread) console.log(line(t));
    console.log(`    ${'unattributed (last sample)'.padEnd(30)} ${c.unattributed_s.toFixed(2).padStart(7)} s`);
  }
  for (const p of profiles ?? []) {
    console.log(`  --cpu-prof ${p.file} (${p.total_ms} ms sampled), hottest by self time:`);
    for (const f of p.top) console.log(`    ${f.self_ms.toFixed(0).padStart(7)} ms ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}`);
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The split as the bench prints it: shares of the exact total, per sampled frame. */
function cpuRecord(s: CpuSplit, total: number, frames: number | null) {
  const row = (g: { name: string; cpuSec: number; count: number }) => ({
    name: g.name,
    cpu_s: round(g.cpuSec, 2),
    share: round(g.cpuSec / Math.max(total, 1e-9), 4),
    ms_per_frame: frames ? round((g.cpuSec * 1000) / frames, 1) : null,
    count: g.count,
  });
  return { by_process: s.byProcess.map(row), by_thread: s.byThread.map(row), unattributed_s: round(Math.max(0, total - s.totalSec), 2) };
}

/** Each .cpuprofile node --cpu-prof wrote (one per thread that ran JS): its 15 hottest functions by self time. */
function profileReport(dir: string) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((file) => {
      const hot = hottestFunctions(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const total = hot.reduce((s, f) => s + f.selfMs, 0);
      return { file, total_ms: Math.round(total), top: hot.slice(0, 15).map((f) => ({ name: f.name, self_ms: round(f.selfMs, 1), share: round(f.share, 4) })) };
    });
}

await main();
