/**
 * The roll-up off the event loop (agent/rollup-worker-client.ts): the worker thread's results equal
 * the main-thread functions' on the same day; the real agent answers /health while a late receipt's
 * roll-up is running; SIGTERM during that roll-up exits with the day either fully saved or not at
 * all. Real SQLite files (WAL, two connections), real HTTP, the agent as a real child process.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/src/agent/agent.js';
import { createLogger } from '../../agent/src/agent/logger.js';
import { rollUpCameraUptime } from '../../agent/src/agent/rollup.js';
import { apiDayOf, dayComputer } from '../../agent/src/agent/rollup-worker-client.js';
import { analyzeStoredDay, rollUpKpis } from '../../agent/src/agent/store-day.js';
import { toStoredReceipt } from '../../agent/src/sales/stored-receipt.js';
import { openStore } from '../../agent/src/store/open.js';
import { storeReceipts } from '../../agent/src/store/sales.js';
import { REPO_ROOT, haveData } from '../helpers/shared-data.js';
import { runAgentChild, writeConfig } from './helpers.js';
import { receiptBody, savedDay, scenarioOf, seedDay, type SeededDay } from './rollup-fixture.js';

// The quiet scenario cut to three hours: a day whose roll-up is a fraction of a second.
const short = () => scenarioOf(join(REPO_ROOT, 'config/scenarios/quiet-one-seller.yaml'), { open: '10:00', close: '13:00', arrivals: [8, 10, 10], stride: 50 });
const busy = () => scenarioOf(join(REPO_ROOT, 'config/scenarios/busy-three-cameras.yaml'));

/** A copy of the seeded store with the late receipts stored too. */
function withLate(s: SeededDay, dir: string): string {
  const path = join(dir, 'ref.db');
  copyFileSync(s.cfg.storage.path, path);
  const store = openStore(path, { nowMs: 1 });
  storeReceipts(
    store.db,
    s.late.map((r) => toStoredReceipt(r, s.cfg.store.timezone)),
  );
  store.close();
  return path;
}

/** The agent's roll-up as it was before the worker: coverage, then KPIs, on the caller's thread. */
function mainThreadRollup(path: string, s: SeededDay): void {
  const store = openStore(path, { nowMs: 1 });
  rollUpCameraUptime(store.db, s.cfg.store.id, s.cfg.store.timezone, [s.date], 2, s.cfg.health.opening_hours);
  rollUpKpis(store.db, s.cfg, s.date, 2);
  store.close();
}

async function postLate(url: string, s: SeededDay): Promise<Response> {
  return fetch(`${url}/api/receipts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(s.late.map((r) => receiptBody(r))),
  });
}

describe('roll-up worker', () => {
  it('the worker thread computes and saves exactly what the main-thread functions do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-rw-eq-'));
    const s = seedDay(dir, short(), 3, 3);
    const ref = withLate(s, dir);
    mainThreadRollup(ref, s);
    const viaWorker = join(dir, 'worker.db');
    copyFileSync(withLate(s, mkdtempSync(join(tmpdir(), 'fs-rw-eq2-'))), viaWorker);

    const store = openStore(viaWorker, { nowMs: 1 });
    const days = dayComputer(store.db, s.cfg, { dbPath: viaWorker });
    expect(days.thread).toBe('worker');
    // The roll-up runs first; the two analyses wait behind it, so the second joins the first.
    const [r, a, b] = await Promise.all([days.rollUpDay(s.date, 2), days.dayForApi(s.date), days.dayForApi(s.date)]);
    expect(a).toStrictEqual(apiDayOf(store.db, s.cfg, s.date)); // structured clone loses nothing
    expect(a!.consultations.length).toBeGreaterThan(0);
    expect(b).toBe(a); // one computation, one result object
    expect(r.visits).toBe(analyzeStoredDay(store.db, s.cfg, s.date)!.visits.length);
    await days.close();
    await expect(days.rollUpDay(s.date, 3)).rejects.toThrow(/not run, the agent is stopping/);
    store.close();

    const expected = savedDay(ref, s.date);
    expect(expected.daily_kpis.length).toBeGreaterThan(0);
    expect(savedDay(viaWorker, s.date)).toEqual(expected);
    // The late receipts changed the day: the comparison is not between two unchanged copies.
    expect(savedDay(s.cfg.storage.path, s.date).daily_kpis).not.toEqual(expected.daily_kpis);
  }, 60_000);

  describe.skipIf(!haveData('models/yolov8n_fp32.onnx'))('in the running agent', () => {
    it("/health answers while a late receipt's roll-up is running, and the roll-up saves what the main thread would", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fs-rw-health-'));
      const s = seedDay(dir, busy(), 7, 5);
      const ref = withLate(s, dir);
      mainThreadRollup(ref, s);
      const agent = await startAgent(s.cfg, { logger: createLogger('warn', { write: () => {} }), clock: Date.now });
      try {
        const rollup = () => agent.state().jobs.find((j) => j.name === 'rollup')!;
        await agent.runArchive(); // the empty archive folders: nothing to roll up
        const runsBefore = rollup().runs;
        const post = await postLate(agent.api!.url, s);
        expect(post.status).toBe(201);
        expect(rollup().runs).toBe(runsBefore + 1); // the late receipts started a roll-up
        const health = await fetch(`${agent.api!.url}/health`);
        expect(health.status).toBe(200);
        // Answered while the roll-up was still running: the event loop was free.
        expect(rollup().running).toBe(true);
        while (rollup().running) await new Promise((r) => setTimeout(r, 50));
        expect(rollup().lastError).toBeNull();
        // The first /api/kpis of the day is computed on the worker too, and answers.
        const kpis = (await (await fetch(`${agent.api!.url}/api/kpis?date=${s.date}`)).json()) as { report: { date: string } | null };
        expect(kpis.report?.date).toBe(s.date);
      } finally {
        await agent.stop();
      }
      expect(savedDay(s.cfg.storage.path, s.date)).toEqual(savedDay(ref, s.date));
    }, 120_000);

    it('SIGTERM during a roll-up: the agent exits promptly and the day is either fully saved or not at all', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fs-rw-term-'));
      const s = seedDay(dir, busy(), 7, 5);
      const ref = withLate(s, dir);
      mainThreadRollup(ref, s);
      const before = savedDay(s.cfg.storage.path, s.date);
      const full = savedDay(ref, s.date);
      expect(full).not.toEqual(before);
      const cfgPath = writeConfig(dir, JSON.parse(JSON.stringify(s.cfg)) as Record<string, unknown>);
      const child = runAgentChild(['--config', cfgPath]);
      try {
        const listening = await child.waitFor((l) => l.msg === 'local API listening', 60_000);
        const url = String(listening.url);
        expect((await postLate(url, s)).status).toBe(201);
        child.child.kill('SIGTERM');
        const exit = await child.exited;
        expect(exit).toEqual({ code: 0, signal: null });
      } finally {
        if (child.child.exitCode === null) child.child.kill('SIGKILL');
      }
      const after = savedDay(s.cfg.storage.path, s.date);
      const done = child.lines.find((l) => l.msg === 'job rollup: done') as { result?: { stopped?: string[] } } | undefined;
      // Cut short by the stop: the day as it was; else (the roll-up won the race) the whole new day.
      if (done?.result?.stopped?.includes(s.date)) expect(after).toEqual(before);
      else expect(after).toEqual(full);
      expect(child.lines.some((l) => l.msg === 'agent stopped')).toBe(true);
    }, 120_000);
  });
});
