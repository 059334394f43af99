/**
 * From what a source is (SourceInfo) and what the caller asked for (sampling, model size) to the
 * exact decode: keyframe mode or not, which frames to select, output size, how to index frames and
 * how far decoding must reach to count as complete. Pure.
 */
import { MisuseError } from '../core/errors.js';
import { letterboxFor, type Letterbox } from '../core/frame.js';
import type { DecodeCommand, NetworkInput, OutputSize, Selection } from './argv.js';
import type { SourceInfo } from './source-info.js';

export type KeyframeMode = 'auto' | 'always' | 'never';

/** Same shape as config/sections/sampling.ts; stride and fps are alternatives. */
export interface SamplingRequest {
  readonly stride?: number;
  readonly fps?: number;
  readonly keyframes?: KeyframeMode;
}

export interface ModelSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Decode levers' defaults (config sampling.decode_threads, skip_loop_filter, hw_decode).
 * skip_loop_filter on: measured with `npx tsx agent/bench/decode.ts` on the 1080p GOP-1 s street
 * loop, keyframe decoding was 1.6-1.8x faster (10.8 -> 19.8, 13.8 -> 21.9, 16.1 -> 25.3 fps for
 * auto/1/2 threads, shared box at load ~8) while YOLOv8n on the same 30 frames kept 99.4 % of the
 * boxes (322 vs 322, mean IoU 0.991 to the filtered frames). It applies to keyframe-only decoding
 * only (argv.ts says why).
 */
export const DECODE_DEFAULTS = Object.freeze({ threads: 0, skipLoopFilter: true, hwDecode: 'none' as const });

/** The design's default: every 25th frame (1 s at 25 fps), keyframes when the GOP allows. */
export const DEFAULT_STRIDE = 25;

export interface DecodePlan {
  readonly command: DecodeCommand;
  readonly keyframeMode: boolean;
  /** Requested time between sampled frames, seconds. */
  readonly intervalSec: number;
  /** Set when index = outputNumber * stride exactly; otherwise index = round(ptsSec * fps). */
  readonly indexStride: number | undefined;
  readonly width: number;
  readonly height: number;
  readonly frameBytes: number;
  readonly letterbox: Letterbox;
  /** Where decoding should reach for a file (duration or the -t limit), seconds; undefined for live. */
  readonly expectedEndSec: number | undefined;
  /** How far short of expectedEndSec the last decoded frame may be and still count as complete. */
  readonly toleranceSec: number;
}

export interface PlanRequest {
  readonly sampling: SamplingRequest;
  readonly modelSize: ModelSize | null;
  readonly limitSec?: number;
  readonly decodeThreads?: number;
  /** Skip the deblocking filter when (and only when) decoding keyframes only. */
  readonly skipLoopFilter?: boolean;
  readonly hwDecodeArgs?: readonly string[];
  /**
   * The main stream's size when this source is a camera's substream: the frame is letterboxed to
   * the main picture's shape (argv.ts OutputSize) and its letterbox maps straight to main-stream
   * pixels, so boxes, ReID crops and torso colours need no second mapping. Letterbox output only.
   */
  readonly pictureSize?: ModelSize;
}

const KEYFRAME_MODES: readonly KeyframeMode[] = ['auto', 'always', 'never'];

function bad(message: string, details: Record<string, unknown>): MisuseError {
  return new MisuseError('FS_BAD_ARGUMENT', message, details);
}

/** Validate a sampling request the way config does, for callers that bypass config. */
export function checkSampling(s: SamplingRequest): { stride?: number; fps?: number; keyframes: KeyframeMode } {
  if (s.stride !== undefined && s.fps !== undefined)
    throw bad(`sampling: give stride or fps, not both (got stride ${s.stride}, fps ${s.fps})`, { stride: s.stride, fps: s.fps });
  if (s.stride !== undefined && !(Number.isInteger(s.stride) && s.stride >= 1))
    throw bad(`sampling.stride must be an integer >= 1, got ${s.stride}`, { stride: s.stride });
  if (s.fps !== undefined && !(Number.isFinite(s.fps) && s.fps > 0)) throw bad(`sampling.fps must be a number > 0, got ${s.fps}`, { fps: s.fps });
  const keyframes = s.keyframes ?? 'auto';
  if (!KEYFRAME_MODES.includes(keyframes)) throw bad(`sampling.keyframes must be one of ${KEYFRAME_MODES.join(', ')}, got ${String(keyframes)}`, { keyframes });
  return { ...(s.stride !== undefined ? { stride: s.stride } : {}), ...(s.fps !== undefined ? { fps: s.fps } : {}), keyframes };
}

export function checkModelSize(size: ModelSize | null): void {
  if (size === null) return;
  for (const key of ['width', 'height'] as const) {
    const v = size[key];
    if (!(Number.isInteger(v) && v >= 16 && v <= 8192)) throw bad(`modelSize.${key} must be an integer in 16..8192, got ${v}`, { [key]: v });
  }
}

/**
 * Keyframe-only decoding pays off when every sampling interval holds a keyframe: the GOP is no
 * longer than the interval (half a frame of slack for timestamp rounding). Unknown GOP: no.
 */
export function chooseKeyframeMode(mode: KeyframeMode, gopSec: number | undefined, intervalSec: number, fps: number): boolean {
  if (mode !== 'auto') return mode === 'always';
  return gopSec !== undefined && gopSec <= intervalSec + 0.5 / fps;
}

/** Seconds between sampled frames for a (checked) request on a source of `fps`. */
export function samplingIntervalSec(s: SamplingRequest, fps: number): number {
  return s.fps !== undefined ? 1 / s.fps : (s.stride ?? DEFAULT_STRIDE) / fps;
}

/**
 * How long a live stream's GOP probe must read (it runs in real time): 'auto' only needs to know
 * whether the GOP fits in one interval, and two such keyframes arrive within two intervals;
 * 'always'/'never' do not need the GOP at all. Files read the full default window in milliseconds.
 */
export function liveGopWindowSec(mode: KeyframeMode, intervalSec: number, maxSec: number): number {
  return mode === 'auto' ? Math.min(maxSec, 2 * intervalSec + 1) : 0;
}

export function planDecode(input: NetworkInput, info: SourceInfo, req: PlanRequest): DecodePlan {
  const s = checkSampling(req.sampling);
  checkModelSize(req.modelSize);
  if (req.limitSec !== undefined && !(req.limitSec > 0)) throw bad(`limitSec must be > 0, got ${req.limitSec}`, { limitSec: req.limitSec });
  const stride = s.fps === undefined ? (s.stride ?? DEFAULT_STRIDE) : undefined;
  const intervalSec = samplingIntervalSec(s, info.fps);
  const keyframeMode = chooseKeyframeMode(s.keyframes, info.gopSec, intervalSec, info.fps);
  // Frame numbers count source frames only when every frame is decoded; otherwise select on time.
  const selection: Selection = !keyframeMode && stride !== undefined ? { kind: 'stride', stride } : { kind: 'bucket', intervalSec };
  if (req.pictureSize !== undefined && req.modelSize === null) {
    throw bad('pictureSize (a substream) needs a letterboxed output (a modelSize)', { pictureSize: req.pictureSize });
  }
  const size: OutputSize =
    req.modelSize === null
      ? { kind: 'native', width: info.width, height: info.height }
      : { kind: 'letterbox', ...req.modelSize, ...(req.pictureSize ? { picture: req.pictureSize } : {}) };
  const picture = req.pictureSize ?? info;
  const command: DecodeCommand = {
    ...input,
    keyframesOnly: keyframeMode,
    ...(req.limitSec !== undefined ? { limitSec: req.limitSec } : {}),
    ...(req.decodeThreads !== undefined ? { decodeThreads: req.decodeThreads } : {}),
    ...(keyframeMode && req.skipLoopFilter ? { skipLoopFilter: true } : {}),
    ...(req.hwDecodeArgs && req.hwDecodeArgs.length > 0 ? { hwDecodeArgs: req.hwDecodeArgs } : {}),
    selection,
    size,
  };
  const ends = [info.durationSec, req.limitSec].filter((v): v is number => v !== undefined);
  const expectedEndSec = info.isLive || ends.length === 0 ? undefined : Math.min(...ends);
  // The last decoded frame lies a frame before the end, or a whole GOP before it in keyframe mode.
  const tail = keyframeMode ? (info.gopSec ?? Number.POSITIVE_INFINITY) : 0;
  return {
    command,
    keyframeMode,
    intervalSec,
    indexStride: selection.kind === 'stride' ? stride : undefined,
    width: size.width,
    height: size.height,
    frameBytes: size.width * size.height * 3,
    letterbox: letterboxFor(picture.width, picture.height, size.width, size.height),
    expectedEndSec,
    toleranceSec: tail + 2 / info.fps + 0.5,
  };
}

/** 0-based index of an output frame in the source's frame sequence. */
export function sourceIndex(plan: Pick<DecodePlan, 'indexStride'>, outputNumber: number, ptsSec: number, fps: number): number {
  return plan.indexStride !== undefined ? outputNumber * plan.indexStride : Math.round(ptsSec * fps);
}
