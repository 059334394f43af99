/**
 * The one module that imports onnxruntime-node (habit 2). Everything else asks it for a session
 * and passes plain typed arrays.
 *
 * Execution providers are tried in the configured order; one that cannot start (no CUDA libraries,
 * no WebGPU adapter) is skipped with a warning, and CPU is always the last resort, so choosing a
 * GPU provider on a box without one degrades speed, never availability.
 */
import * as ort from 'onnxruntime-node';
import { FailureError } from '../core/errors.js';

export type ProviderName = 'cpu' | 'cuda' | 'tensorrt' | 'webgpu';

export interface SessionOptions {
  /** Preference order; 'cpu' is appended when missing. */
  readonly providers?: readonly ProviderName[];
  /** Intra-op threads for the CPU provider; 0 or undefined = onnxruntime default. */
  readonly threads?: number;
  /** Called once per provider that failed to start. */
  readonly warn?: (message: string) => void;
}

export interface ModelSession {
  readonly provider: ProviderName;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Run with one float32 input; returns every output as float32 data + dims. */
  run(input: Float32Array, dims: readonly number[]): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  release(): Promise<void>;
}

export async function openSession(modelPath: string, opts: SessionOptions = {}): Promise<ModelSession> {
  const order = [...(opts.providers ?? ['cpu'])];
  if (!order.includes('cpu')) order.push('cpu');
  const warn = opts.warn ?? ((m: string) => console.warn(m));
  let lastError: unknown;
  for (const provider of order) {
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
      });
      return wrap(session, provider);
    } catch (e) {
      lastError = e;
      if (provider !== 'cpu') warn(`execution provider ${provider} unavailable for ${modelPath} (${firstLine(e)}); falling back`);
    }
  }
  throw new FailureError('FS_MODEL_UNSUPPORTED', `onnxruntime cannot load ${modelPath}: ${firstLine(lastError)}`, { modelPath }, { cause: lastError });
}

function wrap(session: ort.InferenceSession, provider: ProviderName): ModelSession {
  const inputName = session.inputNames[0]!;
  return {
    provider,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(input, dims) {
      const feeds = { [inputName]: new ort.Tensor('float32', input, dims as number[]) };
      const res = await session.run(feeds);
      const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      for (const [name, t] of Object.entries(res)) {
        if (t.type !== 'float32') throw new FailureError('FS_MODEL_UNSUPPORTED', `output ${name} is ${t.type}, expected float32`);
        out[name] = { data: t.data as Float32Array, dims: t.dims };
      }
      return out;
    },
    release: () => session.release(),
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
