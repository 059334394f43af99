/**
 * Identity-jump check on tracks without ground truth: for each track, the fastest foot-point
 * (box bottom centre) displacement between consecutive rows, in body heights (the mean of the two
 * box heights) per second of video. A person walks at about 0.8 body heights a second; an identity
 * that "moves" several body heights in one sampled second has jumped to someone else.
 */
import { MisuseError } from '../../core/errors.js';
import type { MotRow } from '../../io/mot.js';
import { plausibilityRatio, type PlausibilityOptions } from '../../track/plausibility.js';

export interface TrackJump {
  readonly id: number;
  /** Fastest consecutive-row speed, body heights per second. */
  readonly bodyHeightsPerSec: number;
  /** Frame where it happened (the later row) and the displacement in body heights. */
  readonly frame: number;
  readonly bodyHeights: number;
  /**
   * Largest displacement over what the tracker's plausibility gate allows for that gap (the
   * tracker's own plausibilityRatio, image plane): > 1 means a move the gate forbids.
   */
  readonly gateRatio: number;
}

/** Per-track fastest move, sorted fastest first. `fps` turns frame numbers into seconds. */
export function trackJumps(rows: readonly MotRow[], fps: number, gate?: PlausibilityOptions): TrackJump[] {
  if (!(fps > 0)) throw new MisuseError('FS_BAD_ARGUMENT', `trackJumps: fps must be > 0, got ${fps}`);
  const byId = new Map<number, MotRow[]>();
  for (const r of rows) {
    const l = byId.get(r.id);
    if (l) l.push(r);
    else byId.set(r.id, [r]);
  }
  const out: TrackJump[] = [];
  for (const [id, list] of byId) {
    list.sort((a, b) => a.frame - b.frame);
    let worst: TrackJump = { id, bodyHeightsPerSec: 0, frame: list[0]!.frame, bodyHeights: 0, gateRatio: 0 };
    let gateRatio = 0;
    for (let k = 1; k < list.length; k++) {
      const a = list[k - 1]!;
      const b = list[k]!;
      const dt = (b.frame - a.frame) / fps;
      if (!(dt > 0)) continue;
      const h = Math.max((a.h + b.h) / 2, 1);
      const d = Math.hypot(b.x + b.w / 2 - (a.x + a.w / 2), b.y + b.h - (a.y + a.h)) / h;
      if (gate) {
        const box = (r: MotRow) => [r.x, r.y, r.x + r.w, r.y + r.h] as const;
        gateRatio = Math.max(gateRatio, plausibilityRatio({ box: box(a), timeSec: 0 }, box(b), dt, gate));
      }
      if (d / dt > worst.bodyHeightsPerSec) worst = { id, bodyHeightsPerSec: d / dt, frame: b.frame, bodyHeights: d, gateRatio: 0 };
    }
    out.push({ ...worst, gateRatio });
  }
  return out.sort((a, b) => b.bodyHeightsPerSec - a.bodyHeightsPerSec);
}
