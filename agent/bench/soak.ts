/**
 * A bounded soak of the agent: two archive cameras, each a folder of exports (default two of 5 min) made by
 * looping a shared sample clip (stream copy, so making them is quick), processed by the real agent
 * (`startAgent`, once) faster than real time. Prints memory (RSS, heap after a GC when --expose-gc
 * is given) at start, after every file, and at the end, and whether it grew.
 *
 * Usage: node --expose-gc --import tsx agent/bench/soak.ts [--minutes 10] [--files 2] [--stride 25] [--keep]
 * (--minutes per camera, split into --files exports; more files give more memory samples.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../src/agent/agent.js';
import { createLogger } from '../src/agent/logger.js';
import { validateConfig } from '../src/config/load.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const minutes = Number(arg('minutes', '10'));
const stride = Number(arg('stride', '25'));
const filesPerCamera = Number(arg('files', '2'));
const fileSec = Math.ceil((minutes * 60) / filesPerCamera);
const work = join(repoRoot, 'out', 'soak');
const sources: Record<string, string> = { camA: 'checkout_counter_cashier.mp4', camB: 'mall_entrance_people.mp4' };

function makeExports(): void {
  for (const [cam, clip] of Object.entries(sources)) {
    const dir = join(work, `archive-${filesPerCamera}x${fileSec}`, cam);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < filesPerCamera; i++) {
      const start = new Date(Date.UTC(2026, 10, 20, 9, 0, 0) + i * fileSec * 1000);
      const name = `${cam}_${start.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_')}.mp4`;
      const path = join(dir, name);
      if (existsSync(path)) continue;
      process.stderr.write(`making ${cam}/${name} (${fileSec} s)...\n`);
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-stream_loop',
        '-1',
        '-i',
        join(data, 'video', clip),
        '-t',
        String(fileSec),
        '-an',
        '-c',
        'copy',
        '-map_metadata',
        '-1',
        path,
      ]);
    }
  }
}

interface Mem {
  readonly label: string;
  readonly rssMiB: number;
  readonly heapMiB: number;
  readonly externalMiB: number;
}

function memory(label: string): Mem {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = process.memoryUsage();
  const mib = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  return { label, rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed), externalMiB: mib(m.external + m.arrayBuffers) };
}

async function main(): Promise<void> {
  makeExports();
  const db = join(work, `soak-${filesPerCamera}x${fileSec}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  const cfg = validateConfig({
    store: { id: 'soak', timezone: 'UTC' },
    cameras: Object.keys(sources).map((id) => ({ id, url: join(work, `archive-${filesPerCamera}x${fileSec}`, id) })),
    sampling: { stride },
    tracker: { appearance: false },
    storage: { path: db },
    agent: { archive_min_age_s: 0 },
  });
  const samples: Mem[] = [];
  let files = 0;
  const t0 = Date.now();
  const logger = createLogger('info', {
    write: (s: string) => {
      if (s.includes('"archive: file done"')) {
        files++;
        samples.push(memory(`after file ${files}`));
      }
    },
  });
  const before = memory('before start');
  const agent = await startAgent(cfg, { logger, clock: Date.now, once: true });
  samples.unshift(memory('agent started (detector loaded)'));
  samples.unshift(before);
  await agent.done;
  const wallSec = (Date.now() - t0) / 1000;
  samples.push(memory('after stop'));
  const videoSec = Object.keys(sources).length * filesPerCamera * fileSec;
  console.log(
    `soak: ${Object.keys(sources).length} cameras x ${filesPerCamera} files x ${fileSec} s = ${(videoSec / 60).toFixed(0)} min of video, stride ${stride}, in ${wallSec.toFixed(0)} s wall (${(videoSec / wallSec).toFixed(1)}x real time)`,
  );
  console.log(`gc: ${(globalThis as { gc?: unknown }).gc ? 'forced before each sample' : 'not exposed (run with --expose-gc for heap figures after GC)'}`);
  console.log('label                              rss MiB  heap MiB  external MiB');
  for (const m of samples)
    console.log(`${m.label.padEnd(34)} ${String(m.rssMiB).padStart(7)}  ${String(m.heapMiB).padStart(8)}  ${String(m.externalMiB).padStart(12)}`);
  const first = samples.find((s) => s.label === 'after file 1');
  const last = samples.filter((s) => s.label.startsWith('after file')).at(-1);
  if (first && last && first !== last) {
    console.log(
      `growth from file 1 to file ${files}: rss ${(last.rssMiB - first.rssMiB).toFixed(1)} MiB, heap ${(last.heapMiB - first.heapMiB).toFixed(1)} MiB`,
    );
  }
  if (!process.argv.includes('--keep')) for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
}

await main();
