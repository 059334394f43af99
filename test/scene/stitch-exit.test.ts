/**
 * The picture's edge as a door (scene/stitch.ts walkedOut): on a camera without an entrance zone a
 * fragment whose own motion carried it out of the picture is not continued by someone who turns up
 * later elsewhere in it. Boxes as the indoor labelled clip has them (768x432, 2 fps): people walk
 * out at the right edge and the next comes in mid-picture seconds later, well within walking reach.
 */
import { describe, expect, it } from 'vitest';
import type { MotRow } from '../../agent/src/io/mot.js';
import { toObservations, type CameraTimebase } from '../../agent/src/scene/observations.js';
import { fragmentsOf, gatingCost, idCounter, REENTRY_S, stitchFragments, walkedOut } from '../../agent/src/scene/stitch.js';

const opts = { maxGapS: 45, maxSpeedMps: 1.6, baseRadiusM: 1.2, exitGapS: 0, personHeightM: 1.7 };
const TB: CameraTimebase = { startMs: Date.parse('2026-11-20T09:00:00Z'), fps: 2, width: 768, height: 432 };
const scene = { id: 'room', zones: [], floor: null };

/** A track's boxes (x, y, w, h) at 2 fps from `frame` on. */
function boxes(id: number, frame: number, list: ReadonlyArray<readonly [number, number, number, number]>): MotRow[] {
  return list.map(([x, y, w, h], k) => ({ frame: frame + k, id, x, y, w, h, conf: 0.9 }));
}
/** Walks right and out at the right edge (the indoor clip's person 1: the last box clipped at x 768). */
const leaving = (id: number, frame: number) =>
  boxes(id, frame, [
    [300, 90, 150, 330],
    [400, 60, 170, 350],
    [500, 40, 200, 360],
    [624, 60, 144, 330],
  ]);
/** Appears mid-picture and walks on slowly (the next person of the clip). */
const arriving = (id: number, frame: number) =>
  boxes(id, frame, [
    [330, 100, 160, 325],
    [340, 100, 160, 325],
    [350, 100, 160, 325],
  ]);

function persons(rows: MotRow[]) {
  return stitchFragments(fragmentsOf(toObservations(rows, TB, scene)), gatingCost(opts), opts.maxGapS, idCounter());
}

describe('a person who walked out of the picture', () => {
  it('is told from the motion at the fragment end, not from touching the edge', () => {
    const obs = toObservations(leaving(1, 1), TB, scene);
    expect(walkedOut(obs, true)).toBe('right');
    expect(walkedOut(obs, false)).toBeNull(); // came into view walking right, from mid-picture
    // A shopper close to the camera, cut by the lower edge, standing: not gone.
    const standing = toObservations(
      boxes(2, 1, [
        [300, 150, 200, 282],
        [302, 150, 200, 282],
      ]),
      TB,
      scene,
    );
    expect(walkedOut(standing, true)).toBeNull();
    // Unknown picture size (older stored rows): nothing can be told.
    expect(walkedOut(toObservations(leaving(1, 1), { ...TB, width: 0, height: 0 }, scene), true)).toBeNull();
  });

  it('is not joined with someone who appears mid-picture 4 s later, who is within walking reach', () => {
    const rows = [...leaving(1, 1), ...arriving(2, 4 + 8)];
    expect(persons(rows).map((p) => p.fragments.map((f) => f.track))).toEqual([[1], [2]]);
    // The same walk lost two steps earlier, its motion not yet carrying it out: one person (an occlusion).
    const hidden = [...leaving(1, 1).slice(0, 2), ...arriving(2, 4 + 8)];
    expect(persons(hidden).map((p) => p.fragments.map((f) => f.track))).toEqual([[1, 2]]);
  });

  it('is joined when coming back through the same side soon, not later', () => {
    // Re-enters at the right edge walking left, 3 s after leaving there.
    const back = (frame: number) =>
      boxes(3, frame, [
        [640, 60, 128, 330],
        [560, 60, 150, 335],
        [500, 70, 160, 330],
      ]);
    expect(persons([...leaving(1, 1), ...back(4 + 6)]).map((p) => p.fragments.map((f) => f.track))).toEqual([[1, 3]]);
    const late = 4 + 2 * (REENTRY_S + 2);
    expect(persons([...leaving(1, 1), ...back(late)]).map((p) => p.fragments.map((f) => f.track))).toEqual([[1], [3]]);
  });

  it('is taken over by another camera whose picture they walk into', () => {
    // Both cameras calibrated: the walk on the floor continues from one picture into the other.
    const onFloor = (rows: MotRow[], camera: string, x0: number) =>
      toObservations(rows, TB, { ...scene, id: camera }).map((o, k) => ({ ...o, world: [x0 + 0.6 * k, 2] as const }));
    const obs = [...onFloor(leaving(1, 1), 'room', 0), ...onFloor(arriving(2, 4 + 3), 'hall', 3.6)];
    const ps = stitchFragments(fragmentsOf(obs), gatingCost(opts), opts.maxGapS, idCounter());
    expect(ps.map((p) => p.fragments.map((f) => f.key))).toEqual([['room#1', 'hall#2']]);
  });
});
