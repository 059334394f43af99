/**
 * The pipeline's own roles and interactions for an `analyze` output folder, in the labelled
 * layout: the scene chain of `report` (metrics/store-day.ts: stitching, switch resolution, roles,
 * consultations) on the saved tracks, with each MOT row relabelled by the person it was stitched
 * into, because the person, not the tracker's fragment, is what carries a role and a consultation.
 */
import type { AnalyticsConfig } from '../../config/sections/analytics.js';
import type { MotRow } from '../../io/mot.js';
import { analyzeStoreDay } from '../../metrics/store-day.js';
import type { CameraTracks } from '../../metrics/store-day.js';
import type { CameraScene } from '../../scene/observations.js';

import type { EventsFile, InteractionLabel } from './format.js';
import type { LabelledSet } from './evaluate.js';

export function predictedEvents(tracks: CameraTracks, scene: CameraScene, analytics: AnalyticsConfig, sampledFrames: readonly number[]): LabelledSet {
  const tb = tracks.timebase;
  const day = new Date(tb.startMs).toISOString().slice(0, 10);
  const result = analyzeStoreDay({
    storeId: 'eval',
    timeZone: 'UTC',
    date: day,
    cameras: [{ ...scene, id: tracks.camera }],
    analytics,
    tracks: [tracks],
    receipts: [],
    shifts: [],
  });
  // Observation time -> MOT frame, exactly inverting frameTimeMs.
  const frameAt = (t: number): number => Math.round(((t - tb.startMs) * tb.fps) / 1000) + 1;
  const personOf = new Map<string, number>(); // `${track}@${frame}` -> person id
  const roles: Record<string, 'staff' | 'customer'> = {};
  for (const r of result.roles) {
    roles[String(r.person.id)] = r.role;
    for (const o of r.person.obs) personOf.set(`${o.track}@${frameAt(o.t)}`, r.person.id);
  }
  const rows: MotRow[] = [];
  for (const row of tracks.rows) {
    const p = personOf.get(`${row.id}@${row.frame}`);
    if (p !== undefined) rows.push({ ...row, id: p });
  }
  const events: InteractionLabel[] = result.interactions.map((i) => ({
    kind: i.kind,
    seller: i.staffPersonId,
    customer: i.visitId,
    start: frameAt(i.start),
    end: Math.max(frameAt(i.start), frameAt(i.end)),
  }));
  const file: EventsFile = { version: 1, camera: tracks.camera, fps: tb.fps, sampled_frames: [...sampledFrames], roles, events };
  return { rows, events: file };
}
