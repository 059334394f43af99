/**
 * Detecting on a camera's substream (`cameras[].detect_url`): most IP cameras and NVRs serve a
 * small stream (640x360, 704x576) beside the main one, and decoding it costs a fraction of 1080p.
 * Everything downstream of detection (tracks, zones, floor homography, stored positions) speaks
 * the MAIN stream's pixels, so a substream frame's letterbox is rewritten to map model pixels
 * straight to main-stream pixels: unletterbox() then returns main-stream boxes, and ReID crops
 * (which invert the same letterbox) still read the substream picture. Pure.
 */
import { FailureError } from '../core/errors.js';
import type { Frame, Letterbox } from '../core/frame.js';

export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Largest relative aspect-ratio difference accepted between substream and main stream. One
 * letterbox scale serves both axes, so an anamorphic substream (704x576 of a 16:9 camera) would
 * put boxes in the wrong place; 1.5 % covers the usual rounding (e.g. 640x352 for 640x360).
 */
export const SUBSTREAM_ASPECT_TOLERANCE = 0.015;

/** Throws a FailureError naming the camera and both sizes when one letterbox cannot serve both streams. */
export function checkSubstreamAspect(sourceId: string, sub: PixelSize, main: PixelSize): void {
  const a = sub.width / sub.height;
  const b = main.width / main.height;
  if (Math.abs(a / b - 1) > SUBSTREAM_ASPECT_TOLERANCE) {
    throw new FailureError(
      'FS_VIDEO_UNSUPPORTED',
      `camera ${sourceId}: detect_url stream is ${sub.width}x${sub.height} but the main stream is ${main.width}x${main.height}; ` +
        'their aspect ratios differ, so detections cannot be placed on the main picture (pick a substream of the same shape, or drop detect_url)',
      { sourceId, sub: `${sub.width}x${sub.height}`, main: `${main.width}x${main.height}` },
    );
  }
}

/** The letterbox of a substream frame, re-expressed against the main stream's pixels. */
export function letterboxOnMain(lb: Letterbox, main: PixelSize): Letterbox {
  return { ...lb, srcWidth: main.width, srcHeight: main.height, scale: (lb.scale * lb.srcWidth) / main.width };
}

/** The same frame (same pixels, no copy) whose boxes come out in main-stream pixels. */
export function onMainStream(frame: Frame, main: PixelSize): Frame {
  return { ...frame, letterbox: letterboxOnMain(frame.letterbox, main) };
}
