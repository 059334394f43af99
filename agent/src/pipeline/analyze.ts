/**
 * `analyze`: one source through ingest -> detect -> track, collecting tracks, a preview and figures.
 * Wiring only; the logic lives in the stages. Decode and inference overlap because ingest keeps
 * reading ffmpeg's output into a small frame queue while the detector runs on its worker threads.
 *
 * A source that fails part-way (truncated file, dead stream) still returns what was done: the error
 * is recorded in the result and the caller writes the outputs before reporting it.
 */
import type { Detections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';
import { isFloorSenseError, MisuseError } from '../core/errors.js';
import type { MotRow } from '../io/mot.js';
import { checkSubstreamAspect, DECODE_DEFAULTS, openSource, type HwDecodePreference, type SamplingRequest, type SourceInfo } from '../ingest/index.js';
import { probeStreamInfo } from '../ingest/probe.js';
import { Detector, inputForRegions, type DetectorOptions, type FrameDetector } from '../detect/index.js';
import { resolveModel, defaultModelsDir, deriveModelInput, parseSize } from '../models/index.js';
import type { Precision } from '../models/precision.js';
import { REID_CROP } from '../track/crop.js';
import { createTracker, openReid, type EmbeddingReason, type ReidEmbedder, type TrackerOptions, type TrackOutput } from '../track/index.js';
import { AdaptiveSampler, type AdaptiveOptions } from './adaptive.js';
import { startAhead } from './lookahead.js';
import { MotionGate, type MotionGateOptions } from './motion-gate.js';
import { RegionDetector, type RegionMode, type RegionOptions } from './region-detect.js';
import { ContactSheet, type PreviewOptions, type TrackPoint } from './preview.js';
import { addTorso, meanColor, type ColorSum, type Rgb } from './torso-color.js';

export interface AnalyzeOptions {
  /** The camera's (main) stream or file: its pixels are the ones tracks and outputs speak. */
  readonly url: string;
  /**
   * A smaller stream of the same camera to decode for detection (a substream); boxes are mapped
   * onto `url`'s pixels (ingest/substream.ts). Undefined: detect on `url` itself.
   */
  readonly detectUrl?: string;
  /**
   * What ffprobe already said about `url` (stream info and GOP, ingest/probe.ts probeSource), so a
   * caller that had to probe it first (the archive reads the file's start time) does not start
   * ffprobe twice more for the same file.
   */
  readonly probed?: SourceInfo;
  readonly sourceId: string;
  readonly sampling: SamplingRequest;
  /** ffmpeg decode levers (config sampling.decode_threads, skip_loop_filter, hw_decode); default DECODE_DEFAULTS. */
  readonly decode?: DecodeOptions;
  readonly detector: DetectorOptions;
  readonly tracker: TrackerOptions;
  /** Fuse OSNet appearance embeddings into tracking (false = motion-only). */
  readonly appearance: boolean;
  readonly reidModel: string;
  /** ReID crop "HxW" (tracker.reid_input); default the model's own. */
  readonly reidInput?: string;
  /** ReID precision (tracker.reid_precision); default fp32. */
  readonly reidPrecision?: Precision;
  /** Skip inference on static frames (null = always infer). */
  readonly motionGate: Partial<MotionGateOptions> | null;
  /**
   * Detect on parts of full-resolution frames (region-detect.ts: motion regions or tiles); null or
   * mode 'full' = whole frames letterboxed by ffmpeg, the default path.
   */
  readonly regions?: Partial<RegionOptions> | null;
  /** A lower detection rate while the scene is empty or quiet (adaptive.ts); null or emptyEvery and quietEvery 1 = off. */
  readonly adaptive?: Partial<AdaptiveOptions> | null;
  /** Contact-sheet preview (null = none). */
  readonly preview: Partial<PreviewOptions> | null;
  /** UTC epoch ms of the file's first frame; default the file's creation time, else 0. */
  readonly startTimeMs?: number;
  /** Process at most this many seconds of the source. */
  readonly limitSec?: number;
  /** Socket I/O timeout for streams (RTSP), seconds. */
  readonly socketTimeoutSec?: number;
  /** No frame in time ends the source with FS_SOURCE_UNREACHABLE (ingest/watchdog.ts); undefined: none. */
  readonly watchdogSec?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: AnalyzeProgress) => void;
  readonly warn?: (message: string) => void;
  /** Monotonic milliseconds clock for wall-time figures. */
  readonly now?: () => number;
  /**
   * A detector shared with other sources (the agent's one Detector behind a DetectorQueue). When
   * given, `detector` options only name the model for the summary and the caller owns its life.
   * `reid`: one ReID session for every camera (openAppearance); each ReID session holds its own
   * onnxruntime arena, so one per camera multiplied the agent's memory by the camera count.
   * Its ms_per_embedding figure is then the mean over all the cameras sharing it.
   */
  readonly shared?: { readonly detector: Detector; readonly queue?: FrameDetector; readonly reid?: ReidEmbedder };
  /** Keep every track row in memory for the result (default true); a long-running camera sets false. */
  readonly keepRows?: boolean;
  /** Pipeline overlap levers, for benchmarks that measure them; the defaults are the production path. */
  readonly tuning?: AnalyzeTuning;
  /**
   * Hand each frame's pixel buffer back to ingest for a later frame once the next frame has been
   * processed (FrameSource.recycle): for a caller whose onFrame keeps no frame's pixels longer than
   * that (the agent: its camera runtime keeps the latest frame, the snapshot API copies it). Default
   * false: every frame keeps its own buffer.
   */
  readonly recycleFrames?: boolean;
  /** Called for every sampled frame with its detections and the tracks matched in it (live storage). */
  readonly onFrame?: (frame: Frame, detections: Detections, tracks: readonly TrackOutput[]) => void;
}

export interface DecodeOptions {
  /** ffmpeg decoder threads; 0 or undefined = ffmpeg's choice. */
  readonly threads?: number;
  readonly skipLoopFilter?: boolean;
  readonly hw?: HwDecodePreference;
}

export interface AnalyzeTuning {
  /** Frames whose detection starts before the current frame is tracked (default 1; 0 = strictly serial). */
  readonly detectAhead?: number;
  /** ReID session on a worker thread (default true). */
  readonly reidWorker?: boolean;
}

export interface AnalyzeProgress {
  readonly framesSampled: number;
  readonly videoSec: number;
  /** Fraction of the file done, null for live sources. */
  readonly fraction: number | null;
  readonly tracks: number;
}

export interface AnalyzeSummary {
  readonly source: string;
  /** The stream decoded for detection when it is not `source` (a substream), else null. */
  readonly detect_source: string | null;
  readonly source_id: string;
  readonly width: number;
  readonly height: number;
  readonly source_fps: number;
  readonly codec: string;
  readonly keyframe_mode: boolean;
  readonly sampling_interval_s: number;
  readonly frames_sampled: number;
  readonly frames_inferred: number;
  readonly frames_skipped_static: number;
  /** Of frames_skipped_static, those skipped by adaptive sampling (an empty scene), not by the motion gate. */
  readonly frames_skipped_empty: number;
  /**
   * Of frames_skipped_static, those skipped outright by adaptive sampling while the scene was quiet
   * (adaptive.ts): neither detected nor tracked, no rows, not handed to onFrame.
   */
  readonly frames_skipped_quiet: number;
  readonly detections: number;
  readonly tracks: number;
  readonly video_seconds: number;
  readonly wall_seconds: number;
  readonly realtime_factor: number;
  /** The detector that ran: model, provider, precision (fp32 | int8: detector.precision auto's choice on this host), mean inference. */
  readonly detector: { readonly model: string; readonly provider: string; readonly precision: Precision; readonly mean_inference_ms: number };
  readonly appearance: {
    readonly enabled: boolean;
    readonly embeddings: number;
    readonly skipped: number;
    /** Embeddings computed under the decisive policy, by the reason each was asked for (track/embedding-policy.ts; all 0 under 'all'). */
    readonly by_reason: Readonly<Record<EmbeddingReason, number>>;
    readonly ms_per_embedding: number;
  };
  /** Region detection's counts (null on the whole-frame path): inferred frames by what ran, detector runs, carried boxes. */
  readonly regions: {
    readonly mode: RegionMode;
    readonly full_frames: number;
    readonly region_frames: number;
    readonly tile_frames: number;
    readonly carried_frames: number;
    readonly crops: number;
    readonly carried_boxes: number;
  } | null;
  readonly start: string;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface AnalyzeResult {
  /** Confirmed tracks, MOTChallenge rows; frame = 0-based source frame index + 1. */
  readonly rows: MotRow[];
  readonly points: TrackPoint[];
  readonly summary: AnalyzeSummary;
  readonly info: SourceInfo;
  readonly previewPng: Buffer | null;
  /** Track id -> its latest appearance embedding (the tracker's L2-normalised EMA); empty when appearance is off. */
  readonly embeddings: ReadonlyMap<number, Float32Array>;
  /** Track id -> mean torso colour (RGB 0..255) over its matched boxes (uniform hint for who is staff); empty when rows are not kept. */
  readonly colors: ReadonlyMap<number, Rgb>;
  /** The failure that ended the source early, if any (outputs still hold all work done). */
  readonly error: unknown;
}

export async function analyzeSource(o: AnalyzeOptions): Promise<AnalyzeResult> {
  const now = o.now ?? (() => performance.now());
  const warn = o.warn ?? ((m: string) => console.warn(m));
  const t0 = now();
  const ownInput = inputForRegions(o.detector.input, o.regions?.mode);
  const detector = o.shared?.detector ?? (await Detector.create({ ...o.detector, ...(ownInput !== undefined ? { input: ownInput } : {}), warn }));
  const detect: FrameDetector = o.shared?.queue ?? detector;
  let reid: ReidEmbedder | null = null;
  let ownReid: ReidEmbedder | null = null;
  try {
    if (o.appearance && o.shared?.reid) reid = o.shared.reid;
    else if (o.appearance) {
      ownReid = await openAppearance(o.reidModel, o.detector, warn, o.tuning, o.reidInput, o.reidPrecision);
      reid = ownReid;
    }
    // With a substream, the main stream is only probed for its size: it is never decoded here.
    const main =
      o.detectUrl === undefined
        ? null
        : (o.probed ??
          (
            await probeStreamInfo(o.url, {
              ...(o.socketTimeoutSec !== undefined ? { socketTimeoutSec: o.socketTimeoutSec } : {}),
              ...(o.signal ? { signal: o.signal } : {}),
            })
          ).info);
    const regionMode = o.regions?.mode ?? 'full';
    if (regionMode !== 'full' && main) {
      throw new MisuseError(
        'FS_BAD_ARGUMENT',
        `camera ${o.sourceId}: detector.regions.mode ${regionMode} crops the full-resolution main stream; it cannot be combined with detect_url (a substream)`,
        { sourceId: o.sourceId },
      );
    }
    const source = await openSource({
      sourceId: o.sourceId,
      url: o.detectUrl ?? o.url,
      ...(o.detectUrl === undefined && o.probed ? { info: o.probed } : {}),
      sampling: o.sampling,
      // Region detection crops full-resolution frames itself; the whole-frame path lets ffmpeg letterbox.
      modelSize: regionMode === 'full' ? detector.inputSize : null,
      ...(main ? { pictureSize: { width: main.width, height: main.height } } : {}),
      queueFrames: 4,
      decodeThreads: o.decode?.threads ?? DECODE_DEFAULTS.threads,
      skipLoopFilter: o.decode?.skipLoopFilter ?? DECODE_DEFAULTS.skipLoopFilter,
      hwDecode: o.decode?.hw ?? DECODE_DEFAULTS.hwDecode,
      warn,
      ...(o.startTimeMs !== undefined ? { startTimeMs: o.startTimeMs } : {}),
      ...(o.limitSec !== undefined ? { limitSec: o.limitSec } : {}),
      ...(o.socketTimeoutSec !== undefined ? { socketTimeoutSec: o.socketTimeoutSec } : {}),
      ...(o.watchdogSec !== undefined ? { watchdogSec: o.watchdogSec } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (main) {
      try {
        checkSubstreamAspect(o.sourceId, source.info, main);
      } catch (e) {
        await source.close();
        throw e;
      }
    }
    // What the outputs describe: the main stream's picture, timed and indexed by the frames decoded.
    // A substream's frames are letterboxed to the main picture's shape (ingest/substream.ts), so
    // their boxes already come out in main-stream pixels.
    const info: SourceInfo = main ? { ...source.info, url: o.url, width: main.width, height: main.height } : source.info;
    const frames = source;
    const tracker = createTracker(o.tracker);
    const gate = o.motionGate ? new MotionGate(o.motionGate) : null;
    const sampler = o.adaptive ? new AdaptiveSampler(o.adaptive) : null;
    const adaptive = sampler?.enabled ? sampler : null;
    const regions = regionMode === 'full' ? null : new RegionDetector(detect, detector.inputSize, detector.settings.iou_threshold, o.regions ?? {});
    const sheet = o.preview ? new ContactSheet(o.preview) : null;
    const rows: MotRow[] = [];
    const points: TrackPoint[] = [];
    const ids = new Set<number>();
    const embeddings = new Map<number, Float32Array>();
    const colorSums = new Map<number, ColorSum>();
    let lastDetections: Promise<Detections> | null = null;
    let skippedEmpty = 0;
    let skippedQuiet = 0;
    let previous: Frame | null = null;
    let sampled = 0;
    let inferred = 0;
    let detections = 0;
    let lastPts = 0;
    let firstTimestampMs: number | null = null;
    let error: unknown = null;
    const total = o.limitSec !== undefined ? Math.min(o.limitSec, source.info.durationSec ?? Infinity) : source.info.durationSec;

    try {
      // The gate decides in source order as frames arrive; a static frame reuses the detections
      // of the last inferred one (still a promise while that detection runs ahead).
      const ahead = startAhead(
        frames,
        (frame): Promise<Detections> | null => {
          const rate = adaptive?.decide(frame.ptsSec) ?? 'detect';
          // A quiet frame (adaptive.ts) is skipped outright, for the tracker too (null below). The
          // gate does not see it either, so its reference stays the last inferred frame and a later
          // static frame reuses detections of a frame the gate compared it with.
          if (rate === 'quiet' && lastDetections) {
            skippedQuiet++;
            return null;
          }
          const gateSays = gate ? gate.decide(frame) : null;
          if (gateSays && !gateSays.infer && lastDetections) return lastDetections;
          if (rate === 'empty' && lastDetections) {
            skippedEmpty++;
            return lastDetections;
          }
          inferred++;
          lastDetections = regions ? regions.detect(frame, gateSays, lastDetections) : detect.detect(frame);
          return lastDetections;
        },
        o.tuning?.detectAhead ?? 1,
      );
      for await (const { frame, pending } of ahead) {
        firstTimestampMs ??= frame.timestampMs - frame.ptsSec * 1000;
        sampled++;
        lastPts = frame.ptsSec;
        const dets = await pending;
        if (dets === null) {
          // A quiet skip. What it does to the tracker: its next update comes quietEvery steps later,
          // and every gate is in video time (the Kalman prediction and its Mahalanobis gate widen
          // with the real dt, plausibility bounds the reach since the last observation), so a longer
          // step is what a lower sampling rate is. Tracks keep their last observed positions (no
          // row here: nothing was seen). No track coasts while quiet and no tentative track waits
          // (either restores the full rate), so max_age_updates and min_hits, counted in updates,
          // are not stretched in time beyond the one frame decided before the full rate came back.
          // Nobody keeps this frame's pixels: it goes back at once.
          if (o.recycleFrames) source.recycle(frame);
          o.onProgress?.({ framesSampled: sampled, videoSec: frame.ptsSec, fraction: total ? Math.min(1, frame.ptsSec / total) : null, tracks: ids.size });
          continue;
        }
        detections += dets.length;
        const update = await tracker.update(dets, frame.ptsSec, reid ? reid.embedFnFor(frame, dets) : undefined);
        // Coasting predictions are not observations: report a track only where a detection backs it.
        const matched = update.tracks.filter((t) => t.matched);
        adaptive?.observe(frame.ptsSec, matched, unresolvedOf(update.tracks, dets, o.tracker.newTrackThreshold), info);
        if (o.keepRows === false) for (const t of matched) ids.add(t.id);
        else for (const t of matched) collect(rows, points, ids, frame, t, info);
        if (o.keepRows !== false) for (const t of matched) if (t.embedding) embeddings.set(t.id, t.embedding);
        if (o.keepRows !== false) for (const t of matched) addTorso(sumFor(colorSums, t.id), frame, t.box);
        o.onFrame?.(frame, dets, matched);
        sheet?.offer(frame);
        // The frame before this one: its detection, ReID crops and onFrame are done, and it is no
        // longer the latest any consumer keeps (this frame's detection may still be in flight, so not this one).
        if (o.recycleFrames) {
          if (previous) source.recycle(previous);
          previous = frame;
        }
        o.onProgress?.({ framesSampled: sampled, videoSec: frame.ptsSec, fraction: total ? Math.min(1, frame.ptsSec / total) : null, tracks: ids.size });
      }
    } catch (e) {
      if (!isFloorSenseError(e)) throw e;
      error = e;
    }

    const wallSec = (now() - t0) / 1000;
    const dstats = detector.stats();
    const tstats = tracker.stats();
    const rstats = reid?.stats();
    const videoSec = sampled > 0 ? lastPts + source.plan.intervalSec : 0;
    const summary: AnalyzeSummary = {
      source: o.url,
      detect_source: o.detectUrl ?? null,
      source_id: o.sourceId,
      width: info.width,
      height: info.height,
      source_fps: info.fps,
      codec: info.codec,
      keyframe_mode: source.plan.keyframeMode,
      sampling_interval_s: round(source.plan.intervalSec, 4),
      frames_sampled: sampled,
      frames_inferred: inferred,
      frames_skipped_static: sampled - inferred,
      frames_skipped_empty: skippedEmpty,
      frames_skipped_quiet: skippedQuiet,
      detections,
      tracks: ids.size,
      video_seconds: round(videoSec, 3),
      wall_seconds: round(wallSec, 3),
      realtime_factor: wallSec > 0 ? round(videoSec / wallSec, 2) : 0,
      detector: {
        model: detector.model.name,
        provider: detector.provider,
        precision: detector.input.precision,
        // DetectorStats already holds means per frame.
        mean_inference_ms: round(dstats.inferenceMs, 2),
      },
      appearance: {
        enabled: reid !== null,
        embeddings: tstats.embeddingsComputed,
        skipped: tstats.embeddingsSkipped,
        by_reason: tstats.embeddingReasons,
        ms_per_embedding: round(rstats?.msPerEmbedding ?? 0, 2),
      },
      regions: regions ? regionSummary(regions) : null,
      start: new Date(firstTimestampMs ?? o.startTimeMs ?? 0).toISOString(),
      error: error && isFloorSenseError(error) ? { code: error.code, message: error.message } : null,
    };
    const title = `${o.sourceId}  ${sampled} FRAMES  ${ids.size} TRACKS`;
    const colors = new Map<number, Rgb>();
    for (const [id, sum] of colorSums) {
      const c = meanColor(sum);
      if (c) colors.set(id, c);
    }
    return { rows, points, summary, info, previewPng: sheet ? sheet.render(points, title) : null, embeddings, colors, error };
  } finally {
    if (!o.shared) await detector.close();
    await ownReid?.release();
  }
}

/** The ReID embedder the pipeline uses, opened with the detector's CPU settings (threads, spinning, providers). */
export async function openAppearance(
  reidModel: string,
  detector: DetectorOptions,
  warn: (message: string) => void,
  tuning?: AnalyzeTuning,
  /** tracker.reid_input, "HxW" (OSNet's order); default the model's native crop. */
  input?: string,
  /** tracker.reid_precision; int8 derives the static int8 model (models/quantize.ts) through the same path. */
  precision: Precision = 'fp32',
  /** ReID sessions; the agent opens as many as detector sessions (detector.sessions). */
  sessions = 1,
): Promise<ReidEmbedder> {
  const model = await resolveModel(reidModel, detector.modelsDir ?? defaultModelsDir(), { warn });
  const size = input === undefined ? undefined : parseSize(input, 'HxW');
  if (input !== undefined && !size) throw new MisuseError('FS_BAD_ARGUMENT', `tracker.reid_input: "${input}" is not HxW (e.g. 256x128)`);
  // The one graph-edit path (models/derive.ts): a smaller crop gets a derived, cached model file.
  const derived =
    size || precision !== 'fp32'
      ? await deriveModelInput(model, size ?? (model.entry ? { width: model.entry.input.width, height: model.entry.input.height } : REID_CROP), {
          precision,
          ...(detector.cacheDir ? { cacheDir: detector.cacheDir } : {}),
        })
      : undefined;
  return openReid(derived?.path ?? model.path, {
    ...(derived ? { input: derived.input } : {}),
    threads: detector.threads ?? 0,
    sessions,
    ...(detector.spinning !== undefined ? { spinning: detector.spinning } : {}),
    ...(tuning?.reidWorker !== undefined ? { worker: tuning.reidWorker } : {}),
    warn,
    ...(detector.providers ? { providers: detector.providers } : {}),
  });
}

/**
 * What the tracker left unsettled on a frame, for adaptive sampling: confirmed tracks coasting
 * unmatched, and detections no confirmed track took that are strong enough to start one (a
 * newcomer, confirmed only after min_hits matches).
 */
function unresolvedOf(tracks: readonly TrackOutput[], dets: Detections, newTrackThreshold: number): number {
  const taken = new Set<number>();
  let coasting = 0;
  for (const t of tracks) {
    if (t.matched) taken.add(t.detectionIndex);
    else coasting++;
  }
  let fresh = 0;
  for (let k = 0; k < dets.length; k++) if (!taken.has(k) && dets.score[k]! >= newTrackThreshold) fresh++;
  return coasting + fresh;
}

function regionSummary(r: RegionDetector): NonNullable<AnalyzeSummary['regions']> {
  const s = r.stats();
  return {
    mode: r.options.mode,
    full_frames: s.fullFrames,
    region_frames: s.regionFrames,
    tile_frames: s.tileFrames,
    carried_frames: s.carriedFrames,
    crops: s.crops,
    carried_boxes: s.carriedBoxes,
  };
}

function collect(rows: MotRow[], points: TrackPoint[], ids: Set<number>, frame: Frame, t: TrackOutput, size: { width: number; height: number }): void {
  // The filtered box can overshoot the image edge; reports are in the camera's pixels.
  const x1 = clamp(t.box[0], 0, size.width);
  const y1 = clamp(t.box[1], 0, size.height);
  const x2 = clamp(t.box[2], 0, size.width);
  const y2 = clamp(t.box[3], 0, size.height);
  ids.add(t.id);
  rows.push({ frame: frame.index + 1, id: t.id, x: x1, y: y1, w: x2 - x1, h: y2 - y1, conf: t.score });
  points.push({ frameIndex: frame.index, timeSec: frame.ptsSec, id: t.id, x1, y1, x2, y2 });
}

function sumFor(sums: Map<number, ColorSum>, id: number): ColorSum {
  let s = sums.get(id);
  if (!s) {
    s = { r: 0, g: 0, b: 0, n: 0 };
    sums.set(id, s);
  }
  return s;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
