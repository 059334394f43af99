/**
 * Box health as plain data, and the pure judgement of it. Kept apart from the probes (box.ts) so
 * config and the API can use these without loading systeminformation.
 */
export interface GpuHealth {
  readonly model: string;
  readonly utilization_percent: number | null;
  readonly memory_used_mb: number | null;
  readonly memory_total_mb: number | null;
  readonly temperature_c: number | null;
}

export interface BoxHealth {
  readonly at_ms: number;
  readonly cpu_count: number;
  readonly cpu_load_percent: number | null;
  readonly load_avg_1m: number | null;
  readonly memory_total_bytes: number | null;
  readonly memory_available_bytes: number | null;
  readonly disk_path: string;
  readonly disk_free_bytes: number | null;
  readonly disk_total_bytes: number | null;
  readonly cpu_temperature_c: number | null;
  readonly cpu_temperature_max_c: number | null;
  readonly gpus: readonly GpuHealth[];
  /** Probes that failed or timed out, as `name: reason`. */
  readonly unavailable: readonly string[];
}

export interface BoxThresholds {
  readonly disk_free_min_mb: number;
  readonly memory_used_max_percent: number;
  readonly temperature_max_c: number;
}

export const DEFAULT_BOX_THRESHOLDS: BoxThresholds = Object.freeze({ disk_free_min_mb: 2048, memory_used_max_percent: 92, temperature_max_c: 85 });

/** Human warnings for readings past their thresholds; missing readings raise none. */
export function boxWarnings(b: BoxHealth, t: BoxThresholds): string[] {
  const out: string[] = [];
  if (b.disk_free_bytes !== null && b.disk_free_bytes < t.disk_free_min_mb * 1024 * 1024) {
    out.push(`disk at ${b.disk_path}: ${Math.floor(b.disk_free_bytes / 1048576)} MiB free, below the ${t.disk_free_min_mb} MiB floor`);
  }
  if (b.memory_total_bytes !== null && b.memory_available_bytes !== null && b.memory_total_bytes > 0) {
    const used = 100 * (1 - b.memory_available_bytes / b.memory_total_bytes);
    if (used > t.memory_used_max_percent) out.push(`memory ${used.toFixed(0)}% used, above ${t.memory_used_max_percent}%`);
  }
  const hot = [b.cpu_temperature_max_c ?? b.cpu_temperature_c, ...b.gpus.map((g) => g.temperature_c)];
  hot.forEach((c, i) => {
    if (c !== null && c > t.temperature_max_c)
      out.push(`${i === 0 ? 'CPU' : `GPU ${i - 1} (${b.gpus[i - 1]!.model})`} at ${c.toFixed(0)} °C, above ${t.temperature_max_c} °C`);
  });
  return out;
}
