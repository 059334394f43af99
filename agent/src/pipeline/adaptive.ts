/**
 * Adaptive sampling: while the scene is empty (no track matched for `emptyAfterSec` of video
 * time), the detector runs on only one sampled frame in `emptyEvery`; the others reuse the last
 * (empty) detections, as static frames do behind the motion gate. The first detection of anyone
 * restores the full rate at once. Frames are still decoded at the full rate, so the first frame
 * someone is detected on is never more than `emptyEvery - 1` sampling intervals late.
 *
 * Why only when empty: the simulator's accuracy-vs-stride table (agent/bench/analytics-accuracy.ts,
 * issue 5's stops) shows KPI error flat up to stride 50 and rising at 75 (3x the default) when a
 * whole day is sampled sparsely; consultations and checkouts need people on the floor, and there
 * the rate stays full. An empty stretch can only delay the start of the next visit.
 *
 * Pure state machine; the pipeline tells it what each tracked frame matched (observe) and asks it
 * about each new frame (decide). With detection running one frame ahead, a decision sees the
 * tracking results up to the frame before last: the rate comes back one frame later at most.
 */
import { MisuseError } from '../core/errors.js';

export interface AdaptiveOptions {
  /** While empty, detect one sampled frame in this many (1 = off). */
  readonly emptyEvery: number;
  /** The scene counts as empty once no track was matched for this long, video seconds. */
  readonly emptyAfterSec: number;
}

export const ADAPTIVE_DEFAULTS: AdaptiveOptions = Object.freeze({ emptyEvery: 1, emptyAfterSec: 10 });

export class AdaptiveSampler {
  readonly options: AdaptiveOptions;
  #lastSeenSec: number | null = null;
  #startSec: number | null = null;
  #sinceInfer = 0;
  #skipped = 0;

  constructor(options: Partial<AdaptiveOptions> = {}) {
    const o = { ...ADAPTIVE_DEFAULTS, ...options };
    if (!(Number.isInteger(o.emptyEvery) && o.emptyEvery >= 1))
      throw new MisuseError('FS_BAD_ARGUMENT', `adaptive sampling: emptyEvery must be an integer >= 1, got ${o.emptyEvery}`);
    if (!(o.emptyAfterSec >= 0)) throw new MisuseError('FS_BAD_ARGUMENT', `adaptive sampling: emptyAfterSec must be >= 0, got ${o.emptyAfterSec}`);
    this.options = Object.freeze(o);
  }

  /** A tracked frame at `ptsSec` matched `matched` tracks. */
  observe(ptsSec: number, matched: number): void {
    if (matched > 0) this.#lastSeenSec = Math.max(this.#lastSeenSec ?? ptsSec, ptsSec);
  }

  /** Whether the frame at `ptsSec` may skip the detector (the scene is empty and it is not this frame's turn). */
  skip(ptsSec: number): boolean {
    this.#startSec ??= ptsSec;
    const quietSince = this.#lastSeenSec ?? this.#startSec;
    const empty = this.options.emptyEvery > 1 && ptsSec - quietSince >= this.options.emptyAfterSec;
    if (empty && this.#sinceInfer < this.options.emptyEvery - 1) {
      this.#sinceInfer++;
      this.#skipped++;
      return true;
    }
    this.#sinceInfer = 0;
    return false;
  }

  /** Frames that skipped the detector because the scene was empty. */
  get skipped(): number {
    return this.#skipped;
  }
}
