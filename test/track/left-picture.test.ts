import { describe, expect, it } from 'vitest';
import { leftPicture } from '../../agent/src/track/tracker.js';
import { person } from './script.js';

const picture = { width: 768, height: 432 };
/** A track last seen at `last` (t=86), seen at `prev` one second before. */
const track = (prev: readonly [number, number], last: readonly [number, number]) => ({
  prevBox: person(prev[0], prev[1], 150, 340),
  prevSeenSec: 85,
  lastBox: person(last[0], last[1], 150, 340),
  lastSeenSec: 86,
});

describe('leftPicture: did the track’s own motion carry it out of the picture?', () => {
  it.each([
    // The indoor clip at 1 fps: she stood at x 430, then walked right 190 px in a second; a second later she is past the edge.
    ['walking out at the right edge', track([467, 218], [656, 210]), 1, true],
    ['the same walk, but 0.5 s on she is still inside', track([467, 218], [656, 210]), 0.5, false],
    ['standing at the lower edge, close to the camera', track([300, 262], [302, 262]), 1, false],
    ['walking out through the lower edge', track([300, 180], [300, 262]), 3, true],
    ['walking towards the middle', track([700, 210], [600, 210]), 1, false],
  ] as const)('%s', (_name, tr, horizon, expected) => {
    expect(leftPicture(tr, horizon, picture)).toBe(expected);
  });

  it('cannot tell without the picture’s size or a second observation', () => {
    expect(leftPicture(track([467, 218], [656, 210]), 1, undefined)).toBe(false);
    expect(leftPicture({ ...track([467, 218], [656, 210]), prevBox: null }, 1, picture)).toBe(false);
  });
});
