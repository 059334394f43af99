/**
 * Which decoder an output tensor needs, from its dims and (when the model is in the manifest) the
 * declared format. A model outside the manifest is accepted only in the two YOLOv8 layouts whose
 * dims say what they are; anything else is refused with the dims and the accepted layouts.
 */
import { FailureError } from '../core/errors.js';
import type { OutputFormat } from '../models/manifest-schema.js';
import { yoloxAnchorCount } from './decode-yolox.js';

export type OutputLayout =
  | { readonly format: 'yolov8'; readonly numClasses: number; readonly anchors: number }
  | { readonly format: 'yolov8_nms'; readonly rows: number }
  | { readonly format: 'yolox'; readonly numClasses: number; readonly anchors: number; readonly strides: readonly number[] };

export interface LayoutHints {
  /** Format declared by the manifest; undefined for a model outside it. */
  readonly declared?: OutputFormat | undefined;
  /** Number of class names known for the model (manifest), if any. */
  readonly numClasses?: number | undefined;
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Grid strides (yolox). */
  readonly strides?: readonly number[] | undefined;
}

const ACCEPTED = 'YOLOv8 [1, 4+C, N] or NMS-included [1, N, 6] (or a manifest entry declaring its format)';

export function outputLayout(dims: readonly number[], hints: LayoutHints, what = 'model output'): OutputLayout {
  const unsupported = (why: string): FailureError =>
    new FailureError('FS_MODEL_UNSUPPORTED', `${what} has dims [${dims.join(', ')}]: ${why}; accepted: ${ACCEPTED}`, { dims });
  if (dims.length !== 3 || dims[0] !== 1) throw unsupported('expected 3 dims with batch 1');
  const d1 = dims[1]!;
  const d2 = dims[2]!;
  const format = hints.declared ?? infer(d1, d2);
  if (format === undefined) throw unsupported('layout cannot be inferred from the dims');
  switch (format) {
    case 'yolov8': {
      if (!(d1 > 4)) throw unsupported('a YOLOv8 output needs more than 4 rows');
      if (hints.numClasses !== undefined && d1 - 4 !== hints.numClasses) {
        throw unsupported(`the model has ${d1 - 4} classes but ${hints.numClasses} class names`);
      }
      return { format, numClasses: d1 - 4, anchors: d2 };
    }
    case 'yolov8_nms':
      if (d2 !== 6) throw unsupported('an NMS-included output needs 6 values per row');
      return { format, rows: d1 };
    case 'yolox': {
      const strides = hints.strides ?? [8, 16, 32];
      const anchors = yoloxAnchorCount({ inputWidth: hints.inputWidth, inputHeight: hints.inputHeight, strides });
      if (d1 !== anchors || !(d2 > 5)) throw unsupported(`a YOLOX output at ${hints.inputWidth}x${hints.inputHeight} needs [1, ${anchors}, 5+C]`);
      if (hints.numClasses !== undefined && d2 - 5 !== hints.numClasses) {
        throw unsupported(`the model has ${d2 - 5} classes but ${hints.numClasses} class names`);
      }
      return { format, numClasses: d2 - 5, anchors, strides };
    }
    case 'embedding':
      throw unsupported('this is an embedding (ReID) model, not a detector');
  }
}

function infer(d1: number, d2: number): OutputFormat | undefined {
  if (d2 === 6) return 'yolov8_nms';
  // [1, 4+C, N]: far more anchors than channels in every real YOLOv8 export.
  if (d1 > 4 && d1 < d2) return 'yolov8';
  return undefined;
}
