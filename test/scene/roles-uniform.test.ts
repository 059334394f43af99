import { describe, expect, it } from 'vitest';
import { assignRoles, personColor, uniformLogit, type RoleOptions } from '../../agent/src/scene/roles.js';
import type { Shift } from '../../agent/src/sales/schedule.js';
import { fragmentsOf, makePerson } from '../../agent/src/scene/stitch.js';
import { T0, track, type Leg, ROLE_OPTIONS } from './script.js';

const o: RoleOptions = ROLE_OPTIONS;
type Rgb = readonly [number, number, number];
const RED: Rgb = [200, 30, 40];
const uniform = { color: RED, tolerance: 60, weight: 1 };
const person = (id: number, legs: Leg[], color: Rgb | null) =>
  makePerson(id, fragmentsOf(track('c1', id, legs), undefined, color ? new Map([['c1', new Map([[id, color]])]]) : undefined));
const shift = (sellerId: string, fromS: number, toS: number): Shift => ({
  date: '2025-04-08',
  sellerId,
  name: sellerId,
  start: T0 + fromS * 1000,
  end: T0 + toS * 1000,
});

describe('uniform colour hint', () => {
  // 30 minutes on the floor, never behind the counter: too little zone and dwell evidence on its own.
  const seller = person(1, [{ from: 0, to: 1800, a: [4, 6], zone: 'floor' }], [190, 45, 50]);
  const shopper = person(2, [{ from: 0, to: 1800, a: [8, 3], b: [9, 4], zone: 'floor' }], [40, 60, 180]);
  const shifts = [shift('s1', 0, 3600)];
  const role = (r: ReturnType<typeof assignRoles>, id: number) => r.find((x) => x.person.id === id)!;

  it('makes a seller in uniform staff only when the hint is configured', () => {
    const without = assignRoles([seller, shopper], shifts, o);
    expect(role(without, 1).role).toBe('customer');
    const withHint = assignRoles([seller, shopper], shifts, { ...o, uniform });
    expect(role(withHint, 1).role).toBe('staff');
    expect(role(withHint, 1).sellerId).toBe('s1');
    expect(role(withHint, 1).confidence).toBeGreaterThan(0.5);
  });

  it('keeps a customer in another colour a customer, more confidently than without the hint', () => {
    const without = role(assignRoles([seller, shopper], shifts, o), 2);
    const withHint = role(assignRoles([seller, shopper], shifts, { ...o, uniform }), 2);
    expect(withHint.role).toBe('customer');
    expect(withHint.confidence).toBeGreaterThan(without.confidence);
  });

  it('changes nothing for persons without colours, or with weight 0', () => {
    const plain = person(1, [{ from: 0, to: 1800, a: [4, 6], zone: 'floor' }], null);
    expect(uniformLogit(plain, uniform)).toBe(0);
    expect(uniformLogit(seller, { ...uniform, weight: 0 })).toBe(0);
    expect(assignRoles([plain], shifts, { ...o, uniform })).toEqual(assignRoles([plain], shifts, o));
  });

  it.each<[string, Rgb, number]>([
    ['exact match', RED, 4],
    ['at the tolerance', [200, 90, 40], 2],
    ['between one and two tolerances', [200, 120, 40], 0],
    ['far', [0, 0, 255], -1],
  ])('evidence %s', (_n, color, logit) => {
    expect(uniformLogit(person(5, [{ from: 0, to: 60, a: [1, 1], zone: 'floor' }], color), uniform)).toBeCloseTo(logit, 6);
  });

  it('weights fragment colours by time seen', () => {
    const a = fragmentsOf(track('c1', 7, [{ from: 0, to: 300, a: [1, 1], zone: 'floor' }]), undefined, new Map([['c1', new Map([[7, [0, 0, 0] as const]])]]));
    const b = fragmentsOf(
      track('c1', 8, [{ from: 400, to: 500, a: [1, 1], zone: 'floor' }]),
      undefined,
      new Map([['c1', new Map([[8, [200, 200, 200] as const]])]]),
    );
    const c = personColor(makePerson(9, [...a, ...b]))!;
    // 300 s black, ~100 s light grey: about a quarter of the way to grey.
    expect(c[0]).toBeGreaterThan(40);
    expect(c[0]).toBeLessThan(60);
  });
});
