/**
 * Box health: CPU load, memory, free disk where the data lives, GPUs and temperatures.
 *
 * Null-safe by construction: many boxes (VMs, this CI machine) report no temperatures and no GPU,
 * and systeminformation answers those with nulls, empty lists or, on odd platforms, throws. Every
 * reading is therefore `number | null`, and each probe runs under a timeout so one slow probe (a
 * hung nvidia-smi, a stuck sensor read) delays the report by at most `timeoutMs`, never blocks it.
 * The probes are injected (the real ones read systeminformation and statfs) so the shell stays thin.
 */
import { statfs } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import si from 'systeminformation';
import type { BoxHealth } from './box-health.js';

/** What the probes return; every field may be missing or null on some platform. */
export interface BoxProbes {
  currentLoad(): Promise<{ readonly currentLoad?: number | null }>;
  mem(): Promise<{ readonly total?: number | null; readonly available?: number | null }>;
  cpuTemperature(): Promise<{ readonly main?: number | null; readonly max?: number | null }>;
  graphics(): Promise<{
    readonly controllers?: ReadonlyArray<{
      readonly model?: string;
      readonly utilizationGpu?: number;
      readonly memoryUsed?: number;
      readonly memoryTotal?: number;
      readonly vram?: number | null;
      readonly temperatureGpu?: number;
    }>;
  }>;
  disk(path: string): Promise<{ readonly free: number; readonly total: number }>;
}

/** The nearest existing folder at or above `p` (the data dir may not exist before the first run). */
function existingAncestor(p: string): string {
  let cur = resolve(p);
  while (!existsSync(cur) && dirname(cur) !== cur) cur = dirname(cur);
  return cur;
}

export const SYSTEM_PROBES: BoxProbes = {
  currentLoad: () => si.currentLoad(),
  mem: () => si.mem(),
  cpuTemperature: () => si.cpuTemperature(),
  graphics: () => si.graphics(),
  async disk(path) {
    const s = await statfs(existingAncestor(path));
    // bavail, not bfree: what an unprivileged process can still write.
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  },
};

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

async function within<T>(name: string, run: () => Promise<T>, timeoutMs: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome<T>>((res) => {
    timer = setTimeout(() => res({ ok: false, reason: `${name}: no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const work = (async (): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      return { ok: false, reason: `${name}: ${e instanceof Error ? e.message : String(e)}` };
    }
  })();
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
/** Sensors that are absent often read 0 or -1 rather than null. */
const temp = (x: unknown): number | null => {
  const v = num(x);
  return v !== null && v > 0 && v < 150 ? v : null;
};

export interface BoxHealthOptions {
  readonly dataDir: string;
  readonly timeoutMs: number;
  readonly nowMs: number;
  readonly probes?: BoxProbes;
}

export async function readBoxHealth(o: BoxHealthOptions): Promise<BoxHealth> {
  const p = o.probes ?? SYSTEM_PROBES;
  const [load, mem, tmp, gfx, disk] = await Promise.all([
    within('cpu load', () => p.currentLoad(), o.timeoutMs),
    within('memory', () => p.mem(), o.timeoutMs),
    within('temperature', () => p.cpuTemperature(), o.timeoutMs),
    within('gpu', () => p.graphics(), o.timeoutMs),
    within('disk', () => p.disk(o.dataDir), o.timeoutMs),
  ]);
  const unavailable = [load, mem, tmp, gfx, disk].flatMap((r) => (r.ok ? [] : [r.reason]));
  const controllers = gfx.ok ? (gfx.value.controllers ?? []) : [];
  const la = loadavg()[0];
  return {
    at_ms: o.nowMs,
    cpu_count: cpus().length,
    cpu_load_percent: load.ok ? num(load.value.currentLoad) : null,
    load_avg_1m: num(la),
    memory_total_bytes: mem.ok ? num(mem.value.total) : null,
    memory_available_bytes: mem.ok ? num(mem.value.available) : null,
    disk_path: resolve(o.dataDir),
    disk_free_bytes: disk.ok ? num(disk.value.free) : null,
    disk_total_bytes: disk.ok ? num(disk.value.total) : null,
    cpu_temperature_c: tmp.ok ? temp(tmp.value.main) : null,
    cpu_temperature_max_c: tmp.ok ? temp(tmp.value.max) : null,
    gpus: controllers.map((c) => ({
      model: c.model ?? 'unknown',
      utilization_percent: num(c.utilizationGpu),
      memory_used_mb: num(c.memoryUsed),
      memory_total_mb: num(c.memoryTotal) ?? num(c.vram),
      temperature_c: temp(c.temperatureGpu),
    })),
    unavailable,
  };
}
