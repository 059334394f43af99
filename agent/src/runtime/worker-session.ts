/**
 * A ModelSession whose onnxruntime session lives on a worker thread. Same interface as the
 * in-thread one; a lent input is a shared slot (shared-slots.ts), any other input is copied to the
 * worker (the caller keeps reusing its buffer), outputs are transferred back without a copy.
 *
 * The worker keeps the process alive only while a run is pending, so a caller that forgets
 * release() does not hang the process at exit.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { FailureError } from '../core/errors.js';
import { providerOrder, providerWarning, reason, sessionOptionsFor } from './session-options.js';
import type { ModelSession, SessionOptions } from './session-types.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol.js';
import { WORKER_SOURCE } from './worker-source.js';
import { ortThreadName } from './thread-name.js';
import { SharedSlots } from './shared-slots.js';

type Outputs = Record<string, { data: Float32Array; dims: readonly number[] }>;

export async function openWorkerSession(modelPath: string, opts: SessionOptions): Promise<ModelSession> {
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  const init: WorkerInit = {
    ortPath: createRequire(import.meta.url).resolve('onnxruntime-node'),
    modelPath,
    threadName: ortThreadName(modelPath),
    attempts: providerOrder(opts).map((provider) => ({ provider, options: sessionOptionsFor(provider, opts) })),
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: init });
  const pending = new Map<number, { resolve: (o: Outputs) => void; reject: (e: unknown) => void; slot: number | undefined }>();
  let nextId = 1;
  let exited = false;
  let lastFailure = 'no provider could start';
  let released: (() => void) | undefined;
  const slots = new SharedSlots({
    announce: (slot, buffer) => worker.postMessage({ type: 'slot', slot, buffer } satisfies WorkerRequest),
    forget: (slot) => worker.postMessage({ type: 'forget', slot } satisfies WorkerRequest),
  });

  const gone = (why: string) => new FailureError('FS_MODEL_UNSUPPORTED', `onnxruntime worker for ${modelPath} ${why}`, { modelPath });
  const failAll = (e: unknown) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };

  const ready = new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (m: WorkerReply) => {
      switch (m.type) {
        case 'attempt-failed':
          lastFailure = m.message;
          if (m.provider !== 'cpu') warn(providerWarning(m.provider, modelPath, new Error(m.message)));
          return;
        case 'ready':
          resolve(m);
          return;
        case 'open-failed':
          reject(new FailureError('FS_MODEL_UNSUPPORTED', `onnxruntime cannot load ${modelPath}: ${reason(new Error(lastFailure))}`, { modelPath }));
          return;
        case 'result':
        case 'run-failed': {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (p?.slot !== undefined) slots.give(p.slot);
          if (pending.size === 0) worker.unref();
          if (m.type === 'result') p?.resolve(m.outputs);
          else p?.reject(new FailureError('FS_MODEL_UNSUPPORTED', `inference with ${modelPath} failed: ${m.message}`, { modelPath }));
          return;
        }
        case 'released':
          released?.();
          return;
      }
    });
    worker.on('error', (e) => {
      const err = gone(`failed: ${e.message}`);
      reject(err);
      failAll(err);
    });
    worker.on('exit', (code) => {
      exited = true;
      const err = gone(`exited (code ${code})`);
      reject(err);
      failAll(err);
      released?.();
    });
  });
  const info = await ready;
  worker.unref();

  return {
    provider: info.provider,
    inputNames: info.inputNames,
    outputNames: info.outputNames,
    inputShapes: info.inputShapes,
    outputShapes: info.outputShapes,
    inputBuffer: (length) => slots.take(length),
    run(input, dims) {
      if (exited) return Promise.reject(gone('is gone'));
      const id = nextId++;
      return new Promise<Outputs>((resolve, reject) => {
        const slot = slots.slotOf(input);
        pending.set(id, { resolve, reject, slot });
        worker.ref();
        // A lent buffer is a shared slot: only its id and length cross (shared-slots.ts), and it is
        // lent again once the reply is in. Any other input is copied by the structured clone, so
        // its caller may refill it at once.
        const req: WorkerRequest =
          slot === undefined ? { type: 'run', id, input, dims: [...dims] } : { type: 'run', id, slot, length: input.length, dims: [...dims] };
        worker.postMessage(req);
      });
    },
    async release() {
      if (exited) return;
      const done = new Promise<void>((resolve) => (released = resolve));
      worker.ref();
      const req: WorkerRequest = { type: 'release' };
      worker.postMessage(req);
      await done;
      await worker.terminate();
    },
  };
}
