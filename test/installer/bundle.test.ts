/**
 * The field flow with real parts, clean-room: installer/bundle.sh builds the offline bundle
 * (pinned Node from the npm registry, production node_modules, better-sqlite3 compiled, models),
 * install.sh installs it under `unshare -n` (no network at all) into a scratch prefix, then from
 * the installed tree: `--version`, `systemd-analyze verify` on the installed unit, the unit's
 * ExecStart run as the service user (`run --once` on a tiny config), `doctor --json` against two
 * RTSP cameras from the test server (one dead: its row fails, the others pass), an upgrade that
 * keeps the previous release, --rollback, --uninstall (data kept) and --purge.
 *
 * Needs root (useradd, runuser, unshare), systemd-analyze and the shared models. Building the
 * bundle takes a few minutes; FLOORSENSE_TEST_BUNDLE=<file.tar.gz> reuses one already built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { stringify } from 'yaml';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';
import { cutClip } from '../agent/helpers.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx', 'models/osnet_x0_25_msmt17.onnx');

function tool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** What this test needs from the box; in CI a missing piece is a failure, elsewhere a loud skip. */
function haveBox(): boolean {
  const missing = [
    ...(process.getuid?.() === 0 ? [] : ['root (useradd, runuser, unshare)']),
    ...['unshare', 'runuser', 'systemd-analyze', 'g++', 'npm'].filter((t) => !tool(t)),
  ];
  if (missing.length === 0) return true;
  const msg = `offline bundle test needs: ${missing.join(', ')}`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`\n*** SKIPPING: ${msg} ***\n`);
  return false;
}

const canRun = ok && haveBox();
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PASSWORD = 'S3cretPw-doctor';

function sh(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The argv of ExecStart= and the Environment= pairs of an installed unit. */
function unitCommand(unitText: string): { argv: string[]; env: Record<string, string>; cwd: string } {
  const line = (k: string): string | undefined =>
    unitText
      .split('\n')
      .find((l) => l.startsWith(`${k}=`))
      ?.slice(k.length + 1);
  const exec = line('ExecStart');
  if (!exec) throw new Error('unit has no ExecStart');
  const env: Record<string, string> = {};
  for (const l of unitText.split('\n').filter((x) => x.startsWith('Environment='))) {
    const [k, ...v] = l.slice('Environment='.length).split('=');
    env[k!] = v.join('=');
  }
  return { argv: exec.split(/\s+/), env, cwd: line('WorkingDirectory') ?? '/' };
}

describe.skipIf(!canRun)('offline bundle: build, install without network, run as the service, doctor', () => {
  let dir: string;
  let bundle: string;
  let prefix: string;
  let server: RtspServer | undefined;
  const opt = (): string => join(prefix, 'opt', 'floorsense');
  const cli = (): string => join(opt(), 'current', 'bin', 'floorsense');
  const env = (): NodeJS.ProcessEnv => {
    // The installed tree must stand on its own: no pointer back to the checkout's models.
    const e = { ...process.env };
    delete e.FLOORSENSE_MODELS;
    delete e.FLOORSENSE_CONFIG;
    return e;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-bundle-'));
    chmodSync(dir, 0o755); // the service user must reach the prefix and the archive under it
    prefix = join(dir, 'root');
    if (process.env.FLOORSENSE_TEST_BUNDLE) {
      bundle = process.env.FLOORSENSE_TEST_BUNDLE;
    } else {
      const r = sh('bash', [join(REPO_ROOT, 'installer', 'bundle.sh'), '--out', join(dir, 'out')], {
        env: { ...process.env, FLOORSENSE_MODELS: dataPath('models') },
      });
      if (r.code !== 0) throw new Error(`bundle.sh failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
      bundle = join(dir, 'out', `floorsense-${VERSION}-x64.tar.gz`);
    }
  }, 900_000);

  afterAll(async () => {
    await server?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs with no network into releases/<version> behind a current link; the command runs', () => {
    expect(existsSync(bundle)).toBe(true);
    const r = sh('unshare', ['-n', 'bash', join(REPO_ROOT, 'installer', 'install.sh'), '--bundle', bundle, '--prefix', prefix]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readlinkSync(join(opt(), 'current'))).toBe(`releases/${VERSION}`);
    const bundleJson = JSON.parse(readFileSync(join(opt(), 'current', 'bundle.json'), 'utf8')) as { complete: boolean; node: string; arch: string };
    expect(bundleJson).toMatchObject({ complete: true, arch: 'x64' });
    // Only production modules: no test runner, compiler or browser driver on a store box.
    for (const dev of ['vitest', 'typescript', 'tsx', 'playwright-core']) expect(existsSync(join(opt(), 'current', 'node_modules', dev))).toBe(false);
    expect(existsSync(join(opt(), 'current', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    // The release's own Node runs it, offline.
    const v = sh('unshare', ['-n', cli(), '--version'], { env: env() });
    expect(v.stdout.trim()).toBe(VERSION);
    expect(sh(join(opt(), 'current', 'node', 'bin', 'node'), ['--version']).stdout.trim()).toBe(`v${bundleJson.node}`);
    expect(readlinkSync(join(prefix, 'usr', 'local', 'bin', 'floorsense'))).toBe(cli());
    expect(existsSync(join(prefix, 'etc', 'xdg', 'autostart', 'floorsense-tray.desktop'))).toBe(true);
  });

  it('the installed unit passes systemd-analyze verify', () => {
    const r = sh('systemd-analyze', ['verify', join(prefix, 'etc', 'systemd', 'system', 'floorsense.service')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it("runs the unit's ExecStart as the floorsense user against the installed layout (run --once)", () => {
    const archive = join(dir, 'archive');
    mkdirSync(archive, { mode: 0o755 });
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), join(archive, 'cam-20261120-100000.mp4'), 0, 4);
    chmodSync(join(archive, 'cam-20261120-100000.mp4'), 0o644);
    const state = join(prefix, 'var', 'lib', 'floorsense');
    const logs = join(prefix, 'var', 'log', 'floorsense');
    writeFileSync(
      join(prefix, 'etc', 'floorsense', 'store.yaml'),
      stringify({
        store: { id: 'field-test', timezone: 'UTC' },
        cameras: [{ id: 'cam', url: archive }],
        tracker: { appearance: false },
        storage: { path: join(state, 'floorsense.db'), min_free_disk_mb: 0 },
        agent: { archive_min_age_s: 0 },
        api: { enabled: false },
      }),
    );
    const unit = unitCommand(readFileSync(join(prefix, 'etc', 'systemd', 'system', 'floorsense.service'), 'utf8'));
    expect(unit.argv[0]).toBe(cli());
    // What systemd gives the service: LOGS_DIRECTORY from LogsDirectory=, HOME from the user's entry
    // (/var/lib/floorsense, its StateDirectory; here the prefix's).
    const r = sh(
      'runuser',
      [
        '-u',
        'floorsense',
        '--',
        'env',
        '-i',
        'PATH=/usr/bin:/bin',
        `HOME=${state}`,
        `LOGS_DIRECTORY=${logs}`,
        ...Object.entries(unit.env).map(([k, v]) => `${k}=${v}`),
        ...unit.argv,
        '--once',
      ],
      { cwd: unit.cwd },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const uid = Number(execFileSync('id', ['-u', 'floorsense'], { encoding: 'utf8' }).trim());
    expect(statSync(join(state, 'floorsense.db')).uid).toBe(uid);
    // journald gets stdout; the log folder the tray opens gets the same lines.
    const fileLines = readFileSync(join(logs, 'agent.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    expect(fileLines.map((l) => l.msg)).toContain('config loaded');
    expect(r.stdout.trim().split('\n').length).toBe(fileLines.length);
  }, 180_000);

  it('doctor --json from the installed tree: the dead camera fails, every other check passes', async () => {
    const clip = join(dir, 'live.mp4');
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), clip, 0, 8);
    server = await startRtspServer({ cam1: clip }, { loop: true });
    const dead = await freePort();
    const schedule = join(dir, 'schedule.csv');
    writeFileSync(schedule, 'date,seller_id,name,start,end\n2026-11-20,s1,Anna,09:00,18:00\n');
    const cfgPath = join(dir, 'doctor.yaml');
    writeFileSync(
      cfgPath,
      stringify({
        store: { id: 'field-test', timezone: 'UTC' },
        cameras: [
          { id: 'door', url: server.url('cam1'), rtsp_timeout_s: 5 },
          { id: 'till', url: `rtsp://admin:${PASSWORD}@127.0.0.1:${dead}/stream1`, rtsp_timeout_s: 5 },
        ],
        // 1 s sampling: the test clip has a keyframe every second (GOP 25 at 25 fps).
        sampling: { fps: 1 },
        // Where the service keeps its data: doctor (run as root) also checks the service user can write it.
        storage: { path: join(prefix, 'var', 'lib', 'floorsense', 'doctor.db'), min_free_disk_mb: 0 },
        sales: { schedule: { source: schedule } },
        api: { port: await freePort() },
      }),
    );
    const r = sh(cli(), ['doctor', '--json', '--config', cfgPath], { env: env() });
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
    const report = JSON.parse(r.stdout) as { ok: boolean; rows: Array<{ check: string; subject: string; status: string; detail: string; fix: string }> };
    expect(report.ok).toBe(false);
    const failed = report.rows.filter((x) => x.status !== 'pass');
    expect(failed.map((x) => `${x.check} ${x.subject}: ${x.detail}`)).toEqual([expect.stringMatching(/^camera till: /)]);
    expect(failed[0]!.status).toBe('fail');
    expect(failed[0]!.detail).toContain('rtsp://***@127.0.0.1');
    expect(failed[0]!.fix).not.toBe('');
    const checks = new Set(report.rows.map((x) => x.check));
    for (const c of ['node', 'ffmpeg', 'ffprobe', 'model', 'provider', 'camera', 'disk', 'clickhouse', 'schedule', 'api', 'storage'])
      expect(checks).toContain(c);
    const door = report.rows.find((x) => x.subject === 'door')!;
    expect(door.detail).toMatch(/^h264 384x216 @ 25 fps; keyframe every 1 s .*a frame decoded$/);
    expect(report.rows.find((x) => x.check === 'storage')!.detail).toContain('and by the service user floorsense');
    // The models came from the bundle, checked against the manifest.
    expect(report.rows.find((x) => x.check === 'model')!.detail).toContain(join(opt(), 'releases', VERSION, 'models'));
    // The ReID row names what runs: its precision and crop (the defaults here).
    expect(report.rows.filter((x) => x.check === 'model').map((x) => x.detail.split(' /')[0])).toEqual(['detector', 'reid (fp32, crop 256x128)']);
  }, 120_000);

  it('an upgrade keeps the previous release, --rollback returns to it, --uninstall keeps the data unless --purge', () => {
    // A second version: the same bundle relabelled, as a newer build would be.
    const next = `${VERSION}-next`;
    const work = join(dir, 'relabel');
    mkdirSync(work);
    execFileSync('tar', ['xzf', bundle, '-C', work]);
    const top = join(work, `floorsense-${VERSION}-x64`);
    const meta = JSON.parse(readFileSync(join(top, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(top, 'bundle.json'), JSON.stringify({ ...meta, version: next }, null, 2));
    const bundle2 = join(dir, `floorsense-${next}-x64.tar.gz`);
    execFileSync('tar', ['-I', 'gzip -1', '-cf', bundle2, '-C', work, `floorsense-${VERSION}-x64`]);
    rmSync(work, { recursive: true });

    const install = (...args: string[]): ReturnType<typeof sh> =>
      sh('unshare', ['-n', 'bash', join(REPO_ROOT, 'installer', 'install.sh'), ...args, '--prefix', prefix]);
    expect(install('--bundle', bundle2).code).toBe(0);
    expect(readlinkSync(join(opt(), 'current'))).toBe(`releases/${next}`);
    expect(readlinkSync(join(opt(), 'previous'))).toBe(`releases/${VERSION}`);

    const rb = install('--rollback');
    expect(rb.code).toBe(0);
    expect(readlinkSync(join(opt(), 'current'))).toBe(`releases/${VERSION}`);
    expect(readlinkSync(join(opt(), 'previous'))).toBe(`releases/${next}`);
    expect(sh(cli(), ['--version'], { env: env() }).stdout.trim()).toBe(VERSION);

    const state = join(prefix, 'var', 'lib', 'floorsense');
    expect(install('--uninstall').code).toBe(0);
    expect(existsSync(opt())).toBe(false);
    expect(existsSync(join(prefix, 'etc', 'systemd', 'system', 'floorsense.service'))).toBe(false);
    expect(existsSync(join(state, 'floorsense.db'))).toBe(true);
    expect(existsSync(join(prefix, 'etc', 'floorsense', 'store.yaml'))).toBe(true);

    expect(install('--uninstall', '--purge').code).toBe(0);
    expect(existsSync(state)).toBe(false);
    expect(existsSync(join(prefix, 'etc', 'floorsense'))).toBe(false);
  }, 180_000);

  it('refuses a damaged bundle and one that is not a FloorSense bundle, naming the file', () => {
    const bad = join(dir, 'bad.tar.gz');
    writeFileSync(bad, 'not a tarball');
    const r1 = sh('unshare', ['-n', 'bash', join(REPO_ROOT, 'installer', 'install.sh'), '--bundle', bad, '--prefix', join(dir, 'p2')]);
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toContain(`bundle ${bad}: cannot unpack`);
    const foreign = join(dir, 'foreign.tar.gz');
    mkdirSync(join(dir, 'foreign', 'x'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'foreign', 'x', 'package.json'));
    execFileSync('tar', ['czf', foreign, '-C', join(dir, 'foreign'), 'x']);
    const r2 = sh('unshare', ['-n', 'bash', join(REPO_ROOT, 'installer', 'install.sh'), '--bundle', foreign, '--prefix', join(dir, 'p2')]);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toContain('not a FloorSense bundle');
  });
});
