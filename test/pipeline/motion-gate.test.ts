import { describe, expect, it } from 'vitest';
import { MotionGate, changedBlocks, lumaGrid } from '../../agent/src/pipeline/motion-gate.js';

function frame(w: number, h: number, ptsSec: number, paint?: (x: number, y: number) => number) {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = paint ? paint(x, y) : 100;
      data.set([v, v, v], (y * w + x) * 3);
    }
  return { width: w, height: h, data, ptsSec };
}

describe('motion gate', () => {
  it('averages luma into blocks', () => {
    const g = lumaGrid(
      frame(64, 64, 0, (x) => (x < 32 ? 0 : 200)),
      2,
    );
    expect(Array.from(g).map(Math.round)).toEqual([0, 200, 0, 200]);
  });

  it('counts blocks whose mean moved beyond the delta', () => {
    expect(changedBlocks(new Float32Array([0, 10, 20]), new Float32Array([0, 25, 21]), 10)).toBe(1);
    expect(changedBlocks(new Float32Array(0), new Float32Array(0), 10)).toBe(0);
  });

  it('infers on the first frame, skips identical frames, infers on motion and refreshes after maxSkipSec', () => {
    const gate = new MotionGate({ grid: 32, blockDelta: 10, minChangedBlocks: 2, maxSkipSec: 5 });
    expect(gate.decide(frame(128, 128, 0)).reason).toBe('first');
    expect(gate.decide(frame(128, 128, 1)).infer).toBe(false);
    // Mild noise everywhere (compression) stays below the block delta.
    expect(gate.decide(frame(128, 128, 2, (x, y) => 100 + ((x + y) % 5))).infer).toBe(false);
    // A 16x24 "person" appears: several 4x4 blocks change.
    const person = (x: number, y: number) => (x >= 40 && x < 56 && y >= 40 && y < 64 ? 230 : 100);
    const d = gate.decide(frame(128, 128, 3, person));
    expect(d).toMatchObject({ infer: true, reason: 'motion' });
    expect(d.changed).toBeGreaterThanOrEqual(2 * 6);
    expect(gate.decide(frame(128, 128, 4, person)).infer).toBe(false);
    expect(gate.decide(frame(128, 128, 8.1, person))).toMatchObject({ infer: true, reason: 'refresh' });
    expect(gate.stats()).toEqual({ inferred: 3, skipped: 3 });
  });
});
