import { describe, expect, it } from 'vitest';
import { letterboxFor } from '../../agent/src/core/frame.js';
import { addTorso, meanColor, type ColorSum } from '../../agent/src/pipeline/torso-color.js';

/** A 640x480 source letterboxed into 320x320: a red shirt at source x 100..200, y 100..300, grey elsewhere. */
function frame() {
  const letterbox = letterboxFor(640, 480, 320, 320);
  const width = 320;
  const height = 320;
  const data = new Uint8Array(width * height * 3).fill(90);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = (x - letterbox.padX) / letterbox.scale;
      const sy = (y - letterbox.padY) / letterbox.scale;
      if (sx >= 100 && sx < 200 && sy >= 100 && sy < 300) data.set([210, 20, 30], (y * width + x) * 3);
    }
  return { width, height, data, letterbox };
}

describe('torso colour', () => {
  const f = frame();
  const sum = (): ColorSum => ({ r: 0, g: 0, b: 0, n: 0 });

  it('reads the shirt through the letterbox, not the background around the person', () => {
    // The person box is wider and taller than the shirt: the torso window falls inside the shirt.
    const s = sum();
    addTorso(s, f, [75, 20, 225, 420]);
    expect(s.n).toBeGreaterThan(100);
    expect(meanColor(s)).toEqual([210, 20, 30]);
  });

  it('reads background for a box elsewhere, accumulates, and ignores empty or off-frame boxes', () => {
    const s = sum();
    addTorso(s, f, [400, 100, 500, 400]);
    expect(meanColor(s)).toEqual([90, 90, 90]);
    const n = s.n;
    addTorso(s, f, [10, 10, 10, 50]);
    addTorso(s, f, [700, 500, 800, 600]);
    expect(s.n).toBe(n);
    addTorso(s, f, [75, 20, 225, 420]);
    const m = meanColor(s)!;
    expect(m[0]).toBeGreaterThan(90);
    expect(m[0]).toBeLessThan(210);
    expect(meanColor(sum())).toBeNull();
  });
});
