/**
 * One detector shared by every source of a process, behind a bounded FIFO queue.
 *
 * Sources hand frames over without blocking decode (habit 12):
 * - `offer(frame)` for live cameras: when `max_queue` frames already wait, it returns null at once
 *   and counts a drop for that source. A stalled detector never stalls a camera's ffmpeg pipe.
 * - `submit(frame)` for archive files, where every sampled frame matters: when the queue is full the
 *   frame waits its turn (FIFO) for a slot, so the caller's `await` is the backpressure.
 *
 * Each detector runs one frame at a time; onnxruntime runs it off the main thread, so while it
 * works the event loop keeps reading the ffmpeg children's pipes: decode and inference overlap.
 * Given several detectors (detector.sessions), the queue hands the oldest waiting frame to
 * whichever is free: two single-threaded sessions keep both cores busy through the serial parts
 * of a run that one two-threaded session leaves idle.
 *
 * The queue holds a reference to each frame: a producer that reuses frame buffers must not refill
 * one until the frame's promise has settled (a pool of max_queue + 2 buffers per process suffices).
 */
import { MisuseError } from '../core/errors.js';
import type { Detections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';

/** What the queue needs from a detector. */
export interface FrameDetector {
  detect(frame: Frame): Promise<Detections>;
}

export interface DetectorQueueOptions {
  /** Frames that may wait (not counting the one being processed); >= 1. */
  readonly max_queue: number;
  /** Clock in milliseconds, for the timing statistics. */
  readonly now?: () => number;
}

export interface SourceQueueStats {
  /** Frames accepted by offer() or submit(). */
  readonly accepted: number;
  readonly processed: number;
  /** Frames refused by offer() because the queue was full. */
  readonly dropped: number;
  /** Frames whose detection failed (their promise rejected). */
  readonly failed: number;
}

export interface DetectorQueueStats {
  /** Frames waiting in the queue now. */
  readonly queued: number;
  /** submit() calls waiting for a free slot now. */
  readonly blocked: number;
  /** Whether a frame is being processed now. */
  readonly busy: boolean;
  /** Detector sessions behind the queue, and how many are running a frame now. */
  readonly sessions: number;
  readonly running: number;
  readonly processed: number;
  readonly failed: number;
  readonly dropped: number;
  readonly perSource: Readonly<Record<string, SourceQueueStats>>;
  /** Mean milliseconds per detect() call. */
  readonly meanInferenceMs: number;
  /** Mean milliseconds a frame waited between acceptance and the start of its detection. */
  readonly meanWaitMs: number;
  /** Most frames ever waiting at once. */
  readonly maxQueued: number;
}

interface Item {
  readonly frame: Frame;
  acceptedAt: number;
  readonly resolve: (d: Detections) => void;
  readonly reject: (e: unknown) => void;
}

interface Counters {
  accepted: number;
  processed: number;
  dropped: number;
  failed: number;
}

export class DetectorQueue {
  readonly #free: FrameDetector[];
  readonly #sessions: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #queue: Item[] = [];
  readonly #blocked: Item[] = [];
  readonly #sources = new Map<string, Counters>();
  readonly #drained: Array<() => void> = [];
  #running = 0;
  #closed = false;
  #inferMs = 0;
  #waitMs = 0;
  #started = 0;
  #maxQueued = 0;

  constructor(detector: FrameDetector | readonly FrameDetector[], opts: DetectorQueueOptions) {
    if (!Number.isInteger(opts.max_queue) || opts.max_queue < 1) {
      throw new MisuseError('FS_BAD_ARGUMENT', `detector queue: max_queue ${opts.max_queue} must be an integer >= 1`);
    }
    this.#free = Array.isArray(detector) ? [...detector] : [detector as FrameDetector];
    if (this.#free.length === 0) throw new MisuseError('FS_BAD_ARGUMENT', 'detector queue: needs at least one detector');
    this.#sessions = this.#free.length;
    this.#max = opts.max_queue;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Queue the frame, or return null at once (counting a drop) when max_queue frames already wait. */
  offer(frame: Frame): Promise<Detections> | null {
    this.#assertOpen('offer');
    const c = this.#counters(frame.sourceId);
    if (this.#queue.length >= this.#max || this.#blocked.length > 0) {
      c.dropped++;
      return null;
    }
    return this.#accept(frame, false);
  }

  /** Queue the frame; when the queue is full, wait (FIFO) for a slot instead of dropping. */
  submit(frame: Frame): Promise<Detections> {
    this.#assertOpen('submit');
    return this.#accept(frame, this.#queue.length >= this.#max || this.#blocked.length > 0);
  }

  stats(): DetectorQueueStats {
    const perSource: Record<string, SourceQueueStats> = {};
    let processed = 0;
    let failed = 0;
    let dropped = 0;
    for (const [id, c] of this.#sources) {
      perSource[id] = { ...c };
      processed += c.processed;
      failed += c.failed;
      dropped += c.dropped;
    }
    const done = processed + failed;
    return {
      queued: this.#queue.length,
      blocked: this.#blocked.length,
      busy: this.#running > 0,
      sessions: this.#sessions,
      running: this.#running,
      processed,
      failed,
      dropped,
      perSource,
      meanInferenceMs: done > 0 ? this.#inferMs / done : 0,
      meanWaitMs: this.#started > 0 ? this.#waitMs / this.#started : 0,
      maxQueued: this.#maxQueued,
    };
  }

  /** Refuse new frames, finish every accepted one (blocked submits included), then resolve. */
  close(): Promise<void> {
    this.#closed = true;
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #accept(frame: Frame, block: boolean): Promise<Detections> {
    this.#counters(frame.sourceId).accepted++;
    return new Promise<Detections>((resolve, reject) => {
      const item: Item = { frame, acceptedAt: this.#now(), resolve, reject };
      if (block) {
        this.#blocked.push(item);
      } else {
        this.#queue.push(item);
        this.#maxQueued = Math.max(this.#maxQueued, this.#queue.length);
      }
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#free.length > 0) {
      const item = this.#queue.shift();
      if (!item) {
        if (this.#idle()) for (const done of this.#drained.splice(0)) done();
        return;
      }
      // A slot freed: the oldest blocked submit takes it before any later offer can.
      const next = this.#blocked.shift();
      if (next) {
        next.acceptedAt = this.#now();
        this.#queue.push(next);
      }
      this.#run(item, this.#free.shift()!);
    }
  }

  #run(item: Item, detector: FrameDetector): void {
    this.#running++;
    const start = this.#now();
    this.#waitMs += start - item.acceptedAt;
    this.#started++;
    const c = this.#counters(item.frame.sourceId);
    let detection: Promise<Detections>;
    try {
      detection = detector.detect(item.frame);
    } catch (e) {
      detection = Promise.reject(e);
    }
    detection
      .then(
        (d) => {
          c.processed++;
          item.resolve(d);
        },
        (e: unknown) => {
          c.failed++;
          item.reject(e);
        },
      )
      .finally(() => {
        this.#inferMs += this.#now() - start;
        this.#running--;
        this.#free.push(detector);
        this.#pump();
      });
  }

  #idle(): boolean {
    return this.#running === 0 && this.#queue.length === 0 && this.#blocked.length === 0;
  }

  #counters(sourceId: string): Counters {
    let c = this.#sources.get(sourceId);
    if (!c) {
      c = { accepted: 0, processed: 0, dropped: 0, failed: 0 };
      this.#sources.set(sourceId, c);
    }
    return c;
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new MisuseError('FS_BAD_ARGUMENT', `detector queue: ${what}() called after close()`);
  }
}
