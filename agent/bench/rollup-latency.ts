/**
 * The event loop during the day roll-up (issue 14 item 4). A busy 3-camera simulated day
 * (config/scenarios/busy-three-cameras.yaml, dated yesterday) is written into a store file and
 * rolled up once; the last receipts of the day are held back. Then, for each mode, a fresh copy of
 * that store under a real agent (startAgent, real HTTP API, real SQLite) in a child process:
 *
 *   1. late receipts POSTed one at a time while a client polls /health back to back: each starts
 *      (or joins) a recompute of the whole day;
 *   2. the first /api/consultations of the day (a day analysis on demand) while /health is polled;
 *   3. one more late receipt, and SIGTERM 200 ms later, in the middle of its roll-up.
 *
 * Printed per mode: /health p50/p99/max and count, each POST's latency, the on-demand analysis'
 * latency, SIGTERM-to-exit, and the roll-ups the agent logged with their durations.
 * Modes: `main` runs the roll-up on the event loop (the behaviour before the worker, through the
 * same job queue: AgentDeps.rollupThread), `worker` (the default) on the roll-up worker thread.
 * Target: /health p99 < 50 ms during the roll-up.
 *
 * Usage: FLOORSENSE_MODELS=... node --import tsx agent/bench/rollup-latency.ts [--modes main,worker]
 *        [--late 5] [--seed 7] [--json]
 * The box's CPU is shared: report the load average printed with the figures.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../src/agent/agent.js';
import { createLogger } from '../src/agent/logger.js';
import { validateConfig } from '../src/config/load.js';
import { receiptBody, scenarioOf, seedDay } from '../../test/agent/rollup-fixture.js';

const here = fileURLToPath(import.meta.url);
const repoRoot = resolve(dirname(here), '..', '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Child mode: the agent itself, stopped by SIGTERM like `floorsense run`. */
async function childAgent(cfgJson: string, thread: 'main' | 'worker'): Promise<void> {
  const cfg = validateConfig(JSON.parse(cfgJson));
  const agent = await startAgent(cfg, { logger: createLogger('debug'), clock: Date.now, rollupThread: thread });
  process.on('SIGTERM', () => void agent.stop());
  await agent.done;
}

interface Log {
  readonly msg: string;
  readonly job?: string;
  readonly durationMs?: number;
  readonly url?: string;
  readonly result?: unknown;
  readonly time?: string;
}

const pct = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const r1 = (x: number): number => Math.round(x * 10) / 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

/** Poll /health back to back until `stop` resolves; latencies in ms. */
interface Polled extends Array<number> {
  errors?: number;
}

/**
 * Poll /health back to back until stopped; latencies in ms. A request that fails (a stalled event
 * loop lets the server's keep-alive timer reset a connection with a request waiting on it) counts
 * as an error and its time until failure as its latency.
 */
function pollHealth(url: string): { stop: () => Promise<Polled> } {
  const lat: Polled = [];
  lat.errors = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = performance.now();
      const status = await fetch(`${url}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) lat.errors!++;
      lat.push(performance.now() - t);
      await sleep(5);
    }
  })();
  return {
    stop: async () => {
      on = false;
      await loop;
      return lat;
    },
  };
}

const health = (lat: Polled) => ({ n: lat.length, errors: lat.errors ?? 0, p50_ms: r1(pct(lat, 50)), p99_ms: r1(pct(lat, 99)), max_ms: r1(Math.max(...lat)) });

async function runMode(thread: 'main' | 'worker', dbSeed: string, cfg: ReturnType<typeof validateConfig>, lateBodies: Record<string, unknown>[], date: string) {
  const dir = mkdtempSync(join(tmpdir(), `fs-rollup-bench-${thread}-`));
  const dbPath = join(dir, 'box.db');
  copyFileSync(dbSeed, dbPath);
  const modeCfg = { ...cfg, storage: { ...cfg.storage, path: dbPath } };
  const child = spawn(process.execPath, ['--import', 'tsx', here, '--child', JSON.stringify(modeCfg), thread], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Log[] = [];
  let buf = '';
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const p of parts) {
      try {
        logs.push(JSON.parse(p) as Log);
      } catch {
        /* not a log line */
      }
    }
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const waitLog = async (pred: (l: Log) => boolean, timeoutMs: number): Promise<Log> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const l = logs.find(pred);
      if (l) return l;
      if (Date.now() > end) throw new Error(`${thread}: no log line in ${timeoutMs} ms; last: ${JSON.stringify(logs.slice(-3))}`);
      await sleep(20);
    }
  };
  const rollups = () => logs.filter((l) => l.job === 'rollup');
  const rollupIdle = async (): Promise<void> => {
    // Idle: as many "done" as "start" lines, and still so 1 s later (a queued re-run starts at once).
    for (let quiet = 0; quiet < 2; ) {
      await sleep(500);
      const r = rollups();
      const busy =
        r.filter((l) => l.msg === 'job rollup: start').length >
        r.filter((l) => l.msg.startsWith('job rollup: done') || l.msg.startsWith('job rollup failed')).length;
      quiet = busy ? 0 : quiet + 1;
    }
  };
  const say = (m: string): void => void process.stderr.write(`[${thread}] ${m}\n`);
  const url = String((await waitLog((l) => l.msg === 'local API listening', 120_000)).url);
  say(`agent up at ${url}`);
  await rollupIdle();
  const rollupsBefore = rollups().length;

  // 1. Late receipts during the roll-up.
  const poll = pollHealth(url);
  await sleep(300);
  const posts: number[] = [];
  for (const body of lateBodies.slice(0, -1)) {
    const { ms, value } = await timed(() =>
      fetch(`${url}/api/receipts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status),
    );
    if (value !== 201) throw new Error(`POST /api/receipts answered ${value}`);
    posts.push(r1(ms));
    await sleep(400);
  }
  await rollupIdle();
  const duringRollup = await poll.stop();
  say(`late receipts done: ${posts.join(', ')} ms`);
  const ran = rollups()
    .slice(rollupsBefore)
    .filter((l) => l.msg.startsWith('job rollup: done'))
    .map((l) => l.durationMs ?? NaN);

  // 2. The first on-demand analysis of the day.
  const poll2 = pollHealth(url);
  await sleep(200);
  const first = await timed(() => fetch(`${url}/api/consultations?date=${date}`).then((r) => r.status));
  await sleep(200);
  const duringAnalysis = await poll2.stop();

  say(`first consultations: ${first.value} in ${r1(first.ms)} ms`);
  // 3. SIGTERM in the middle of a roll-up.
  const startsBefore = rollups().filter((l) => l.msg === 'job rollup: start').length;
  await fetch(`${url}/api/receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lateBodies[lateBodies.length - 1]),
  });
  await waitLog(() => rollups().filter((l) => l.msg === 'job rollup: start').length > startsBefore, 10_000);
  await sleep(200);
  const t = performance.now();
  const sigAt = Date.now();
  child.kill('SIGTERM');
  await exited;
  const sigtermMs = performance.now() - t;
  const at = (msg: string): number => Date.parse(logs.find((l) => l.msg === msg)?.time ?? '');
  const stopSteps = {
    signal_to_stopping_ms: at('agent stopping: finishing current frames') - sigAt,
    stopping_to_stopped_ms: at('agent stopped') - at('agent stopping: finishing current frames'),
  };
  const lastDone = rollups()
    .filter((l) => l.msg.startsWith('job rollup: done'))
    .slice(-1)[0];
  return {
    thread,
    health_during_rollup: health(duringRollup),
    post_ms: posts,
    rollup_runs_ms: ran,
    first_consultations: { status: first.value, ms: r1(first.ms), health: health(duringAnalysis) },
    sigterm_to_exit_ms: r1(sigtermMs),
    // From the agent's log: how long the signal waited for the event loop, and the stop itself.
    stop: stopSteps,
    rollup_at_sigterm: lastDone?.result ?? null,
  };
}

async function main(): Promise<void> {
  const ci = process.argv.indexOf('--child');
  if (ci >= 0) return childAgent(process.argv[ci + 1]!, process.argv[ci + 2] as 'main' | 'worker');
  const modes = arg('modes', 'main,worker').split(',') as Array<'main' | 'worker'>;
  const lateN = Number(arg('late', '5'));
  const dir = mkdtempSync(join(tmpdir(), 'fs-rollup-bench-'));
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const seeded = seedDay(dir, scenarioOf(join(repoRoot, 'config/scenarios/busy-three-cameras.yaml')), Number(arg('seed', '7')), lateN + 1);
  const seedMs = performance.now() - t0;
  const bodies = seeded.late.map((r) => receiptBody(r));
  const out = [];
  for (const m of modes) out.push(await runMode(m, seeded.cfg.storage.path, seeded.cfg, bodies, seeded.date));
  const report = {
    scenario: 'busy-three-cameras',
    date: seeded.date,
    late_receipts: lateN,
    seed_ms: Math.round(seedMs),
    cpus: cpus().length,
    loadavg_1m: r1(loadavg()[0]!),
    modes: out,
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(report));
  else console.log(JSON.stringify(report, null, 2));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exitCode = 1;
});
