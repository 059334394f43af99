/**
 * The CPU split of bench:store --cpu (agent/bench/cpu.ts) on a real child process: a Node child
 * whose worker thread names itself and burns CPU beside its main thread, sampled from /proc, and the
 * self-time summary of a V8 .cpuprofile.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hottestFunctions, reapedCpuSec, sampleCpu } from '../../agent/bench/cpu.js';

// A fixed amount of work (not a wall-clock spin: the box is shared), the worker eight times the main
// thread's; the worker then idles a moment so its thread is still there for the last sample.
const CHILD = String.raw`
const { Worker } = require('node:worker_threads');
const work = "let x = 0; for (let i = 0; i < N; i++) x = (x + i * 7) % 1000003;";
const w = new Worker("require('node:fs').writeFileSync('/proc/thread-self/comm', 'busy-worker'); const N = 8e7; " + work + " setTimeout(() => {}, 400);", { eval: true });
{ const N = 1e7; eval(work); }
w.on('exit', () => process.exit(0));
`;

describe.skipIf(!existsSync('/proc/thread-self/comm'))('sampleCpu (Linux /proc)', () => {
  it("splits a child tree's CPU by process and by thread name, within the exact reaped total", async () => {
    const before = reapedCpuSec();
    const child = spawn(process.execPath, ['-e', CHILD], { stdio: 'ignore' });
    const cpu = sampleCpu(child.pid!, 50);
    await new Promise((resolve) => child.once('exit', resolve));
    const split = cpu.stop();
    const exact = reapedCpuSec() - before;
    const thread = (name: string) => split.byThread.find((t) => t.name === name)?.cpuSec ?? 0;
    expect(thread('node/main')).toBeGreaterThan(0.02);
    expect(thread('node/busy-worker')).toBeGreaterThan(thread('node/main'));
    expect(split.byProcess.map((p) => p.name)).toEqual(['node']);
    expect(exact).toBeGreaterThanOrEqual(split.totalSec - 0.02);
    expect(split.totalSec).toBeGreaterThan(0.06);
  });
});

describe('hottestFunctions', () => {
  it('sums self time per function from the samples and their time deltas', () => {
    const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });
    const hot = hottestFunctions({
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1) },
        { id: 2, callFrame: frame('cropBatchInto', 'file:///x/dist/track/crop.js', 28) },
        { id: 3, callFrame: frame('', 'file:///x/dist/a.js', 4) },
        { id: 4, callFrame: frame('cropBatchInto', 'file:///x/dist/track/crop.js', 28) }, // the same function under another caller
      ],
      samples: [2, 3, 4, 2],
      // Sample i lasts until sample i + 1 (the last one: as long as the one before it).
      timeDeltas: [0, 1000, 3000, 2000],
      startTime: 0,
      endTime: 10_000,
    });
    expect(hot.map((h) => [h.name, h.selfMs])).toEqual([
      ['cropBatchInto dist/track/crop.js:29', 5],
      ['(anonymous) dist/a.js:5', 3],
    ]);
    expect(hot[0]!.share).toBeCloseTo(5 / 8, 6);
  });
});
