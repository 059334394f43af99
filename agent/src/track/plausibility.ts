/**
 * The physical plausibility gate: a person cannot have moved further than a walking body can in
 * the time since they were last OBSERVED (not predicted: a coasting prediction can drift anywhere).
 * It is applied to every association and every re-identification, so neither motion nor appearance
 * can move an identity from a cashier at the far left to a shopper at the bottom right between two
 * samples.
 *
 * Without a floor homography the bound is in body heights: the track's last observed box height
 * stands for the person's height at that depth (people walk ~1.4 m/s and are ~1.7 m tall, about
 * 0.8 body heights a second; a hurried walk is 2-2.5 m/s, ~1.5 body heights a second). The distance
 * is between foot points (box bottom centres), the point that moves with the body on the floor.
 * With a homography (`toFloor`), it is metres on the floor.
 *
 * The reach is capped (`maxReachBodyHeights`, `maxReachM`): the walking bound alone grows without
 * limit with the gap, so after 30 s it allowed 45 body heights, anywhere in the picture, and the
 * decision fell to appearance alone. In the indoor labelled clip that joined four different people
 * (30, 6 and 4.5 s apart) into one id at cosine distances 0.23-0.38, where OSNet puts different
 * people as close as 0.2. The tracker's re-identification is for a person hidden for a moment
 * (behind a shelf end, a pillar, another shopper) who re-emerges near where they were lost; a person
 * who left and came back elsewhere is the scene stitcher's to join (scene/stitch.ts), with its
 * own time, place and appearance model over whole fragments.
 *
 * The result is a cost matrix of displacement / allowed displacement: <= 1 plausible, > 1 not
 * (combine with `gateBy(cost, plausibility, 1)`).
 */
import { costMatrix, type CostMatrix } from './cost.js';
import type { DetectionView } from './distances.js';
import type { Xyxy } from './geometry.js';

export interface PlausibilityOptions {
  /** Fastest plausible speed, body heights per video second (image-plane bound). */
  readonly maxSpeedBodyHeights: number;
  /** Displacement always allowed, body heights: detector jitter and pose change at dt -> 0. */
  readonly slackBodyHeights: number;
  /** Fastest plausible speed on the floor, metres per second (with a homography). */
  readonly maxSpeedMps: number;
  /** Floor displacement always allowed, metres (homography error, jitter). */
  readonly slackM: number;
  /** The most the reach may grow to however long the gap, body heights (image-plane bound). */
  readonly maxReachBodyHeights: number;
  /** The most the reach may grow to however long the gap, metres on the floor. */
  readonly maxReachM: number;
}

/** Where and when a track was last observed. */
export interface LastObservation {
  readonly box: Xyxy;
  readonly timeSec: number;
}

/** Image foot point (source pixels) to floor metres, or null outside the calibrated area. */
export type ToFloor = (x: number, y: number) => readonly [number, number] | null;

function foot(b: Xyxy): [number, number] {
  return [(b[0] + b[2]) / 2, b[3]];
}

/** Displacement over allowed displacement for one pair (image plane, or floor when both map). */
export function plausibilityRatio(last: LastObservation, det: Xyxy, nowSec: number, o: PlausibilityOptions, toFloor?: ToFloor): number {
  const dt = Math.max(nowSec - last.timeSec, 0);
  const [ax, ay] = foot(last.box);
  const [bx, by] = foot(det);
  if (toFloor) {
    const a = toFloor(ax, ay);
    const b = toFloor(bx, by);
    if (a && b) return Math.hypot(b[0] - a[0], b[1] - a[1]) / reach(o.slackM, o.maxSpeedMps, o.maxReachM, dt);
  }
  const height = Math.max(last.box[3] - last.box[1], 1);
  return Math.hypot(bx - ax, by - ay) / height / reach(o.slackBodyHeights, o.maxSpeedBodyHeights, o.maxReachBodyHeights, dt);
}

/** How far a person may have got in dt seconds: slack + speed * dt, capped (never below the slack). */
export function reach(slack: number, speed: number, cap: number, dt: number): number {
  return Math.max(slack, Math.min(slack + speed * dt, cap));
}

/** Rows = tracks by last observation, cols = detections; entries are `plausibilityRatio`. */
export function plausibility(
  tracks: readonly LastObservation[],
  dets: readonly Pick<DetectionView, 'box'>[],
  nowSec: number,
  o: PlausibilityOptions,
  toFloor?: ToFloor,
): CostMatrix {
  const m = costMatrix(tracks.length, dets.length);
  for (let i = 0; i < tracks.length; i++) {
    for (let j = 0; j < dets.length; j++) m.data[i * dets.length + j] = plausibilityRatio(tracks[i]!, dets[j]!.box, nowSec, o, toFloor);
  }
  return m;
}
