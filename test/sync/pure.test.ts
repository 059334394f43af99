import { describe, expect, it } from 'vitest';
import { centralRow, chDateTime, type DrainReport } from '../../agent/src/sync/drain.js';
import {
  centralColumnTypes,
  centralColumns,
  checkCluster,
  createTableSql,
  dashboardUserSql,
  initStatements,
  planSchema,
  VIEW_NAMES,
  type CentralCatalog,
} from '../../agent/src/sync/ddl.js';
import { runSyncLoop } from '../../agent/src/sync/loop.js';
import { clusterSettings } from '../../agent/src/sync/service.js';
import { printableUrl, remoteError } from '../../agent/src/sync/clickhouse.js';
import { FailureError, MisuseError } from '../../agent/src/core/errors.js';
import { RECORD_SPECS, RECORD_TYPES } from '../../agent/src/store/records.js';

describe('central rows and DDL', () => {
  it('formats times as UTC DateTime text and keeps only whitelisted columns', () => {
    expect(chDateTime(Date.UTC(2026, 10, 20, 9, 5, 7, 900))).toBe('2026-11-20 09:05:07');
    const row = centralRow({
      seq: 1,
      type: 'store_hourly_traffic',
      recordId: 'abc',
      version: 7,
      deleted: 0,
      createdMs: 0,
      payload: {
        store_id: 's1',
        day: '2026-11-20',
        hour: Date.UTC(2026, 10, 20, 9),
        visits: 3,
        consultations: 1,
        receipts: 2,
        dwell_ms: 60_000,
        smuggled: 'x',
      },
    });
    expect(row).toEqual({
      record_id: 'abc',
      version: 7,
      deleted: 0,
      store_id: 's1',
      day: '2026-11-20',
      hour: '2026-11-20 09:00:00',
      visits: 3,
      consultations: 1,
      receipts: 2,
      dwell_ms: 60_000,
    });
  });

  it('generates ReplacingMergeTree(version) tables ordered by record_id for every record type', () => {
    for (const t of RECORD_TYPES) {
      const sql = createTableSql('fs', t);
      expect(sql).toMatch(/ENGINE = ReplacingMergeTree\(version\)\nPARTITION BY toYYYYMM\(day\)\nORDER BY record_id$/);
      for (const c of centralColumns(t)) expect(sql).toContain(`  ${c} `);
      expect(sql).not.toMatch(/TTL|LowCardinality|\{[a-z_]+:/);
    }
    expect(initStatements('fs')[0]).toBe('CREATE DATABASE IF NOT EXISTS fs');
  });

  it('prints a read-only dashboard user: SQL on servers with access control, users.xml before 20.4', () => {
    expect(dashboardUserSql('fs', '24.8.1.1')).toMatch(
      /CREATE USER IF NOT EXISTS floorsense_dashboard .*readonly = 1;\nGRANT SELECT ON fs\.\* TO floorsense_dashboard;/,
    );
    expect(dashboardUserSql('fs', '18.16.1')).toMatch(/users\.xml[\s\S]*<profile>readonly<\/profile>[\s\S]*<database>fs<\/database>/);
    // On a cluster the user must exist on every server the Distributed tables read.
    expect(dashboardUserSql('fs', '24.8.1.1', 'u', 'c1')).toMatch(/CREATE USER IF NOT EXISTS u ON CLUSTER c1 .*;\nGRANT ON CLUSTER c1 SELECT ON fs\.\* TO u;/);
    expect(dashboardUserSql('fs', '18.16.1', 'u', 'c1')).toMatch(/users\.xml \(users section\) of every server of cluster c1/);
  });

  it('remote errors name the URL without credentials', () => {
    expect(printableUrl('http://bob:secret@ch.example:8123/')).toBe('http://ch.example:8123');
    const e = remoteError('http://ch.example:8123', 'INSERT into fs.x', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(e).toBeInstanceOf(FailureError);
    expect(e.code).toBe('FS_REMOTE');
    expect(e.message).toBe('ClickHouse at http://ch.example:8123: INSERT into fs.x failed: connect ECONNREFUSED');
    const ddl = remoteError(
      'http://ch:8123',
      'query "CREATE DATABASE"',
      new Error('Watching task is executing longer than distributed_ddl_task_timeout (=4) seconds. There are 2 unfinished hosts'),
    );
    expect(ddl.message).toMatch(/2 unfinished hosts \(servers of the cluster are down or slow: .*again then\)$/);
  });
});

describe('central schema migration (planSchema)', () => {
  /** The catalog a server would show after this release's own init. */
  const current = (): { tables: Array<{ name: string; engine: string }>; columns: Array<{ table: string; name: string; type: string }> } => ({
    tables: [
      ...RECORD_TYPES.map((t) => ({ name: RECORD_SPECS[t].table, engine: 'ReplacingMergeTree' })),
      ...VIEW_NAMES.map((v) => ({ name: v, engine: 'View' })),
    ],
    columns: RECORD_TYPES.flatMap((t) => centralColumnTypes(t).map(([name, type]) => ({ table: RECORD_SPECS[t].table, name, type }))),
  });
  const without = (c: CentralCatalog, table: string, column: string): CentralCatalog => ({
    ...c,
    columns: c.columns.filter((x) => !(x.table === table && x.name === column)),
  });
  const cases: Array<[string, CentralCatalog, { creates: number; added: string[]; drops: number; retired: string[] } | RegExp]> = [
    ['empty server: everything created', { tables: [], columns: [] }, { creates: RECORD_TYPES.length, added: [], drops: 0, retired: [] }],
    ['up to date: only the views are replaced', current(), { creates: 0, added: [], drops: VIEW_NAMES.length, retired: [] }],
    [
      'a column missing: added',
      without(current(), 'seller_daily_kpis', 'time_on_floor_seconds'),
      { creates: 0, added: ['seller_daily_kpis.time_on_floor_seconds'], drops: VIEW_NAMES.length, retired: [] },
    ],
    [
      'retired table present: reported, not dropped',
      { ...current(), tables: [...current().tables, { name: 'consultations', engine: 'ReplacingMergeTree' }] },
      { creates: 0, added: [], drops: VIEW_NAMES.length, retired: ['consultations'] },
    ],
    [
      'a column of another type: refused',
      {
        ...current(),
        columns: current().columns.map((c) => (c.table === 'store_daily_kpis' && c.name === 'receipts_amount_minor' ? { ...c, type: 'UInt8' } : c)),
      },
      /fs\.store_daily_kpis\.receipts_amount_minor is UInt8, expected Int64/,
    ],
    [
      'a table under a view name: refused',
      { ...current(), tables: current().tables.map((t) => (t.name === 'v_store_day' ? { ...t, engine: 'MergeTree' } : t)) },
      /fs\.v_store_day is a MergeTree table, not a view/,
    ],
  ];
  it.each(cases)('%s', (_n, catalog, want) => {
    if (want instanceof RegExp) {
      expect(() => planSchema('fs', catalog)).toThrow(want);
      return;
    }
    const p = planSchema('fs', catalog);
    expect({
      creates: p.statements.filter((s) => s.startsWith('CREATE TABLE')).length,
      added: p.added,
      drops: p.statements.filter((s) => s.startsWith('DROP TABLE IF EXISTS fs.v_')).length,
      retired: p.retired,
    }).toEqual(want);
    expect(p.statements.filter((s) => s.startsWith('CREATE VIEW')).length).toBe(VIEW_NAMES.length);
    expect(p.statements.some((s) => /DROP TABLE IF EXISTS fs\.(?!v_)/.test(s))).toBe(false); // never a data table
  });
});

describe('cluster layout (planSchema with a cluster)', () => {
  const tables = RECORD_TYPES.map((t) => RECORD_SPECS[t].table);
  /** What every server of the cluster shows after this release's `sync --init --cluster c`. */
  const current = (): CentralCatalog => ({
    tables: [
      ...tables.map((t) => ({ name: `${t}_local`, engine: 'ReplicatedReplacingMergeTree' })),
      ...tables.map((t) => ({ name: t, engine: 'Distributed' })),
      ...VIEW_NAMES.map((v) => ({ name: v, engine: 'View' })),
    ],
    columns: RECORD_TYPES.flatMap((t) =>
      centralColumnTypes(t).flatMap(([name, type]) => [
        { table: RECORD_SPECS[t].table, name, type },
        { table: `${RECORD_SPECS[t].table}_local`, name, type },
      ]),
    ),
  });

  it('a fresh database: every statement ON CLUSTER; replicated local tables, then Distributed tables sharded by store_id, then the same views', () => {
    const p = planSchema('fs', { tables: [], columns: [] }, 'c1');
    expect(p.statements.every((s) => s.includes(' ON CLUSTER c1'))).toBe(true);
    expect(p.statements[0]).toBe('CREATE DATABASE IF NOT EXISTS fs ON CLUSTER c1');
    const creates = p.statements.filter((s) => s.startsWith('CREATE TABLE'));
    expect(creates.slice(0, tables.length).map((s) => s.split(' ')[5])).toEqual(tables.map((t) => `fs.${t}_local`));
    for (const [i, t] of tables.entries()) {
      expect(creates[i]).toContain(
        `ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/fs/${t}_local', '{replica}', version)\nPARTITION BY toYYYYMM(day)\nORDER BY record_id`,
      );
      expect(creates[tables.length + i]).toBe(
        `CREATE TABLE IF NOT EXISTS fs.${t} ON CLUSTER c1 AS fs.${t}_local ENGINE = Distributed(c1, fs, ${t}_local, cityHash64(store_id))`,
      );
    }
    // The views' text is the single server's, with ON CLUSTER after the name: same names, same columns.
    const single = planSchema('fs', { tables: [], columns: [] }).statements.filter((s) => s.startsWith('CREATE VIEW'));
    const clustered = p.statements.filter((s) => s.startsWith('CREATE VIEW'));
    expect(clustered.map((s) => s.replace(' ON CLUSTER c1 AS', ' AS'))).toEqual(single);
  });

  it('up to date: only the views are replaced, on every server', () => {
    const p = planSchema('fs', current(), 'c1');
    expect(p.statements.filter((s) => !/^(CREATE DATABASE|DROP TABLE IF EXISTS fs\.v_|CREATE VIEW)/.test(s))).toEqual([]);
    expect(p.added).toEqual([]);
  });

  it('a column missing (an earlier release): added to the local tables ON CLUSTER, the Distributed table made again', () => {
    const c = current();
    const missing: CentralCatalog = { ...c, columns: c.columns.filter((x) => !(x.table.startsWith('camera_uptime') && x.name === 'outages')) };
    const p = planSchema('fs', missing, 'c1');
    expect(p.statements.filter((s) => !/^(CREATE DATABASE|DROP TABLE IF EXISTS fs\.v_|CREATE VIEW)/.test(s))).toEqual([
      'ALTER TABLE fs.camera_uptime_local ON CLUSTER c1 ADD COLUMN outages UInt64',
      'DROP TABLE IF EXISTS fs.camera_uptime ON CLUSTER c1',
      'CREATE TABLE IF NOT EXISTS fs.camera_uptime ON CLUSTER c1 AS fs.camera_uptime_local ENGINE = Distributed(c1, fs, camera_uptime_local, cityHash64(store_id))',
    ]);
    expect(p.added).toEqual(['camera_uptime.outages']);
  });

  it('a single-server database is not converted: every table named, with the way to move the rows', () => {
    const single: CentralCatalog = {
      tables: tables.map((t) => ({ name: t, engine: 'ReplacingMergeTree' })),
      columns: RECORD_TYPES.flatMap((t) => centralColumnTypes(t).map(([name, type]) => ({ table: RECORD_SPECS[t].table, name, type }))),
    };
    const err = (() => {
      try {
        planSchema('fs', single, 'c1');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toMatchObject({ code: 'FS_REMOTE', details: { notConverted: tables.map((t) => `fs.${t} is a ReplacingMergeTree table`) } });
    expect(String(err)).toMatch(/does not convert a single-server database, and nothing was changed: fs\.consulted_visits is a ReplacingMergeTree table;/);
    expect(String(err)).toMatch(/sync\.database: fs_cluster.*INSERT INTO fs_cluster\.<table> SELECT \* FROM fs\.<table>.*remote\('host:9000', fs, <table>\)/);
    // A local table that is not replicated is refused too.
    const c = current();
    const plainLocal = { ...c, tables: c.tables.map((t) => (t.name === 'store_daily_kpis_local' ? { ...t, engine: 'ReplacingMergeTree' } : t)) };
    expect(() => planSchema('fs', plainLocal, 'c1')).toThrow(/fs\.store_daily_kpis_local is a ReplacingMergeTree table, not replicated/);
    // ...and the cluster layout without --cluster.
    expect(() => planSchema('fs', current())).toThrow(/fs holds the cluster layout \(fs\.consulted_visits is a Distributed table;.*sync --init --cluster NAME/);
  });

  it('checks the server knows the cluster and has the macros before anything ON CLUSTER', () => {
    expect(() => checkCluster('c1', { clusters: ['c1'], macros: ['replica', 'shard'] }, 'http://ch:8123')).not.toThrow();
    expect(() => checkCluster('c1', { clusters: ['test_shard_localhost'], macros: ['shard'] }, 'http://ch:8123')).toThrow(
      "ClickHouse at http://ch:8123 cannot hold the cluster layout: cluster c1 is not in its remote_servers (it knows: test_shard_localhost); macros {replica} are not set (<macros> in its config: this server's shard and replica names); nothing was changed",
    );
  });

  it('inserts synchronously through the Distributed tables; server limits under the HTTP timeout', () => {
    expect(clusterSettings(30)).toEqual({ insert_distributed_sync: 1, insert_distributed_timeout: 28, distributed_ddl_task_timeout: 28 });
    expect(clusterSettings(1).insert_distributed_timeout).toBe(1);
  });
});

describe('sync loop', () => {
  const report = (sent: number): DrainReport => ({ batches: 1, sent, byType: {}, remaining: 0, lastSeq: null, quarantined: 0 });

  it('backs off exponentially while ClickHouse is down, resets after a success, stops on abort', async () => {
    const ctl = new AbortController();
    const outcomes = ['fail', 'fail', 'fail', 'ok', 'fail', 'ok'];
    const sleeps: number[] = [];
    let i = 0;
    await runSyncLoop({
      drain: async () => {
        const o = outcomes[i++];
        if (o === undefined) {
          ctl.abort();
          return report(0);
        }
        if (o === 'fail') throw new FailureError('FS_REMOTE', 'ClickHouse at http://x: down', {});
        return report(5);
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
      signal: ctl.signal,
      intervalMs: 60_000,
      backoff: { minMs: 5000, maxMs: 900_000 },
    });
    expect(sleeps).toEqual([5000, 10_000, 20_000, 60_000, 5000, 60_000, 60_000]);
  });

  it('does not retry misuse (a bug or bad config): it surfaces', async () => {
    const ctl = new AbortController();
    await expect(
      runSyncLoop({
        drain: async () => {
          throw new MisuseError('FS_BAD_ARGUMENT', 'bad');
        },
        sleep: async () => {},
        random: () => 0.5,
        signal: ctl.signal,
        intervalMs: 1,
        backoff: { minMs: 1, maxMs: 2 },
      }),
    ).rejects.toThrow(MisuseError);
  });
});
