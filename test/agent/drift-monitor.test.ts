/**
 * Drift monitoring wired through the real store: synthetic camera-days are fed frame by frame into
 * the monitor (as the agent's frame listeners do), accumulated in SQLite across a restart, judged
 * against each camera's rolling baseline, and the warning reaches /status over real HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { upsertTrack } from '../../agent/src/store/detail.js';
import { driftDay, judgedSummariesBefore } from '../../agent/src/store/drift.js';
import { DriftMonitor } from '../../agent/src/agent/drift-monitor.js';
import { agentProvider } from '../../agent/src/agent/api-provider.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { DetectorQueue } from '../../agent/src/detect/index.js';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { zonedToUtc } from '../../agent/src/core/local-time.js';
import { DEFAULT_DRIFT_THRESHOLDS, summarizeDay } from '../../agent/src/health/drift.js';
import { addDriftDeltas, saveDriftJudgement } from '../../agent/src/store/drift.js';
import { startAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { cutClip } from './helpers.js';

const TZ = 'Europe/Moscow';
const HOURS = { open: '10:00', close: '21:00', days: [1, 2, 3, 4, 5, 6, 7] };
const cfg = validateConfig({ store: { id: 'shop-7', timezone: TZ }, health: { opening_hours: HOURS } });

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'fs-drift-'));
  dirs.push(d);
  return join(d, 'agent.db');
}

function open(path: string, nowMs: number): Store {
  const s = openStore(path, { nowMs });
  stores.push(s);
  return s;
}

const day = (i: number): string => `2026-11-${String(i).padStart(2, '0')}`;

/** Deterministic confidences around `centre` (+-0.06), three per frame. */
function scoresAt(k: number, centre: number): number[] {
  return [0, 1, 2].map((j) => centre + 0.06 * Math.sin(k * 1.7 + j * 2.3));
}

/**
 * One camera-day: a frame a second from `from` (HH:MM) for `seconds`, detections around `centre`;
 * `people` tracks of 10 s plus as many 1-s fragments (below minTrackMs, not people).
 */
function feedDay(
  mon: DriftMonitor,
  store: Store,
  cam: string,
  date: string,
  centre: number,
  people: number,
  from = '11:00',
  seconds = 7200,
  startAt = 0,
): void {
  const t0 = zonedToUtc(date, from, TZ);
  for (let k = startAt; k < seconds; k++) mon.observe(cam, t0 + k * 1000, scoresAt(k, centre));
  if (startAt === 0) {
    for (let p = 0; p < people; p++) {
      upsertTrack(store.db, { cameraId: cam, trackKey: `${date}#${p}`, firstMs: t0 + p * 60_000, lastMs: t0 + p * 60_000 + 10_000 });
      upsertTrack(store.db, { cameraId: cam, trackKey: `${date}#frag${p}`, firstMs: t0 + p * 60_000, lastMs: t0 + p * 60_000 + 1_000 });
    }
  }
}

const silent = pino({ level: 'silent' });

function monitor(store: Store, clock: () => number, logger = silent): DriftMonitor {
  return new DriftMonitor({ db: store.db, timeZone: TZ, hours: HOURS, thresholds: DEFAULT_DRIFT_THRESHOLDS, logger, clock, flushEveryMs: 60_000 });
}

describe('drift monitor over the real store', () => {
  it('summarises each camera-day, needs min_baseline_days, then names the camera and metric that shifted', () => {
    const path = tempDb();
    let now = Date.parse('2026-11-01T20:00:00Z');
    const store = open(path, now);
    const logged: Array<{ msg: string; camera?: string; metric?: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (s: string) => void logged.push(JSON.parse(s) as { msg: string }) });
    const mon = monitor(store, () => now, logger);

    // Days 1..7: camera "hall" steady (confidence ~0.80, 30 people in 2 h); "door" steady too.
    for (let i = 1; i <= 7; i++) {
      feedDay(mon, store, 'hall', day(i), 0.8 + 0.005 * (i % 3), 30 + (i % 3));
      feedDay(mon, store, 'door', day(i), 0.7, 20);
      now = zonedToUtc(day(i), '23:45', TZ);
      const j = mon.judge([day(i)]);
      expect(j.judged).toBe(2);
      expect(j.warnings).toEqual([]);
    }
    const d1 = driftDay(store.db, 'hall', day(1))!;
    expect(d1.hist.n).toBe(7200 * 3);
    expect(d1.observedMs).toBe(7199 * 1000);
    const base = judgedSummariesBefore(store.db, 'hall', day(8), 7);
    expect(base.map((s) => s.date)).toEqual([7, 6, 5, 4, 3, 2, 1].map(day));
    // 30-32 people over 7199 s of video; fragments of 1 s are not counted.
    expect(base.at(-1)!.people_per_hour).toBeCloseTo(31 / (7199 / 3600), 3);
    expect(base.at(-1)!.mean_confidence).toBeCloseTo(0.805, 2);

    // Day 8: "hall" is dirty (confidence ~0.55) and sees a third of the people; "door" is as usual.
    feedDay(mon, store, 'hall', day(8), 0.55, 10);
    feedDay(mon, store, 'door', day(8), 0.7, 20);
    now = zonedToUtc(day(8), '23:45', TZ);
    const j8 = mon.judge([day(8)]);
    const metrics = j8.warnings.map((w) => `${w.cameraId}/${w.metric}`).sort();
    expect(metrics).toEqual(['hall/mean_confidence', 'hall/p10_confidence', 'hall/p50_confidence', 'hall/people_per_hour']);
    const mean = j8.warnings.find((w) => w.metric === 'mean_confidence')!;
    expect(mean.z).toBeLessThan(-4);
    expect(mean.baselineDays).toBe(7);
    expect(mean.message).toContain('camera "hall"');
    expect(mean.message).toContain('mean detection confidence');
    // The same warnings are in the log, with camera and metric as fields.
    const driftLines = logged.filter((l) => l.msg.startsWith('drift: '));
    expect(driftLines.map((l) => `${l.camera}/${l.metric}`).sort()).toEqual(metrics);
    expect(
      mon
        .warnings()
        .map((w) => w.metric)
        .sort(),
    ).toEqual(['mean_confidence', 'p10_confidence', 'p50_confidence', 'people_per_hour']);

    // Day 9 back to normal: the latest judged day of "hall" is clean, so /status has nothing left.
    feedDay(mon, store, 'hall', day(9), 0.8, 31);
    now = zonedToUtc(day(9), '23:45', TZ);
    expect(mon.judge([day(9)]).warnings).toEqual([]);
    expect(mon.warnings()).toEqual([]);
    // Two days on, an old warning would not be "current" either.
    now = zonedToUtc(day(12), '12:00', TZ);
    expect(mon.warnings()).toEqual([]);
  });

  it('does not judge a camera before it has min_baseline_days of history', () => {
    let now = Date.parse('2026-11-01T20:00:00Z');
    const store = open(tempDb(), now);
    const mon = monitor(store, () => now);
    for (let i = 1; i <= 3; i++) {
      // Two ordinary days, then a collapse on day 3: only 2 baseline days (< 3), so no warning.
      feedDay(mon, store, 'new-cam', day(i), i < 3 ? 0.8 : 0.3, i < 3 ? 30 : 2, '12:00', 1800);
      now = zonedToUtc(day(i), '23:45', TZ);
      expect(mon.judge([day(i)]).warnings).toEqual([]);
    }
    // A third baseline day makes the next collapse a warning.
    feedDay(mon, store, 'new-cam', day(4), 0.3, 2, '12:00', 1800);
    now = zonedToUtc(day(4), '23:45', TZ);
    expect(mon.judge([day(4)]).warnings.length).toBeGreaterThan(0);
  });

  it('keeps the day across a restart and ignores frames outside opening hours', () => {
    const path = tempDb();
    let now = zonedToUtc(day(5), '12:00', TZ);
    const s1 = open(path, now);
    const m1 = monitor(s1, () => now);
    feedDay(m1, s1, 'hall', day(5), 0.8, 0, '11:00', 1800); // first half hour
    feedDay(m1, s1, 'hall', day(5), 0.8, 0, '08:00', 600); // before opening: not counted
    feedDay(m1, s1, 'hall', day(5), 0.8, 0, '21:00', 600); // at and after closing: not counted
    m1.flush(); // as the agent's stop does
    s1.close();
    stores.splice(stores.indexOf(s1), 1);

    now += 3_600_000;
    const s2 = open(path, now);
    const m2 = monitor(s2, () => now);
    feedDay(m2, s2, 'hall', day(5), 0.8, 0, '11:00', 3600, 1800); // the rest of the hour, after the restart
    // Nothing written yet: the minute has not passed (flush pacing by the injected clock)...
    expect(driftDay(s2.db, 'hall', day(5))!.hist.n).toBe(1800 * 3);
    now += 60_000;
    m2.observe('hall', zonedToUtc(day(5), '12:00', TZ), [0.8]);
    const row = driftDay(s2.db, 'hall', day(5))!;
    expect(row.hist.n).toBe(3600 * 3 + 1);
    // 1799 s before the restart, 1799 s after it, 1 s to 12:00; the restart gap is not observed time.
    expect(row.observedMs).toBe((1799 + 1799 + 1) * 1000);
    expect(row.hist.counts.reduce((a, b) => a + b, 0)).toBe(row.hist.n);
  });

  it('puts the drift warning into GET /status over real HTTP', async () => {
    let now = Date.parse('2026-11-01T20:00:00Z');
    const store = open(tempDb(), now);
    const mon = monitor(store, () => now);
    for (let i = 1; i <= 5; i++) {
      feedDay(mon, store, 'hall', day(i), i < 5 ? 0.8 : 0.5, 20, '12:00', 3600);
      now = zonedToUtc(day(i), '23:45', TZ);
      mon.judge([day(i)]);
    }
    const queue = new DetectorQueue({ detect: async () => detectionsFromList([]) }, { max_queue: 2 });
    const provider = agentProvider({
      cfg,
      db: store.db,
      version: 't',
      startedMs: now,
      clock: () => now,
      cameras: new Map(),
      queue: () => queue.stats(),
      jobs: () => [],
      box: () => null,
      sync: () => ({ lastSuccessMs: null, lastError: null }),
      drift: () => mon.warnings(),
    });
    let srv: ApiServer | null = null;
    try {
      srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: TZ, nowMs: () => now }, provider);
      const res = await fetch(`${srv.url}/status`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { warnings: Array<{ source: string; subject: string; message: string }> };
      const drift = body.warnings.filter((w) => w.source === 'drift');
      expect(drift.map((w) => w.subject)).toContain('hall/mean_confidence');
      expect(drift.find((w) => w.subject === 'hall/mean_confidence')!.message).toMatch(
        /camera "hall" 2026-11-05: mean detection confidence 0\.5\d\d is below its 4-day baseline 0\.80\d/,
      );
    } finally {
      await srv?.close();
      await queue.close();
    }
  });
});

const haveClip = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');

describe.skipIf(!haveClip)('drift through the running agent (real ffmpeg, detector, SQLite)', () => {
  it('an archive pass accumulates the camera-day, the roll-up judges it against the stored baseline and logs the shift', async () => {
    const dbPath = tempDb();
    const clips = join(dbPath, '..', 'clips');
    mkdirSync(clips);
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), join(clips, 'cam_20261120_110000.mp4'), 0, 6);
    // Three earlier judged days of this camera whose detections all scored about 0.2: a baseline
    // the real detector's confidences on this clip are far above.
    const seed = open(dbPath, 0);
    for (const d of ['2026-11-17', '2026-11-18', '2026-11-19']) {
      const counts = new Array<number>(100).fill(0);
      counts[20] = 1000;
      addDriftDeltas(seed.db, [{ cameraId: 'arch', day: d, counts, n: 1000, sum: 205, observedMs: 3_600_000 }], 0);
      saveDriftJudgement(seed.db, summarizeDay('arch', d, { counts, n: 1000, sum: 205 }, 40, 1), 40, [], 0);
    }
    seed.close();
    stores.splice(stores.indexOf(seed), 1);

    const lines: Array<{ msg: string; camera?: string; metric?: string; level: number }> = [];
    const cfg = validateConfig({
      store: { id: 'drift-store', timezone: 'UTC' },
      cameras: [{ id: 'arch', url: clips }],
      sampling: { stride: 25 },
      detector: { threads: 1 },
      tracker: { appearance: false },
      storage: { path: dbPath },
      agent: { archive_min_age_s: 0 },
      api: { port: 0 },
      health: { opening_hours: { open: '08:00', close: '20:00' }, drift: { min_detections: 0 } },
    });
    const agent = await startAgent(cfg, {
      logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string; level: number }) }),
      clock: Date.now,
      once: true,
    });
    await agent.done;

    const check = open(dbPath, 0);
    const day = driftDay(check.db, 'arch', '2026-11-20')!;
    expect(day.hist.n).toBeGreaterThan(0);
    expect(day.observedMs).toBeGreaterThanOrEqual(4000); // 6 s at one sampled frame a second
    expect(day.judgedMs).not.toBeNull();
    const today = judgedSummariesBefore(check.db, 'arch', '2026-11-21', 1)[0]!;
    expect(today.date).toBe('2026-11-20');
    expect(today.mean_confidence!).toBeGreaterThan(0.3);
    const warned = lines.filter((l) => l.msg.startsWith('drift: ')).map((l) => `${l.camera}/${l.metric}`);
    expect(warned).toContain('arch/mean_confidence');
    expect(lines.find((l) => l.msg.startsWith('drift: '))!.level).toBe(40); // pino warn
  }, 20_000);
});
