/**
 * Messages between the main thread (worker-session.ts) and the onnxruntime worker
 * (worker-source.ts). Plain, structured-clone-able data only.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { DeclaredShape, ProviderName } from './session-types.js';

export interface WorkerInit {
  /** Resolved path of onnxruntime-node's entry (the worker requires it by path). */
  readonly ortPath: string;
  readonly modelPath: string;
  /** The worker thread's OS name (thread-name.ts ortThreadName), set before the session starts its threads. */
  readonly threadName: string;
  /** Providers to try in order, each with its full session options. */
  readonly attempts: ReadonlyArray<{ readonly provider: ProviderName; readonly options: InferenceSession.SessionOptions }>;
}

export type WorkerRequest =
  /** A shared input slot (shared-slots.ts), announced once before any run names it. */
  | { readonly type: 'slot'; readonly slot: number; readonly buffer: SharedArrayBuffer }
  | { readonly type: 'forget'; readonly slot: number }
  /** The input is either `input` (copied by the structured clone) or the first `length` floats of shared `slot`. */
  | {
      readonly type: 'run';
      readonly id: number;
      readonly input?: Float32Array;
      readonly slot?: number;
      readonly length?: number;
      readonly dims: readonly number[];
    }
  | { readonly type: 'release' };

export type WorkerReply =
  | { readonly type: 'attempt-failed'; readonly provider: ProviderName; readonly message: string }
  | {
      readonly type: 'ready';
      readonly provider: ProviderName;
      readonly inputNames: readonly string[];
      readonly outputNames: readonly string[];
      readonly inputShapes: Readonly<Record<string, DeclaredShape>>;
      readonly outputShapes: Readonly<Record<string, DeclaredShape>>;
    }
  | { readonly type: 'open-failed' }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly outputs: Record<string, { data: Float32Array; dims: readonly number[] }>;
    }
  | { readonly type: 'run-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'released' };
