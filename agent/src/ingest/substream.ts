/**
 * Detecting on a camera's substream (`cameras[].detect_url`): most IP cameras and NVRs serve a
 * small stream (640x360, 704x576) beside the main one, and decoding it costs a fraction of 1080p.
 * Everything downstream of detection (tracks, zones, floor homography, stored positions) speaks
 * the MAIN stream's pixels. Ingest therefore letterboxes a substream to the main picture's shape
 * (plan.ts `pictureSize`): an anamorphic substream (704x576 4CIF of a 16:9 camera, non-square
 * pixels) is stretched back per axis inside ffmpeg's scale, and the frame's letterbox maps model
 * pixels straight to main-stream pixels with one scale. unletterbox() then returns main-stream
 * boxes, and ReID crops and torso colours (which invert the same letterbox) read a picture of the
 * right shape. Pure.
 */
import { FailureError } from '../core/errors.js';

export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Largest ratio between the two streams' aspect ratios that is still taken as one picture with
 * non-square pixels. The usual anamorphic substreams stay well inside it (704x576 or 720x576 on
 * 16:9: 1.45-1.47; 640x480 on 16:9: 1.33); beyond 2 the substream is far more likely a crop or
 * another view than a squeezed copy, and stretching it would put boxes in the wrong place.
 */
export const SUBSTREAM_MAX_STRETCH = 2;

/** Throws a FailureError naming the camera and both sizes when the substream cannot be the main picture squeezed. */
export function checkSubstreamAspect(sourceId: string, sub: PixelSize, main: PixelSize): void {
  const a = sub.width / sub.height;
  const b = main.width / main.height;
  if (Math.max(a / b, b / a) > SUBSTREAM_MAX_STRETCH) {
    throw new FailureError(
      'FS_VIDEO_UNSUPPORTED',
      `camera ${sourceId}: detect_url stream is ${sub.width}x${sub.height} but the main stream is ${main.width}x${main.height}; ` +
        `their aspect ratios differ by more than ${SUBSTREAM_MAX_STRETCH}x, so the substream is not the main picture squeezed (pick a substream of the same view, or drop detect_url)`,
      { sourceId, sub: `${sub.width}x${sub.height}`, main: `${main.width}x${main.height}` },
    );
  }
}
