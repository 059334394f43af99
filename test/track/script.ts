/**
 * Frame-by-frame track life scripts: each step gives video time, detections (with an optional
 * appearance vector standing in for what OSNet would return for that crop) and the tracks we
 * expect reported after it.
 */
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { createIdCounter } from '../../agent/src/track/ids.js';
import { trackerOptions, type TrackerOptions } from '../../agent/src/track/options.js';
import { createTracker, type EmbedFn, type Picture, type Tracker, type TrackerUpdate } from '../../agent/src/track/tracker.js';

export interface ScriptDet {
  readonly box: readonly [number, number, number, number];
  readonly score?: number;
  readonly emb?: readonly number[];
}

export interface ScriptStep {
  readonly t: number;
  readonly dets: readonly ScriptDet[];
}

export interface StepResult extends TrackerUpdate {
  readonly t: number;
  /** Requested embedding indices, per call. */
  readonly embedCalls: number[][];
}

/** A box of a person w x h whose centre is at (cx, cy). */
export function person(cx: number, cy: number, w = 40, h = 100): readonly [number, number, number, number] {
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

/** A unit vector along axis k of dim-dimensional space, with a small deterministic wobble. */
export function identity(k: number, wobble = 0, dim = 8): number[] {
  const v = Array.from({ length: dim }, (_, i) => (i === k ? 1 : 0.05 * Math.sin(wobble + i)));
  return v;
}

export async function runScript(
  steps: readonly ScriptStep[],
  overrides: Partial<TrackerOptions> = {},
  picture?: Picture,
): Promise<{ results: StepResult[]; tracker: Tracker }> {
  const tracker = createTracker(trackerOptions(overrides), { nextId: createIdCounter(1) });
  const results: StepResult[] = [];
  for (const step of steps) {
    const dets = detectionsFromList(step.dets.map((d) => ({ box: d.box, score: d.score ?? 0.9 })));
    const embedCalls: number[][] = [];
    const vectors = (idx: readonly number[]): Float32Array[] => {
      embedCalls.push([...idx]);
      return idx.map((i) => {
        const e = step.dets[i]!.emb;
        if (!e) throw new Error(`script step t=${step.t}: detection ${i} has no emb but one was requested`);
        return Float32Array.from(e);
      });
    };
    const embed: EmbedFn = picture ? Object.assign(vectors, { picture }) : vectors;
    const u = await tracker.update(dets, step.t, embed);
    results.push({ ...u, t: step.t, embedCalls });
  }
  return { results, tracker };
}

/** "id:m" for matched, "id:c" for coasting, per step. */
export function summary(results: readonly StepResult[]): string[] {
  return results.map((r) => r.tracks.map((t) => `${t.id}:${t.matched ? 'm' : 'c'}`).join(' '));
}
