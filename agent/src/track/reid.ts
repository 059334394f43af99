/**
 * Appearance embeddings from OSNet (person ReID), the tracker's appearance distance input.
 * A thin shell over runtime/onnx.ts (the only onnxruntime importer) and the pure crop code.
 * Keeps count of what it computed and how long it took, so the benchmark can report the cost.
 *
 * Cost shape (see agent/bench/pipeline.ts): the tracker asks only for the detections whose
 * embedding can change a decision (track/embedding-policy.ts), and all of a frame's crops go
 * to the network in one run (N x 3 x H x W, 256x128 unless tracker.reid_input says smaller), which is several times cheaper per crop than one
 * run each. By default the session lives on a worker thread like the detector's: onnxruntime-node's
 * run() is synchronous, and in-thread it stopped the event loop (ffmpeg pipe reads, the next
 * frame's detection hand-off) for every batch.
 */
import { FailureError, MisuseError } from '../core/errors.js';
import type { Detections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';
import { type ModelSession, openSession, type ProviderName } from '../runtime/onnx.js';
import { type CropSize, cropBatchInto, REID_CROP } from './crop.js';
import { l2normalise } from './distances.js';
import { boxAt, type Xyxy } from './geometry.js';
import type { EmbedFn } from './tracker.js';

export const REID_DEFAULTS = Object.freeze({
  spinning: false,
  worker: true,
  /** A crowded frame's crops in one run: 64 x 3 x 256 x 128 float32 is 25 MB, fine for any box. */
  maxBatch: 64,
});

export interface ReidOptions {
  readonly providers?: readonly ProviderName[];
  readonly threads?: number;
  /** Let idle intra-op threads spin-wait (default false: the same cores decode and detect). */
  readonly spinning?: boolean;
  /** Run the session on a worker thread (default true; see the module comment). */
  readonly worker?: boolean;
  /**
   * Crop size the network takes; default OSNet's 256x128. A smaller one needs a model file derived
   * for it (models/derive.ts: OSNet pools globally, so only its declared input changes).
   */
  readonly input?: CropSize;
  /** Largest batch sent to the network at once; a frame's crops beyond it go in further runs. */
  readonly maxBatch?: number;
  /**
   * Sessions of the model (default 1), each with `threads` intra-op threads; a batch goes to the
   * one with the fewest batches in flight. With several cameras, 2 sessions x 1 thread beside 2 detector sessions x 1
   * thread (detector.sessions) keep both cores of a 2-core box busy where one two-threaded session
   * waits on the other cameras' batches (agent/bench/store.ts --sessions 2 --threads 1).
   */
  readonly sessions?: number;
  /** Milliseconds clock for the cost figures; default performance.now. */
  readonly now?: () => number;
  readonly warn?: (message: string) => void;
}

export interface ReidStats {
  readonly embeddings: number;
  readonly batches: number;
  /** Crop + inference time, milliseconds. */
  readonly totalMs: number;
  readonly msPerEmbedding: number;
}

export interface ReidEmbedder {
  /** L2-normalised embeddings for boxes given in SOURCE pixels of the frame. */
  embed(frame: Frame, boxes: readonly Xyxy[]): Promise<Float32Array[]>;
  /** The tracker's EmbedFn for one frame and the detections passed to that update. */
  embedFnFor(frame: Frame, detections: Detections): EmbedFn;
  readonly dim: number;
  /** The crop size in use. */
  readonly input: CropSize;
  stats(): ReidStats;
  release(): Promise<void>;
}

export async function openReid(modelPath: string, opts: ReidOptions = {}): Promise<ReidEmbedder> {
  const count = opts.sessions ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new MisuseError('FS_BAD_ARGUMENT', `openReid: sessions ${count} must be an integer >= 1`);
  const open = () =>
    openSession(modelPath, {
      ...(opts.providers ? { providers: opts.providers } : {}),
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.warn ? { warn: opts.warn } : {}),
      spinning: opts.spinning ?? REID_DEFAULTS.spinning,
      worker: opts.worker ?? REID_DEFAULTS.worker,
    });
  const sessions: ModelSession[] = [];
  try {
    for (let i = 0; i < count; i++) sessions.push(await open());
  } catch (e) {
    await Promise.allSettled(sessions.map((s) => s.release()));
    throw e;
  }
  const pool = new SessionPool(sessions);
  const now = opts.now ?? (() => performance.now());
  const maxBatch = Math.max(1, opts.maxBatch ?? REID_DEFAULTS.maxBatch);
  const outputName = sessions[0]!.outputNames[0]!;
  const crop = opts.input ?? REID_CROP;
  let dim = 0;
  const counters = { embeddings: 0, batches: 0, totalMs: 0 };

  async function runBatch(frame: Frame, boxes: readonly Xyxy[]): Promise<Float32Array[]> {
    const session = pool.take();
    let res: Awaited<ReturnType<ModelSession['run']>>;
    try {
      // Into a buffer the session lends (shared memory its worker reads: runtime/shared-slots.ts).
      const input = cropBatchInto(frame, boxes, crop, session.inputBuffer(boxes.length * 3 * crop.height * crop.width));
      res = await session.run(input, [boxes.length, 3, crop.height, crop.width]);
    } finally {
      pool.give(session);
    }
    const out = res[outputName];
    if (out?.dims.length !== 2 || out.dims[0] !== boxes.length) {
      throw new FailureError('FS_MODEL_UNSUPPORTED', `ReID model ${modelPath}: expected output [${boxes.length}, D], got [${out?.dims.join(', ') ?? 'none'}]`, {
        modelPath,
      });
    }
    const d = out.dims[1]!;
    dim = d;
    return Array.from({ length: boxes.length }, (_, i) => l2normalise(out.data.slice(i * d, (i + 1) * d)));
  }

  async function embed(frame: Frame, boxes: readonly Xyxy[]): Promise<Float32Array[]> {
    if (boxes.length === 0) return [];
    const t0 = now();
    const result: Float32Array[] = [];
    for (let s = 0; s < boxes.length; s += maxBatch) {
      result.push(...(await runBatch(frame, boxes.slice(s, s + maxBatch))));
      counters.batches++;
    }
    counters.embeddings += boxes.length;
    counters.totalMs += now() - t0;
    return result;
  }

  return {
    embed,
    embedFnFor: (frame, detections) =>
      Object.assign(
        (indices: readonly number[]) =>
          embed(
            frame,
            indices.map((i) => boxAt(detections.xyxy, i)),
          ),
        { picture: { width: frame.letterbox.srcWidth, height: frame.letterbox.srcHeight } },
      ),
    get dim() {
      return dim;
    },
    input: crop,
    stats: () => ({ ...counters, msPerEmbedding: counters.embeddings ? counters.totalMs / counters.embeddings : 0 }),
    release: async () => {
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}

/**
 * The sessions, each batch given to the one with the fewest batches in flight. Nobody waits here:
 * a session's worker queues what it is given, so the next camera's crops are cut on the main thread
 * while the current batch runs (holding them back until a session was free cost the one-session
 * agent that overlap: bench:store street loop 231 against 210 ms a sampled frame).
 */
class SessionPool {
  readonly #sessions: ModelSession[];
  readonly #inFlight: number[];

  constructor(sessions: readonly ModelSession[]) {
    this.#sessions = [...sessions];
    this.#inFlight = sessions.map(() => 0);
  }

  take(): ModelSession {
    let best = 0;
    for (let i = 1; i < this.#sessions.length; i++) if (this.#inFlight[i]! < this.#inFlight[best]!) best = i;
    this.#inFlight[best]!++;
    return this.#sessions[best]!;
  }

  give(s: ModelSession): void {
    this.#inFlight[this.#sessions.indexOf(s)]!--;
  }
}
