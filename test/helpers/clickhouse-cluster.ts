/**
 * A real replicated, sharded ClickHouse on loopback: Debian's ZooKeeper (a plain java process on its
 * own zoo.cfg, random port, no systemd) and `shards x replicas` clickhouse-server processes started
 * by test/helpers/clickhouse.ts, each with the same remote_servers (cluster `name`), its own
 * {shard}/{replica} macros and the distributed DDL queue, so `ON CLUSTER` statements reach all.
 *
 * One server per (shard, replica): the plain layout an operator runs, where every server holds
 * one replica of one shard and the standard macros name it. (Two replicas of two shards on two
 * servers, the "circular" layout, needs a database per shard on each server, which one ON CLUSTER
 * statement with {shard} macros cannot create.)
 *
 * Availability: like ClickHouse, a missing ZooKeeper or java throws under CI and skips loudly
 * elsewhere (haveZooKeeper).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startClickHouse, type ClickHousePorts, type ClickHouseServer } from './clickhouse.js';

const ZK_JAR = '/usr/share/java/zookeeper.jar';
/** Start-up limit for ZooKeeper and each server: several processes start on two shared cores. */
const START_TIMEOUT_MS = 90_000;

export function haveZooKeeper(): boolean {
  const java = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  if (java !== '' && existsSync(ZK_JAR)) return true;
  const msg = `ZooKeeper is not installed (${ZK_JAR} and java: installer/test-packages.txt lists zookeeper)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`\n*** SKIPPING: ${msg} ***\n`);
  return false;
}

/** ZooKeeper's four-letter `ruok` over TCP: 'imok' once it serves. */
function ruok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let text = '';
    s.setTimeout(3000, () => s.destroy());
    s.on('connect', () => s.write('ruok'));
    s.on('data', (b) => {
      text += b.toString();
    });
    s.on('close', () => resolve(text === 'imok'));
    s.on('error', () => resolve(false));
  });
}

export interface ZooKeeper {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startZooKeeper(): Promise<ZooKeeper> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-zookeeper-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  // Short ticks: sessions of a SIGKILLed ClickHouse expire in seconds, not the default 30-40 s.
  writeFileSync(
    join(dir, 'zoo.cfg'),
    [
      'tickTime=500',
      `dataDir=${dir}/data`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok',
      'minSessionTimeout=1000',
      'maxSessionTimeout=10000',
      '',
    ].join('\n'),
  );
  const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
  const argv = [
    'java',
    '-Xmx256m',
    '-XX:+UseSerialGC',
    // The quick JIT tier only: ZooKeeper here serves a test for a minute, start-up time is what counts.
    '-XX:TieredStopAtLevel=1',
    '-cp',
    `${ZK_JAR}:/etc/zookeeper/conf`,
    `-Dzookeeper.log.dir=${dir}`,
    'org.apache.zookeeper.server.ZooKeeperServerMain',
    join(dir, 'zoo.cfg'),
  ];
  // As for ClickHouse: the kernel ends ZooKeeper if the test worker dies without its hooks.
  const [bin, ...args] = setpriv ? [setpriv, '--pdeathsig', 'KILL', '--', ...argv] : argv;
  if (!bin) throw new Error('no java command');
  const child: ChildProcess = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  // Generous: a JVM starting on two cores shared with other test files can take tens of seconds.
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await ruok(port))) {
    if (child.exitCode !== null) throw new Error(`ZooKeeper exited (${child.exitCode}) during start: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`ZooKeeper did not answer ruok on 127.0.0.1:${port} within ${START_TIMEOUT_MS / 1000} s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ClusterNode {
  /** 1-based, as in remote_servers order. */
  readonly shard: number;
  readonly replica: number;
  readonly server: ClickHouseServer;
}

export interface ClickHouseCluster {
  readonly name: string;
  readonly zookeeper: ZooKeeper;
  readonly nodes: readonly ClusterNode[];
  node(shard: number, replica: number): ClusterNode;
  stop(): Promise<void>;
}

function clusterXml(
  name: string,
  zkPort: number,
  all: ReadonlyArray<{ shard: number; replica: number; ports: ClickHousePorts }>,
  me: { shard: number; replica: number },
): string {
  const shards = [...new Set(all.map((n) => n.shard))].map((s) => {
    const replicas = all
      .filter((n) => n.shard === s)
      .map((n) => `<replica><host>127.0.0.1</host><port>${n.ports.tcp}</port></replica>`)
      .join('');
    // internal_replication: the Distributed table writes one replica per shard and the replicated
    // table copies it to the others (writing every replica itself would double on a failed retry).
    return `<shard><internal_replication>true</internal_replication>${replicas}</shard>`;
  });
  return `  <zookeeper><node><host>127.0.0.1</host><port>${zkPort}</port></node><session_timeout_ms>4000</session_timeout_ms></zookeeper>
  <macros><shard>${String(me.shard).padStart(2, '0')}</shard><replica>s${me.shard}r${me.replica}</replica></macros>
  <remote_servers><${name}>${shards.join('')}</${name}></remote_servers>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
`;
}

export async function startClickHouseCluster(name: string, shards: number, replicas: number): Promise<ClickHouseCluster> {
  const zookeeper = await startZooKeeper();
  const layout: Array<{ shard: number; replica: number; ports: ClickHousePorts }> = [];
  for (let s = 1; s <= shards; s++)
    for (let r = 1; r <= replicas; r++)
      layout.push({ shard: s, replica: r, ports: { http: await freePort(), tcp: await freePort(), interserver: await freePort() } });
  const nodes: ClusterNode[] = [];
  try {
    // One after another: on two shared cores, four servers starting at once time each other out.
    for (const n of layout) {
      const server = await startClickHouse({ ports: n.ports, extraConfig: clusterXml(name, zookeeper.port, layout, n), startTimeoutMs: START_TIMEOUT_MS });
      nodes.push({ shard: n.shard, replica: n.replica, server });
    }
  } catch (e) {
    await Promise.allSettled(nodes.map((n) => n.server.stop()));
    await zookeeper.stop();
    throw e;
  }
  return {
    name,
    zookeeper,
    nodes,
    node(shard, replica) {
      const n = nodes.find((x) => x.shard === shard && x.replica === replica);
      if (!n) throw new Error(`no node s${shard}r${replica}`);
      return n;
    },
    async stop() {
      await Promise.allSettled(nodes.map((n) => n.server.stop()));
      await zookeeper.stop();
    },
  };
}
