import { describe, expect, it } from 'vitest';
import { observationDistance, toObservations, type CameraScene } from '../../agent/src/scene/observations.js';
import { parseTimebase } from '../../agent/src/scene/interchange.js';
import { FailureError } from '../../agent/src/core/errors.js';

const tb = parseTimebase('{"start":"2025-04-08T08:00:00Z","fps":1,"width":1280,"height":720}', 'cam.json');
const cam: CameraScene = {
  id: 'c1',
  zones: [
    {
      name: 'till',
      kind: 'till',
      polygon: [
        [600, 500],
        [800, 500],
        [800, 600],
        [600, 600],
      ],
    },
    {
      name: 'floor',
      kind: 'floor',
      polygon: [
        [0, 0],
        [1280, 0],
        [1280, 720],
        [0, 720],
      ],
    },
  ],
  floor: null,
  hfovDeg: 90,
};

describe('observations from MOT rows', () => {
  it('video time from the frame number; first listed zone containing the feet wins', () => {
    const obs = toObservations(
      [
        { frame: 1, id: 3, x: 680, y: 350, w: 60, h: 200, conf: 1 },
        { frame: 11, id: 3, x: 100, y: 300, w: 60, h: 200, conf: 1 },
        { frame: 12, id: -1, x: 100, y: 300, w: 60, h: 200, conf: 1 },
      ],
      tb,
      cam,
    );
    expect(obs.map((o) => [o.t - Date.UTC(2025, 3, 8, 8), o.zone, o.foot])).toEqual([
      [0, 'till', [710, 550]],
      [10_000, 'floor', [130, 500]],
    ]);
  });

  it('pixel fallback: side by side is close, one behind the other is not', () => {
    const [a, side, behind] = toObservations(
      [
        // On the floor, above the till zone (at a till a box height only bounds the depth).
        { frame: 1, id: 1, x: 600, y: 250, w: 80, h: 200, conf: 1 },
        { frame: 1, id: 2, x: 750, y: 250, w: 80, h: 200, conf: 1 }, // 150 px to the right, same size
        { frame: 1, id: 3, x: 615, y: 230, w: 50, h: 120, conf: 1 }, // same column, much smaller: further away
      ],
      tb,
      cam,
    );
    expect(observationDistance(a!, side!, 1.7)).toBeCloseTo((150 * 1.7) / 200, 5);
    expect(observationDistance(a!, behind!, 1.7)).toBeGreaterThan(3);
  });

  it('a bad meta file names itself', () => {
    expect(() => parseTimebase('{"start":"yesterday","fps":0}', 'tracks/c1.json')).toThrow(FailureError);
    expect(() => parseTimebase('{"start":"yesterday","fps":0}', 'tracks/c1.json')).toThrow(/tracks\/c1\.json: start: expected an ISO-8601.*fps/);
  });
});
