import { describe, expect, it } from 'vitest';
import { abortableSleep } from '../../agent/src/core/sleep.js';

describe('abortableSleep', () => {
  it('waits the time it is given', async () => {
    const t0 = performance.now();
    await abortableSleep(60, new AbortController().signal);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('ends at once when the signal aborts, and does not wait at all on an aborted signal', async () => {
    const ctl = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ctl.abort(), 20);
    await abortableSleep(60_000, ctl.signal);
    expect(performance.now() - t0).toBeLessThan(5_000);
    const t1 = performance.now();
    await abortableSleep(60_000, ctl.signal);
    expect(performance.now() - t1).toBeLessThan(50);
  });
});
