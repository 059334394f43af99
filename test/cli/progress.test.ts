import { describe, expect, it } from 'vitest';
import { createProgress, renderBar } from '../../agent/src/cli/progress.js';

function sink(isTTY: boolean): { stream: NodeJS.WriteStream; out: string[] } {
  const out: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, out };
}

describe('progress output', () => {
  it('draws a bar with a percentage, or question marks when the length is unknown', () => {
    expect(renderBar(0.5, 10)).toBe('[#####.....]  50%');
    expect(renderBar(1.7, 4)).toBe('[####] 100%');
    expect(renderBar(null, 3)).toBe('[???]');
  });

  it('redraws one line on a terminal', () => {
    const { stream, out } = sink(true);
    let t = 0;
    const p = createProgress({ label: 'cam', stream, now: () => t });
    p.update(0.25, '10 frames');
    t += 50;
    p.update(0.3, '12 frames'); // within 100 ms: not redrawn
    t += 100;
    p.update(0.5, '20 frames');
    p.done('finished');
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\rcam \[#+\.+\]\s+25% 10 frames\x1b\[K$/);
    expect(out[2]).toMatch(/finished\x1b\[K\n$/);
  });

  it('writes plain, throttled lines when not a terminal (journals, CI logs)', () => {
    const { stream, out } = sink(false);
    let t = 0;
    const p = createProgress({ label: 'cam', stream, now: () => t, lineIntervalMs: 1000 });
    p.update(0.1, 'a');
    t += 500;
    p.update(0.2, 'b');
    t += 600;
    p.update(null, 'c');
    p.done('d');
    expect(out).toEqual(['cam 10% a\n', 'cam c\n', 'cam done d\n']);
    expect(out.join('')).not.toContain('\r');
  });
});
