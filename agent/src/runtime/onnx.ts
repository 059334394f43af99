/**
 * The one module that imports onnxruntime-node (habit 2; its worker twin is worker-source.ts).
 * Everything else asks it for a session and passes plain typed arrays.
 *
 * Execution providers are tried in the configured order; one that cannot start (no CUDA libraries,
 * no WebGPU adapter) is skipped with a warning, and CPU is always the last resort, so choosing a
 * GPU provider on a box without one degrades speed, never availability.
 *
 * CPU tuning (measured on the 2-core development box, see test/detect and the detector config):
 * onnxruntime's intra-op threads spin-wait between operators by default. That is only free when
 * the cores are otherwise idle; here the same cores decode video (ffmpeg children) and run the
 * tracker, and spinning threads steal their time. `spinning: false` turns it off.
 */
import * as ort from 'onnxruntime-node';
import { FailureError } from '../core/errors.js';
import type { DeclaredShape, ModelSession, ProviderName, SessionOptions } from './session-types.js';
import { providerOrder, providerWarning, reason, sessionOptionsFor } from './session-options.js';
import { openWorkerSession } from './worker-session.js';
import { InputPool } from './input-pool.js';

export type { DeclaredShape, GraphOptimization, ModelSession, ProviderName, SessionOptions } from './session-types.js';
export { sessionOptionsFor } from './session-options.js';

export async function openSession(modelPath: string, opts: SessionOptions = {}): Promise<ModelSession> {
  if (opts.worker) return openWorkerSession(modelPath, opts);
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  let lastError: unknown;
  for (const provider of providerOrder(opts)) {
    try {
      const session = await ort.InferenceSession.create(modelPath, sessionOptionsFor(provider, opts));
      return wrap(session, provider);
    } catch (e) {
      lastError = e;
      if (provider !== 'cpu') warn(providerWarning(provider, modelPath, e));
    }
  }
  throw new FailureError('FS_MODEL_UNSUPPORTED', `onnxruntime cannot load ${modelPath}: ${reason(lastError)}`, { modelPath }, { cause: lastError });
}

function wrap(session: ort.InferenceSession, provider: ProviderName): ModelSession {
  const inputName = session.inputNames[0]!;
  const pool = new InputPool();
  return {
    provider,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputShapes: shapes(session.inputMetadata),
    outputShapes: shapes(session.outputMetadata),
    inputBuffer: (length) => pool.take(length),
    async run(input, dims) {
      const feeds = { [inputName]: new ort.Tensor('float32', input, [...dims]) };
      const res = await session.run(feeds).finally(() => {
        if (pool.lent(input)) pool.give(input.buffer as ArrayBuffer);
      });
      const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      for (const [name, t] of Object.entries(res)) {
        const data = t.data;
        if (t.type !== 'float32' || !(data instanceof Float32Array)) {
          throw new FailureError('FS_MODEL_UNSUPPORTED', `output ${name} is ${t.type}, expected float32`, { output: name });
        }
        out[name] = { data, dims: t.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}

function shapes(meta: readonly ort.InferenceSession.ValueMetadata[]): Readonly<Record<string, DeclaredShape>> {
  const out: Record<string, DeclaredShape> = {};
  for (const m of meta) out[m.name] = m.isTensor ? [...m.shape] : [];
  return Object.freeze(out);
}
