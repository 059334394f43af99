/**
 * `floorsense import` of a folder with `<camera>.emb.json` sidecars keeps their embeddings, so the
 * imported day rolls up with appearance as `report` reads the same folder. A simulated morning of the
 * quiet store with the simulator's appearance embeddings (each person a unit vector, each track that
 * plus noise), on a seed where appearance changes who is one person: the persons from the store must
 * be report's with the sidecar, and differ from report's without it. Its torso colours are kept too.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTracks } from '../../agent/src/agent/import.js';
import { analyzeStoredDay, tracksOfDay } from '../../agent/src/agent/store-day.js';
import { validateConfig } from '../../agent/src/config/load.js';
import type { CameraTracks, StoreDayResult } from '../../agent/src/metrics/store-day.js';
import { readCameraTracks, writeCameraEmbeddings, writeCameraTracks } from '../../agent/src/scene/interchange.js';
import { validateScenario } from '../../agent/src/sim/scenario.js';
import { simulateDay } from '../../agent/src/sim/simulate.js';
import { appearanceOfDay, SIDECAR_MODEL } from '../../agent/src/store/appearance.js';
import { openStore } from '../../agent/src/store/open.js';
import { localDayBounds } from '../../agent/src/core/local-time.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { reportOf } from './helpers.js';
import { scenarioOf } from './rollup-fixture.js';

describe('import keeps the sidecar appearance', () => {
  it('rolls the imported day up with the persons report finds in the same folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-import-appearance-'));
    try {
      const base = scenarioOf(join(REPO_ROOT, 'config/scenarios/quiet-one-seller.yaml'), { open: '10:00', close: '13:00', arrivals: [12, 14, 14], stride: 50 });
      const day = simulateDay(validateScenario({ ...base, appearance: { ...base.appearance, enabled: true }, colors: { ...base.colors, enabled: true } }), 3);
      const tracksDir = join(dir, 'tracks');
      for (const s of day.streams) {
        writeCameraTracks(tracksDir, s.camera, s.timebase, s.rows);
        writeCameraEmbeddings(tracksDir, s.camera, s.embeddings!, s.colors);
      }
      const cfg = validateConfig({ ...day.config, storage: { path: join(dir, 'fs.db') } });
      const date = day.scenario.date;
      const { db, close } = openStore(cfg.storage.path, { nowMs: 1 });
      try {
        importTracks(db, cfg, { tracksDir, receipts: [], shifts: [] }, 1);
        const stored = appearanceOfDay(db, ...localDayBounds(date, cfg.store.timezone));
        expect(stored).toMatchObject({ model: SIDECAR_MODEL, dim: 512, otherSpace: 0 });
        const files = cfg.cameras.map((c) => readCameraTracks(tracksDir, c.id));
        expect(stored.byTrack.size).toBe(files.reduce((n, f) => n + f.embeddings!.size, 0));

        const keyOf = new Map(
          db
            .prepare<[], { id: number; camera: string; key: string }>('SELECT id, camera_id AS camera, track_key AS key FROM tracks')
            .all()
            .map((r) => [r.id, `${r.camera}#${r.key.split('#').pop()}`]),
        );
        // The sidecar's torso colours too (migration 10): each track's, under the same key.
        const wantColors = files.flatMap((f, i) => [...(f.colors ?? [])].map(([id, c]) => [`${cfg.cameras[i]!.id}#${id}`, c] as const));
        expect(wantColors.length).toBeGreaterThan(10);
        const gotColors = tracksOfDay(db, ...localDayBounds(date, cfg.store.timezone)).flatMap((t) =>
          [...(t.colors ?? [])].map(([id, c]) => [keyOf.get(id)!, c] as const),
        );
        expect(new Map(gotColors)).toEqual(new Map(wantColors));
        const persons = (r: StoreDayResult, fromStore: boolean): string[] =>
          r.visits
            .map((p) =>
              p.fragments
                .map((f) => (fromStore ? keyOf.get(f.track) : `${f.camera}#${f.track}`))
                .sort()
                .join('+'),
            )
            .sort();
        const report = (tracks: CameraTracks[]): StoreDayResult => reportOf(cfg, date, tracks);
        const withSidecar = persons(report(files), false);
        const withoutSidecar = persons(report(files.map(({ embeddings: _e, ...motionOnly }) => motionOnly)), false);
        expect(withSidecar).not.toEqual(withoutSidecar);
        expect(persons(analyzeStoredDay(db, cfg, date)!, true)).toEqual(withSidecar);
      } finally {
        close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
