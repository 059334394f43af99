/** The worker session's shared input slots (runtime/shared-slots.ts): lending, reuse and trimming, as the worker is told of them. */
import { describe, expect, it } from 'vitest';
import { SharedSlots } from '../../agent/src/runtime/shared-slots.js';

function peer() {
  const told: string[] = [];
  return { told, announce: (slot: number, b: SharedArrayBuffer) => told.push(`+${slot}:${b.byteLength / 4}`), forget: (slot: number) => told.push(`-${slot}`) };
}

describe('SharedSlots', () => {
  it('announces a slot once, lends the smallest free one that fits, and only while it is free', () => {
    const p = peer();
    const slots = new SharedSlots(p);
    const a = slots.take(100);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(slots.slotOf(a)).toBe(1);
    const b = slots.take(50); // slot 1 is busy: a new one
    expect(slots.slotOf(b)).toBe(2);
    slots.give(1);
    expect(slots.slotOf(a)).toBeUndefined(); // given back: no longer lent
    slots.give(2);
    const c = slots.take(40); // both free: the smaller one that fits (slot 2, 50 floats)
    expect(c.buffer).toBe(b.buffer);
    expect(c.length).toBe(40);
    expect(slots.take(80).buffer).toBe(a.buffer);
    expect(slots.slotOf(new Float32Array(8))).toBeUndefined(); // not lent: the caller's own array
    expect(p.told).toEqual(['+1:100', '+2:50']);
  });

  it('keeps at most `keep` slots, dropping the smallest free ones and telling the worker', () => {
    const p = peer();
    const slots = new SharedSlots(p, 2);
    for (const n of [10, 20]) slots.give(slots.slotOf(slots.take(n))!);
    const big = slots.take(30); // a third slot: the smallest free one (10) goes
    expect(p.told).toEqual(['+1:10', '+2:20', '+3:30', '-1']);
    expect(slots.bytes).toBe((20 + 30) * 4);
    // Busy slots are never dropped: with both lent, a third is made and kept until one is free.
    const mid = slots.take(20);
    const small = slots.take(5);
    expect(p.told.slice(4)).toEqual(['+4:5']);
    expect(slots.slotOf(small)).toBe(4);
    slots.give(slots.slotOf(big)!); // three held, one free: that one goes
    expect(p.told.slice(5)).toEqual(['-3']);
    slots.give(slots.slotOf(mid)!);
    slots.give(slots.slotOf(small)!);
    expect(p.told).toHaveLength(6);
    expect(slots.bytes).toBe((20 + 5) * 4);
  });
});
