/**
 * Decode-only throughput of a source with given sampling, for benchmarks: runs openSource to the
 * end, touching nothing but the frames' existence.
 */
import { openSource, type OpenSourceOptions } from './open-source.js';
import { probeSource } from './probe.js';

export interface DecodeMeasurement {
  readonly url: string;
  readonly keyframeMode: boolean;
  readonly framesYielded: number;
  readonly framesDecoded: number;
  /** Seconds of video covered (source duration, or the limit). */
  readonly videoSec: number;
  /** ffprobe time (stream info + GOP), not included in wallSec. */
  readonly probeSec: number;
  /** Decode time: ffmpeg start to last frame. */
  readonly wallSec: number;
  /** Sampled frames delivered per wall second. */
  readonly yieldedFps: number;
  /** Source frames (at the source fps) covered per wall second: "decode-only fps". */
  readonly sourceFps: number;
  /** Video seconds per wall second. */
  readonly realtimeFactor: number;
}

export async function measureDecode(opts: OpenSourceOptions, clock: () => number = () => performance.now()): Promise<DecodeMeasurement> {
  const tp = clock();
  const info = opts.info ?? (await probeSource(opts.url, { ...(opts.tools ? { tools: opts.tools } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) }));
  const t0 = clock();
  const src = await openSource({ ...opts, info });
  for await (const frame of src) void frame;
  const wallSec = (clock() - t0) / 1000;
  const probeSec = (t0 - tp) / 1000;
  const s = src.stats();
  const videoSec = Math.min(src.info.durationSec ?? s.lastDecodedPtsSec ?? 0, opts.limitSec ?? Number.POSITIVE_INFINITY);
  return {
    url: opts.url,
    keyframeMode: s.keyframeMode,
    framesYielded: s.framesYielded,
    framesDecoded: s.framesDecoded,
    videoSec,
    probeSec,
    wallSec,
    yieldedFps: s.framesYielded / wallSec,
    sourceFps: (videoSec * src.info.fps) / wallSec,
    realtimeFactor: videoSec / wallSec,
  };
}
