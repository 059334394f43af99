/**
 * Adaptive sampling: a lower detection rate while nothing the KPIs need can happen, the full rate
 * while it can. One state machine, two states besides the full rate:
 *
 * EMPTY (`emptyEvery`): no track was matched for `emptyAfterSec` of video time. The detector runs
 * on one sampled frame in `emptyEvery`; the others reuse the last (empty) detections, as static
 * frames do behind the motion gate, and are tracked with them. The first detection of anyone
 * restores the full rate. An empty stretch can only delay the start of the next visit.
 *
 * QUIET (`quietEvery`): at the last tracked frame everyone tracked was matched (no track coasting,
 * no detection left over that could start a new track), nobody appeared or vanished since the
 * tracked frame before it, and every pair of people stood further apart than `quietRadius` body
 * heights (foot-point distance over the two boxes' mean height: a camera may have no floor
 * homography, and a body height is a metre scale every box carries; foreshortening along the view
 * only shrinks the pixel distance, so the rule errs towards the full rate). Then the detector runs
 * on one sampled frame in `quietEvery`, and the frames between are skipped outright, for the tracker
 * too: people move, so tracking them with stale boxes would record them where they no longer
 * stand. Nobody in view is not quiet: that is the empty state's case, with its own rate and delay.
 * Nor is anyone within half the radius of the picture's edge (when the picture size is given): the
 * tracker's exit rule (track/tracker.ts leftPicture) tells one who walked out from one hidden by
 * extrapolating the last two observations, and from observations a quiet step apart, further from
 * the edge, it kept the indoor labelled clip's leavers for re-identification and joined later
 * visitors to them (IDF1 0.981 -> 0.803 at quiet_every 2 before this rule). Half the radius is one
 * walker's share of the pair's closing distance.
 * Why the rate may drop there: consultations and till services need two people close together
 * (analytics.distance_m 1.5 m for min_seconds 20 s), and id switches happen at close passes; a
 * customer browsing alone or a seller alone at a shelf needs neither. Anyone coming within the
 * radius, a new track or a lost one restores the full rate at the next decision.
 *
 * The radius must cover what can happen before the full rate is back. With detection one frame
 * ahead (lookahead.ts), a decision sees tracking results up to the frame before last: after a quiet
 * tracked frame at t0 the pair is next seen at t0 + N steps, and if that one is no longer quiet,
 * the frame after it was already decided (skipped), so the full rate starts at t0 + (N + 2). Two
 * people walking at each other (1.4 m/s each) close 2.8 m a step at 1 fps; to be sampled every step
 * before they come within the consultation distance they must start at least
 * 1.5 + 2.8 * (N + 1) m apart: 9.9 m at N = 2, about 5.8 body heights of 1.72 m, the default.
 * agent/bench/adaptive-accuracy.ts cross-validates radius and N on simulated days.
 *
 * Pure state machine; the pipeline tells it what each tracked frame matched (observe) and asks it
 * about each new frame (decide).
 */
import { MisuseError } from '../core/errors.js';

export interface AdaptiveOptions {
  /** While empty, detect one sampled frame in this many (1 = off). */
  readonly emptyEvery: number;
  /** The scene counts as empty once no track was matched for this long, video seconds. */
  readonly emptyAfterSec: number;
  /** While quiet, detect and track one sampled frame in this many (1 = off). */
  readonly quietEvery: number;
  /** Quiet needs every pair of people further apart than this, in body heights (foot-point distance / mean box height). */
  readonly quietRadius: number;
}

export const ADAPTIVE_DEFAULTS: AdaptiveOptions = Object.freeze({ emptyEvery: 1, emptyAfterSec: 10, quietEvery: 1, quietRadius: 5.8 });

/** The picture's size, source pixels. */
export interface PictureSize {
  readonly width: number;
  readonly height: number;
}

/** A person matched on a tracked frame: track id and box (x1, y1, x2, y2, source pixels). */
export interface SampledPerson {
  readonly id: number;
  readonly box: readonly [number, number, number, number];
}

/**
 * What to do with a sampled frame: run the detector; reuse the last (empty) detections and track
 * the frame with them; or skip it outright, for the detector and the tracker.
 */
export type SampleDecision = 'detect' | 'empty' | 'quiet';

export class AdaptiveSampler {
  readonly options: AdaptiveOptions;
  #lastSeenSec: number | null = null;
  #startSec: number | null = null;
  #sinceInfer = 0;
  #skipped = 0;
  #skippedQuiet = 0;
  /** Track ids matched on the last tracked frame (null before the first). */
  #ids: Set<number> | null = null;
  #quiet = false;
  /** Whether the last tracked frame matched nobody (true before the first). */
  #lastSawNobody = true;

  constructor(options: Partial<AdaptiveOptions> = {}) {
    const o = { ...ADAPTIVE_DEFAULTS, ...options };
    if (!(Number.isInteger(o.emptyEvery) && o.emptyEvery >= 1))
      throw new MisuseError('FS_BAD_ARGUMENT', `adaptive sampling: emptyEvery must be an integer >= 1, got ${o.emptyEvery}`);
    if (!(o.emptyAfterSec >= 0)) throw new MisuseError('FS_BAD_ARGUMENT', `adaptive sampling: emptyAfterSec must be >= 0, got ${o.emptyAfterSec}`);
    if (!(Number.isInteger(o.quietEvery) && o.quietEvery >= 1))
      throw new MisuseError('FS_BAD_ARGUMENT', `adaptive sampling: quietEvery must be an integer >= 1, got ${o.quietEvery}`);
    if (!(o.quietRadius > 0 && Number.isFinite(o.quietRadius)))
      throw new MisuseError('FS_BAD_ARGUMENT', `adaptive sampling: quietRadius must be a finite number > 0, got ${o.quietRadius}`);
    this.options = Object.freeze(o);
  }

  /** Whether either lower rate is switched on (a sampler that is off need not be built). */
  get enabled(): boolean {
    return this.options.emptyEvery > 1 || this.options.quietEvery > 1;
  }

  /**
   * A tracked frame at `ptsSec` matched `people`; `unresolved` counts what the tracker has not
   * settled on it (tracks coasting unmatched, detections that may start a track): any restores
   * the full rate. `picture`: the frame's size, for the edge rule (without it, no edge rule).
   */
  observe(ptsSec: number, people: readonly SampledPerson[], unresolved = 0, picture?: PictureSize): void {
    if (people.length > 0) this.#lastSeenSec = Math.max(this.#lastSeenSec ?? ptsSec, ptsSec);
    this.#lastSawNobody = people.length === 0;
    const ids = new Set(people.map((p) => p.id));
    const before = this.#ids;
    const same = before !== null && before.size === ids.size && [...ids].every((id) => before.has(id));
    this.#ids = ids;
    const r = this.options.quietRadius;
    this.#quiet =
      this.options.quietEvery > 1 && people.length > 0 && unresolved === 0 && same && apart(people, r) && (!picture || insideEdges(people, r / 2, picture));
  }

  /** What to do with the frame at `ptsSec` (see SampleDecision). */
  decide(ptsSec: number): SampleDecision {
    this.#startSec ??= ptsSec;
    const quietSince = this.#lastSeenSec ?? this.#startSec;
    // The last tracked frame must have matched nobody too: a decision sees tracking up to the frame
    // before last, so at 1 fps the time since anyone was seen is always 2 s or more, and an
    // emptyAfterSec of 2 s would have thinned a busy scene for good.
    const empty = this.options.emptyEvery > 1 && this.#lastSawNobody && ptsSec - quietSince >= this.options.emptyAfterSec;
    // Quiet needs someone matched on the last tracked frame, empty nobody for emptyAfterSec: they
    // can meet only at emptyAfterSec 0, where quiet (the stricter skip) decides.
    const every = this.#quiet ? this.options.quietEvery : empty ? this.options.emptyEvery : 1;
    if (this.#sinceInfer < every - 1) {
      this.#sinceInfer++;
      if (this.#quiet) {
        this.#skippedQuiet++;
        return 'quiet';
      }
      this.#skipped++;
      return 'empty';
    }
    this.#sinceInfer = 0;
    return 'detect';
  }

  /** Frames that skipped the detector because the scene was empty. */
  get skipped(): number {
    return this.#skipped;
  }

  /** Frames skipped outright (detector and tracker) because the scene was quiet. */
  get skippedQuiet(): number {
    return this.#skippedQuiet;
  }
}

/** Whether every pair of `people` stands further apart than `radius` body heights (foot points, mean box height). */
export function apart(people: readonly SampledPerson[], radius: number): boolean {
  for (let i = 0; i < people.length; i++) {
    const a = people[i]!.box;
    for (let j = i + 1; j < people.length; j++) {
      const b = people[j]!.box;
      const h = (a[3] - a[1] + (b[3] - b[1])) / 2;
      const d = Math.hypot((a[0] + a[2]) / 2 - (b[0] + b[2]) / 2, a[3] - b[3]);
      if (!(h > 0) || d <= radius * h) return false;
    }
  }
  return true;
}

/** Whether every box keeps `margin` of its own heights from each edge of the picture. */
export function insideEdges(people: readonly SampledPerson[], margin: number, picture: PictureSize): boolean {
  return people.every(({ box: [x1, y1, x2, y2] }) => {
    const m = margin * (y2 - y1);
    return m > 0 && x1 >= m && y1 >= m && x2 <= picture.width - m && y2 <= picture.height - m;
  });
}
