import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { enqueueRecord, markSent, outboxBacklog, pendingRows } from '../../agent/src/store/outbox.js';
import { recordIdOf, toRecordPayload, RECORD_SPECS, RECORD_TYPES } from '../../agent/src/store/records.js';
import {
  saveConsultations,
  saveDailyKpis,
  saveDayRecords,
  saveHourlyTraffic,
  saveCameraUptime,
  type ConsultationInput,
  type SellerDailyKpi,
} from '../../agent/src/store/aggregates.js';
import { MisuseError } from '../../agent/src/core/errors.js';
import Database from 'better-sqlite3';
import { MIGRATIONS, applyMigrations } from '../../agent/src/store/migrations.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const mem = (): Store => openStore(':memory:', { nowMs: NOW });
const count = (s: Store, sql: string): number => s.db.prepare<[], { n: number }>(sql).get()?.n ?? -1;

const kpi = (sellerId: string, day: string, extra: Partial<SellerDailyKpi> = {}): SellerDailyKpi => ({
  sellerId,
  day,
  consultations: 10,
  consultedBuyers: 4,
  receiptsWithConsult: 4,
  amountWithConsultMinor: 480_000,
  receiptsWithoutConsult: 7,
  amountWithoutConsultMinor: 210_000,
  consultDurationMs: 1_800_000,
  customers: 30,
  consultedCustomers: 9,
  successfulConsultations: 4,
  unsuccessfulConsultations: 6,
  timeOnFloorSeconds: 28_000,
  ...extra,
});

describe('record whitelist', () => {
  const good = { store_id: 's1', day: '2026-11-20', camera_id: 'cam1', up_ms: 1, down_ms: 0, outages: 0 };
  const cases: Array<[string, Record<string, unknown>, RegExp | null]> = [
    ['valid', good, null],
    ['extra column (coordinates)', { ...good, floor_x: 1.5 }, /camera_uptime\.floor_x: not in the sync whitelist/],
    ['missing column', { ...good, outages: undefined }, /camera_uptime\.outages: expected a non-negative integer/],
    ['negative count', { ...good, outages: -1 }, /outages: expected a non-negative integer, got -1/],
    ['fractional duration', { ...good, up_ms: 1.5 }, /up_ms: expected a non-negative integer/],
    ['bad day', { ...good, day: '20.11.2026' }, /day: expected a day YYYY-MM-DD, got "20.11.2026"/],
    ['id with spaces', { ...good, camera_id: 'front door' }, /camera_id: expected an id/],
  ];
  it.each(cases)('%s', (_n, values, err) => {
    if (err === null) {
      expect(Object.keys(toRecordPayload('camera_uptime', values))).toEqual(RECORD_SPECS.camera_uptime.columns.map((c) => c.name));
    } else {
      expect(() => toRecordPayload('camera_uptime', values)).toThrow(MisuseError);
      expect(() => toRecordPayload('camera_uptime', values)).toThrow(err);
    }
  });

  it('ids are deterministic, depend on the natural key only, and differ between types', () => {
    const a = toRecordPayload('camera_uptime', good);
    const b = toRecordPayload('camera_uptime', { ...good, up_ms: 99 });
    const c = toRecordPayload('camera_uptime', { ...good, day: '2026-11-21' });
    expect(recordIdOf('camera_uptime', a)).toBe(recordIdOf('camera_uptime', b));
    expect(recordIdOf('camera_uptime', a)).not.toBe(recordIdOf('camera_uptime', c));
    expect(recordIdOf('camera_uptime', a)).toMatch(/^[0-9a-f]{32}$/);
    for (const t of RECORD_TYPES) for (const k of RECORD_SPECS[t].key) expect(RECORD_SPECS[t].columns.map((c) => c.name)).toContain(k);
  });
});

describe('outbox', () => {
  it('recomputed KPIs are a new version of the same id; unchanged ones add nothing; unsent old versions are superseded', () => {
    const s = mem();
    const r1 = saveDailyKpis(s.db, 's1', [kpi('seller-a', '2026-11-19')], NOW);
    const id = r1.records[0]?.recordId;
    expect(r1.records[0]?.version).toBe(NOW);
    // Same numbers again (a re-run): no new version.
    const r2 = saveDailyKpis(s.db, 's1', [kpi('seller-a', '2026-11-19')], NOW + 10);
    expect(r2.enqueued).toBe(0);
    // A late receipt: new numbers, same id, higher version; the unsent old version is dropped.
    const r3 = saveDailyKpis(s.db, 's1', [kpi('seller-a', '2026-11-19', { receiptsWithConsult: 5, amountWithConsultMinor: 530_000 })], NOW + 20);
    expect(r3.records[0]).toEqual({ recordId: id, version: NOW + 20, superseded: 1 });
    expect(count(s, 'SELECT COUNT(*) AS n FROM outbox')).toBe(1);
    // Once sent, a further recomputation keeps the sent row and appends a newer version even if the clock went back.
    markSent(
      s.db,
      pendingRows(s.db, 10).map((r) => r.seq),
      NOW + 30,
    );
    const r4 = saveDailyKpis(s.db, 's1', [kpi('seller-a', '2026-11-19', { receiptsWithConsult: 6 })], NOW - 1_000_000);
    expect(r4.records[0]).toEqual({ recordId: id, version: NOW + 21, superseded: 0 });
    expect(outboxBacklog(s.db)).toMatchObject({ unsent: 1, sent: 1, byType: { seller_daily_kpi: 1 } });
    expect(count(s, 'SELECT COUNT(*) AS n FROM daily_kpis')).toBe(1);
    expect(count(s, 'SELECT receipts_with_consult AS n FROM daily_kpis')).toBe(6);
  });

  it('a bad record rolls back the whole save: no local row, no outbox row', () => {
    const s = mem();
    expect(() => saveDailyKpis(s.db, 's1', [kpi('seller-a', '2026-11-19'), kpi('seller b', '2026-11-19')], NOW)).toThrow(/seller_id: expected an id/);
    expect(count(s, 'SELECT COUNT(*) AS n FROM daily_kpis')).toBe(0);
    expect(count(s, 'SELECT COUNT(*) AS n FROM outbox')).toBe(0);
  });

  it('consultations keep their floor position locally but the outbox gets the whitelist only', () => {
    const s = mem();
    const c = {
      id: 'c1',
      visitId: 'v-7f3a',
      sellerId: 'seller-a',
      cameraId: 'cam1',
      day: '2026-11-20',
      startMs: NOW,
      endMs: NOW + 95_400,
      floorX: 3.25,
      floorY: 7.5,
    };
    saveConsultations(s.db, 's1', [c], NOW);
    const late = saveConsultations(s.db, 's1', [{ ...c, receiptId: 'r-1', amountMinor: 129_900 }], NOW + 5);
    expect(late.records[0]?.superseded).toBe(1);
    const [row] = pendingRows(s.db, 10);
    // Privacy: the start only to the minute, whole seconds, bought or not, never the amount.
    expect(row?.payload).toEqual({
      store_id: 's1',
      day: '2026-11-20',
      visit_id: 'v-7f3a',
      seller_id: 'seller-a',
      started_minute: NOW,
      consultations: 1,
      duration_s: 95,
      bought: 1,
    });
    expect(s.db.prepare<[], { x: number; a: number }>('SELECT floor_x AS x, amount_minor AS a FROM consultations').get()).toEqual({ x: 3.25, a: 129_900 });
  });

  it('two consultations of one visit by one seller leave as one consulted visit, started at the minute of the first', () => {
    const s = mem();
    const t0 = NOW + 42_123;
    const c = { id: 'c1', visitId: 'v-1', sellerId: 'seller-a', cameraId: 'cam1', day: '2026-11-20', startMs: t0, endMs: t0 + 30_400 };
    const r = saveConsultations(s.db, 's1', [c, { ...c, id: 'c2', startMs: t0 + 100_000, endMs: t0 + 160_000 }, { ...c, id: 'c3', sellerId: 'seller-b' }], NOW);
    expect([r.rows, count(s, 'SELECT COUNT(*) AS n FROM consultations')]).toEqual([2, 3]);
    expect(pendingRows(s.db, 10).map((x) => [x.payload.seller_id, x.payload.started_minute, x.payload.consultations, x.payload.duration_s])).toEqual([
      ['seller-a', NOW, 2, 90],
      ['seller-b', NOW, 1, 30],
    ]);
    expect(() => toRecordPayload('consulted_visit', { ...pendingRows(s.db, 1)[0]!.payload, started_minute: t0 })).toThrow(
      /started_minute: expected UTC milliseconds of a whole minute/,
    );
  });

  it('hourly traffic and camera uptime enter the outbox with their rows', () => {
    const s = mem();
    const h = saveHourlyTraffic(
      s.db,
      's1',
      [
        {
          hourMs: Date.UTC(2026, 10, 20, 9),
          day: '2026-11-20',
          localHour: 12,
          visits: 31,
          consultations: 6,
          receipts: 9,
          dwellMs: 4_000_000,
          staffSeconds: 5400,
          sellersSeen: 2,
          receiptsAmountMinor: 99_000,
        },
      ],
      NOW,
    );
    const u = saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day: '2026-11-20', upMs: 80_000_000, downMs: 6_400_000, outages: 2 }], NOW);
    expect([h.enqueued, u.enqueued]).toEqual([1, 1]);
    expect(pendingRows(s.db, 10).map((r) => r.type)).toEqual(['store_hourly_traffic', 'camera_uptime']);
  });

  it('enqueueRecord refuses columns outside the whitelist', () => {
    const s = mem();
    expect(() =>
      enqueueRecord(
        s.db,
        'consulted_visit',
        { store_id: 's1', day: '2026-11-20', visit_id: 'v', seller_id: 'a', started_minute: 0, consultations: 1, duration_s: 1, bought: 0, image: 'x.jpg' },
        NOW,
      ),
    ).toThrow(/consulted_visit\.image: not in the sync whitelist/);
  });

  it('a tampered outbox row is quarantined on the way out, never sent, and the rest still go', () => {
    const s = mem();
    saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day: '2026-11-20', upMs: 1, downMs: 0, outages: 0 }], NOW);
    saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day: '2026-11-21', upMs: 2, downMs: 0, outages: 0 }], NOW);
    s.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.floor_x', 1.5) WHERE seq = 1").run();
    // A batch of one that is all quarantine still reads on to the good row.
    const rows = pendingRows(s.db, 1, NOW + 5);
    expect(rows.map((r) => [r.seq, r.payload.day])).toEqual([[2, '2026-11-21']]);
    const b = outboxBacklog(s.db);
    expect(b).toMatchObject({ unsent: 1, quarantined: 1 });
    expect(b.quarantine).toEqual([
      {
        seq: 1,
        type: 'camera_uptime',
        recordId: expect.stringMatching(/^[0-9a-f]{32}$/),
        quarantinedMs: NOW + 5,
        reason: expect.stringMatching(/fails the sync whitelist: camera_uptime\.floor_x: not in the sync whitelist/),
      },
    ]);
    // A new version of the record (the day recomputed) replaces the quarantined row.
    saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day: '2026-11-20', upMs: 3, downMs: 0, outages: 0 }], NOW + 10);
    expect(outboxBacklog(s.db)).toMatchObject({ unsent: 2, quarantined: 0 });
  });
});

describe('recompute of a day (saveDayRecords)', () => {
  const day = '2026-11-20';
  const live = (s: Store, type: string): string[] =>
    s.db
      .prepare<[string], { id: string }>(
        "SELECT json_extract(payload, '$.seller_id') AS id FROM record_versions WHERE record_type = ? AND deleted = 0 ORDER BY id",
      )
      .all(type)
      .map((r) => r.id);
  const consult = (sellerId: string, visit: number): ConsultationInput => ({
    id: `${day}:${sellerId}:${visit}`,
    visitId: `${day}:${visit}`,
    sellerId,
    cameraId: 'cam1',
    day,
    startMs: Date.UTC(2026, 10, 20, 10, visit),
    endMs: Date.UTC(2026, 10, 20, 10, visit, 40),
  });

  it('a seller swapped out is retracted: local rows replaced, a tombstone queued with the last payload; a comeback is a new version', () => {
    const s = mem();
    saveDayRecords(s.db, 's1', day, { consultations: [consult('anna', 1), consult('anna', 2)], sellers: [kpi('anna', day)] }, NOW);
    markSent(
      s.db,
      pendingRows(s.db, 100).map((r) => r.seq),
      NOW + 1,
    );
    const r = saveDayRecords(s.db, 's1', day, { consultations: [consult('boris', 1), consult('boris', 2)], sellers: [kpi('boris', day)] }, NOW + 10);
    expect(r.retracted).toEqual({ consulted_visit: 2, seller_daily_kpi: 1 });
    expect(count(s, 'SELECT COUNT(*) AS n FROM consultations')).toBe(2);
    expect(s.db.prepare<[], { seller_id: string }>('SELECT seller_id FROM daily_kpis').all()).toEqual([{ seller_id: 'boris' }]);
    expect(live(s, 'seller_daily_kpi')).toEqual(['boris']);
    expect(live(s, 'consulted_visit')).toEqual(['boris', 'boris']);
    const out = pendingRows(s.db, 100);
    const tomb = out.filter((x) => x.deleted === 1);
    expect(tomb.map((x) => [x.type, x.payload.seller_id, x.payload.day])).toEqual([
      ['consulted_visit', 'anna', day],
      ['consulted_visit', 'anna', day],
      ['seller_daily_kpi', 'anna', day],
    ]);
    expect(tomb.every((x) => x.version >= NOW + 10)).toBe(true);
    // Unchanged recompute: nothing new, nothing retracted.
    expect(
      saveDayRecords(s.db, 's1', day, { consultations: [consult('boris', 1), consult('boris', 2)], sellers: [kpi('boris', day)] }, NOW + 20).retracted,
    ).toEqual({});
    // Anna back with her old figures: a live version again, newer than her tombstone.
    saveDayRecords(s.db, 's1', day, { sellers: [kpi('anna', day), kpi('boris', day)] }, NOW + 30);
    expect(live(s, 'seller_daily_kpi')).toEqual(['anna', 'boris']);
    // A kind not given was not recomputed: the consultations stay.
    expect(live(s, 'consulted_visit')).toEqual(['boris', 'boris']);
    // An empty list is a recompute that yields none: all retracted.
    expect(saveDayRecords(s.db, 's1', day, { consultations: [] }, NOW + 40).retracted).toEqual({ consulted_visit: 2 });
    expect(count(s, 'SELECT COUNT(*) AS n FROM consultations')).toBe(0);
  });

  it('refuses a record of another day, and a camera no longer in the day is retracted', () => {
    const s = mem();
    expect(() => saveDayRecords(s.db, 's1', day, { sellers: [kpi('anna', '2026-11-21')] }, NOW)).toThrow(
      /saveDayRecords\(2026-11-20\): a record of 2026-11-21/,
    );
    saveCameraUptime(
      s.db,
      's1',
      [
        { cameraId: 'cam1', day, upMs: 1, downMs: 0, outages: 0 },
        { cameraId: 'cam2', day, upMs: 1, downMs: 0, outages: 0 },
      ],
      NOW,
    );
    saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day, upMs: 2, downMs: 0, outages: 0 }], NOW + 10);
    expect(count(s, 'SELECT COUNT(*) AS n FROM camera_uptime')).toBe(1);
    expect(pendingRows(s.db, 10).map((r) => [r.payload.camera_id, r.deleted])).toEqual([
      ['cam1', 0],
      ['cam2', 1],
    ]);
  });
});

describe('migration 6 on a box an earlier release wrote', () => {
  it('records from before keep their last payload and day, so a recompute after the upgrade retracts them too', () => {
    const db = new Database(':memory:');
    applyMigrations(
      db,
      NOW,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    // What release 5 wrote: a sent seller-day of anna (outbox row + record_versions without payload).
    const payload = toRecordPayload('seller_daily_kpi', {
      store_id: 's1',
      day: '2026-11-20',
      seller_id: 'anna',
      consultations: 3,
      consulted_buyers: 1,
      receipts_with_consult: 1,
      amount_with_consult_minor: 100,
      receipts_without_consult: 0,
      amount_without_consult_minor: 0,
      consult_duration_ms: 1000,
      customers: 5,
      consulted_customers: 2,
      successful_consultations: 1,
      unsuccessful_consultations: 2,
      time_on_floor_seconds: 60,
    });
    const id = recordIdOf('seller_daily_kpi', payload);
    db.prepare("INSERT INTO outbox (record_type, record_id, version, payload, created_ms, sent_ms) VALUES ('seller_daily_kpi', ?, 7, ?, ?, ?)").run(
      id,
      JSON.stringify(payload),
      NOW,
      NOW,
    );
    db.prepare("INSERT INTO record_versions (record_type, record_id, version, payload_sha) VALUES ('seller_daily_kpi', ?, 7, 'x')").run(id);
    expect(applyMigrations(db, NOW + 1).applied[0]).toBe('6: tombstones and quarantine');
    expect(db.prepare('SELECT day, deleted, payload FROM record_versions').get()).toEqual({ day: '2026-11-20', deleted: 0, payload: JSON.stringify(payload) });
    const r = saveDayRecords(db, 's1', '2026-11-20', { sellers: [kpi('boris', '2026-11-20')] }, NOW + 10);
    expect(r.retracted).toEqual({ seller_daily_kpi: 1 });
    const tomb = pendingRows(db, 10, NOW + 10).find((x) => x.recordId === id);
    expect(tomb).toMatchObject({ deleted: 1, version: NOW + 10, payload: { seller_id: 'anna', consultations: 3 } });
    db.close();
  });
});
