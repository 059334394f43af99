/** Identity merges in the simulator (noise.id_reuse): a newcomer given the id of a track lost shortly before. */
import { describe, expect, it } from 'vitest';
import { simulateDay } from '../../agent/src/sim/simulate.js';
import { validateScenario } from '../../agent/src/sim/scenario.js';

const day = (probability: number) =>
  simulateDay(
    validateScenario({
      date: '2025-04-08',
      hours: { open: '10:00', close: '12:00' },
      sellers: [{ id: 's1', name: 'A', start: '10:00', end: '12:00', post: 'counter' }],
      customers: { arrivals_per_hour: 30 },
      noise: { id_reuse: { probability, window_seconds: 60 } },
    }),
    7,
  );

/** Per track id, the true people its rows belong to (from the rows' own frames, via the stream's labels). */
function peoplePerTrack(d: ReturnType<typeof day>): number[] {
  return d.streams.flatMap((s) => [...s.labels.keys()].map((id) => new Set([s.labels.get(id), s.lastLabels.get(id)]).size));
}

describe('simulated identity merges', () => {
  it('off by default: no track ends on another person than it mostly was, unless an id switch made it (a swap turns two tracks)', () => {
    const d = day(0);
    const merged = peoplePerTrack(d).filter((n) => n > 1).length;
    expect(merged).toBeLessThanOrEqual(2 * d.streams.reduce((s, c) => s + c.switches.all, 0));
  });

  it('at chance 1 every newcomer within the window takes a lost id: fewer tracks, and tracks that cover two people', () => {
    const off = day(0);
    const on = day(1);
    const tracks = (d: ReturnType<typeof day>) => d.streams.reduce((s, c) => s + c.labels.size, 0);
    expect(tracks(on)).toBeLessThan(tracks(off));
    const switches = on.streams.reduce((s, c) => s + c.switches.all, 0);
    const merged = peoplePerTrack(on).filter((n) => n > 1).length;
    console.log(`tracks ${tracks(off)} -> ${tracks(on)}; tracks ending on another person ${merged}, id switches ${switches}`);
    // 116 -> 64 tracks on this day: most newcomers arrive within a minute of someone leaving.
    expect(tracks(on)).toBeLessThan(0.8 * tracks(off));
    expect(merged).toBeGreaterThan(peoplePerTrack(off).filter((n) => n > 1).length);
    // The people and what they did are the same days: only the track files differ.
    expect(on.truth).toEqual(off.truth);
  });
});
