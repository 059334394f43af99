/**
 * The session interface the rest of FloorSense sees (plain typed arrays in and out), shared by the
 * in-thread session (onnx.ts) and the worker-thread one (worker-session.ts).
 */
export type ProviderName = 'cpu' | 'cuda' | 'tensorrt' | 'webgpu';

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface SessionOptions {
  /** Preference order; 'cpu' is appended when missing. */
  readonly providers?: readonly ProviderName[];
  /** Intra-op threads for the CPU provider; 0 or undefined = onnxruntime default (one per core). */
  readonly threads?: number;
  /** Let idle intra-op threads spin-wait (onnxruntime's default: true). */
  readonly spinning?: boolean;
  /** Graph optimisation level; default 'all'. */
  readonly graphOptimization?: GraphOptimization;
  /**
   * Run the session on a worker thread. onnxruntime-node's run() is synchronous on the calling
   * thread (a 50-300 ms block per YOLOv8n frame on a small CPU), which would stall ffmpeg pipe
   * reads, timers and the HTTP API; on a worker the event loop stays free while inference runs.
   */
  readonly worker?: boolean;
  /**
   * Write the graph onnxruntime actually runs (after its fusions) to this file: how a test sees
   * that a QDQ model became QLinearConv rather than float Conv between Q/DQ pairs.
   */
  readonly optimizedModelPath?: string;
  /** Called once per provider that failed to start. */
  readonly warn?: (message: string) => void;
}

/** A tensor's declared shape: numbers, or strings for symbolic dims such as "batch". */
export type DeclaredShape = readonly (number | string)[];

export interface ModelSession {
  readonly provider: ProviderName;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared shapes by tensor name, as the model states them (empty when undeclared). */
  readonly inputShapes: Readonly<Record<string, DeclaredShape>>;
  readonly outputShapes: Readonly<Record<string, DeclaredShape>>;
  /**
   * A buffer for `length` input floats, lent by the session: fill every value (it is reused, not
   * zeroed) and pass it to run(), which takes it back; do not touch it after. The worker session
   * lends shared memory and sends only its slot (shared-slots.ts); the in-thread one reuses it
   * (input-pool.ts). Any other array given to
   * run() is copied as before and stays the caller's.
   */
  inputBuffer(length: number): Float32Array;
  /** Run with one float32 input; returns every output as float32 data + dims. */
  run(input: Float32Array, dims: readonly number[]): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  release(): Promise<void>;
}
