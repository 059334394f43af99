/**
 * Versioned schema migrations. Each entry is applied once, in order, inside ONE transaction at
 * start (with the bookkeeping row), so a crash mid-upgrade leaves the previous schema intact.
 * Append new versions; never edit an applied one.
 *
 * Conventions: times are UTC milliseconds (`*_ms`) taken from the video, never processing time;
 * `day` is the store-local calendar day 'YYYY-MM-DD' computed by the caller from the store's zone.
 * Money is integer minor units (`*_minor`, e.g. kopecks) so sums are exact.
 */
import type Database from 'better-sqlite3';
import { FailureError } from '../core/errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'detail, aggregates, jobs, outbox',
    sql: `
      -- Detail: kept retention_days, then deleted in batches.
      CREATE TABLE tracks (
        id INTEGER PRIMARY KEY,
        camera_id TEXT NOT NULL,
        track_key TEXT NOT NULL,          -- the tracker's id, unique per camera and job
        role TEXT,                        -- 'staff' | 'customer' | NULL while unknown
        seller_id TEXT,                   -- pseudonymous; set when the track is a known seller
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        UNIQUE (camera_id, track_key)
      );
      CREATE INDEX tracks_last_ms ON tracks (last_ms);
      CREATE TABLE positions (
        track_id INTEGER NOT NULL,        -- tracks.id (no FK: inserts must stay cheap)
        t_ms INTEGER NOT NULL,
        x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,  -- box, source pixels
        floor_x REAL, floor_y REAL,       -- metres on the floor plan when a homography exists
        score REAL
      );
      -- One index only: a (track_id, t_ms) index cut insert throughput ~3x in agent/bench/store.ts;
      -- a trajectory is read through its track's [first_ms, last_ms] window on this index instead.
      CREATE INDEX positions_t_ms ON positions (t_ms);
      CREATE TABLE visits (
        id TEXT PRIMARY KEY,              -- random visit id
        camera_id TEXT NOT NULL,
        track_id INTEGER,
        zone TEXT,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL
      );
      CREATE INDEX visits_start_ms ON visits (start_ms);
      CREATE TABLE consultations (
        id TEXT PRIMARY KEY,
        visit_id TEXT NOT NULL,
        seller_id TEXT NOT NULL,
        camera_id TEXT NOT NULL,
        day TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        floor_x REAL, floor_y REAL,       -- where it happened: local review only, never synced
        receipt_id TEXT,
        amount_minor INTEGER
      );
      CREATE INDEX consultations_start_ms ON consultations (start_ms);
      CREATE TABLE receipts (
        id TEXT PRIMARY KEY,              -- POS receipt id
        t_ms INTEGER NOT NULL,
        day TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
        register_id TEXT,
        seller_id TEXT
      );
      CREATE INDEX receipts_t_ms ON receipts (t_ms);
      CREATE TABLE shifts (
        id INTEGER PRIMARY KEY,
        seller_id TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        source TEXT NOT NULL DEFAULT 'schedule'
      );
      CREATE INDEX shifts_start_ms ON shifts (start_ms);
      CREATE TABLE camera_health (
        camera_id TEXT NOT NULL,
        t_ms INTEGER NOT NULL,
        state TEXT NOT NULL,              -- 'up' | 'down' | 'degraded'
        fps REAL,
        detail TEXT
      );
      CREATE INDEX camera_health_t_ms ON camera_health (t_ms);

      -- Aggregates: small; the outbox copy is what leaves the box.
      CREATE TABLE daily_kpis (
        seller_id TEXT NOT NULL,
        day TEXT NOT NULL,
        consultations INTEGER NOT NULL,
        consulted_buyers INTEGER NOT NULL,
        receipts_with_consult INTEGER NOT NULL,
        amount_with_consult_minor INTEGER NOT NULL,
        receipts_without_consult INTEGER NOT NULL,
        amount_without_consult_minor INTEGER NOT NULL,
        consult_duration_ms INTEGER NOT NULL,
        computed_ms INTEGER NOT NULL,
        PRIMARY KEY (seller_id, day)
      );
      CREATE TABLE hourly_traffic (
        hour_ms INTEGER PRIMARY KEY,      -- UTC start of the hour
        day TEXT NOT NULL,
        visits INTEGER NOT NULL,
        consultations INTEGER NOT NULL,
        receipts INTEGER NOT NULL,
        dwell_ms INTEGER NOT NULL,
        computed_ms INTEGER NOT NULL
      );
      CREATE TABLE camera_uptime (
        camera_id TEXT NOT NULL,
        day TEXT NOT NULL,
        up_ms INTEGER NOT NULL,
        down_ms INTEGER NOT NULL,
        outages INTEGER NOT NULL,
        computed_ms INTEGER NOT NULL,
        PRIMARY KEY (camera_id, day)
      );

      -- Processing jobs (archive files, live sessions) and where each resumes after a restart.
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,               -- 'archive' | 'live'
        source TEXT NOT NULL,
        state TEXT NOT NULL,              -- 'pending' | 'running' | 'done' | 'failed'
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        error TEXT
      );
      CREATE TABLE checkpoints (
        job_id TEXT NOT NULL,
        camera_id TEXT NOT NULL,
        position_ms INTEGER NOT NULL,     -- video time processed up to (inclusive)
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (job_id, camera_id)
      );

      -- Outbox: one row per version of an aggregate record, sent in seq order.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        record_type TEXT NOT NULL,
        record_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        payload TEXT NOT NULL,            -- JSON of whitelisted columns only
        created_ms INTEGER NOT NULL,
        sent_ms INTEGER
      );
      CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_ms IS NULL;
      CREATE INDEX outbox_record ON outbox (record_type, record_id);
      CREATE INDEX outbox_sent_ms ON outbox (sent_ms) WHERE sent_ms IS NOT NULL;
      -- Last version handed out per record, kept after its outbox rows are purged so versions
      -- stay monotonic for the life of the database.
      CREATE TABLE record_versions (
        record_type TEXT NOT NULL,
        record_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        payload_sha TEXT NOT NULL,        -- unchanged recomputations add no new version
        PRIMARY KEY (record_type, record_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'sales imports',
    sql: `
      -- Receipt files already imported from the POS folder, so each is read once. A file is known by
      -- its content hash (a copy under another name is the same file); name, size and mtime let a
      -- scan skip files it has seen without reading them again.
      CREATE TABLE sales_imports (
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        imported_ms INTEGER NOT NULL,
        receipts INTEGER NOT NULL,        -- rows stored (new or changed)
        problems INTEGER NOT NULL,        -- bad rows skipped
        PRIMARY KEY (name, size, mtime_ms)
      );
      CREATE INDEX sales_imports_sha256 ON sales_imports (sha256);
    `,
  },
  {
    version: 3,
    name: 'drift days',
    sql: `
      -- Drift monitoring (health/drift.ts, agent/drift-monitor.ts): one row per camera and
      -- store-local day, accumulated from the detections as they come (so a restart keeps the day)
      -- and judged against the camera's previous days by the daily roll-up. Kept far longer than
      -- the detail (it is the baseline): one small row per camera-day.
      CREATE TABLE drift_days (
        camera_id TEXT NOT NULL,
        day TEXT NOT NULL,
        hist TEXT NOT NULL,               -- JSON array of 100 confidence-bin counts over [0, 1]
        n INTEGER NOT NULL,               -- detections counted
        score_sum REAL NOT NULL,
        observed_ms INTEGER NOT NULL,     -- video time seen during opening hours
        updated_ms INTEGER NOT NULL,
        -- Set by the daily judgement (NULL until then):
        judged_ms INTEGER,
        people INTEGER,                   -- tracks that lasted long enough, in opening hours
        detections INTEGER,
        mean_confidence REAL, p10_confidence REAL, p50_confidence REAL, p90_confidence REAL,
        people_per_hour REAL,
        PRIMARY KEY (camera_id, day)
      ) WITHOUT ROWID;
      -- Marked shifts found by the last judgement of a camera-day (replaced on re-judgement).
      CREATE TABLE drift_warnings (
        camera_id TEXT NOT NULL,
        day TEXT NOT NULL,
        metric TEXT NOT NULL,
        value REAL NOT NULL,
        baseline_median REAL NOT NULL,
        z REAL NOT NULL,
        baseline_days INTEGER NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (camera_id, day, metric)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'day reports and seller names',
    sql: `
      -- Rowid tables (not WITHOUT ROWID): retention deletes by rowid in batches.
      -- The whole day report (metrics/kpis.ts DayReport, JSON) per store-local day, written by the
      -- KPI roll-up: the dashboard's history once the 3-day detail is gone. A few KB a day, kept
      -- storage.kpi_retention_days. Local only: the chain gets its records through the outbox.
      CREATE TABLE day_reports (
        day TEXT PRIMARY KEY,
        report TEXT NOT NULL,
        computed_ms INTEGER NOT NULL
      );
      -- Display names from the shift schedule (shifts themselves are detail and go after 3 days),
      -- so the dashboard names a seller on every day it shows. Local only: never synced.
      CREATE TABLE seller_names (
        seller_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        updated_ms INTEGER NOT NULL
      );
      -- The receipt's currency (ISO 4217) as the POS wrote it, for money on the dashboard; NULL: none given.
      ALTER TABLE receipts ADD COLUMN currency TEXT;
    `,
  },
  {
    version: 5,
    name: 'chain records',
    sql: `
      -- Issue 10 (the chain's view): seller-day gains its denominators and time on floor, the
      -- store-hour row what the chain's hourly charts show, and a store-day row exists (also for a
      -- store without a schedule). Older rows read 0 until their day is rolled up again.
      ALTER TABLE daily_kpis ADD COLUMN customers INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE daily_kpis ADD COLUMN consulted_customers INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE daily_kpis ADD COLUMN successful_consultations INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE daily_kpis ADD COLUMN unsuccessful_consultations INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE daily_kpis ADD COLUMN time_on_floor_seconds INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE hourly_traffic ADD COLUMN staff_seconds INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE hourly_traffic ADD COLUMN sellers_seen INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE hourly_traffic ADD COLUMN receipts_amount_minor INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE store_days (
        day TEXT PRIMARY KEY,
        visitors INTEGER NOT NULL,
        consulted_customers INTEGER NOT NULL,
        consultations INTEGER NOT NULL,
        successful_consultations INTEGER NOT NULL,
        unsuccessful_consultations INTEGER NOT NULL,
        consult_duration_ms INTEGER NOT NULL,
        buying_customers INTEGER NOT NULL,
        buyers_with_consult INTEGER NOT NULL,
        amount_with_consult_minor INTEGER NOT NULL,
        buyers_without_consult INTEGER NOT NULL,
        amount_without_consult_minor INTEGER NOT NULL,
        receipts INTEGER NOT NULL,
        receipts_amount_minor INTEGER NOT NULL,
        sellers_on_shift INTEGER NOT NULL,
        staff_seconds INTEGER NOT NULL,
        cameras INTEGER NOT NULL,
        camera_up_ms INTEGER NOT NULL,
        camera_down_ms INTEGER NOT NULL,
        computed_ms INTEGER NOT NULL
      );                                  -- a rowid table: retention deletes by rowid in batches
      -- Privacy (issue 14 item 9): per-consultation records (second-level start, exact amount) no
      -- longer leave the box. Unsent ones are dropped here; the roll-up sends their days again as
      -- consulted_visit records (per seller and visit, start to the minute, no amount).
      DELETE FROM outbox WHERE record_type = 'consultation' AND sent_ms IS NULL;
      DELETE FROM record_versions WHERE record_type = 'consultation';
    `,
  },
  {
    version: 6,
    name: 'tombstones and quarantine',
    sql: `
      -- Issue 14 item 1: a recompute of a day retracts the records it no longer yields (a seller
      -- swapped in the schedule). The retraction is a tombstone version (deleted = 1) carrying the
      -- record's last payload, so it lands in the same central partition (by day) and the
      -- ReplacingMergeTree keeps it as the newest version; record_versions therefore keeps the last
      -- payload and its day. Rows from before read the payload of their outbox version where the
      -- retention has not purged it; the rest cannot be retracted (they predate this release).
      ALTER TABLE outbox ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      -- Issue 14 item 6: a row the whitelist refuses is set aside, not retried forever.
      ALTER TABLE outbox ADD COLUMN quarantined_ms INTEGER;
      ALTER TABLE outbox ADD COLUMN quarantine_reason TEXT;
      ALTER TABLE record_versions ADD COLUMN payload TEXT;
      ALTER TABLE record_versions ADD COLUMN day TEXT;
      ALTER TABLE record_versions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      UPDATE record_versions SET payload = (
        SELECT o.payload FROM outbox o
        WHERE o.record_type = record_versions.record_type AND o.record_id = record_versions.record_id AND o.version = record_versions.version
      );
      UPDATE record_versions SET day = json_extract(payload, '$.day') WHERE payload IS NOT NULL AND json_valid(payload);
      CREATE INDEX record_versions_day ON record_versions (record_type, day) WHERE deleted = 0;
    `,
  },
  {
    version: 7,
    name: 'drop the unused visits table',
    sql: `
      -- Issue 14 item 10: nothing ever read this table and only tests wrote it. The day's visits are
      -- derived from the stored positions by the roll-up and the API (agent/store-day.ts), and what
      -- leaves the box is the consulted_visit record; a second, never-filled copy only misled. Its
      -- index goes with it.
      DROP TABLE IF EXISTS visits;
    `,
  },
  {
    version: 8,
    name: 'frame size of a track',
    sql: `
      -- The size (pixels) of the picture a track's boxes are in, from the decoded frame. Without it
      -- the roll-up's pixel fallback (no floor homography: every freshly installed camera) had no
      -- focal length and no image centre, so distances had no depth. NULL: stored before this
      -- version (the roll-up then knows no size for those rows, as before).
      ALTER TABLE tracks ADD COLUMN frame_width INTEGER;
      ALTER TABLE tracks ADD COLUMN frame_height INTEGER;
    `,
  },
  {
    version: 9,
    name: 'appearance of a track',
    sql: `
      -- Issue 12: one appearance embedding per track (the tracker's L2-normalised EMA of the OSNet
      -- embeddings at the track's last matched frame: what analyze writes to <camera>.emb.json),
      -- so the roll-up stitches with appearance as report does with the sidecar. Detail: it goes
      -- with its track (the trigger below: retention, the emergency purge and a re-processed
      -- file's purge all delete tracks), and never leaves the box (the sync whitelist has no
      -- such column). Its own table, not columns of tracks: 2 KB a row would make every scan
      -- of tracks (drift counts, the dangling-up check) read 2 KB per track.
      CREATE TABLE track_appearance (
        track_id INTEGER PRIMARY KEY,     -- tracks.id
        model TEXT NOT NULL,              -- the ReID model, '<name>@<sha256, 16 hex>': one space per model
        embedding BLOB NOT NULL           -- float32 little-endian, 4 bytes x the model's dimension
      );
      CREATE TRIGGER track_appearance_with_track AFTER DELETE ON tracks BEGIN
        DELETE FROM track_appearance WHERE track_id = OLD.id;
      END;
    `,
  },
  {
    version: 10,
    name: 'torso colour of a track',
    sql: `
      -- Issue 12: the running sums of a track's torso pixels (pipeline/torso-color.ts: the middle
      -- of each matched box), so the roll-up can weigh a uniform colour hint
      -- (analytics.roles.uniform) as report does with the colors of <camera>.emb.json. Sums, not
      -- the mean, so each batch adds its sightings in its own transaction. Detail like the
      -- appearance: deleted with its track, never synced; three numbers of a person's clothes,
      -- no picture.
      CREATE TABLE track_color (
        track_id INTEGER PRIMARY KEY,     -- tracks.id
        n INTEGER NOT NULL,               -- pixels summed
        r REAL NOT NULL, g REAL NOT NULL, b REAL NOT NULL
      );
      CREATE TRIGGER track_color_with_track AFTER DELETE ON tracks BEGIN
        DELETE FROM track_color WHERE track_id = OLD.id;
      END;
    `,
  },
]);

export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Bring the schema to the latest version in one transaction. A database written by a newer
 * FloorSense (unknown version) is refused rather than guessed at.
 */
export function applyMigrations(db: Database.Database, nowMs: number, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)');
  const run = db.transaction((): MigrationReport => {
    const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get();
    const from = row?.v ?? 0;
    const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
    if (from > latest) {
      throw new FailureError(
        'FS_DB',
        `database schema is version ${from} but this FloorSense knows up to ${latest}: it was written by a newer release; upgrade FloorSense (the database was not touched)`,
        { schemaVersion: from, known: latest },
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)');
    const applied: string[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, nowMs);
      applied.push(`${m.version}: ${m.name}`);
    }
    return { from, to: Math.max(from, latest), applied };
  });
  return run.immediate();
}
