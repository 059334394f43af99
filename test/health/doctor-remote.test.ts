/**
 * doctor's remote checks against real servers: ClickHouse 18.16 (reach, auth, schema, clock), a
 * schedule served over HTTP and a local one, and the API port held by a foreign program.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../agent/src/config/load.js';
import { checkApiPort, checkClickHouse, checkSchedule } from '../../agent/src/health/doctor.js';
import { initStatements } from '../../agent/src/sync/ddl.js';
import { haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';

const cfgWith = (o: Record<string, unknown>) => validateConfig({ store: { id: 'doc', timezone: 'UTC' }, ...o });

describe.skipIf(!haveClickHouse())('doctor: ClickHouse reach, auth, schema and clock', () => {
  let ch: ClickHouseServer;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.stop();
  });

  it('passes reach and clock, fails the schema until `sync --init` created the tables', async () => {
    const cfg = cfgWith({ sync: { url: ch.url, database: 'fs_doctor' } });
    const before = await checkClickHouse(cfg, Date.now);
    expect(before.map((r) => [r.check, r.status])).toEqual([
      ['clickhouse', 'pass'],
      ['clock', 'pass'],
      ['clickhouse schema', 'fail'],
    ]);
    expect(before[0]!.detail).toMatch(/^ClickHouse 18\.16/);
    expect(before[2]!.fix).toContain('floorsense sync --init');
    for (const sql of initStatements('fs_doctor')) await ch.query(sql);
    const after = await checkClickHouse(cfg, Date.now);
    expect(after.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    // A box clock two minutes fast fails the clock row.
    const skewed = await checkClickHouse(cfg, () => Date.now() + 120_000);
    expect(skewed[1]).toMatchObject({ check: 'clock', status: 'fail' });
  });

  it('a wrong user fails with the credentials fix; an unreachable server with the network fix', async () => {
    const bad = await checkClickHouse(cfgWith({ sync: { url: ch.url, username: 'nobody', password: 'secret-pw-1' } }), Date.now);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.status).toBe('fail');
    expect(bad[0]!.fix).toContain('sync.username');
    expect(JSON.stringify(bad)).not.toContain('secret-pw-1');
    const gone = await checkClickHouse(cfgWith({ sync: { url: 'http://127.0.0.1:1', timeout_s: 2 } }), Date.now);
    expect(gone[0]!.status).toBe('fail');
    expect(gone[0]!.fix).toContain('check sync.url');
  });
});

describe('doctor: schedule source and API port', () => {
  let dir: string;
  let http: Server;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-doctor-'));
    http = createHttpServer((req, res) => {
      if (req.url === '/pub.csv') res.end('date,seller_id,name,start,end\n2026-11-20,s1,Anna,09:00,18:00\n2026-11-20,s2,Boris,25:00,18:00\n');
      else res.writeHead(404).end('no');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const a = http.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((r) => http.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the schedule from a URL and a file; bad rows warn, a dead URL fails', async () => {
    const url = await checkSchedule(cfgWith({ sales: { schedule: { source: `${base}/pub.csv` } } }));
    expect(url.status).toBe('warn');
    expect(url.detail).toMatch(/1 shift\(s\), 1 bad row\(s\), first at line 3/);
    const file = join(dir, 's.csv');
    writeFileSync(file, 'date,seller_id,name,start,end\n2026-11-20,s1,Anna,09:00,18:00\n');
    expect((await checkSchedule(cfgWith({ sales: { schedule: { source: file } } }))).status).toBe('pass');
    expect((await checkSchedule(cfgWith({ sales: { schedule: { source: `${base}/missing.csv` } } }))).status).toBe('fail');
    expect((await checkSchedule(cfgWith({ sales: { schedule: { source: join(dir, 'none.csv') } } }))).status).toBe('fail');
    expect((await checkSchedule(cfgWith({}))).status).toBe('warn');
  });

  it('a port held by another program fails and names the port', async () => {
    // A foreign program that accepts connections and never answers.
    const sockets: Socket[] = [];
    const holder = createServer((sock) => void sockets.push(sock));
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const a = holder.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    try {
      const held = await checkApiPort(cfgWith({ api: { port } }));
      expect(held.status).toBe('fail');
      expect(held.fix).toContain(`:${port}`);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => holder.close(r));
    }
    expect((await checkApiPort(cfgWith({ api: { port } }))).status).toBe('pass');
  });
});
