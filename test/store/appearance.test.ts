/**
 * A track's appearance in the agent's store (migration 9, store/appearance.ts): written with the
 * track by the results writer, one space per ReID model, deleted with its track, and a store from
 * before (schema 8, no embeddings) still reads and rolls up.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { claimArchiveJob, resultsWriter, type TrackSample } from '../../agent/src/agent/results-store.js';
import { tracksOfDay, rollUpKpis } from '../../agent/src/agent/store-day.js';
import { rollUpDay } from '../../agent/src/agent/rollup.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { appearanceOfDay, decodeEmbedding, encodeEmbedding } from '../../agent/src/store/appearance.js';
import { MIGRATIONS, applyMigrations } from '../../agent/src/store/migrations.js';
import { openStore } from '../../agent/src/store/open.js';
import { DAY_MS, emergencyPurge, runRetention } from '../../agent/src/store/retention.js';

const DAY0 = Date.UTC(2026, 10, 20);
const T = DAY0 + 10 * 3_600_000;

/** A unit vector of length `dim` with 1 at `hot` (distinct looks are orthogonal). */
function look(hot: number, dim = 512): Float32Array {
  const v = new Float32Array(dim);
  v[hot] = 1;
  return v;
}

function samples(trackerId: number, fromMs: number, n: number, embedding?: Float32Array): TrackSample[] {
  return Array.from({ length: n }, (_, i) => ({
    trackerId,
    tMs: fromMs + i * 1000,
    x: 100 + i,
    y: 100,
    w: 40,
    h: 100,
    score: 0.9,
    ...(embedding ? { embedding } : {}),
  }));
}

/** Every appearance row, an orphan (its track gone) with key null. */
const rows = (db: Database.Database) =>
  db
    .prepare<[], { key: string | null; model: string; bytes: number }>(
      'SELECT t.track_key AS key, a.model, length(a.embedding) AS bytes FROM track_appearance a LEFT JOIN tracks t ON t.id = a.track_id ORDER BY t.track_key',
    )
    .all();

describe('track appearance in the store', () => {
  it('stores float32 little-endian and reads back the same numbers', () => {
    const v = Float32Array.from([0.1, -0.25, 1e-7, 0.333333]);
    const b = encodeEmbedding(v);
    expect(b.length).toBe(16);
    expect(b.readFloatLE(4)).toBe(v[1]);
    expect(decodeEmbedding(b)).toEqual(v);
    // A view at an odd offset (what a driver may hand back) decodes as well.
    const shifted = Buffer.concat([Buffer.from([7]), b]).subarray(1);
    expect(decodeEmbedding(shifted)).toEqual(v);
  });

  it("keeps each track's latest embedding with its model; a writer without a model stores none", () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const w = resultsWriter(db, 'cam', 'job', 'job', () => 0, 'osnet@0123456789abcdef');
    const early = look(1);
    const later = look(2);
    // Within a batch the last sample's wins (what analyze's sidecar keeps for the track).
    w.write({ samples: [...samples(1, T, 2, early), ...samples(1, T + 2000, 2, later), ...samples(2, T, 3)], positionMs: T + 4000 });
    expect(rows(db)).toEqual([{ key: 'job#1', model: 'osnet@0123456789abcdef', bytes: 2048 }]);
    const one = (): Float32Array =>
      appearanceOfDay(db, DAY0, DAY0 + DAY_MS)
        .byTrack.values()
        .next().value!;
    expect(one()).toEqual(later);
    // The same array again is not rewritten (the tracker replaces it when it blends a new one in):
    // a row changed behind the writer's back stays changed until a new embedding comes.
    db.prepare('UPDATE track_appearance SET embedding = ?').run(encodeEmbedding(look(3)));
    w.write({ samples: samples(1, T + 4000, 2, later), positionMs: T + 6000 });
    expect(one()).toEqual(look(3));
    w.write({ samples: samples(1, T + 6000, 2, look(4)), positionMs: T + 8000 });
    expect(one()).toEqual(look(4));
    const off = resultsWriter(db, 'cam', 'job2', 'job2', () => 0);
    off.write({ samples: samples(1, T, 3, look(5)), positionMs: T + 3000 });
    expect(rows(db).map((r) => r.key)).toEqual(['job#1']);
    close();
  });

  it('gives the roll-up the tracks of the day in the space most of them share, keyed as the MOT rows', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const a = resultsWriter(db, 'cam1', 'live:1', 'live:1', () => 0, 'osnet@aaaa');
    a.write({ samples: [...samples(1, T, 3, look(1)), ...samples(2, T + 10_000, 3, look(2))], positionMs: 0 });
    // A model change later that day: its one track is left without appearance, not compared across spaces.
    const b = resultsWriter(db, 'cam2', 'live:2', 'live:2', () => 0, 'other@bbbb');
    b.write({ samples: [...samples(1, T + 20_000, 3, look(3, 256)), ...samples(2, T + 30_000, 3)], positionMs: 0 });
    const day = appearanceOfDay(db, DAY0, DAY0 + DAY_MS);
    expect(day).toMatchObject({ model: 'osnet@aaaa', dim: 512, otherSpace: 1 });
    const cams = tracksOfDay(db, DAY0, DAY0 + DAY_MS);
    const cam1 = cams.find((c) => c.camera === 'cam1')!;
    const ids = [...new Set(cam1.rows.map((r) => r.id))];
    expect([...cam1.embeddings!.keys()].sort()).toEqual(ids.sort());
    expect(cam1.embeddings!.get(ids[0]!)!.length).toBe(512);
    // A camera none of whose tracks has an embedding in the day's space carries none, like a folder without sidecar.
    expect(cams.find((c) => c.camera === 'cam2')!.embeddings).toBeUndefined();
    // Nothing the day before.
    expect(appearanceOfDay(db, DAY0 - DAY_MS, DAY0)).toEqual({ model: null, dim: 0, byTrack: new Map(), otherSpace: 0 });
    // The roll-up says which space it used and what it left to motion only.
    const r = rollUpDay(db, validateConfig({ store: { id: 's', timezone: 'UTC' } }), '2026-11-20', 0);
    expect(r.appearance).toEqual({ model: 'osnet@aaaa', tracks: 2, otherSpace: 1 });
    close();
  });

  it('goes with its track: retention, the emergency purge and a re-processed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-appearance-'));
    const s = openStore(join(dir, 'fs.db'), { nowMs: 0 });
    const db = s.db;
    const now = T + 5 * DAY_MS;
    const w = resultsWriter(db, 'cam', 'old', 'old', () => 0, 'm@1');
    w.write({ samples: samples(1, T, 3, look(1)), positionMs: 0 }); // 5 days old
    const w2 = resultsWriter(db, 'cam', 'recent', 'recent', () => 0, 'm@1');
    w2.write({ samples: [...samples(1, now - 3_600_000, 3, look(2)), ...samples(2, now - 60_000, 3, look(3))], positionMs: 0 });
    const r = runRetention(db, { nowMs: now, retentionDays: 3, batchRows: 1000, outboxMaxRows: 1000 });
    expect(r.deleted.tracks).toBe(1);
    expect(rows(db).map((x) => x.key)).toEqual(['recent#1', 'recent#2']);
    emergencyPurge(db, { floorBytes: 1, batchRows: 1000, freeBytes: () => (rows(db).length > 1 ? 0 : 1), keepAfterMs: now - 120_000 });
    expect(rows(db).map((x) => x.key)).toEqual(['recent#2']);
    // A file claimed again after a crash: its partial rows go, embeddings included.
    const job = { id: 'file-1', cameraId: 'cam', source: '/x.mp4' };
    claimArchiveJob(db, job, now);
    resultsWriter(db, 'cam', 'file-1', 'file-1', () => 0, 'm@1').write({ samples: samples(7, now - 30_000, 3, look(7)), positionMs: 0 });
    expect(rows(db).map((x) => x.key)).toEqual(['file-1#7', 'recent#2']);
    claimArchiveJob(db, job, now);
    expect(rows(db).map((x) => x.key)).toEqual(['recent#2']);
    s.close();
  });

  it('a store written before migration 9 (no embeddings) upgrades and still rolls up, motion only', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fs-appearance-')), 'fs.db');
    const raw = new Database(path);
    applyMigrations(
      raw,
      0,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    const w = resultsWriter(raw, 'cam', 'live:1', 'live:1', () => 0); // as release 8 wrote: no appearance
    w.write({ samples: samples(1, T, 30), positionMs: 0 });
    raw.close();
    const s = openStore(path, { nowMs: 0 });
    expect(s.migrations.applied).toEqual(['9: appearance of a track', '10: torso colour of a track']);
    const [cam] = tracksOfDay(s.db, DAY0, DAY0 + DAY_MS);
    expect(cam!.rows.length).toBe(30);
    expect(cam!.embeddings).toBeUndefined();
    const r = rollUpKpis(s.db, validateConfig({ store: { id: 's', timezone: 'UTC' } }), '2026-11-20', 0);
    expect(r.storeDay?.rows).toBe(1);
    expect(r.visits).toBe(1);
    s.close();
  });
});
