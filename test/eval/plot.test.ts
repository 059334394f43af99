/** The trajectory plot marks what went wrong, and nothing when nothing did. */
import { describe, expect, it } from 'vitest';
import { plotTrajectories, ticks } from '../../agent/src/eval/mot/plot.js';
import type { MotRow } from '../../agent/src/io/mot.js';
import type { Canvas } from '../../agent/src/render/index.js';

const box = (frame: number, id: number, x: number): MotRow => ({ frame, id, x, y: 10, w: 20, h: 40, conf: 1 });
const count = (c: Canvas, rgb: readonly number[]): number => {
  let n = 0;
  for (let i = 0; i < c.data.length; i += 3) if (c.data[i] === rgb[0] && c.data[i + 1] === rgb[1] && c.data[i + 2] === rgb[2]) n++;
  return n;
};
const MISS = [220, 0, 0];
const FALSE_POS = [150, 150, 150];
const SWITCH = [200, 0, 200];
const LEGEND_ONLY = (c: Canvas, rgb: readonly number[]) => count(c, rgb) < 200; // the legend draws one sample of each marker

describe('plotTrajectories', () => {
  const gt = [1, 2, 3, 4, 5, 6].map((f) => box(f, 1, 10 * f));

  it('a perfect tracker shows no misses, false positives or switches', () => {
    const c = plotTrajectories([{ name: 'perfect', gt, pred: gt }], { width: 600, heightPerSequence: 500 });
    expect([c.width, c.height]).toEqual([600, 500]);
    expect(LEGEND_ONLY(c, MISS) && LEGEND_ONLY(c, FALSE_POS) && LEGEND_ONLY(c, SWITCH)).toBe(true);
  });

  it('misses, false positives and an ID switch each leave their mark', () => {
    const pred = [
      ...[1, 2, 3].map((f) => box(f, 7, 10 * f)), // then the track changes id: a switch at frame 4
      ...[4, 5].map((f) => box(f, 8, 10 * f)), // frame 6 missed
      box(2, 9, 300), // a false positive far away
    ];
    const c = plotTrajectories([{ name: 'faulty', gt, pred }], { width: 600, heightPerSequence: 500 });
    const perfect = plotTrajectories([{ name: 'faulty', gt, pred: gt }], { width: 600, heightPerSequence: 500 });
    expect(count(c, MISS)).toBeGreaterThan(count(perfect, MISS) + 20);
    expect(count(c, FALSE_POS)).toBeGreaterThan(count(perfect, FALSE_POS) + 40);
    expect(count(c, SWITCH)).toBeGreaterThan(count(perfect, SWITCH) + 100);
  });

  it('stacks several sequences', () => {
    const c = plotTrajectories(
      [
        { name: 'a', gt, pred: gt },
        { name: 'b', gt, pred: [] },
      ],
      { width: 400, heightPerSequence: 300 },
    );
    expect(c.height).toBe(600);
  });

  it('picks round tick steps', () => {
    expect(ticks(1, 71, 12)).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(ticks(0, 1, 5).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
