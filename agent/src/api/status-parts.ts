/**
 * Pure mappers from the health modules' values to the API's status records, so the agent builds
 * `AgentStatus` from pieces that are tested here rather than ad hoc in its main loop.
 */
import type { CameraAssessment } from '../health/camera-state.js';
import type { DriftWarning } from '../health/drift.js';
import type { CameraStatus, StatusWarning } from './provider.js';

export interface CameraCounters {
  readonly fps: number | null;
  readonly frames: number;
  readonly dropped_frames: number;
  readonly coverage_today: number | null;
}

export function cameraStatusOf(a: CameraAssessment, c: CameraCounters): CameraStatus {
  return {
    id: a.cameraId,
    state: a.state,
    since_ms: a.sinceMs,
    last_frame_ms: a.lastFrameMs,
    fps: c.fps,
    frames: c.frames,
    dropped_frames: c.dropped_frames,
    coverage_today: c.coverage_today,
  };
}

/** One warning per camera problem (all of them, not only the worst), cameras in the given order. */
export function cameraWarnings(assessments: readonly CameraAssessment[]): StatusWarning[] {
  return assessments.flatMap((a) => a.problems.map((p) => ({ source: 'camera' as const, subject: a.cameraId, message: p.message, since_ms: p.sinceMs })));
}

export function driftWarnings(ws: readonly DriftWarning[]): StatusWarning[] {
  return ws.map((w) => ({ source: 'drift' as const, subject: `${w.cameraId}/${w.metric}`, message: w.message, since_ms: null }));
}

export function boxStatusWarnings(messages: readonly string[], atMs: number): StatusWarning[] {
  return messages.map((m) => ({ source: 'box' as const, subject: m.split(/[ :]/, 1)[0]!.toLowerCase(), message: m, since_ms: atMs }));
}
