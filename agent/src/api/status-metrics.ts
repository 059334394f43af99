/** The agent's status as Prometheus metric families (pure: status in, families out). */
import { STATE_SEVERITY } from '../health/camera-state.js';
import type { MetricFamily } from './prometheus.js';
import type { AgentStatus } from './provider.js';

const g = (name: string, help: string, samples: MetricFamily['samples']): MetricFamily => ({ name, help, type: 'gauge', samples });
const c = (name: string, help: string, samples: MetricFamily['samples']): MetricFamily => ({ name, help, type: 'counter', samples });

export function statusMetrics(s: AgentStatus): MetricFamily[] {
  const cams = s.cameras;
  const per = (f: (cam: AgentStatus['cameras'][number]) => number | null): MetricFamily['samples'] =>
    cams.map((cam) => ({ labels: { camera: cam.id }, value: f(cam) }));
  const box = s.box;
  const warnSources = [...new Set(s.warnings.map((w) => w.source))].sort();
  return [
    g('floorsense_up', 'The agent is running (always 1 when this page answers).', [{ value: 1 }]),
    g('floorsense_start_time_seconds', 'When the agent started, Unix seconds.', [{ value: s.started_ms / 1000 }]),
    g(
      'floorsense_camera_state',
      'Camera health state: 1 for the current state, 0 for the others.',
      cams.flatMap((cam) => STATE_SEVERITY.map((st) => ({ labels: { camera: cam.id, state: st }, value: cam.state === st ? 1 : 0 }))),
    ),
    g(
      'floorsense_camera_fps',
      'Sampled frames per second reaching the detector, per camera.',
      per((cam) => cam.fps),
    ),
    c(
      'floorsense_camera_frames_total',
      'Frames received per camera since start.',
      per((cam) => cam.frames),
    ),
    c(
      'floorsense_camera_dropped_frames_total',
      'Frames dropped because the detector queue was full.',
      per((cam) => cam.dropped_frames),
    ),
    g(
      'floorsense_camera_coverage_ratio',
      "Share of today's opening hours so far the camera was up (0-1).",
      per((cam) => cam.coverage_today),
    ),
    g(
      'floorsense_camera_last_frame_timestamp_seconds',
      'Time of the last frame received, Unix seconds.',
      per((cam) => (cam.last_frame_ms === null ? null : cam.last_frame_ms / 1000)),
    ),
    g('floorsense_detector_queue_depth', 'Frames waiting for the detector.', [{ value: s.detector.queue_depth }]),
    g('floorsense_detector_queue_capacity', 'Detector queue capacity.', [{ value: s.detector.queue_capacity }]),
    g('floorsense_detector_fps', 'Frames per second through the detector.', [{ value: s.detector.fps }]),
    c('floorsense_detector_dropped_frames_total', 'Frames dropped at the detector queue since start.', [{ value: s.detector.dropped_frames }]),
    g('floorsense_sync_enabled', 'Sync to the central ClickHouse is configured (1) or off (0).', [{ value: s.sync.enabled ? 1 : 0 }]),
    g('floorsense_sync_backlog_rows', 'Aggregate rows waiting in the outbox.', [{ value: s.sync.backlog_rows }]),
    g('floorsense_sync_quarantined_rows', 'Outbox rows failing the sync whitelist, set aside and never sent.', [{ value: s.sync.quarantined_rows }]),
    g('floorsense_sync_last_success_timestamp_seconds', 'Last successful sync, Unix seconds.', [
      { value: s.sync.last_success_ms === null ? null : s.sync.last_success_ms / 1000 },
    ]),
    g('floorsense_box_cpu_load_percent', 'CPU load of the box, percent.', [{ value: box?.cpu_load_percent ?? null }]),
    g('floorsense_box_memory_available_bytes', 'Memory available to new work.', [{ value: box?.memory_available_bytes ?? null }]),
    g('floorsense_box_memory_total_bytes', 'Total memory.', [{ value: box?.memory_total_bytes ?? null }]),
    g('floorsense_box_disk_free_bytes', 'Free disk where the data lives.', box ? [{ labels: { path: box.disk_path }, value: box.disk_free_bytes }] : []),
    g('floorsense_box_cpu_temperature_celsius', 'CPU temperature, where the platform reports it.', [{ value: box?.cpu_temperature_c ?? null }]),
    g(
      'floorsense_box_gpu_temperature_celsius',
      'GPU temperature, where reported.',
      (box?.gpus ?? []).map((gp, i) => ({ labels: { gpu: String(i), model: gp.model }, value: gp.temperature_c })),
    ),
    g(
      'floorsense_box_gpu_utilization_percent',
      'GPU utilisation, where reported.',
      (box?.gpus ?? []).map((gp, i) => ({ labels: { gpu: String(i), model: gp.model }, value: gp.utilization_percent })),
    ),
    g(
      'floorsense_warnings',
      'Active warnings by source.',
      warnSources.map((src) => ({ labels: { source: src }, value: s.warnings.filter((w) => w.source === src).length })),
    ),
  ];
}
