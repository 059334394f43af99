import { describe, expect, it } from 'vitest';
import { openStore } from '../../agent/src/store/open.js';
import { analyzeStoredDay, estimateFps, tracksOfDay, rollUpKpis } from '../../agent/src/agent/store-day.js';
import { insertCameraHealth } from '../../agent/src/store/detail.js';
import { AGENT_STOPPED } from '../../agent/src/agent/uptime.js';
import { resultsWriter } from '../../agent/src/agent/results-store.js';
import { agentProvider, snapshotBoxes } from '../../agent/src/agent/api-provider.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { DetectorQueue } from '../../agent/src/detect/index.js';

describe('store day from the local store', () => {
  it('estimates the sampling rate from the median step within tracks', () => {
    const rows = [0, 1000, 2000, 3000, 9000].map((tMs) => ({ trackId: 1, tMs })).concat([500, 1500].map((tMs) => ({ trackId: 2, tMs })));
    expect(estimateFps(rows)).toBe(1);
    expect(estimateFps([{ trackId: 1, tMs: 0 }])).toBe(1);
    expect(estimateFps([0, 200, 400].map((tMs) => ({ trackId: 3, tMs })))).toBe(5);
  });

  it('gives each camera the picture size most of its positions were stored in, scaling a track decoded at another size', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const day0 = Date.parse('2026-11-20T00:00:00Z');
    const w = resultsWriter(db, 'cam', 'live:1', 'live:cam:1', () => 0);
    const at = (trackerId: number, d: number, frameWidth: number, frameHeight: number) => ({
      trackerId,
      tMs: day0 + 3_600_000 + d,
      x: frameWidth / 4,
      y: frameHeight / 4,
      w: frameWidth / 8,
      h: frameHeight / 2,
      score: 0.8,
      frameWidth,
      frameHeight,
    });
    w.write({ samples: [0, 1000, 2000].map((d) => at(1, d, 1280, 720)), positionMs: 0 });
    w.write({ samples: [5000].map((d) => at(2, d, 640, 360)), positionMs: 0 }); // the substream, for a while
    const [cam] = tracksOfDay(db, day0, day0 + 86_400_000);
    expect(cam!.timebase).toMatchObject({ width: 1280, height: 720 });
    // The same place in the picture, whichever size the box was stored in.
    expect(cam!.rows.map((r) => [r.x, r.y, r.w, r.h])).toEqual(Array.from({ length: 4 }, () => [320, 180, 160, 360]));
    expect(new Set(cam!.rows.map((r) => r.id)).size).toBe(2);
    close();
  });

  it("gives each camera its stored 'down' stretches as downtime, and the roll-up joins a visit across an outage", () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const day0 = Date.parse('2026-11-20T00:00:00Z');
    const H = 3_600_000;
    const cfg = validateConfig({ store: { id: 's', timezone: 'UTC' }, cameras: [{ id: 'c1', url: 'rtsp://cam/1' }] });
    // A customer standing at one spot (the same box), seen 10:00:00-10:01:39, the camera down 10:01:40-10:03:40
    // (120 s, beyond stitching.max_gap_seconds), the same customer seen again 10:03:41-10:05:00 under a new id.
    const w = resultsWriter(db, 'c1', 'live:1', 'live:c1:1', () => 0);
    const box = { x: 600, y: 250, w: 90, h: 260, score: 0.9, frameWidth: 1280, frameHeight: 720 };
    const seen = (trackerId: number, fromS: number, toS: number) =>
      Array.from({ length: toS - fromS + 1 }, (_, i) => ({ trackerId, tMs: day0 + 10 * H + (fromS + i) * 1000, ...box }));
    w.write({ samples: [...seen(1, 0, 99), ...seen(9, 221, 300)], positionMs: 0 });
    const persons = () => analyzeStoredDay(db, cfg, '2026-11-20')!.roles.length;
    expect(tracksOfDay(db, day0, day0 + 24 * H)[0]!.downtime).toBeUndefined();
    expect(persons()).toBe(2); // no downtime known: a 121 s gap is two people
    insertCameraHealth(db, [
      { cameraId: 'c1', tMs: day0 + 9 * H, state: 'up' },
      { cameraId: 'c1', tMs: day0 + 10 * H + 100_000, state: 'down', detail: 'rtsp: connection lost' },
      { cameraId: 'c1', tMs: day0 + 10 * H + 220_000, state: 'up' },
      { cameraId: 'c1', tMs: day0 + 11 * H, state: 'degraded', detail: 'low fps' }, // frames still come: not downtime
      { cameraId: 'c1', tMs: day0 + 12 * H, state: 'up' },
      { cameraId: 'c1', tMs: day0 + 20 * H, state: 'down', detail: AGENT_STOPPED }, // nothing seen either
    ]);
    // The agent's stop at 20:00 lies after the camera's last sighting: it separates nothing and is left out.
    expect(tracksOfDay(db, day0, day0 + 24 * H)[0]!.downtime).toEqual([[day0 + 10 * H + 100_000, day0 + 10 * H + 220_000]]);
    expect(persons()).toBe(1);
    close();
  });

  it('turns stored positions into MOT rows on a per-camera time grid from the start of the day', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const day0 = Date.parse('2026-11-20T00:00:00Z');
    const w = resultsWriter(db, 'cam', 'live:1', 'live:cam:1', () => 0);
    w.write({
      samples: [0, 1000, 2010, 3000].map((d) => ({ trackerId: 4, tMs: day0 + 3_600_000 + d, x: 10, y: 20, w: 30, h: 60, score: 0.8 })),
      positionMs: 0,
    });
    w.write({ samples: [{ trackerId: 5, tMs: day0 - 1, x: 0, y: 0, w: 1, h: 1, score: 0.5 }], positionMs: 0 }); // the day before
    const [cam, ...rest] = tracksOfDay(db, day0, day0 + 86_400_000);
    expect(rest).toEqual([]);
    expect(cam!.camera).toBe('cam');
    expect(cam!.timebase).toEqual({ startMs: day0, fps: 1, width: 0, height: 0 });
    expect(cam!.rows.map((r) => r.frame)).toEqual([3601, 3602, 3603, 3604]);
    expect(new Set(cam!.rows.map((r) => r.id)).size).toBe(1);
    // The 19th saw one short track: no visit, no seller, but the store-level records still go.
    const r = rollUpKpis(db, validateConfig({ store: { id: 's' } }), '2026-11-19', 0);
    expect(r).toMatchObject({
      date: '2026-11-19',
      visits: 0,
      consultations: null,
      kpis: null,
      storeDay: { rows: 1, enqueued: 1 },
      hours: { rows: 24, enqueued: 24 },
    });
    // A day with no video, no receipts and no camera coverage sends nothing.
    expect(rollUpKpis(db, validateConfig({ store: { id: 's' } }), '2026-11-10', 0)).toEqual({
      date: '2026-11-10',
      visits: 0,
      consultations: null,
      kpis: null,
      storeDay: null,
      hours: null,
    });
    close();
  });
});

describe('the API provider on the agent state', () => {
  it('draws tracks (source pixels, id and zone) on a snapshot, or the detections with their confidence when no track matched', () => {
    const dets = detectionsFromList([{ box: [100, 200, 300, 600], score: 0.87 }]);
    expect(snapshotBoxes(dets)).toEqual([{ x1: 100, y1: 200, x2: 300, y2: 600, label: '87%' }]);
    const tracks = [{ track_id: 4, box: [100, 200, 300, 600] as const, score: 0.87, foot: [200, 600] as const, zone: 'counter', zone_kind: 'staff' as const }];
    expect(snapshotBoxes(dets, tracks)).toEqual([{ x1: 100, y1: 200, x2: 300, y2: 600, track_id: 4, label: '#4 counter' }]);
  });

  it('stores posted receipts once and counts re-posts as duplicates', async () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const cfg = validateConfig({ store: { id: 's', timezone: 'Europe/Moscow' } });
    const queue = new DetectorQueue({ detect: async () => detectionsFromList([]) }, { max_queue: 2 });
    const p = agentProvider({
      cfg,
      db,
      version: 't',
      startedMs: 0,
      clock: () => 0,
      cameras: new Map(),
      queue: () => queue.stats(),
      jobs: () => [],
      box: () => null,
      sync: () => ({ lastSuccessMs: null, lastError: null }),
    });
    const r = { receiptId: 'R1', t: Date.parse('2026-11-20T20:30:00Z'), total: 1234.5, currency: 'RUB', register: 'till-1', sellerCode: null };
    expect(await p.addReceipts([r])).toEqual({ stored: 1, duplicates: 0 });
    expect(await p.addReceipts([r, { ...r, receiptId: 'R2' }])).toEqual({ stored: 1, duplicates: 1 });
    // 20:30 UTC is 23:30 in Moscow: the receipt belongs to the 20th there.
    expect(db.prepare('SELECT id, day, amount_minor FROM receipts ORDER BY id').all()).toEqual([
      { id: 'R1', day: '2026-11-20', amount_minor: 123450 },
      { id: 'R2', day: '2026-11-20', amount_minor: 123450 },
    ]);
    const st = await p.status();
    expect(st).toMatchObject({ store_id: 's', cameras: [], sync: { enabled: false, backlog_rows: 0 }, detector: { queue_depth: 0, queue_capacity: 8 } });
    expect(await p.snapshot('nope')).toBeUndefined();
    close();
  });
});
