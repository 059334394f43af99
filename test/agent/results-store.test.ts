import { describe, expect, it } from 'vitest';
import { openStore } from '../../agent/src/store/open.js';
import { claimArchiveJob, finishArchiveJob, resultsWriter } from '../../agent/src/agent/results-store.js';
import { scopeRowCounts } from '../../agent/src/store/detail.js';
import { archiveJobs, touchFinishedJobs } from '../../agent/src/store/jobs.js';
import { runRetention } from '../../agent/src/store/retention.js';
import { getCheckpoint } from '../../agent/src/store/jobs.js';

const sample = (trackerId: number, tMs: number) => ({ trackerId, tMs, x: 1, y: 2, w: 3, h: 4, score: 0.9 });

describe('archive job bookkeeping in SQLite', () => {
  it('claim, write, crash, re-claim purges the partial rows; done is never claimed again', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const job = { id: 'archive:cam:a.mp4', cameraId: 'cam', source: '/x/a.mp4' };
    const other = { id: 'archive:cam:b.mp4', cameraId: 'cam', source: '/x/b.mp4' };
    expect(claimArchiveJob(db, job, 1)?.purged).toBe(0);
    expect(claimArchiveJob(db, other, 1)?.purged).toBe(0);
    const w = resultsWriter(db, 'cam', job.id, job.id, () => 2);
    expect(w.write({ samples: [sample(1, 1000), sample(2, 1000)], positionMs: 1000 })).toBe(2);
    expect(w.write({ samples: [sample(1, 2000)], positionMs: 2000 })).toBe(1);
    resultsWriter(db, 'cam', other.id, other.id, () => 2).write({ samples: [sample(1, 5000)], positionMs: 5000 });
    expect(getCheckpoint(db, job.id, 'cam')).toBe(2000);
    expect(scopeRowCounts(db, 'cam', job.id)).toEqual({ tracks: 2, positions: 3 });

    // The process died: the job is still 'running'; claiming it again starts it from scratch.
    const again = claimArchiveJob(db, job, 3);
    expect(again?.purged).toBe(3);
    expect(again?.job.state).toBe('running');
    expect(scopeRowCounts(db, 'cam', job.id)).toEqual({ tracks: 0, positions: 0 });
    expect(getCheckpoint(db, job.id, 'cam')).toBeUndefined();
    expect(scopeRowCounts(db, 'cam', other.id)).toEqual({ tracks: 1, positions: 1 }); // untouched

    finishArchiveJob(db, job.id, 4, null);
    finishArchiveJob(db, other.id, 4, 'cam: not a video ffmpeg can decode');
    expect(claimArchiveJob(db, job, 5)).toBeNull();
    expect(claimArchiveJob(db, other, 5)).toBeNull(); // failed files are not retried on their own
    expect(archiveJobs(db, 'archive:cam:').map((j) => [j.id, j.state, j.error])).toEqual([
      [job.id, 'done', null],
      [other.id, 'failed', 'cam: not a video ffmpeg can decode'],
    ]);
    close();
  });

  it('a track seen across batches stays one row whose span grows', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const w = resultsWriter(db, 'cam', 'live:1', 'live:cam:1', () => 0);
    w.write({ samples: [sample(7, 1000)], positionMs: 1000 });
    w.write({ samples: [sample(7, 3000)], positionMs: 3000 });
    expect(db.prepare('SELECT track_key, first_ms, last_ms FROM tracks').all()).toEqual([{ track_key: 'live:1#7', first_ms: 1000, last_ms: 3000 }]);
    close();
  });

  it('a finished file still in its folder outlives retention because each scan touches its job', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const DAY = 86_400_000;
    for (const id of ['archive:cam:kept.mp4', 'archive:cam:gone.mp4']) {
      claimArchiveJob(db, { id, cameraId: 'cam', source: id }, 0);
      finishArchiveJob(db, id, 0, null);
    }
    expect(touchFinishedJobs(db, ['archive:cam:kept.mp4', 'archive:cam:never-seen.mp4'], 4 * DAY)).toBe(1);
    runRetention(db, { nowMs: 5 * DAY, retentionDays: 3, batchRows: 100, outboxMaxRows: 1000 }, () => 5 * DAY);
    expect(archiveJobs(db, 'archive:cam:').map((j) => j.id)).toEqual(['archive:cam:kept.mp4']);
    expect(claimArchiveJob(db, { id: 'archive:cam:kept.mp4', cameraId: 'cam', source: 'x' }, 5 * DAY)).toBeNull();
    close();
  });
});
