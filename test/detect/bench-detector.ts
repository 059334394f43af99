/**
 * Detector speed on this machine (a benchmark script, not a test):
 *   npx tsx test/detect/bench-detector.ts [runs=15] [label filter]
 *
 * For each configuration: one session, 3 warm-up runs, then `runs` timed runs on a real COCO8 image
 * letterboxed to 640x640. Configurations are interleaved round by round so load from other
 * processes hits them all alike. Printed per configuration:
 * - wall ms/frame, median and minimum;
 * - process CPU ms/frame (all threads): on a shared box this is far steadier than wall time, and
 *   with 1 thread it approximates the uncontended latency;
 * - idle CPU ms burnt in the 200 ms after a run (spin-waiting threads), which ffmpeg would
 *   otherwise get.
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { allocInput, preprocessInto } from '../../agent/src/detect/preprocess.js';
import { loadImageLetterboxed } from '../../agent/src/ingest/image.js';
import { openSession, type ModelSession, type SessionOptions } from '../../agent/src/runtime/onnx.js';
import { dataPath } from '../helpers/shared-data.js';

const runs = Number(process.argv[2] ?? 15);
const filter = process.argv[3] ?? '';

interface Config {
  readonly label: string;
  readonly model: string;
  readonly opts: SessionOptions;
}

const configs: Config[] = [];
for (const model of ['yolov8n_fp32', 'yolov8n_int8']) {
  configs.push(
    { label: `${model} threads=2 spinning`, model, opts: { threads: 2, spinning: true } },
    { label: `${model} threads=2 no-spin`, model, opts: { threads: 2, spinning: false } },
    { label: `${model} threads=0 no-spin`, model, opts: { threads: 0, spinning: false } },
    { label: `${model} threads=1 no-spin`, model, opts: { threads: 1, spinning: false } },
    { label: `${model} threads=2 no-spin graph=basic`, model, opts: { threads: 2, spinning: false, graphOptimization: 'basic' } },
    { label: `${model} threads=2 no-spin worker`, model, opts: { threads: 2, spinning: false, worker: true } },
  );
}
const chosen = configs.filter((c) => c.label.includes(filter));

const frame = await loadImageLetterboxed(dataPath('coco8/images/val/000000000049.jpg'), 640, 640);
const input = preprocessInto(frame.data, 640, 640, allocInput(640, 640));
const dims = [1, 3, 640, 640];
const sessions: ModelSession[] = [];
for (const c of chosen) sessions.push(await openSession(dataPath('models', `${c.model}.onnx`), { ...c.opts, warn: () => {} }));
for (const s of sessions) for (let i = 0; i < 3; i++) await s.run(input, dims);

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const wall: number[][] = chosen.map(() => []);
const cpu: number[][] = chosen.map(() => []);
const idle: number[][] = chosen.map(() => []);
const loads: number[] = [];
for (let r = 0; r < runs; r++) {
  loads.push(loadavg()[0]!);
  for (let k = 0; k < sessions.length; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await sessions[k]!.run(input, dims);
    wall[k]!.push(performance.now() - t0);
    cpu[k]!.push(cpuMs(process.cpuUsage(c0)));
    if (r < 3) {
      const i0 = process.cpuUsage();
      await sleep(200);
      idle[k]!.push(cpuMs(process.cpuUsage(i0)));
    }
  }
}
for (const s of sessions) await s.release();

const median = (x: number[]) => [...x].sort((a, b) => a - b)[x.length >> 1]!;
console.log(
  `runs=${runs}; 1-min load average during the runs ${Math.min(...loads).toFixed(1)}..${Math.max(...loads).toFixed(1)} on ${(await import('node:os')).cpus().length} cores`,
);
chosen.forEach((c, k) => {
  console.log(
    `${c.label.padEnd(44)} wall median ${median(wall[k]!).toFixed(1).padStart(6)} min ${Math.min(...wall[k]!)
      .toFixed(1)
      .padStart(6)} ms | ` + `cpu ${median(cpu[k]!).toFixed(1).padStart(6)} ms | idle spin ${median(idle[k]!).toFixed(1).padStart(5)} ms/200ms`,
  );
});
