/**
 * Input buffers a session lends its caller (ModelSession.inputBuffer), so a frame's model input is
 * neither allocated nor copied per run. On the worker session a lent buffer is transferred to the
 * worker and back with the reply; before, each run's structured clone copied the whole input (2.9 MB
 * for a 640x384 frame, 0.4 MB per ReID crop) into a fresh allocation on the worker, after a fresh
 * crop batch on the main thread, and that many megabytes of short-lived ArrayBuffers a second drove
 * V8 into a full mark-compact about once a second (bench:store --cpu, issue 13).
 */
export class InputPool {
  /** Buffers back from a run, smallest first; a few are kept (the detector needs one, ReID a couple of batch sizes). */
  readonly #free: ArrayBuffer[] = [];
  readonly #lent = new WeakSet<Float32Array>();

  constructor(private readonly keep = 4) {}

  /** A view of `length` floats over a free buffer at least that large, else a new one. Its contents are stale: the caller writes every value. */
  take(length: number): Float32Array {
    const bytes = length * Float32Array.BYTES_PER_ELEMENT;
    const i = this.#free.findIndex((b) => b.byteLength >= bytes);
    const buffer = i >= 0 ? this.#free.splice(i, 1)[0]! : new ArrayBuffer(bytes);
    const view = new Float32Array(buffer, 0, length);
    this.#lent.add(view);
    return view;
  }

  /** Whether `input` is a view this pool lent (run() may then move it instead of copying it). */
  lent(input: Float32Array): boolean {
    return this.#lent.has(input);
  }

  /** A buffer back from a run; the largest `keep` are kept. */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return; // detached: nothing to keep
    this.#free.push(buffer);
    this.#free.sort((a, b) => a.byteLength - b.byteLength);
    if (this.#free.length > this.keep) this.#free.shift();
  }
}
