/**
 * The cluster layout's SQL and settings on current ClickHouse (26.x via chdb). chdb is one process
 * without ZooKeeper or remote servers, so the layout itself is proved on 18.16 (cluster.test.ts);
 * here current ClickHouse parses every statement `sync --init --cluster` sends and accepts every
 * setting a box with sync.cluster sends (insert_distributed_sync is an alias of
 * distributed_foreground_insert there), so the same release works against a current cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChdb, startChdb, type Chdb } from '../helpers/chdb.js';
import { planSchema } from '../../agent/src/sync/ddl.js';
import { clusterSettings } from '../../agent/src/sync/service.js';

const quote = (sql: string): string => `'${sql.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

describe.skipIf(!haveChdb())('cluster layout SQL on current ClickHouse (chdb)', () => {
  let ch: Chdb;
  beforeAll(() => {
    ch = startChdb();
  });
  afterAll(async () => {
    await ch?.close();
  });

  it('parses every statement of a fresh `sync --init --cluster` and of a migration', async () => {
    const fresh = planSchema('fs', { tables: [], columns: [] }, 'c1').statements;
    expect(fresh.length).toBeGreaterThan(10);
    for (const sql of fresh) {
      const [r] = await ch.rows(`SELECT formatQuery(${quote(sql)}) AS f`);
      // Parsed and printed back: the statement keeps its ON CLUSTER clause.
      expect(String(r?.f), sql.slice(0, 80)).toMatch(/ON CLUSTER c1/);
    }
    for (const sql of ['ALTER TABLE fs.camera_uptime_local ON CLUSTER c1 ADD COLUMN outages UInt64', 'DROP TABLE IF EXISTS fs.camera_uptime ON CLUSTER c1']) {
      const [r] = await ch.rows(`SELECT formatQuery(${quote(sql)}) AS f`);
      expect(String(r?.f)).toMatch(/ON CLUSTER c1/);
    }
  });

  it('accepts every setting a box on a cluster sends', async () => {
    const settings = Object.entries(clusterSettings(30))
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    expect(await ch.rows(`SELECT 1 AS ok SETTINGS ${settings}`)).toEqual([{ ok: 1 }]);
    // An unknown one is refused, so the check above can fail.
    await expect(ch.rows('SELECT 1 AS ok SETTINGS insert_distributed_sinc = 1')).rejects.toThrow(/Unknown setting|UNKNOWN_SETTING/);
  });
});
