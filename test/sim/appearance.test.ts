import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../agent/src/cli/main.js';
import { analyzeStoreDay, cameraSceneFromConfig } from '../../agent/src/metrics/store-day.js';
import { readCameraTracks } from '../../agent/src/scene/interchange.js';
import { simulateDay, type SimulatedDay } from '../../agent/src/sim/simulate.js';
import { variedScenario } from '../../agent/src/sim/varied.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, k) => s + x * b[k]!, 0);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('simulated appearance embeddings', () => {
  const seed = 6; // busy, three sellers, two cameras
  const sc = variedScenario(seed, { hours: { open: '10:00', close: '13:00' } });
  const plain = simulateDay(sc, seed);
  const looks = simulateDay({ ...sc, appearance: { ...sc.appearance, enabled: true, dim: 64 } }, seed);

  it('are off by default and, when on, leave tracks, receipts and truth unchanged', () => {
    expect(plain.streams.every((s) => s.embeddings === undefined)).toBe(true);
    expect(looks.streams.map((s) => s.rows)).toEqual(plain.streams.map((s) => s.rows));
    expect(looks.receiptsCsv).toBe(plain.receiptsCsv);
    expect(looks.truth).toEqual(plain.truth);
  });

  it('give every track a unit vector that looks like the person it ends on, and unlike anyone else', () => {
    const same: number[] = [];
    const other: number[] = [];
    for (const s of looks.streams) {
      const ids = [...new Set(s.rows.map((r) => r.id))];
      expect(ids.every((id) => s.embeddings!.get(id)?.length === 64)).toBe(true);
      for (const v of s.embeddings!.values()) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      const people = ids.filter((id) => s.lastLabels.get(id) !== 'false').slice(0, 80);
      for (let i = 0; i < people.length; i++)
        for (let j = i + 1; j < people.length; j++)
          (s.lastLabels.get(people[i]!) === s.lastLabels.get(people[j]!) ? same : other).push(
            dot(s.embeddings!.get(people[i]!)!, s.embeddings!.get(people[j]!)!),
          );
    }
    expect(same.length).toBeGreaterThan(10);
    expect(mean(same)).toBeGreaterThan(0.7);
    expect(Math.abs(mean(other))).toBeLessThan(0.1);
  });

  it('make stitching join fewer tracks of different people into one visit (soft cost by default, fewer still with a gate)', () => {
    // Links inside visits whose two tracks mostly follow different true people, summed over three short days.
    const wrongLinks = (d: SimulatedDay, gate: number): number => {
      const a = d.config.analytics;
      const r = analyzeStoreDay({
        storeId: d.config.store.id,
        timeZone: d.config.store.timezone,
        date: d.scenario.date,
        cameras: d.config.cameras.map(cameraSceneFromConfig),
        analytics: { ...a, stitching: { ...a.stitching, max_cosine_distance: gate } },
        tracks: d.streams,
        receipts: d.receipts,
        shifts: d.shifts,
      });
      const label = (f: { camera: string; track: number }): string | undefined => d.streams.find((s) => s.camera === f.camera)!.labels.get(f.track);
      return r.visits.reduce((n, v) => n + v.fragments.filter((f, i) => i > 0 && label(f) !== label(v.fragments[i - 1]!)).length, 0);
    };
    let none = 0;
    let soft = 0;
    let gated = 0;
    for (const s of [2, 5, 6]) {
      const base = variedScenario(s, { hours: { open: '10:00', close: '13:00' } });
      const off = simulateDay(base, s);
      const on = simulateDay({ ...base, appearance: { ...base.appearance, enabled: true, dim: 64 } }, s);
      none += wrongLinks(off, 2);
      soft += wrongLinks(on, on.config.analytics.stitching.max_cosine_distance);
      gated += wrongLinks(on, 0.5);
    }
    expect(none).toBeGreaterThan(10);
    expect(soft).toBeLessThan(none);
    expect(gated).toBeLessThan(soft);
  });
});

describe('floorsense simulate + report with the appearance sidecar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-sim-app-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = async (f: () => Promise<number>): Promise<{ code: number; out: string; err: string }> => {
    const [log, err] = [console.log, console.error];
    const orig = process.stdout.write.bind(process.stdout);
    let out = '';
    let e = '';
    console.log = (...a: unknown[]) => void (out += `${a.join(' ')}\n`);
    console.error = (...a: unknown[]) => void (e += `${a.join(' ')}\n`);
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    try {
      return { code: await f(), out, err: e };
    } finally {
      [console.log, console.error] = [log, err];
      process.stdout.write = orig;
    }
  };

  it('writes <camera>.emb.json, reports from it, and names a corrupt one', async () => {
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      'date: "2025-04-08"\nhours: {open: "10:00", close: "11:00"}\nsellers:\n  - {id: s1, name: Anna, start: "10:00", end: "11:00", post: counter}\ncustomers: {arrivals_per_hour: 12}\nappearance: {enabled: true, dim: 32}\n',
    );
    const out = join(dir, 'day');
    expect((await quiet(() => main(['simulate', '--config', scenario, '--seed', '3', '--out', out]))).code).toBe(0);
    const tracks = readCameraTracks(join(out, 'tracks'), 'cam1');
    expect(tracks.embeddings!.size).toBe(new Set(tracks.rows.map((r) => r.id)).size);
    const args = [
      'report',
      '--config',
      join(out, 'store.yaml'),
      '--tracks',
      join(out, 'tracks'),
      '--receipts',
      join(out, 'receipts.csv'),
      '--schedule',
      join(out, 'schedule.csv'),
      '--date',
      '2025-04-08',
      '--json',
    ];
    const ok = await quiet(() => main(args));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).store.customers).toBeGreaterThan(0);
    const emb = join(out, 'tracks', 'cam1.emb.json');
    writeFileSync(emb, readFileSync(emb, 'utf8').replace('"dim":32', '"dim":31'));
    const bad = await quiet(() => main(args));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/cam1\.emb\.json: tracks\.\d+: expected 31 numbers, got 32/);
  });
});
