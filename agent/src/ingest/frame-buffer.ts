/**
 * Fixed-size frame assembly from pipe chunks (habit 12). Chunks are copied once, straight into the
 * buffer that becomes the frame's data; buffers come from a small pool so frames that are dropped
 * (a live source whose consumer fell behind) are reused instead of reallocated.
 *
 * Ownership rule: a frame handed to the consumer owns its buffer for good; ingest never writes to it
 * again (the detector may still be reading it while the next frame decodes), unless the consumer
 * hands it back (FrameSource.recycle) once nothing reads it any more: a new 737 KB buffer per
 * 640x384 frame was the largest allocation left per frame, and such short-lived buffers are what
 * drives V8's full collections (issue 13).
 */

export class BufferPool {
  private readonly free: Uint8Array[] = [];
  constructor(
    readonly bytes: number,
    private readonly maxFree: number,
  ) {}

  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.bytes);
  }

  give(buf: Uint8Array): void {
    if (buf.byteLength === this.bytes && this.free.length < this.maxFree) this.free.push(buf);
  }
}

export class FrameAssembler {
  private current: Uint8Array | undefined;
  private filled = 0;

  constructor(private readonly pool: BufferPool) {}

  /** Bytes of an unfinished frame held now (non-zero at end of stream = a cut frame). */
  get partialBytes(): number {
    return this.filled;
  }

  /** Copy `chunk` in; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const done: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.byteLength) {
      this.current ??= this.pool.take();
      const buf = this.current;
      const n = Math.min(buf.byteLength - this.filled, chunk.byteLength - at);
      buf.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === buf.byteLength) {
        done.push(buf);
        this.current = undefined;
        this.filled = 0;
      }
    }
    return done;
  }
}
