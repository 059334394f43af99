import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_PROBES, readBoxHealth, type BoxProbes } from '../../agent/src/health/box.js';
import { DEFAULT_BOX_THRESHOLDS, boxWarnings, type BoxHealth } from '../../agent/src/health/box-health.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-box-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const numOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

describe('box health from systeminformation (real probes)', () => {
  it('reads this machine: load, memory, disk of the data dir; temperatures and GPUs null-safe', async () => {
    const b = await readBoxHealth({ dataDir: join(dir, 'not-yet', 'created'), timeoutMs: 5000, nowMs: 123 });
    expect(b.at_ms).toBe(123);
    expect(b.cpu_count).toBeGreaterThanOrEqual(1);
    expect(b.memory_total_bytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(b.memory_available_bytes).toBeGreaterThan(0);
    expect(b.memory_available_bytes!).toBeLessThanOrEqual(b.memory_total_bytes!);
    // The data dir does not exist yet: its nearest existing parent's file system is measured.
    const fs = statfsSync(dir);
    expect(Math.abs(b.disk_free_bytes! - fs.bavail * fs.bsize)).toBeLessThan(256 * 1024 * 1024);
    expect(b.disk_total_bytes).toBe(fs.blocks * fs.bsize);
    for (const v of [b.cpu_load_percent, b.cpu_temperature_c, b.cpu_temperature_max_c]) expect(numOrNull(v)).toBe(true);
    for (const g of b.gpus) for (const v of [g.utilization_percent, g.memory_used_mb, g.memory_total_mb, g.temperature_c]) expect(numOrNull(v)).toBe(true);
    expect(b.unavailable).toEqual([]);
    expect(JSON.parse(JSON.stringify(b))).toEqual(b); // plain data, fit for /status
  });

  it('a hung probe costs at most the timeout and is named; the rest still report', async () => {
    // The other probes answer with what the real ones read just before: on a loaded box (CI at
    // load 15) a real probe can itself miss a 300 ms deadline, and only the hung one is under test.
    const [load, mem, temp, disk] = await Promise.all([
      SYSTEM_PROBES.currentLoad(),
      SYSTEM_PROBES.mem(),
      SYSTEM_PROBES.cpuTemperature(),
      SYSTEM_PROBES.disk(dir),
    ]);
    const probes: BoxProbes = {
      currentLoad: async () => load,
      mem: async () => mem,
      cpuTemperature: async () => temp,
      disk: async () => disk,
      graphics: () => new Promise(() => undefined),
    };
    const t0 = performance.now();
    const b = await readBoxHealth({ dataDir: dir, timeoutMs: 300, nowMs: 0, probes });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
    expect(b.gpus).toEqual([]);
    expect(b.unavailable).toEqual(['gpu: no answer within 300 ms']);
    expect(b.memory_total_bytes).toBeGreaterThan(0);
  });

  it('a failing probe and sensors reading 0 / -1 / NaN become nulls', async () => {
    const probes: BoxProbes = {
      ...SYSTEM_PROBES,
      cpuTemperature: async () => ({ main: -1, max: 0 }),
      graphics: async () => ({ controllers: [{ model: 'Jetson', utilizationGpu: NaN, temperatureGpu: 0, vram: 4096 }] }),
      disk: async () => {
        throw new Error('EACCES');
      },
    };
    const b = await readBoxHealth({ dataDir: dir, timeoutMs: 5000, nowMs: 0, probes });
    expect(b.cpu_temperature_c).toBeNull();
    expect(b.cpu_temperature_max_c).toBeNull();
    expect(b.gpus).toEqual([{ model: 'Jetson', utilization_percent: null, memory_used_mb: null, memory_total_mb: 4096, temperature_c: null }]);
    expect(b.disk_free_bytes).toBeNull();
    expect(b.unavailable).toEqual(['disk: EACCES']);
  });
});

describe('box warnings', () => {
  const base: BoxHealth = {
    at_ms: 0,
    cpu_count: 2,
    cpu_load_percent: 50,
    load_avg_1m: 1,
    memory_total_bytes: 8 * 2 ** 30,
    memory_available_bytes: 4 * 2 ** 30,
    disk_path: '/data',
    disk_free_bytes: 50 * 2 ** 30,
    disk_total_bytes: 100 * 2 ** 30,
    cpu_temperature_c: null,
    cpu_temperature_max_c: null,
    gpus: [],
    unavailable: [],
  };
  it.each<[string, Partial<BoxHealth>, string[]]>([
    ['healthy', {}, []],
    ['nothing reported', { memory_total_bytes: null, memory_available_bytes: null, disk_free_bytes: null }, []],
    ['disk low', { disk_free_bytes: 1000 * 2 ** 20 }, ['disk at /data: 1000 MiB free, below the 2048 MiB floor']],
    ['memory full', { memory_available_bytes: 0.04 * 8 * 2 ** 30 }, ['memory 96% used, above 92%']],
    ['CPU hot', { cpu_temperature_c: 80, cpu_temperature_max_c: 91 }, ['CPU at 91 °C, above 85 °C']],
    [
      'GPU hot',
      { gpus: [{ model: 'RTX', utilization_percent: 90, memory_used_mb: 1, memory_total_mb: 2, temperature_c: 88 }] },
      ['GPU 0 (RTX) at 88 °C, above 85 °C'],
    ],
  ])('%s', (_n, over, expected) => {
    expect(boxWarnings({ ...base, ...over }, DEFAULT_BOX_THRESHOLDS)).toEqual(expected);
  });
});
