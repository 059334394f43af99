/**
 * startAhead: detection of frame N+1 starts before the consumer has frame N, in source order, and a
 * source that fails part-way still hands out every frame it produced before the error.
 */
import { describe, expect, it } from 'vitest';
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import { startAhead } from '../../agent/src/pipeline/lookahead.js';

function frame(index: number): Frame {
  return {
    sourceId: 'cam',
    index,
    ptsSec: index,
    timestampMs: index * 1000,
    width: 1,
    height: 1,
    data: new Uint8Array(3),
    letterbox: letterboxFor(1, 1, 1, 1),
  };
}

async function* source(n: number, failAfter?: number, log?: string[]): AsyncGenerator<Frame> {
  for (let i = 0; i < n; i++) {
    if (failAfter !== undefined && i === failAfter) throw new Error(`cut at ${i}`);
    log?.push(`read ${i}`);
    yield frame(i);
  }
}

describe('startAhead', () => {
  it.each([
    { depth: 0, expected: ['read 0', 'start 0', 'use 0', 'read 1', 'start 1', 'use 1', 'read 2', 'start 2', 'use 2'] },
    { depth: 1, expected: ['read 0', 'start 0', 'read 1', 'start 1', 'use 0', 'read 2', 'start 2', 'use 1', 'use 2'] },
    { depth: 2, expected: ['read 0', 'start 0', 'read 1', 'start 1', 'read 2', 'start 2', 'use 0', 'use 1', 'use 2'] },
  ])('depth $depth starts that many frames before the consumer uses one, in order', async ({ depth, expected }) => {
    const log: string[] = [];
    for await (const { frame: f, pending } of startAhead(source(3, undefined, log), (fr) => (log.push(`start ${fr.index}`), fr.index), depth)) {
      expect(pending).toBe(f.index);
      log.push(`use ${f.index}`);
    }
    expect(log).toEqual(expected);
  });

  it('hands out every frame read before the source failed, then throws its error', async () => {
    const used: number[] = [];
    const run = async (): Promise<void> => {
      for await (const { frame: f } of startAhead(source(5, 3), (fr) => fr.index, 2)) used.push(f.index);
    };
    await expect(run()).rejects.toThrow('cut at 3');
    expect(used).toEqual([0, 1, 2]);
  });

  it('leaves no unhandled rejection when the consumer stops before awaiting a failed start', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (e: unknown): void => void seen.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const { frame: f, pending } of startAhead(source(3), (fr) =>
        fr.index === 1 ? Promise.reject(new Error('detector died')) : Promise.resolve(fr.index),
      )) {
        await expect(pending).resolves.toBe(0);
        if (f.index === 0) break; // frame 1's rejected detection was already started and is never awaited
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
