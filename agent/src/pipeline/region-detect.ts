/**
 * Region detection (regions.ts) wired to a frame detector: per inferred frame, decide full frame,
 * motion regions or tiles, crop and letterbox each into the model input, detect every crop through
 * the same FrameDetector (the agent's shared DetectorQueue included), and merge the boxes.
 *
 * Frames arrive at full resolution (ingest's native size). Every model has a fixed [1, 3, H, W]
 * input here (the three detectors in models/manifest.json declare batch 1), so each crop is one
 * detector run: motion regions pay in resolution, not in runs, and beyond `max_regions` crops a
 * full-frame pass is taken instead.
 *
 * Motion mode: people the last detections hold outside every region are carried unchanged (the
 * gate saw no change there), so a stationary person is not re-detected; a full-frame pass runs
 * at least every `full_frame_s` of video time, and whenever the regions would cover most of the
 * frame. Tiles mode: a fixed grid of crops on every inferred frame, plus a full-frame pass (when
 * `tiles_full_frame`) for people larger than a tile.
 */
import { type Detections, EMPTY_DETECTIONS, filterDetections } from '../core/detections.js';
import type { Frame } from '../core/frame.js';
import type { FrameDetector } from '../detect/index.js';
import type { GateDecision } from './motion-gate.js';
import {
  type CropDetections,
  changedGroups,
  cropInto,
  cropLetterbox,
  intersects,
  mergeCrops,
  planRegions,
  type Rect,
  rectOfBox,
  type Size,
  tileRects,
} from './regions.js';

export type RegionMode = 'full' | 'motion' | 'tiles';

export interface RegionOptions {
  readonly mode: RegionMode;
  /** Tiles mode: grid columns and rows. */
  readonly tileCols: number;
  readonly tileRows: number;
  /** Tiles mode: neighbouring tiles overlap by this fraction of a tile's side. */
  readonly tileOverlap: number;
  /** Tiles mode: also run one full-frame pass per inferred frame (people taller than a tile). */
  readonly tilesFullFrame: boolean;
  /** Motion mode: a full-frame pass at least this often, video seconds. */
  readonly fullFrameSec: number;
  /** Motion mode: more regions than this: a full-frame pass instead. */
  readonly maxRegions: number;
  /** Motion mode: regions covering more than this fraction of the frame: a full-frame pass instead. */
  readonly maxCover: number;
  /** Motion mode: margin around the moving blocks, fraction of their larger side. */
  readonly pad: number;
}

export const REGION_DEFAULTS: RegionOptions = Object.freeze({
  mode: 'full',
  tileCols: 2,
  tileRows: 1,
  tileOverlap: 0.15,
  tilesFullFrame: true,
  fullFrameSec: 10,
  maxRegions: 2,
  maxCover: 0.5,
  pad: 0.25,
});

export interface RegionStats {
  /** Inferred frames by what ran: a full-frame pass, motion regions, tiles, or nothing (all carried). */
  readonly fullFrames: number;
  readonly regionFrames: number;
  readonly tileFrames: number;
  readonly carriedFrames: number;
  /** Detector runs (one per crop). */
  readonly crops: number;
  /** Boxes carried from the last detections without re-detecting. */
  readonly carriedBoxes: number;
}

export class RegionDetector {
  readonly options: RegionOptions;
  readonly #detect: FrameDetector;
  readonly #model: Size;
  readonly #iou: number;
  #lastFullSec = -Infinity;
  #full = 0;
  #regions = 0;
  #tiles = 0;
  #carried = 0;
  #crops = 0;
  #carriedBoxes = 0;

  constructor(detect: FrameDetector, model: Size, iouThreshold: number, options: Partial<RegionOptions> = {}) {
    this.#detect = detect;
    this.#model = model;
    this.#iou = iouThreshold;
    this.options = Object.freeze({ ...REGION_DEFAULTS, ...options });
  }

  /**
   * Detections (source pixels) of a full-resolution frame. `gate`: the motion gate's decision for
   * it (null without a gate: every frame gets a full-frame pass in motion mode); `last`: the
   * detections of the last inferred frame, which motion mode carries where nothing changed.
   */
  async detect(frame: Frame, gate: GateDecision | null, last: Promise<Detections> | null): Promise<Detections> {
    const whole: Rect = { x: 0, y: 0, w: frame.width, h: frame.height };
    const o = this.options;
    if (o.mode === 'tiles') {
      this.#tiles++;
      const rects = tileRects(frame, o.tileCols, o.tileRows, o.tileOverlap);
      return this.#run(frame, o.tilesFullFrame ? [whole, ...rects] : rects, null);
    }
    const due = frame.ptsSec - this.#lastFullSec >= o.fullFrameSec;
    if (o.mode === 'full' || due || !gate?.mask || !last) return this.#fullPass(frame, whole);
    const previous = await last;
    const known = boxesOnFrame(previous, frame);
    const groups = changedGroups(gate.mask, gate.grid, gate.grid, frame);
    if (groups.length === 0) {
      this.#carried++;
      this.#carriedBoxes += previous.length;
      return previous;
    }
    const plan = planRegions(groups, known, frame, {
      minSide: Math.min(Math.max(this.#model.width, this.#model.height), frame.width, frame.height),
      pad: o.pad,
      maxRegions: o.maxRegions,
      maxCover: o.maxCover,
    });
    if (plan.kind === 'full') return this.#fullPass(frame, whole);
    this.#regions++;
    // A box the gate saw no change on still holds; one that meets a region is detected afresh there.
    const carried = filterDetections(
      previous,
      known.map((k) => !plan.rects.some((r) => intersects(r, k))),
    );
    this.#carriedBoxes += carried.length;
    return this.#run(frame, plan.rects, carried);
  }

  stats(): RegionStats {
    return {
      fullFrames: this.#full,
      regionFrames: this.#regions,
      tileFrames: this.#tiles,
      carriedFrames: this.#carried,
      crops: this.#crops,
      carriedBoxes: this.#carriedBoxes,
    };
  }

  #fullPass(frame: Frame, whole: Rect): Promise<Detections> {
    this.#full++;
    this.#lastFullSec = frame.ptsSec;
    return this.#run(frame, [whole], null);
  }

  async #run(frame: Frame, rects: readonly Rect[], carried: Detections | null): Promise<Detections> {
    const lb = frame.letterbox;
    const parts = await Promise.all(
      rects.map(async (r): Promise<CropDetections> => {
        const data = cropInto(frame, r, this.#model, new Uint8Array(this.#model.width * this.#model.height * 3));
        this.#crops++;
        const crop: Frame = { ...frame, width: this.#model.width, height: this.#model.height, data, letterbox: cropLetterbox(lb, r, this.#model) };
        const dets = await this.#detect.detect(crop);
        const isWhole = r.x === 0 && r.y === 0 && r.w === frame.width && r.h === frame.height;
        const bounds = isWhole
          ? null
          : ([(r.x - lb.padX) / lb.scale, (r.y - lb.padY) / lb.scale, (r.x + r.w - lb.padX) / lb.scale, (r.y + r.h - lb.padY) / lb.scale] as const);
        return { dets, bounds };
      }),
    );
    if (carried && carried.length > 0) parts.push({ dets: carried, bounds: null });
    if (parts.length === 1 && parts[0]!.bounds === null) return parts[0]!.dets;
    return parts.length === 0 ? EMPTY_DETECTIONS : mergeCrops(parts, { width: lb.srcWidth, height: lb.srcHeight }, this.#iou);
  }
}

/** Source-pixel boxes as frame-pixel rects (the inverse of the frame's letterbox). */
function boxesOnFrame(d: Detections, frame: Frame): Rect[] {
  const { scale, padX, padY } = frame.letterbox;
  return Array.from({ length: d.length }, (_, i) => {
    const r = rectOfBox(d.xyxy, i * 4);
    return { x: r.x * scale + padX, y: r.y * scale + padY, w: r.w * scale, h: r.h * scale };
  });
}
