import { describe, expect, it } from 'vitest';
import { openStore } from '../../agent/src/store/open.js';
import { insertPositions, trackPositions, upsertTrack, receiptsBetween } from '../../agent/src/store/detail.js';
import { storeReceipts } from '../../agent/src/store/sales.js';
import { ensureJob, getCheckpoint, getJob, saveCheckpoint, setJobState } from '../../agent/src/store/jobs.js';

const NOW = Date.UTC(2026, 10, 20, 12);

describe('detail repository', () => {
  it('stores per-frame positions and reads a trajectory back in time order through the time index', () => {
    const s = openStore(':memory:', { nowMs: NOW });
    const a = upsertTrack(s.db, { cameraId: 'cam1', trackKey: 'j1:7', firstMs: NOW, lastMs: NOW + 400 });
    const b = upsertTrack(s.db, { cameraId: 'cam2', trackKey: 'j1:7', firstMs: NOW, lastMs: NOW + 400 });
    // Extending a track widens its window and keeps its id.
    expect(upsertTrack(s.db, { cameraId: 'cam1', trackKey: 'j1:7', firstMs: NOW + 200, lastMs: NOW + 600, role: 'staff', sellerId: 'seller-01' })).toBe(a);
    insertPositions(s.db, [
      { trackId: a, tMs: NOW + 600, x: 3, y: 3, w: 10, h: 20 },
      { trackId: b, tMs: NOW + 200, x: 9, y: 9, w: 10, h: 20 },
      { trackId: a, tMs: NOW, x: 1, y: 1, w: 10, h: 20, floorX: 0.5, floorY: 1.5 },
      { trackId: a, tMs: NOW + 200, x: 2, y: 2, w: 10, h: 20 },
    ]);
    expect(trackPositions(s.db, a)).toEqual([
      { tMs: NOW, x: 1, y: 1, w: 10, h: 20, floorX: 0.5, floorY: 1.5 },
      { tMs: NOW + 200, x: 2, y: 2, w: 10, h: 20, floorX: null, floorY: null },
      { tMs: NOW + 600, x: 3, y: 3, w: 10, h: 20, floorX: null, floorY: null },
    ]);
    const plan = s.db
      .prepare<[number, number], { detail: string }>(
        'EXPLAIN QUERY PLAN SELECT p.t_ms FROM tracks t JOIN positions p ON p.t_ms BETWEEN t.first_ms AND t.last_ms AND p.track_id = ? WHERE t.id = ?',
      )
      .all(a, a)
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/positions_t_ms/);
    expect(s.db.prepare<[], { role: string; seller_id: string }>(`SELECT role, seller_id FROM tracks WHERE id = ${a}`).get()).toEqual({
      role: 'staff',
      seller_id: 'seller-01',
    });
  });

  it('re-imported receipts replace the earlier copy', () => {
    const s = openStore(':memory:', { nowMs: NOW });
    expect(storeReceipts(s.db, [{ id: 'r1', tMs: NOW, day: '2026-11-20', amountMinor: 100, registerId: null, sellerId: null }])).toMatchObject({
      inserted: 1,
      updated: 0,
    });
    expect(storeReceipts(s.db, [{ id: 'r1', tMs: NOW, day: '2026-11-20', amountMinor: 150, registerId: null, sellerId: 'seller-02' }])).toMatchObject({
      inserted: 0,
      updated: 1,
    });
    expect(receiptsBetween(s.db, NOW, NOW + 1)).toEqual([
      { id: 'r1', tMs: NOW, day: '2026-11-20', amountMinor: 150, registerId: null, sellerId: 'seller-02', currency: null },
    ]);
  });

  it('jobs are idempotent on restart and checkpoints never move backwards', () => {
    const s = openStore(':memory:', { nowMs: NOW });
    const j = ensureJob(s.db, { id: 'archive:cam1:2026-11-20', kind: 'archive', source: '/srv/cam1.mp4' }, NOW);
    expect(j).toEqual({
      id: 'archive:cam1:2026-11-20',
      kind: 'archive',
      source: '/srv/cam1.mp4',
      state: 'pending',
      createdMs: NOW,
      updatedMs: NOW,
      error: null,
    });
    expect(setJobState(s.db, j.id, 'running', NOW + 1)).toBe(true);
    expect(ensureJob(s.db, { id: j.id, kind: 'archive', source: '/srv/cam1.mp4' }, NOW + 2).state).toBe('running');
    saveCheckpoint(s.db, j.id, 'cam1', 60_000, NOW + 3);
    saveCheckpoint(s.db, j.id, 'cam1', 30_000, NOW + 4);
    expect(getCheckpoint(s.db, j.id, 'cam1')).toBe(60_000);
    expect(getCheckpoint(s.db, j.id, 'cam9')).toBeUndefined();
    setJobState(s.db, j.id, 'failed', NOW + 5, 'ffmpeg exited 1');
    expect(getJob(s.db, j.id)).toMatchObject({ state: 'failed', error: 'ffmpeg exited 1', updatedMs: NOW + 5 });
    expect(setJobState(s.db, 'nope', 'done', NOW)).toBe(false);
  });
});
