/**
 * A real clickhouse-server (Debian's 18.16, or whatever `clickhouse-server`/`clickhouse server` is
 * on PATH) started as a plain child process on loopback, with its own config, data directory and
 * random free ports. One server per test file; `kill()` + `start()` simulate a crash and a restart
 * on the same data and ports.
 *
 * Root: CI runs as root. 18.16 runs as root without complaint; newer servers refuse only when the
 * data directory belongs to another user, and here it is created by the current user, so the
 * same process works in both cases without setpriv/runuser.
 *
 * Availability: missing binary => throws under CI (a green run without ClickHouse would be a lie),
 * otherwise `haveClickHouse()` warns loudly and returns false (use with describe.skipIf).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p !== '' ? p : null;
}

/** argv prefix that runs the server: `clickhouse-server` (Debian) or `clickhouse server`. */
export function clickHouseServerCommand(): string[] | null {
  const direct = which('clickhouse-server') ?? (existsSync('/usr/sbin/clickhouse-server') ? '/usr/sbin/clickhouse-server' : null);
  if (direct) return [direct];
  const multi = which('clickhouse');
  return multi ? [multi, 'server'] : null;
}

export function haveClickHouse(): boolean {
  if (clickHouseServerCommand()) return true;
  const msg = 'clickhouse-server is not installed (installer/system-packages.txt lists clickhouse-server)';
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`\n*** SKIPPING: ${msg} ***\n`);
  return false;
}

/**
 * A free TCP port on 127.0.0.1 for a server a test starts, taken BELOW the kernel's ephemeral range
 * (net.ipv4.ip_local_port_range). A port the kernel handed out for listen(0) was closed again before
 * the server bound it, and a ClickHouse cluster names all its ports before its servers start one
 * after another; in that time the kernel could give the same port to another test's listen(0) or
 * outgoing connection (a clean-clone CI run: "Address already in use: 127.0.0.1:45323"). Ports
 * below the range are never handed out by the kernel, so only another explicit pick can collide:
 * each pick is checked by binding it, and this process never hands one out twice.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralLow();
  const lo = Math.max(1024, below - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = lo + Math.floor(Math.random() * (below - lo));
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`freePort: no free port in ${lo}-${below - 1} after 200 tries`);
}

const handedOut = new Set<number>();

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export interface ClickHousePorts {
  readonly http: number;
  readonly tcp: number;
  readonly interserver: number;
}

export interface ClickHouseStartOptions {
  /** Ports chosen beforehand (a cluster's remote_servers must name every server's TCP port). */
  readonly ports?: ClickHousePorts;
  /** XML elements added inside <yandex> (zookeeper, macros, remote_servers, distributed_ddl). */
  readonly extraConfig?: string;
  /** How long a start may take before it fails (default 30 s; a cluster starts several at once on shared cores). */
  readonly startTimeoutMs?: number;
}

function configXml(dir: string, ports: ClickHousePorts, extra: string): string {
  // Small caches: the defaults (5-8 GiB) are sized for a dedicated server.
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/data/tmp/</tmp_path>
  <user_files_path>${dir}/data/user_files/</user_files_path>
  <format_schema_path>${dir}/data/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
${extra}</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`;

export interface ClickHouseServer {
  readonly url: string;
  readonly dir: string;
  readonly pid: number | undefined;
  /** Run a query over HTTP and return the body (throws on a non-200 answer). */
  query(sql: string): Promise<string>;
  /** Rows of `SELECT ... FORMAT JSONEachRow` (the format clause is added). */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** SIGKILL, no shutdown: a crash or a power cut as far as the server can tell. */
  kill(): Promise<void>;
  /** (Re)start on the same data directory and ports; resolves when /ping answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startClickHouse(opts: ClickHouseStartOptions = {}): Promise<ClickHouseServer> {
  const cmd = clickHouseServerCommand();
  if (!cmd) throw new Error('clickhouse-server not found');
  const dir = mkdtempSync(join(tmpdir(), 'fs-clickhouse-'));
  mkdirSync(join(dir, 'log'));
  mkdirSync(join(dir, 'data'));
  const ports = opts.ports ?? { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
  writeFileSync(join(dir, 'config.xml'), configXml(dir, ports, opts.extraConfig ?? ''));
  writeFileSync(join(dir, 'users.xml'), USERS_XML);
  const url = `http://127.0.0.1:${ports.http}`;
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  let child: ChildProcess | null = null;

  const query = async (sql: string): Promise<string> => {
    const res = await fetch(url, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.trim()} (query: ${sql.slice(0, 200)})`);
    return text;
  };
  const exited = (c: ChildProcess): Promise<void> =>
    new Promise((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
    });

  const server: ClickHouseServer = {
    url,
    dir,
    get pid() {
      return child?.pid;
    },
    query,
    async rows(sql) {
      const text = await query(`${sql} FORMAT JSONEachRow`);
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          const v: unknown = JSON.parse(l);
          return typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {};
        });
    },
    async kill() {
      const c = child;
      if (!c) return;
      c.kill('SIGKILL');
      await exited(c);
      child = null;
    },
    async start() {
      if (child) return;
      // setpriv --pdeathsig: if the test worker dies without running its hooks, the kernel kills the
      // server too, so no orphaned clickhouse-server outlives a crashed or killed test run.
      const argv = [...cmd, `--config-file=${join(dir, 'config.xml')}`];
      const setpriv = which('setpriv');
      const [bin, ...args] = setpriv ? [setpriv, '--pdeathsig', 'KILL', '--', ...argv] : argv;
      if (!bin) throw new Error('clickhouse-server command is empty');
      const c = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr?.on('data', (b: Buffer) => {
        stderr = (stderr + b.toString()).slice(-4000);
      });
      child = c;
      const deadline = Date.now() + startTimeoutMs;
      for (;;) {
        if (c.exitCode !== null || c.signalCode !== null) {
          child = null;
          const log = existsSync(join(dir, 'log', 'error.log')) ? readFileSync(join(dir, 'log', 'error.log'), 'utf8').slice(-2000) : '';
          throw new Error(`clickhouse-server exited (${c.exitCode ?? c.signalCode}) during start: ${stderr}\n${log}`);
        }
        try {
          const res = await fetch(`${url}/ping`);
          if (res.ok && (await res.text()).startsWith('Ok')) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`clickhouse-server did not answer /ping at ${url} within ${startTimeoutMs / 1000} s: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      try {
        await server.kill();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  await server.start();
  return server;
}
