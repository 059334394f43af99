import { describe, expect, it } from 'vitest';
import { mapStaffToSellers } from '../../agent/src/scene/roles.js';
import type { Shift } from '../../agent/src/sales/schedule.js';
import { fragmentsOf, makePerson } from '../../agent/src/scene/stitch.js';
import { T0, track, type Leg } from './script.js';

const unit = (v: number[]): Float32Array => Float32Array.from(v, (x) => x / Math.hypot(...v));
const X = unit([1, 0.1, 0, 0.2]);
const Y = unit([0.1, 1, 0.2, 0]);
const person = (id: number, legs: Leg[], look: Float32Array | null) =>
  makePerson(id, fragmentsOf(track('c1', id, legs), look ? new Map([['c1', new Map([[id, look]])]]) : undefined));
const shift = (sellerId: string, fromS: number, toS: number): Shift => ({
  date: '2025-04-08',
  sellerId,
  name: sellerId,
  start: T0 + fromS * 1000,
  end: T0 + toS * 1000,
});
const shifts = [shift('s1', 0, 4 * 3600), shift('s2', 0, 4 * 3600)];

// Two sellers on the same shift, no zone assignment: the morning says who is who by clash alone,
// the afternoon piece (seen while nobody else is) is a coin toss without appearance.
const morning = (look: [Float32Array | null, Float32Array | null]) => [
  person(1, [{ from: 0, to: 5400, a: [4, 6], zone: 'floor' }], look[0]),
  person(2, [{ from: 0, to: 5000, a: [9, 6], zone: 'floor' }], look[1]),
];
const afternoon = (look: Float32Array | null) => person(3, [{ from: 7200, to: 9000, a: [8, 6], zone: 'floor' }], look);

describe('mapping staff to sellers with appearance continuity', () => {
  it('without appearance the afternoon piece goes to the first seller on the list', () => {
    const m = mapStaffToSellers([...morning([null, null]), afternoon(null)], shifts, new Map());
    expect([m.get(1), m.get(2), m.get(3)]).toEqual(['s1', 's2', 's1']);
  });

  it('with appearance it goes to the seller it looks like', () => {
    const m = mapStaffToSellers([...morning([X, Y]), afternoon(Y)], shifts, new Map(), 1);
    expect([m.get(1), m.get(2), m.get(3)]).toEqual(['s1', 's2', 's2']);
    const same = mapStaffToSellers([...morning([X, Y]), afternoon(X)], shifts, new Map(), 1);
    expect(same.get(3)).toBe('s1');
  });

  it('a weight of 0, or persons without embeddings, leave the mapping as it was', () => {
    expect(mapStaffToSellers([...morning([X, Y]), afternoon(Y)], shifts, new Map(), 0).get(3)).toBe('s1');
    expect(mapStaffToSellers([...morning([X, Y]), afternoon(null)], shifts, new Map(), 1).get(3)).toBe('s1');
  });

  it('zone assignment still outweighs a weak likeness', () => {
    const zoned = (id: number, look: Float32Array) => person(id, [{ from: 7200, to: 9000, a: [8, 6], zone: 'floor', zoneName: 'floor-1' }], look);
    const m = mapStaffToSellers([...morning([X, Y]), zoned(3, Y)], shifts, new Map([['s1', ['floor-1']]]), 1);
    expect(m.get(3)).toBe('s1');
  });
});
