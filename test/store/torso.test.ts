/**
 * A track's torso colour in the agent's store (migration 10, store/torso.ts): the results writer
 * adds each batch's torso sums to the track's row, the roll-up reads their mean as `report` reads
 * the `colors` of `<camera>.emb.json`, the row goes with its track, and a store from before
 * (schema 9) upgrades and its writer keeps working.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { claimArchiveJob, resultsWriter, type TrackSample } from '../../agent/src/agent/results-store.js';
import { tracksOfDay } from '../../agent/src/agent/store-day.js';
import { MIGRATIONS, applyMigrations } from '../../agent/src/store/migrations.js';
import { openStore } from '../../agent/src/store/open.js';
import { DAY_MS } from '../../agent/src/store/retention.js';

const DAY0 = Date.UTC(2026, 10, 20);
const T = DAY0 + 10 * 3_600_000;

function samples(trackerId: number, fromMs: number, n: number, torso?: TrackSample['torso']): TrackSample[] {
  return Array.from({ length: n }, (_, i) => ({
    trackerId,
    tMs: fromMs + i * 1000,
    x: 100 + i,
    y: 100,
    w: 40,
    h: 100,
    score: 0.9,
    ...(torso ? { torso } : {}),
  }));
}

const colorRows = (db: Database.Database) =>
  db
    .prepare<[], { key: string | null; n: number }>(
      'SELECT t.track_key AS key, c.n FROM track_color c LEFT JOIN tracks t ON t.id = c.track_id ORDER BY t.track_key',
    )
    .all();

describe('track torso colour in the store', () => {
  it('adds the sums of every batch and every sample; the day reads their mean, a track without any has none', () => {
    const s = openStore(join(mkdtempSync(join(tmpdir(), 'fs-torso-')), 'fs.db'), { nowMs: 0 });
    const w = resultsWriter(s.db, 'cam', 'live:1', 'live:1', () => 0);
    // Two batches of track 1: 3 samples of 10 pixels at (100, 50, 20), then 1 of 30 pixels at (200, 90, 40).
    w.write({ samples: samples(1, T, 3, { n: 10, r: 1000, g: 500, b: 200 }), positionMs: T + 2000 });
    w.write({ samples: [...samples(1, T + 3000, 1, { n: 30, r: 6000, g: 2700, b: 1200 }), ...samples(2, T, 4)], positionMs: T + 4000 });
    expect(colorRows(s.db)).toEqual([{ key: 'live:1#1', n: 60 }]);
    const [cam] = tracksOfDay(s.db, DAY0, DAY0 + DAY_MS);
    const ids = [...new Set(cam!.rows.map((r) => r.id))];
    expect(ids.length).toBe(2);
    // (3 x 1000 + 6000) / 60 = 150, (1500 + 2700) / 60 = 70, (600 + 1200) / 60 = 30.
    expect([...cam!.colors!.values()]).toEqual([[150, 70, 30]]);
    s.close();
  });

  it('goes with its track: a re-claimed archive file deletes the colours of the rows it replaces', () => {
    const s = openStore(join(mkdtempSync(join(tmpdir(), 'fs-torso-')), 'fs.db'), { nowMs: 0 });
    const job = { id: 'file-1', cameraId: 'cam', source: '/x/file-1.mp4' };
    claimArchiveJob(s.db, job, 0);
    resultsWriter(s.db, 'cam', 'file-1', 'file-1', () => 0).write({ samples: samples(7, T, 3, { n: 5, r: 5, g: 5, b: 5 }), positionMs: 0 });
    resultsWriter(s.db, 'cam', 'live:1', 'live:1', () => 0).write({ samples: samples(2, T, 3, { n: 5, r: 5, g: 5, b: 5 }), positionMs: 0 });
    expect(colorRows(s.db).map((r) => r.key)).toEqual(['file-1#7', 'live:1#2']);
    claimArchiveJob(s.db, job, 0);
    expect(colorRows(s.db).map((r) => r.key)).toEqual(['live:1#2']);
    s.close();
  });

  it('a store written at schema 9 (no colours) upgrades; a writer there stores rows without colours', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fs-torso-')), 'fs.db');
    const raw = new Database(path);
    applyMigrations(
      raw,
      0,
      MIGRATIONS.filter((m) => m.version <= 9),
    );
    resultsWriter(raw, 'cam', 'live:1', 'live:1', () => 0).write({ samples: samples(1, T, 5), positionMs: 0 });
    raw.close();
    const s = openStore(path, { nowMs: 0 });
    expect(s.migrations.applied).toEqual(['10: torso colour of a track']);
    const [cam] = tracksOfDay(s.db, DAY0, DAY0 + DAY_MS);
    expect(cam!.rows.length).toBe(5);
    expect(cam!.colors).toBeUndefined();
    s.close();
  });
});
