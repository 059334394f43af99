/**
 * The worker-thread session against the in-thread one, on a real model: same outputs, same
 * fallback and error behaviour, and the event loop stays free only on the worker.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSession, sessionOptionsFor } from '../../agent/src/runtime/onnx.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const ready = haveData('models/osnet_x0_25_msmt17.onnx');

describe.skipIf(!ready)('openSession({ worker: true })', () => {
  it('gives the same outputs as the in-thread session, transferring them back', async () => {
    const model = dataPath('models/osnet_x0_25_msmt17.onnx');
    const input = new Float32Array(2 * 3 * 256 * 128).map((_, i) => ((i * 2654435761) % 1000) / 1000);
    const local = await openSession(model, { threads: 1 });
    const remote = await openSession(model, { threads: 1, worker: true });
    try {
      expect(remote.provider).toBe(local.provider);
      expect(remote.inputShapes).toEqual(local.inputShapes);
      expect(remote.outputShapes).toEqual(local.outputShapes);
      const a = await local.run(input, [2, 3, 256, 128]);
      const before = input.slice();
      const b = await remote.run(input, [2, 3, 256, 128]);
      expect(input).toEqual(before); // the caller's buffer is copied, not detached
      expect(b.output!.dims).toEqual([2, 512]);
      expect(b.output!.data).toBeInstanceOf(Float32Array);
      expect(Array.from(b.output!.data)).toEqual(Array.from(a.output!.data));
      // Several runs in flight resolve in order with their own results.
      const zeros = new Float32Array(3 * 256 * 128);
      const [r1, r2] = await Promise.all([remote.run(zeros, [1, 3, 256, 128]), remote.run(input.subarray(0, zeros.length), [1, 3, 256, 128])]);
      expect(Array.from(r2.output!.data)).toEqual(Array.from(a.output!.data.subarray(0, 512)));
      expect(Array.from(r1.output!.data)).not.toEqual(Array.from(r2.output!.data));
    } finally {
      await local.release();
      await remote.release();
    }
  });

  it.skipIf(!existsSync('/proc/thread-self/comm'))(
    "names its thread (and onnxruntime's intra-op threads) after the model, for top -H and bench:store --cpu",
    async () => {
      const names = () => readdirSync('/proc/self/task').map((t) => readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim());
      expect(names()).not.toContain('ort:osnet_x0_25');
      const s = await openSession(dataPath('models/osnet_x0_25_msmt17.onnx'), { threads: 2, worker: true });
      try {
        // The worker itself and the one extra intra-op thread onnxruntime starts for 2 threads.
        expect(names().filter((n) => n === 'ort:osnet_x0_25').length).toBeGreaterThanOrEqual(2);
      } finally {
        await s.release();
      }
    },
  );

  it('lends input buffers as shared slots: only the slot crosses to the worker, and it is lent again after the run', async () => {
    const model = dataPath('models/osnet_x0_25_msmt17.onnx');
    const n = 2 * 3 * 256 * 128;
    const input = new Float32Array(n).map((_, i) => ((i * 2654435761) % 1000) / 1000);
    const local = await openSession(model, { threads: 1 });
    const remote = await openSession(model, { threads: 1, worker: true });
    try {
      const want = await local.run(input, [2, 3, 256, 128]);
      for (const s of [remote, local]) {
        const lent = s.inputBuffer(n);
        lent.set(input);
        const run = s.run(lent, [2, 3, 256, 128]);
        if (s === remote) {
          // Shared memory, neither moved (a detached buffer) nor copied by the message; while it runs,
          // another request gets another slot.
          expect(lent.buffer).toBeInstanceOf(SharedArrayBuffer);
          expect(lent.byteLength).toBe(n * 4);
          expect(s.inputBuffer(8).buffer).not.toBe(lent.buffer);
        }
        expect(Array.from((await run).output!.data)).toEqual(Array.from(want.output!.data));
        // The same memory comes back: a smaller batch is a view over it, holding the last input.
        const again = s.inputBuffer(n / 2);
        expect(again.buffer.byteLength).toBe(n * 4);
        if (s === remote) expect(again.buffer).toBe(lent.buffer);
        expect(Array.from(again.subarray(0, 8))).toEqual(Array.from(input.subarray(0, 8)));
        const one = await s.run(again, [1, 3, 256, 128]);
        expect(Array.from(one.output!.data)).toEqual(Array.from(want.output!.data.subarray(0, 512)));
      }
      // A failed run gives the lent buffer back too.
      const bad = remote.inputBuffer(10);
      await expect(remote.run(bad, [1, 3, 256, 128])).rejects.toMatchObject({ code: 'FS_MODEL_UNSUPPORTED' });
      expect(Array.from(remote.inputBuffer(n).subarray(0, 8))).toEqual(Array.from(input.subarray(0, 8))); // not a fresh (zeroed) one
    } finally {
      await local.release();
      await remote.release();
    }
  });

  it('reports a bad input as a failed run, and keeps serving', async () => {
    const s = await openSession(dataPath('models/osnet_x0_25_msmt17.onnx'), { threads: 1, worker: true });
    try {
      await expect(s.run(new Float32Array(10), [1, 3, 256, 128])).rejects.toMatchObject({
        code: 'FS_MODEL_UNSUPPORTED',
        message: expect.stringMatching(/inference with .*osnet.* failed/),
      });
      const ok = await s.run(new Float32Array(3 * 256 * 128), [1, 3, 256, 128]);
      expect(ok.output!.dims).toEqual([1, 512]);
    } finally {
      await s.release();
    }
    await expect(s.run(new Float32Array(3 * 256 * 128), [1, 3, 256, 128])).rejects.toMatchObject({ message: expect.stringMatching(/is gone|exited/) });
  });

  it('falls back from unavailable providers with one warning each, like the in-thread session', async () => {
    const warnings: string[] = [];
    const s = await openSession(dataPath('models/osnet_x0_25_msmt17.onnx'), { providers: ['webgpu'], worker: true, warn: (m) => warnings.push(m) });
    try {
      if (s.provider === 'cpu')
        expect(warnings).toEqual([expect.stringMatching(/^execution provider webgpu unavailable for .*osnet_x0_25_msmt17\.onnx \(.+\); falling back$/)]);
    } finally {
      await s.release();
    }
  });

  it('refuses a file that is not a model, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-onnx-'));
    try {
      const bad = join(dir, 'garbage.onnx');
      writeFileSync(bad, 'not a model');
      for (const worker of [false, true]) {
        await expect(openSession(bad, { worker })).rejects.toMatchObject({
          code: 'FS_MODEL_UNSUPPORTED',
          message: expect.stringMatching(/onnxruntime cannot load .*garbage\.onnx: .+/),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sessionOptionsFor (as data)', () => {
  it.each([
    [{}, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' }],
    [
      { threads: 2, spinning: false },
      { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 2, extra: { session: { intra_op: { allow_spinning: '0' } } } },
    ],
    [
      { threads: 0, spinning: true, graphOptimization: 'basic' as const },
      { executionProviders: ['cpu'], graphOptimizationLevel: 'basic' },
    ],
  ])('%j', (opts, want) => expect(sessionOptionsFor('cpu', opts)).toEqual(want));
});
