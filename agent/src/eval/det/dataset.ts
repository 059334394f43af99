/**
 * A YOLO-format labelled image set (images/ + labels/ with one `<stem>.txt` per image) run through
 * a detector, giving ground truth and predictions in source-image pixels for `evaluateDetections`.
 * The detector and image loader are passed in, so this module depends on no model or ffmpeg.
 */
import { readdirSync } from 'node:fs';
import { extname, join, parse } from 'node:path';
import { FailureError } from '../../core/errors.js';
import type { Detections } from '../../core/detections.js';
import type { Frame } from '../../core/frame.js';
import type { GtBox, PredBox } from './ap.js';
import { labelToXyxy, readYoloLabelFile, type YoloLabel } from './labels.js';

export interface LabelledImage {
  /** File stem, used as the image id. */
  readonly name: string;
  readonly imagePath: string;
  readonly labelPath: string;
}

const IMAGE_EXTS = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff']);

/** Images in `imagesDir` (sorted by name) with their label files in `labelsDir` (may be missing: no objects). */
export function listLabelledImages(imagesDir: string, labelsDir: string): LabelledImage[] {
  let files: string[];
  try {
    files = readdirSync(imagesDir);
  } catch (e) {
    throw new FailureError(
      'FS_FILE_NOT_FOUND',
      `cannot list images in ${imagesDir}: ${e instanceof Error ? e.message : String(e)}`,
      { path: imagesDir },
      { cause: e },
    );
  }
  const items = files
    .filter((f) => IMAGE_EXTS.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => ({ name: parse(f).name, imagePath: join(imagesDir, f), labelPath: join(labelsDir, `${parse(f).name}.txt`) }));
  if (items.length === 0) throw new FailureError('FS_FILE_NOT_FOUND', `no images (${[...IMAGE_EXTS].join(', ')}) in ${imagesDir}`, { path: imagesDir });
  return items;
}

export interface DetectDeps {
  /** Decode and letterbox one image to the detector's input size. */
  readonly load: (imagePath: string) => Promise<Frame>;
  /** Boxes in source pixels (the detector un-letterboxes). */
  readonly detect: (frame: Frame) => Promise<Detections>;
}

/** Read and check every label file up front, so a bad label fails before any model is loaded. */
export function readDatasetLabels(items: readonly LabelledImage[]): Map<string, YoloLabel[]> {
  return new Map(items.map((item) => [item.name, readYoloLabelFile(item.labelPath)]));
}

/** Run the detector over every image; labels are scaled by each image's own size. */
export async function collectDetections(
  items: readonly LabelledImage[],
  labels: ReadonlyMap<string, readonly YoloLabel[]>,
  deps: DetectDeps,
): Promise<{ gt: GtBox[]; pred: PredBox[] }> {
  const gt: GtBox[] = [];
  const pred: PredBox[] = [];
  for (const item of items) {
    const frame = await deps.load(item.imagePath);
    const { srcWidth, srcHeight } = frame.letterbox;
    for (const l of labels.get(item.name) ?? []) gt.push({ image: item.name, cls: l.cls, box: labelToXyxy(l, srcWidth, srcHeight) });
    const d = await deps.detect(frame);
    for (let i = 0; i < d.length; i++) {
      const o = i * 4;
      pred.push({ image: item.name, cls: d.cls[i]!, score: d.score[i]!, box: [d.xyxy[o]!, d.xyxy[o + 1]!, d.xyxy[o + 2]!, d.xyxy[o + 3]!] });
    }
  }
  return { gt, pred };
}
