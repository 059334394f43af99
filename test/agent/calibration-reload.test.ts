/**
 * A saved calibration reaches the day analytics of the running agent: after `setCameras` the
 * roll-up worker thread (its own copy of the config) computes the day with the new zones, exactly
 * as the main-thread function does with them. A simulated store day in a real SQLite file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiDayOf, dayComputer } from '../../agent/src/agent/rollup-worker-client.js';
import { openStore } from '../../agent/src/store/open.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { scenarioOf, seedDay } from './rollup-fixture.js';

describe('calibration reload in the roll-up worker', () => {
  it('a day analysed after setCameras uses the new zones (worker result = main-thread result with them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-cal-reload-'));
    const s = seedDay(
      dir,
      scenarioOf(join(REPO_ROOT, 'config/scenarios/quiet-one-seller.yaml'), { open: '10:00', close: '12:00', arrivals: [8, 10], stride: 50 }),
      5,
      0,
    );
    const store = openStore(s.cfg.storage.path, { nowMs: 1 });
    const days = dayComputer(store.db, s.cfg, { dbPath: s.cfg.storage.path });
    try {
      expect(days.thread).toBe('worker');
      const before = await days.dayForApi(s.date);
      expect(before).toStrictEqual(apiDayOf(store.db, s.cfg, s.date));
      // A (wrong) staff-only zone over the whole picture: everyone spends all their time in it.
      const all = {
        name: 'everything',
        kind: 'staff' as const,
        polygon: [
          [0, 0],
          [10_000, 0],
          [10_000, 10_000],
          [0, 10_000],
        ] as Array<[number, number]>,
      };
      const cameras = s.cfg.cameras.map((c) => ({ ...c, zones: [all] }));
      days.setCameras(cameras);
      const after = await days.dayForApi(s.date);
      expect(after).toStrictEqual(apiDayOf(store.db, { ...s.cfg, cameras }, s.date));
      expect(after!.view.report.store.customers).toBeLessThan(before!.view.report.store.customers);
    } finally {
      await days.close();
      store.close();
    }
  }, 60_000);
});
