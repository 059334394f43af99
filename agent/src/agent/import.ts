/**
 * `floorsense import`: saved tracks (the interchange layout `analyze` and `simulate` write) with
 * their receipts and schedule, loaded into the agent's store and rolled up the way a real batch is:
 * each camera's file becomes an archive-style job (claimed, written in batches with checkpoints,
 * finished), receipts and shifts go through the sales importers, and every local day the tracks
 * touch is rolled up by the agent's own KPI roll-up (store-day.ts `rollUpKpis`), which also keeps
 * the dashboard's day view. Any past date works: an export of last month is rolled up here,
 * before the 3-day detail retention would purge it.
 *
 * Importing the same folder again skips the cameras already done (the job is done), so a demo can
 * run it on every start; receipts are stored once by receipt id, and a schedule day is replaced.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { MisuseError } from '../core/errors.js';
import type { Receipt } from '../sales/receipts.js';
import type { Shift } from '../sales/schedule.js';
import { localDate, localDayBounds } from '../core/local-time.js';
import { toStoredReceipt } from '../sales/stored-receipt.js';
import { readCameraTracks } from '../scene/interchange.js';
import { replaceShifts, storeReceipts } from '../store/sales.js';
import { saveSellerNames } from '../store/day-reports.js';
import { SIDECAR_MODEL } from '../store/appearance.js';
import { claimArchiveJob, finishArchiveJob, resultsWriter, type TrackSample } from './results-store.js';
import { rollUpDay, type DayRollupReport } from './rollup.js';

export interface ImportInput {
  readonly tracksDir: string;
  readonly receipts: readonly Receipt[];
  readonly shifts: readonly Shift[];
}

export interface ImportReport {
  readonly cameras: ReadonlyArray<{ readonly camera: string; readonly positions: number; readonly skipped: boolean }>;
  readonly receipts: { readonly inserted: number; readonly updated: number; readonly duplicates: number };
  readonly shifts: number;
  readonly days: readonly DayRollupReport[];
}

const BATCH = 5000;

export function importTracks(db: Database.Database, cfg: Readonly<Config>, input: ImportInput, nowMs: number): ImportReport {
  const tz = cfg.store.timezone;
  // Every configured camera with a track file in the folder, enabled or not: a store config may
  // list cameras whose only data is imported (the demo's simulated week).
  const cams = cfg.cameras.filter((c) => existsSync(join(input.tracksDir, `${c.id}.txt`)));
  if (cams.length === 0) {
    throw new MisuseError('FS_BAD_ARGUMENT', `${input.tracksDir}: no <camera-id>.txt for any configured camera (${cfg.cameras.map((c) => c.id).join(', ')})`, {
      dir: input.tracksDir,
    });
  }
  const days = new Set<string>();
  const cameras: Array<{ camera: string; positions: number; skipped: boolean }> = [];
  for (const cam of cams) {
    const file = readCameraTracks(input.tracksDir, cam.id);
    const tb = file.timebase;
    // The sidecar's embedding of a track (analyze's .emb.json) goes with its samples, so the roll-up
    // stitches this folder with appearance as report does with the same files.
    const looks = file.embeddings;
    // Its torso colour (the sidecar's mean) goes once per track, as a one-pixel sum: the store's mean of it is the sidecar's.
    const colored = new Set<number>();
    const samples: TrackSample[] = file.rows.map((r) => {
      const embedding = looks?.get(r.id);
      const c = colored.has(r.id) ? undefined : file.colors?.get(r.id);
      if (c) colored.add(r.id);
      return {
        trackerId: r.id,
        tMs: Math.round(tb.startMs + ((r.frame - 1) * 1000) / tb.fps),
        x: r.x,
        y: r.y,
        w: r.w,
        h: r.h,
        score: r.conf,
        frameWidth: tb.width,
        frameHeight: tb.height,
        ...(embedding ? { embedding } : {}),
        ...(c ? { torso: { n: 1, r: c[0], g: c[1], b: c[2] } } : {}),
      };
    });
    samples.sort((a, b) => a.tMs - b.tMs);
    for (const s of [samples[0], samples[samples.length - 1]]) if (s) days.add(localDate(s.tMs, tz));
    // One job per camera file, keyed by its absolute path: a re-import of a done file is skipped.
    const source = resolve(input.tracksDir, `${cam.id}.txt`);
    const claimed = claimArchiveJob(db, { id: `import:${cam.id}:${source}`, cameraId: cam.id, source }, nowMs);
    if (!claimed) {
      cameras.push({ camera: cam.id, positions: 0, skipped: true });
      continue;
    }
    const writer = resultsWriter(db, cam.id, claimed.job.id, claimed.job.id, () => nowMs, looks ? SIDECAR_MODEL : null);
    let n = 0;
    try {
      for (let i = 0; i < samples.length; i += BATCH) {
        const batch = samples.slice(i, i + BATCH);
        n += writer.write({ samples: batch, positionMs: batch[batch.length - 1]!.tMs });
      }
      finishArchiveJob(db, claimed.job.id, nowMs, null);
    } catch (e) {
      finishArchiveJob(db, claimed.job.id, nowMs, (e as Error).message);
      throw e;
    }
    cameras.push({ camera: cam.id, positions: n, skipped: false });
  }
  // Days between the first and the last sample too (a file spanning midnight).
  const sorted = [...days].sort();
  if (sorted.length > 1) {
    for (let d = sorted[0]!; d < sorted[sorted.length - 1]!; ) {
      d = localDate(localDayBounds(d, tz)[1] + 3_600_000, tz);
      days.add(d);
    }
  }
  const receipts = storeReceipts(
    db,
    input.receipts.map((r) => toStoredReceipt(r, tz)),
  );
  replaceShifts(
    db,
    input.shifts.map((s) => ({ date: s.date, sellerId: s.sellerId, startMs: s.start, endMs: s.end })),
    (d) => localDayBounds(d, tz),
  );
  saveSellerNames(db, new Map(input.shifts.map((s) => [s.sellerId, s.name])), nowMs);
  const dayList = [...days].sort();
  // The agent's own roll-up of a day (coverage, KPIs, chain records in one transaction), here on
  // the CLI's thread: a one-shot command has no event loop to keep answering.
  const rolled = dayList.map((d) => rollUpDay(db, cfg, d, nowMs));
  return {
    cameras,
    receipts: { inserted: receipts.inserted, updated: receipts.updated, duplicates: receipts.duplicates },
    shifts: input.shifts.length,
    days: rolled,
  };
}
