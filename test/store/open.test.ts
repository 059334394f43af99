import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../agent/src/store/open.js';
import { MIGRATIONS, applyMigrations } from '../../agent/src/store/migrations.js';
import { FailureError } from '../../agent/src/core/errors.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'fs-store-'));

function caught(f: () => unknown): FailureError {
  try {
    f();
  } catch (e) {
    if (e instanceof FailureError) return e;
    throw e;
  }
  throw new Error('expected a FailureError');
}

describe('openStore', () => {
  it('creates a WAL database with NORMAL sync, a busy timeout, incremental vacuum and the latest schema', () => {
    const path = join(tmp(), 'sub', 'fs.db');
    const s = openStore(path, { nowMs: NOW, busyTimeoutMs: 1234 });
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(s.db.pragma('auto_vacuum', { simple: true })).toBe(2);
    const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    expect(s.migrations).toEqual({ from: 0, to: latest, applied: MIGRATIONS.map((m) => `${m.version}: ${m.name}`) });
    const tables = s.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    for (const t of [
      'tracks',
      'positions',
      'consultations',
      'receipts',
      'shifts',
      'daily_kpis',
      'hourly_traffic',
      'camera_health',
      'camera_uptime',
      'jobs',
      'checkpoints',
      'outbox',
      'schema_migrations',
    ]) {
      expect(tables).toContain(t);
    }
    s.close();
    const again = openStore(path, { nowMs: NOW + 1 });
    expect(again.migrations).toEqual({ from: latest, to: latest, applied: [] });
    again.close();
  });

  it('drops the never-read visits table from a database written before migration 7, keeping everything else', () => {
    const path = join(tmp(), 'fs.db');
    const raw = new Database(path);
    applyMigrations(
      raw,
      NOW,
      MIGRATIONS.filter((m) => m.version < 7),
    );
    raw.prepare("INSERT INTO visits (id, camera_id, start_ms, end_ms) VALUES ('v1', 'cam1', 1, 2)").run();
    raw.prepare("INSERT INTO receipts (id, t_ms, day, amount_minor) VALUES ('r1', 1, '2026-11-20', 500)").run();
    raw.close();
    const s = openStore(path, { nowMs: NOW });
    expect(s.migrations.applied).toContain('7: drop the unused visits table');
    const names = s.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE name LIKE 'visits%'")
      .all()
      .map((r) => r.name);
    expect(names).toEqual([]); // the table and its index
    expect(s.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM receipts').get()?.n).toBe(1);
    s.close();
  });

  it('applies a failing migration not at all (one transaction)', () => {
    const db = new Database(':memory:');
    const bad = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE ok_one (a); CREATE TABLE broken (' }];
    expect(() => applyMigrations(db, NOW, bad)).toThrow();
    const n = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('tracks', 'ok_one')").get()?.n;
    expect(n).toBe(0);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM schema_migrations').get()?.n).toBe(0);
  });

  it('refuses a database from a newer release and leaves it untouched', () => {
    const path = join(tmp(), 'fs.db');
    openStore(path, { nowMs: NOW }).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations VALUES (999, ?, ?)').run('future', NOW);
    raw.close();
    const e = caught(() => openStore(path, { nowMs: NOW }));
    expect(e.code).toBe('FS_DB');
    expect(e.message).toMatch(/schema is version 999 .*newer release/);
  });

  const garbage: Array<[string, (path: string) => void, RegExp]> = [
    ['not a database at all', (p) => writeFileSync(p, 'this is a text file, not SQLite '.repeat(200)), /corrupt \(SQLITE_NOTADB/],
    [
      'a real database with damaged pages',
      (p) => {
        const s = openStore(p, { nowMs: NOW });
        const ins = s.db.prepare('INSERT INTO positions (track_id, t_ms, x, y, w, h) VALUES (?, ?, 1, 2, 3, 4)');
        s.db.transaction(() => {
          for (let i = 0; i < 20000; i++) ins.run(i % 50, NOW + i);
        })();
        s.db.pragma('wal_checkpoint(TRUNCATE)');
        s.close();
        const size = statSync(p).size;
        const fd = openSync(p, 'r+');
        // Scribble over pages in the second half: b-tree pages of the positions table and its indexes.
        const junk = Buffer.alloc(4096 * 4, 0xa5);
        writeSync(fd, junk, 0, junk.length, Math.floor(size / 2 / 4096) * 4096);
        closeSync(fd);
      },
      /(corrupt|integrity check)/,
    ],
  ];
  it.each(garbage)('corrupt: %s gives FS_DB with the recovery path, file unchanged', (_name, damage, re) => {
    const path = join(tmp(), 'fs.db');
    damage(path);
    const before = readFileSync(path);
    const e = caught(() => openStore(path, { nowMs: NOW }));
    expect(e.code).toBe('FS_DB');
    expect(e.message).toMatch(re);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/\.recover/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('locked by another writer: FS_DB naming the lock, no change to the data', () => {
    const path = join(tmp(), 'fs.db');
    openStore(path, { nowMs: NOW }).close();
    const other = new Database(path);
    other.pragma('journal_mode = WAL');
    other.exec('BEGIN EXCLUSIVE');
    other.exec("INSERT INTO jobs VALUES ('j', 'archive', 'x.mp4', 'pending', 1, 1, NULL)");
    try {
      const t0 = Date.now();
      const e = caught(() => openStore(path, { nowMs: NOW, busyTimeoutMs: 200 }));
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(e.code).toBe('FS_DB');
      expect(e.message).toMatch(/is locked \(SQLITE_BUSY/);
      expect(e.message).toMatch(/fuser/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const s = openStore(path, { nowMs: NOW });
    expect(s.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM jobs').get()?.n).toBe(0);
    s.close();
  });
});
