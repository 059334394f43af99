/**
 * Drift monitoring, wired: every camera's detections feed a per-camera, per-store-day accumulator
 * (confidence histogram, video time observed in opening hours); the accumulator is added to the
 * store about once a minute (store/drift.ts), so a restart keeps the day. The daily roll-up calls
 * `judge`: each camera-day gets its summary (health/drift.ts `summarizeDay`, people = tracks that
 * lasted `minTrackMs` in opening hours) and is compared with the camera's previous judged days
 * (`checkDrift`, median + MAD). Marked shifts are logged and stay in /status until a newer day of
 * that camera is judged.
 *
 * Only frames inside opening hours count: a closed, dark shop would otherwise pull both metrics.
 * Video time, never processing time: archive exports are summarised under the day they show.
 */
import type Database from 'better-sqlite3';
import { CONFIDENCE_BINS, checkDrift, summarizeDay, type DriftThresholds, type DriftWarning } from '../health/drift.js';
import { openingIntervalOn, type OpeningHours } from '../health/opening-hours.js';
import { localDate, localDayBounds } from '../core/local-time.js';
import {
  addDriftDeltas,
  currentDriftWarnings,
  driftDaysOn,
  judgedSummariesBefore,
  pruneDriftDays,
  saveDriftJudgement,
  type DriftDelta,
} from '../store/drift.js';
import { tracksStartedBetween } from '../store/detail.js';
import { errorText, type AgentLogger } from './logger.js';

export interface DriftMonitorOptions {
  readonly db: Database.Database;
  readonly timeZone: string;
  readonly hours: OpeningHours;
  readonly thresholds: DriftThresholds;
  readonly logger: AgentLogger;
  /** Wall clock, epoch ms (flush pacing, judgement times). */
  readonly clock: () => number;
  /** Add the accumulated deltas to the store at most this often (ms). */
  readonly flushEveryMs?: number;
  /** A gap between two frames longer than this is not observed time (a dead camera, a missing file). */
  readonly maxGapMs?: number;
  /** A track shorter than this is not a person (tracker fragments, a passing false positive). */
  readonly minTrackMs?: number;
  /** Less observed time than this in a day: people per hour is not judged (too little to say). */
  readonly minObservedHours?: number;
  /** Camera-days older than this many days are forgotten (the baseline is far shorter). */
  readonly keepDays?: number;
}

export interface DriftJudgement {
  readonly days: readonly string[];
  /** Camera-days summarised. */
  readonly judged: number;
  readonly warnings: readonly DriftWarning[];
}

interface Accumulator {
  readonly cameraId: string;
  readonly day: string;
  readonly counts: number[];
  n: number;
  sum: number;
  observedMs: number;
}

const DAY_MS = 86_400_000;

export class DriftMonitor {
  readonly #o: Required<DriftMonitorOptions>;
  readonly #pending = new Map<string, Accumulator>();
  /** Last counted frame per camera (video ms), for observed time. */
  readonly #lastFrame = new Map<string, number>();
  /** Store-local day bounds and opening interval, per day seen (a handful). */
  readonly #days = new Map<string, { readonly bounds: [number, number]; readonly open: [number, number] | null }>();
  #lastFlushMs: number;

  constructor(opts: DriftMonitorOptions) {
    this.#o = { flushEveryMs: 60_000, maxGapMs: 10_000, minTrackMs: 2_000, minObservedHours: 1, keepDays: 120, ...opts };
    this.#lastFlushMs = opts.clock();
  }

  /** One frame's detection confidences of `cameraId` at video time `tMs`. Never throws. */
  observe(cameraId: string, tMs: number, scores: ArrayLike<number>): void {
    const day = this.#dayOf(tMs);
    const open = day.open;
    if (!open || tMs < open[0] || tMs >= open[1]) {
      this.#lastFrame.delete(cameraId);
      return;
    }
    const key = `${cameraId}\u0000${day.name}`;
    let acc = this.#pending.get(key);
    if (!acc) {
      acc = { cameraId, day: day.name, counts: new Array<number>(CONFIDENCE_BINS).fill(0), n: 0, sum: 0, observedMs: 0 };
      this.#pending.set(key, acc);
    }
    const prev = this.#lastFrame.get(cameraId);
    if (prev !== undefined && tMs > prev && tMs - prev <= this.#o.maxGapMs && prev >= open[0]) acc.observedMs += tMs - prev;
    this.#lastFrame.set(cameraId, tMs);
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (!Number.isFinite(s)) continue;
      const c = Math.min(1, Math.max(0, s));
      acc.counts[Math.min(CONFIDENCE_BINS - 1, Math.floor(c * CONFIDENCE_BINS))]! += 1;
      acc.sum += c;
      acc.n++;
    }
    if (this.#o.clock() - this.#lastFlushMs >= this.#o.flushEveryMs) this.flush();
  }

  /** Add what was accumulated to the store; on failure it is kept for the next try. Returns camera-days written. */
  flush(): number {
    this.#lastFlushMs = this.#o.clock();
    if (this.#pending.size === 0) return 0;
    const deltas: DriftDelta[] = [...this.#pending.values()];
    try {
      addDriftDeltas(this.#o.db, deltas, this.#o.clock());
    } catch (e) {
      this.#o.logger.error({ err: e }, `drift: cannot store the day's detection statistics (kept for the next try): ${errorText(e)}`);
      return 0;
    }
    this.#pending.clear();
    return deltas.length;
  }

  /**
   * Summarise every camera with data on each of `days` (store-local YYYY-MM-DD) and compare it with
   * its baseline; logs each marked shift. Re-judging a day replaces its summary and warnings.
   */
  judge(days: readonly string[]): DriftJudgement {
    const { db, thresholds: t, logger: log } = this.#o;
    this.flush();
    const now = this.#o.clock();
    const warnings: DriftWarning[] = [];
    let judged = 0;
    for (const day of [...new Set(days)].sort()) {
      const open = openingIntervalOn(day, this.#o.hours, this.#o.timeZone);
      if (!open) continue;
      for (const row of driftDaysOn(db, day)) {
        const seen = tracksStartedBetween(db, row.cameraId, open[0], open[1], this.#o.minTrackMs);
        const hours = row.observedMs / 3_600_000;
        const summary = summarizeDay(row.cameraId, day, row.hist, seen, hours >= this.#o.minObservedHours ? hours : 0);
        const found = checkDrift(summary, judgedSummariesBefore(db, row.cameraId, day, t.baseline_days), t);
        saveDriftJudgement(db, summary, seen, found, now);
        judged++;
        for (const w of found) {
          log.warn(
            { camera: w.cameraId, day: w.date, metric: w.metric, value: w.value, baseline: w.baselineMedian, z: w.z, baselineDays: w.baselineDays },
            `drift: ${w.message}`,
          );
          warnings.push(w);
        }
      }
    }
    pruneDriftDays(db, localDate(now - this.#o.keepDays * DAY_MS, this.#o.timeZone));
    return { days, judged, warnings };
  }

  /** The warnings /status shows: each camera's latest judged day, if judged within the last two days. */
  warnings(): DriftWarning[] {
    const now = this.#o.clock();
    return currentDriftWarnings(this.#o.db, localDate(now - 2 * DAY_MS, this.#o.timeZone));
  }

  #dayOf(tMs: number): { readonly name: string; readonly open: [number, number] | null } {
    for (const [name, d] of this.#days) if (tMs >= d.bounds[0] && tMs < d.bounds[1]) return { name, open: d.open };
    const name = localDate(tMs, this.#o.timeZone);
    // Archive batches walk through many days; keep the cache to the last few.
    if (this.#days.size >= 8) this.#days.clear();
    const d = { bounds: localDayBounds(name, this.#o.timeZone), open: openingIntervalOn(name, this.#o.hours, this.#o.timeZone) };
    this.#days.set(name, d);
    return { name, open: d.open };
  }
}
