import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CAMERA_THRESHOLDS as T,
  assessCamera,
  cameraCoverage,
  newCameraHealth,
  onFrame,
  onSourceLost,
  onTick,
  type CameraHealth,
  type ShopHours,
} from '../../agent/src/health/camera-state.js';
import type { LossCause } from '../../agent/src/ingest/failures.js';
import type { CameraState } from '../../agent/src/health/camera-state.js';
import { imageSignature, type ImageSignature } from '../../agent/src/health/image-checks.js';
import { openingIntervalAt, openingIntervalOn } from '../../agent/src/health/opening-hours.js';
import { zonedToUtc } from '../../agent/src/core/local-time.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { decodeLetterboxed, makeFrame } from './frames.js';

const S = 1000;
/** A textured picture that differs in every block with each seed (like sensor noise would). */
const textured = (seed: number): ImageSignature =>
  imageSignature(makeFrame(32, 32, (x, y) => [(x * 7 + y * 3 + seed * 13) & 255, (x * y + seed) & 255, 90 + ((x + seed) % 50)]));
const STILL = textured(1);
const DARK = imageSignature(makeFrame(32, 32, (x, y) => [(x + y) % 9, 3, 2]));
const GREY = imageSignature(makeFrame(32, 32, (x) => [128 + (x % 3), 128, 128]));

/** Feed frames every `stepS` seconds from t0 to t1 (exclusive), with a signature and persons per instant. */
function feed(
  h: CameraHealth,
  t0: number,
  t1: number,
  stepS: number,
  sig: (t: number) => ImageSignature,
  persons: (t: number) => number = () => 1,
): CameraHealth {
  let cur = h;
  for (let t = t0; t < t1; t += stepS * S) cur = onTick(onFrame(cur, { timestampMs: t, signature: sig(t), persons: persons(t) }, T), t, T);
  return cur;
}

describe('camera link state and downtime', () => {
  it('connecting -> up -> stalled (silent) -> down -> up, with downtime from the last frame', () => {
    let h = newCameraHealth('cam1', 0);
    expect(assessCamera(h, 1 * S, T).state).toBe('connecting');
    h = feed(h, 5 * S, 65 * S, 1, (t) => textured(t));
    expect(assessCamera(h, 65 * S, T)).toMatchObject({ state: 'up', problems: [] });
    expect(h.downtime).toEqual([{ startMs: 0, endMs: 5 * S }]);
    // Last frame at 64 s; the watchdog notices at 64 + 20 s.
    h = onTick(h, 83 * S, T);
    expect(h.link).toBe('up');
    h = onTick(h, 84 * S, T);
    expect(assessCamera(h, 84 * S, T)).toMatchObject({
      state: 'stalled',
      sinceMs: 64 * S,
      problems: [{ message: 'camera "cam1" lost its stream 20 s ago: the stream stalled (connected, no data), reconnecting' }],
    });
    h = onTick(h, (64 + 119) * S, T);
    expect(h.link).toBe('reconnecting');
    h = onTick(h, (64 + 120) * S, T);
    const a = assessCamera(h, 200 * S, T);
    expect(a.state).toBe('down');
    expect(a.problems[0]!.message).toBe('camera "cam1" is down (no frames) for 136 s: the stream stalled (connected, no data)');
    h = feed(h, 300 * S, 400 * S, 1, (t) => textured(t));
    expect(h.downtime).toEqual([
      { startMs: 0, endMs: 5 * S },
      { startMs: 64 * S, endMs: 300 * S },
    ]);
    expect(assessCamera(h, 400 * S, T).state).toBe('up');
    // Up 5..64 and 300..399 (+ the instant of the last frame until "now" = 400).
    expect(cameraCoverage(h, 0, 400 * S, 400 * S)).toBeCloseTo((59 + 100) / 400, 10);
    expect(cameraCoverage(h, 300 * S, 400 * S, 400 * S)).toBe(1);
    expect(cameraCoverage(h, 100 * S, 200 * S, 400 * S)).toBe(0);
    expect(cameraCoverage(h, 500 * S, 600 * S, 400 * S)).toBeNull();
  });

  it('the state names the cause of the loss; a new attempt keeps it; a frame clears it', () => {
    const up = feed(newCameraHealth('c', 0), 0, 10 * S, 1, (t) => textured(t));
    const table: Array<[LossCause, CameraState, string]> = [
      ['unreachable', 'unreachable', 'the camera does not answer'],
      ['stalled', 'stalled', 'the stream stalled'],
      ['decode_error', 'decode_error', 'its video cannot be decoded'],
      ['ended', 'reconnecting', 'the camera closed the stream'],
    ];
    for (const [cause, state, text] of table) {
      const lost = onSourceLost(up, 9500, cause);
      const a = assessCamera(lost, 12 * S, T);
      expect(a.state, cause).toBe(state);
      expect(a.problems[0]!.message, cause).toContain(text);
      // Past down_after_s it is down, still saying why.
      const down = onTick(lost, 9 * S + T.down_after_s * S, T);
      expect(assessCamera(down, 200 * S, T).state).toBe('down');
      expect(assessCamera(down, 200 * S, T).problems[0]!.message).toContain(text);
    }
    // The first loss: the server hung up; the retries are refused: now unreachable.
    let h = onSourceLost(up, 9500, 'ended');
    h = onSourceLost(h, 11 * S, 'unreachable');
    expect(h.downtime.at(-1)).toEqual({ startMs: 9 * S, endMs: null });
    expect(assessCamera(h, 12 * S, T).state).toBe('unreachable');
    h = feed(h, 20 * S, 22 * S, 1, (t) => textured(t));
    expect(h.lossCause).toBeNull();
    expect(assessCamera(h, 22 * S, T).state).toBe('up');
    // Never up, refused from the start.
    expect(assessCamera(onSourceLost(newCameraHealth('d', 0), 1 * S, 'unreachable'), 2 * S, T).state).toBe('unreachable');
  });

  it('a lost stream reported by ingest opens downtime at once; a second loss while down changes nothing', () => {
    let h = feed(newCameraHealth('c', 0), 0, 10 * S, 1, (t) => textured(t));
    h = onSourceLost(h, 9500);
    expect(h.link).toBe('reconnecting');
    expect(onSourceLost(h, 9900)).toBe(h);
    expect(h.downtime.at(-1)).toEqual({ startMs: 9 * S, endMs: null });
    // Coverage counts the open outage up to now.
    expect(cameraCoverage(h, 0, 20 * S, 19 * S)).toBeCloseTo(9 / 19, 10);
  });

  it('time before monitoring began is not coverage', () => {
    const h = feed(newCameraHealth('c', 50 * S), 50 * S, 101 * S, 1, (t) => textured(t));
    expect(cameraCoverage(h, 0, 100 * S, 100 * S)).toBeCloseTo(0.5, 10);
  });

  it('forgets downtime older than history_s', () => {
    const t = { ...T, history_s: 100 };
    let h = newCameraHealth('c', 0);
    h = onFrame(h, { timestampMs: 10 * S, signature: STILL, persons: 0 }, t);
    h = onTick(h, 50 * S, t); // silent since 10 s: a second outage opens
    expect(h.downtime).toEqual([
      { startMs: 0, endMs: 10 * S },
      { startMs: 10 * S, endMs: null },
    ]);
    h = onFrame(h, { timestampMs: 111 * S, signature: textured(2), persons: 0 }, t);
    h = onTick(h, 111 * S, t); // horizon 11 s: the first outage ended before it
    expect(h.downtime).toEqual([{ startMs: 10 * S, endMs: 111 * S }]);
  });
});

describe('image conditions', () => {
  it('identical frames for frozen_after_s are frozen; a changing picture is not', () => {
    let h = feed(newCameraHealth('c', 0), 0, 59 * S, 1, () => STILL);
    expect(assessCamera(h, 59 * S, T).state).toBe('up'); // 58 s unchanged so far
    h = feed(h, 59 * S, 62 * S, 1, () => STILL);
    const a = assessCamera(h, 62 * S, T);
    expect(a).toMatchObject({ state: 'frozen', sinceMs: 0 });
    expect(a.problems[0]!.message).toBe('camera "c" image frozen (no pixel change) for 61 s');
    h = feed(h, 62 * S, 63 * S, 1, () => textured(9));
    expect(assessCamera(h, 63 * S, T).state).toBe('up');
  });

  it('a burnt-in clock (one block changing) still reads frozen; noise in every block does not', () => {
    const withClock = (t: number): ImageSignature =>
      imageSignature(makeFrame(64, 64, (x, y) => (x < 4 && y < 4 ? [t % 251, 0, 0] : [(x * 9) & 255, (y * 11) & 255, 77])));
    const h = feed(newCameraHealth('c', 0), 0, 70 * S, 1, withClock);
    expect(assessCamera(h, 70 * S, T).state).toBe('frozen');
  });

  it.each([
    ['black', DARK, 'black', /image black \(mean luma \d/],
    ['blank grey', GREY, 'blank', /image blank \(luma spread 0\.\d/],
  ])('%s picture for image_problem_after_s is reported', (_n, sig, state, msg) => {
    // A changing dark picture: black but not frozen.
    const vary = (t: number): ImageSignature => ({ ...sig, blocks: textured(t).blocks });
    let h = feed(newCameraHealth('c', 0), 0, 10 * S, 1, vary);
    expect(assessCamera(h, 10 * S, T).state).toBe('up'); // 9 s so far
    h = feed(h, 10 * S, 11 * S, 1, vary);
    const a = assessCamera(h, 11 * S, T);
    expect(a.state).toBe(state);
    expect(a.problems[0]!.message).toMatch(msg);
  });

  it('several conditions: the worst is the state, all are listed worst first', () => {
    const h = feed(newCameraHealth('c', 0), 0, 70 * S, 1, () => DARK);
    const a = assessCamera(h, 70 * S, T);
    expect(a.state).toBe('frozen');
    expect(a.problems.map((p) => p.state)).toEqual(['frozen', 'black']);
  });

  it('connection problems hide image conditions (no picture to judge)', () => {
    let h = feed(newCameraHealth('c', 0), 0, 70 * S, 1, () => DARK);
    h = onSourceLost(h, 71 * S);
    expect(assessCamera(h, 72 * S, T).problems.map((p) => p.state)).toEqual(['reconnecting']);
  });
});

describe('pointing at nothing (opening hours, store time zone)', () => {
  const shop: ShopHours = { hours: { open: '10:00', close: '21:00', days: [1, 2, 3, 4, 5, 6] }, timeZone: 'Europe/Moscow' };
  const at = (date: string, hhmm: string): number => zonedToUtc(date, hhmm, 'Europe/Moscow');
  const day = '2025-03-05'; // a Wednesday

  it('no person for no_person_after_s during opening hours raises it; before opening it does not count', () => {
    const start = at(day, '08:00');
    let h = feed(
      newCameraHealth('c', start),
      start,
      at(day, '11:59'),
      60,
      (t) => textured(t),
      () => 0,
    );
    expect(assessCamera(h, at(day, '11:59'), T, shop).state).toBe('up'); // 1 h 59 of opening hours
    h = feed(
      h,
      at(day, '11:59'),
      at(day, '12:01'),
      60,
      (t) => textured(t),
      () => 0,
    );
    const a = assessCamera(h, at(day, '12:00'), T, shop);
    expect(a).toMatchObject({ state: 'no_person', sinceMs: at(day, '10:00') });
    expect(a.problems[0]!.message).toMatch(/saw no person for 7200 s while the shop is open/);
    // A person resets it; after closing nothing is expected.
    const seen = feed(
      h,
      at(day, '12:01'),
      at(day, '12:02'),
      60,
      (t) => textured(t),
      () => 2,
    );
    expect(assessCamera(seen, at(day, '12:02'), T, shop).state).toBe('up');
    expect(assessCamera(h, at(day, '21:00'), T, shop).state).toBe('up');
    expect(assessCamera(h, at(day, '12:00'), T).state).toBe('up'); // without opening hours: never judged
  });

  it('closed days and DST days', () => {
    expect(openingIntervalOn('2025-03-09', shop.hours, shop.timeZone)).toBeNull(); // Sunday
    expect(openingIntervalAt(at(day, '09:59'), shop.hours, shop.timeZone)).toBeNull();
    expect(openingIntervalAt(at(day, '10:00'), shop.hours, shop.timeZone)).toEqual([at(day, '10:00'), at(day, '21:00')]);
    // Berlin springs forward on 2025-03-30 02:00: 01:00-04:00 local is 2 hours long.
    const iv = openingIntervalOn('2025-03-30', { open: '01:00', close: '04:00', days: [7] }, 'Europe/Berlin');
    expect(iv && (iv[1] - iv[0]) / 3600_000).toBe(2);
  });
});

describe.skipIf(!haveData('video/indoor_one_by_one_person.mp4'))('a real static room is never frozen', () => {
  it('two minutes of a quiet room sampled at 1 fps stay up', () => {
    const frames = decodeLetterboxed(dataPath('video/indoor_one_by_one_person.mp4'), 768, 432, 320, 0, 130, 1);
    expect(frames.length).toBeGreaterThanOrEqual(120);
    let h = newCameraHealth('room', 0);
    for (const f of frames) h = onTick(onFrame(h, { timestampMs: f.timestampMs, signature: imageSignature(f), persons: 0 }, T), f.timestampMs, T);
    expect(assessCamera(h, frames.at(-1)!.timestampMs, T).state).toBe('up');
    // The same clip through a frozen encoder: its first frame repeated.
    let z = newCameraHealth('room', 0);
    const sig = imageSignature(frames[0]!);
    for (const f of frames) z = onFrame(z, { timestampMs: f.timestampMs, signature: sig, persons: 0 }, T);
    expect(assessCamera(z, frames.at(-1)!.timestampMs, T).state).toBe('frozen');
  });
});

describe('coverage of opening hours', () => {
  it("is the share of the day's opening hours up, up to now; null on a closed day", async () => {
    const { openingHoursCoverage } = await import('../../agent/src/health/coverage.js');
    const hours = { open: '10:00', close: '20:00', days: [1, 2, 3, 4, 5] };
    const at = (hhmm: string): number => zonedToUtc('2025-03-05', hhmm, 'Europe/Moscow');
    let h = feed(newCameraHealth('c', at('09:00')), at('09:00'), at('13:00'), 60, (t) => textured(t));
    h = onSourceLost(h, at('13:00'));
    h = feed(h, at('14:00'), at('16:00'), 60, (t) => textured(t));
    // Opening hours so far: 10:00-16:00 (6 h). Down from the last frame (12:59) to the next (14:00): 61 min.
    expect(openingHoursCoverage(h, '2025-03-05', hours, 'Europe/Moscow', at('16:00'))).toBeCloseTo((6 * 60 - 61) / (6 * 60), 6);
    expect(openingHoursCoverage(h, '2025-03-08', hours, 'Europe/Moscow', at('16:00'))).toBeNull(); // Saturday
    expect(openingHoursCoverage(h, '2025-03-05', hours, 'Europe/Moscow', at('09:30'))).toBeNull(); // not open yet
  });
});
