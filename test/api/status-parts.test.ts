import { describe, expect, it } from 'vitest';
import { boxStatusWarnings, cameraStatusOf, cameraWarnings, driftWarnings } from '../../agent/src/api/index.js';
import {
  DEFAULT_CAMERA_THRESHOLDS as T,
  assessCamera,
  boxWarnings,
  checkDrift,
  newCameraHealth,
  onFrame,
  onSourceLost,
  DEFAULT_BOX_THRESHOLDS,
  type BoxHealth,
  type DailySummary,
} from '../../agent/src/health/index.js';
import { imageSignature } from '../../agent/src/health/image-checks.js';
import { makeFrame } from '../health/frames.js';

describe('status records from health values', () => {
  const dark = imageSignature(makeFrame(16, 16, () => [2, 2, 2]));

  it('camera status and one warning per problem', () => {
    let h = newCameraHealth('hall', 0);
    for (let t = 0; t <= 70_000; t += 1000) h = onFrame(h, { timestampMs: t, signature: dark, persons: 0 }, T);
    const a = assessCamera(h, 70_000, T);
    expect(cameraStatusOf(a, { fps: 1, frames: h.frames, dropped_frames: 0, coverage_today: 1 })).toEqual({
      id: 'hall',
      state: 'frozen',
      since_ms: 0,
      last_frame_ms: 70_000,
      fps: 1,
      frames: 71,
      dropped_frames: 0,
      coverage_today: 1,
    });
    const lost = assessCamera(onSourceLost(newCameraHealth('till', 0), 5), 10_000, T);
    expect(cameraWarnings([a, lost])).toEqual([
      { source: 'camera', subject: 'hall', message: 'camera "hall" image frozen (no pixel change) for 70 s', since_ms: 0 },
      { source: 'camera', subject: 'hall', message: 'camera "hall" image black (mean luma 2.0) for 70 s', since_ms: 0 },
      { source: 'camera', subject: 'till', message: 'camera "till" has sent no frame yet (10 s since start)', since_ms: 0 },
    ]);
  });

  it('drift and box warnings', () => {
    const s = (date: string, pph: number): DailySummary => ({
      cameraId: 'c1',
      date,
      detections: 0,
      mean_confidence: null,
      p10_confidence: null,
      p50_confidence: null,
      p90_confidence: null,
      people_per_hour: pph,
    });
    const w = checkDrift(
      s('2025-03-08', 10),
      ['01', '02', '03', '04'].map((d) => s(`2025-03-${d}`, 40)),
    );
    expect(driftWarnings(w)).toEqual([{ source: 'drift', subject: 'c1/people_per_hour', message: w[0]!.message, since_ms: null }]);
    const box: BoxHealth = {
      at_ms: 5,
      cpu_count: 2,
      cpu_load_percent: 1,
      load_avg_1m: 1,
      memory_total_bytes: 100,
      memory_available_bytes: 50,
      disk_path: '/d',
      disk_free_bytes: 1,
      disk_total_bytes: 2,
      cpu_temperature_c: null,
      cpu_temperature_max_c: null,
      gpus: [],
      unavailable: [],
    };
    expect(boxStatusWarnings(boxWarnings(box, DEFAULT_BOX_THRESHOLDS), box.at_ms)).toEqual([
      { source: 'box', subject: 'disk', message: 'disk at /d: 0 MiB free, below the 2048 MiB floor', since_ms: 5 },
    ]);
  });
});
