/**
 * Start each frame's detection one frame ahead of the consumer, so the detector (on its worker
 * thread) works on frame N+1 while the main thread tracks frame N and its ReID batch runs.
 * Without it the pipeline alternated: the detector idled during tracking and ReID, and tracking
 * idled during detection; e2e speed was the sum of the stages instead of the slowest one.
 *
 * Order and completeness are kept: items come out in source order, and when the source fails
 * part-way (a truncated file) every frame read before the failure is still handed out, then the
 * error is thrown, exactly as a plain `for await` over the source would have seen it.
 */
import type { Frame } from '../core/frame.js';

export interface Ahead<T> {
  readonly frame: Frame;
  /** What `start` returned for this frame (typically a detection promise, already running). */
  readonly pending: T;
}

/**
 * `start` is called in source order as soon as each frame arrives; at most `depth` started frames
 * wait for the consumer. A started promise that rejects is marked handled here (the consumer
 * awaits it and sees the rejection), so stopping early never leaves an unhandled rejection.
 */
export async function* startAhead<T>(frames: AsyncIterable<Frame>, start: (frame: Frame) => T, depth = 1): AsyncGenerator<Ahead<T>> {
  const waiting: Ahead<T>[] = [];
  try {
    for await (const frame of frames) {
      const pending = start(frame);
      if (pending instanceof Promise) pending.catch(() => undefined);
      waiting.push({ frame, pending });
      if (waiting.length > depth) yield waiting.shift()!;
    }
  } catch (e) {
    while (waiting.length > 0) yield waiting.shift()!;
    throw e;
  }
  while (waiting.length > 0) yield waiting.shift()!;
}
