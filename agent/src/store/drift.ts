/**
 * Drift days in the local store (migration 3): each camera-day's confidence histogram and observed
 * time, added to as detections come (so a restart keeps the day), the day's summary once judged,
 * and the warnings of that judgement. The baseline of a camera is its previous judged days, so
 * rows are kept far longer than the detail (`pruneDriftDays`).
 */
import type Database from 'better-sqlite3';
import { FailureError } from '../core/errors.js';
import { CONFIDENCE_BINS, DRIFT_METRICS, type ConfidenceHistogram, type DailySummary, type DriftMetric, type DriftWarning } from '../health/drift.js';

/** What one camera-day gained since the last flush. */
export interface DriftDelta {
  readonly cameraId: string;
  readonly day: string;
  readonly counts: readonly number[];
  readonly n: number;
  readonly sum: number;
  readonly observedMs: number;
}

export interface DriftDayRow {
  readonly cameraId: string;
  readonly day: string;
  readonly hist: ConfidenceHistogram;
  readonly observedMs: number;
  readonly judgedMs: number | null;
}

interface RawDay {
  cameraId: string;
  day: string;
  hist: string;
  n: number;
  sum: number;
  observedMs: number;
  judgedMs: number | null;
}

const SELECT_DAY = 'SELECT camera_id AS cameraId, day, hist, n, score_sum AS sum, observed_ms AS observedMs, judged_ms AS judgedMs FROM drift_days';

/** The stored histogram text back to counts; a damaged row is an FS_DB failure naming it. */
function parseCounts(text: string, where: string): number[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = null;
  }
  if (!Array.isArray(v) || v.length !== CONFIDENCE_BINS || !v.every((x): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0)) {
    throw new FailureError('FS_DB', `drift_days ${where}: hist is not ${CONFIDENCE_BINS} counts`, { table: 'drift_days', row: where });
  }
  return v;
}

function toRow(r: RawDay): DriftDayRow {
  return {
    cameraId: r.cameraId,
    day: r.day,
    hist: { counts: parseCounts(r.hist, `${r.cameraId}/${r.day}`), n: r.n, sum: r.sum },
    observedMs: r.observedMs,
    judgedMs: r.judgedMs,
  };
}

/** Add deltas to their camera-days in one transaction; returns the rows touched. */
export function addDriftDeltas(db: Database.Database, deltas: readonly DriftDelta[], nowMs: number): number {
  const get = db.prepare<[string, string], { hist: string }>('SELECT hist FROM drift_days WHERE camera_id = ? AND day = ?');
  const upsert = db.prepare(
    `INSERT INTO drift_days (camera_id, day, hist, n, score_sum, observed_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (camera_id, day) DO UPDATE SET hist = excluded.hist, n = n + excluded.n, score_sum = score_sum + excluded.score_sum,
       observed_ms = observed_ms + excluded.observed_ms, updated_ms = excluded.updated_ms`,
  );
  return db
    .transaction((): number => {
      for (const d of deltas) {
        const old = get.get(d.cameraId, d.day);
        const counts = old ? parseCounts(old.hist, `${d.cameraId}/${d.day}`) : new Array<number>(CONFIDENCE_BINS).fill(0);
        d.counts.forEach((c, i) => {
          counts[i] = (counts[i] ?? 0) + c;
        });
        upsert.run(d.cameraId, d.day, JSON.stringify(counts), d.n, d.sum, Math.round(d.observedMs), nowMs);
      }
      return deltas.length;
    })
    .immediate();
}

export function driftDay(db: Database.Database, cameraId: string, day: string): DriftDayRow | undefined {
  const r = db.prepare<[string, string], RawDay>(`${SELECT_DAY} WHERE camera_id = ? AND day = ?`).get(cameraId, day);
  return r ? toRow(r) : undefined;
}

/** Every camera's row for `day`, by camera id. */
export function driftDaysOn(db: Database.Database, day: string): DriftDayRow[] {
  return db.prepare<[string], RawDay>(`${SELECT_DAY} WHERE day = ? ORDER BY camera_id`).all(day).map(toRow);
}

/** The camera's judged summaries before `day`, newest first, at most `limit`: its baseline. */
export function judgedSummariesBefore(db: Database.Database, cameraId: string, day: string, limit: number): DailySummary[] {
  return db
    .prepare<[string, string, number], DailySummary>(
      `SELECT camera_id AS cameraId, day AS date, detections, mean_confidence, p10_confidence, p50_confidence, p90_confidence, people_per_hour
       FROM drift_days WHERE camera_id = ? AND day < ? AND judged_ms IS NOT NULL ORDER BY day DESC LIMIT ?`,
    )
    .all(cameraId, day, limit);
}

/** Store a camera-day's summary and replace the warnings of its previous judgement. */
export function saveDriftJudgement(db: Database.Database, s: DailySummary, people: number, warnings: readonly DriftWarning[], nowMs: number): void {
  db.transaction(() => {
    db.prepare(
      `UPDATE drift_days SET judged_ms = ?, people = ?, detections = ?, mean_confidence = ?, p10_confidence = ?, p50_confidence = ?, p90_confidence = ?, people_per_hour = ?
       WHERE camera_id = ? AND day = ?`,
    ).run(nowMs, people, s.detections, s.mean_confidence, s.p10_confidence, s.p50_confidence, s.p90_confidence, s.people_per_hour, s.cameraId, s.date);
    db.prepare('DELETE FROM drift_warnings WHERE camera_id = ? AND day = ?').run(s.cameraId, s.date);
    const ins = db.prepare(
      'INSERT INTO drift_warnings (camera_id, day, metric, value, baseline_median, z, baseline_days, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const w of warnings) ins.run(w.cameraId, w.date, w.metric, w.value, w.baselineMedian, w.z, w.baselineDays, w.message);
  }).immediate();
}

const isMetric = (m: string): m is DriftMetric => (DRIFT_METRICS as readonly string[]).includes(m);

/**
 * The warnings of each camera's latest judged day on or after `sinceDay`: what the agent says now
 * (a camera whose newer day was judged clean has no warning left from older days).
 */
export function currentDriftWarnings(db: Database.Database, sinceDay: string): DriftWarning[] {
  const rows = db
    .prepare<
      [string],
      { cameraId: string; date: string; metric: string; value: number; baselineMedian: number; z: number; baselineDays: number; message: string }
    >(
      `SELECT w.camera_id AS cameraId, w.day AS date, w.metric, w.value, w.baseline_median AS baselineMedian, w.z, w.baseline_days AS baselineDays, w.message
       FROM drift_warnings w
       JOIN (SELECT camera_id, MAX(day) AS day FROM drift_days WHERE judged_ms IS NOT NULL AND day >= ? GROUP BY camera_id) l
         ON l.camera_id = w.camera_id AND l.day = w.day
       ORDER BY w.camera_id, w.metric`,
    )
    .all(sinceDay);
  const out: DriftWarning[] = [];
  for (const r of rows) if (isMetric(r.metric)) out.push({ ...r, metric: r.metric });
  return out;
}

/** Forget camera-days before `beforeDay` (and their warnings); returns the days removed. */
export function pruneDriftDays(db: Database.Database, beforeDay: string): number {
  return db.transaction((): number => {
    db.prepare('DELETE FROM drift_warnings WHERE day < ?').run(beforeDay);
    return db.prepare('DELETE FROM drift_days WHERE day < ?').run(beforeDay).changes;
  })();
}
