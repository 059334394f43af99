import { describe, expect, it } from 'vitest';
import { MisuseError } from '../../agent/src/core/errors.js';
import type { NetworkInput } from '../../agent/src/ingest/argv.js';
import {
  checkModelSize,
  checkSampling,
  chooseKeyframeMode,
  liveGopWindowSec,
  planDecode,
  samplingIntervalSec,
  sourceIndex,
  type KeyframeMode,
  type SamplingRequest,
} from '../../agent/src/ingest/plan.js';
import type { SourceInfo } from '../../agent/src/ingest/source-info.js';

const input: NetworkInput = { input: 'file:/v/a.mp4', scheme: undefined, socketTimeoutUs: 1 };
const info: SourceInfo = {
  url: '/v/a.mp4',
  isLive: false,
  width: 768,
  height: 432,
  fps: 25,
  durationSec: 26.12,
  startTimeSec: 0,
  codec: 'h264',
  frameCount: 653,
  gopSec: 10,
};

function misuse(fn: () => unknown): MisuseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MisuseError) return e;
    throw e;
  }
  throw new Error('expected a MisuseError');
}

describe('sampling checks', () => {
  const cases: Array<[string, SamplingRequest, RegExp | null]> = [
    ['stride', { stride: 25 }, null],
    ['fps', { fps: 0.5, keyframes: 'never' }, null],
    ['both', { stride: 25, fps: 1 }, /stride or fps, not both/],
    ['stride 0', { stride: 0 }, /sampling\.stride must be an integer >= 1, got 0/],
    ['stride 2.5', { stride: 2.5 }, /got 2\.5/],
    ['fps negative', { fps: -1 }, /sampling\.fps must be a number > 0, got -1/],
    ['keyframes typo', { keyframes: 'sometimes' as KeyframeMode }, /sampling\.keyframes must be one of auto, always, never, got sometimes/],
  ];
  it.each(cases)('%s', (_n, req, err) => {
    if (err === null) expect(checkSampling(req).keyframes).toBe(req.keyframes ?? 'auto');
    else {
      const e = misuse(() => checkSampling(req));
      expect(e.code).toBe('FS_BAD_ARGUMENT');
      expect(e.message).toMatch(err);
    }
  });
  it('model size bounds name the key', () => {
    expect(misuse(() => checkModelSize({ width: 640, height: 0 })).message).toMatch(/modelSize\.height .* got 0/);
    expect(() => checkModelSize(null)).not.toThrow();
  });
});

describe('keyframe mode choice', () => {
  const cases: Array<[KeyframeMode, number | undefined, number, boolean]> = [
    ['auto', 1, 1, true], // GOP equal to the interval
    ['auto', 1.02, 1, true], // within half a frame at 25 fps
    ['auto', 1.1, 1, false],
    ['auto', 0.2, 1, true], // denser keyframes, subsampled later
    ['auto', 10, 1, false],
    ['auto', undefined, 1, false], // unknown GOP: never guess
    ['always', 10, 1, true],
    ['never', 0.2, 1, false],
  ];
  it.each(cases)('%s gop %s interval %s -> %s', (mode, gop, interval, want) => {
    expect(chooseKeyframeMode(mode, gop, interval, 25)).toBe(want);
  });
});

describe('decode plan', () => {
  it('stride without keyframes selects by frame number and indexes by stride', () => {
    const p = planDecode(input, info, { sampling: { stride: 25 }, modelSize: { width: 640, height: 640 } });
    expect(p.keyframeMode).toBe(false);
    expect(p.command.selection).toEqual({ kind: 'stride', stride: 25 });
    expect(p.indexStride).toBe(25);
    expect(p.intervalSec).toBe(1);
    expect(p.frameBytes).toBe(640 * 640 * 3);
    expect(p.letterbox).toEqual({ srcWidth: 768, srcHeight: 432, dstWidth: 640, dstHeight: 640, scale: 640 / 768, padX: 0, padY: 140 });
    expect(p.expectedEndSec).toBe(26.12);
    expect(p.toleranceSec).toBeCloseTo(0.58);
  });
  it('keyframe mode selects on time and tolerates a GOP at the end', () => {
    const p = planDecode(input, { ...info, gopSec: 1 }, { sampling: { stride: 25 }, modelSize: null, limitSec: 8 });
    expect(p.keyframeMode).toBe(true);
    expect(p.command.keyframesOnly).toBe(true);
    expect(p.command.selection).toEqual({ kind: 'bucket', intervalSec: 1 });
    expect(p.indexStride).toBeUndefined();
    expect([p.width, p.height]).toEqual([768, 432]);
    expect(p.letterbox.scale).toBe(1);
    expect(p.expectedEndSec).toBe(8);
    expect(p.toleranceSec).toBeCloseTo(1.58);
  });
  it('fps sampling and live streams', () => {
    const p = planDecode(input, { ...info, isLive: true, gopSec: undefined }, { sampling: { fps: 2 }, modelSize: null });
    expect(p.command.selection).toEqual({ kind: 'bucket', intervalSec: 0.5 });
    expect(p.expectedEndSec).toBeUndefined();
  });
  it('sampling interval and how much of a live GOP to read', () => {
    expect(samplingIntervalSec({ stride: 25 }, 25)).toBe(1);
    expect(samplingIntervalSec({}, 30)).toBeCloseTo(25 / 30);
    expect(samplingIntervalSec({ fps: 4 }, 25)).toBe(0.25);
    expect(liveGopWindowSec('auto', 1, 12)).toBe(3);
    expect(liveGopWindowSec('auto', 10, 12)).toBe(12);
    expect(liveGopWindowSec('never', 1, 12)).toBe(0);
    expect(liveGopWindowSec('always', 1, 12)).toBe(0);
  });
  it('source index', () => {
    expect(sourceIndex({ indexStride: 25 }, 3, 2.96, 25)).toBe(75);
    expect(sourceIndex({ indexStride: undefined }, 3, 2.96, 25)).toBe(74);
  });
});
