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

/**
 * The usual substream URLs of a main-stream URL, most likely first, from the URL schemes of the
 * common cameras and NVRs (vendor documentation): Hikvision `/Streaming/Channels/101` → `102`
 * and `/h264/ch1/main/av_stream` → `sub`; Dahua / Amcrest `subtype=0` → `1`; Reolink
 * `h264Preview_01_main` → `_sub`; Uniview `/media/video1` → `video2`; Axis `?resolution=` dropped
 * for the camera's low profile is not guessable, so not tried; and the generic `stream1` →
 * `stream2`, `main` → `sub` (TP-Link, many white-label boxes). Credentials and the rest of the URL
 * are kept as they are. Pure: `floorsense setup` probes each in turn and keeps the first that answers.
 */
export function substreamCandidates(mainUrl: string): string[] {
  const out: string[] = [];
  const add = (u: string): void => {
    if (u !== mainUrl && !out.includes(u)) out.push(u);
  };
  // Hikvision: channel N, stream 01 = main, 02 = sub (also /ISAPI/Streaming/channels/101).
  add(mainUrl.replace(/(\/Streaming\/Channels\/\d*?)01(?=$|[/?#])/i, '$102'));
  add(mainUrl.replace(/(\/ch\d+\/)main(\/)/i, '$1sub$2'));
  // Dahua, Amcrest, Lorex: cam/realmonitor?channel=1&subtype=0.
  add(mainUrl.replace(/([?&]subtype=)0(?=$|&)/i, '$11'));
  // Reolink: h264Preview_01_main / h265Preview_01_main.
  add(mainUrl.replace(/(Preview_\d+_)main\b/i, '$1sub'));
  // Uniview: /media/video1 → /media/video2.
  add(mainUrl.replace(/(\/media\/video)1(?=$|[/?#])/i, '$12'));
  // Generic: stream1 → stream2, ch0_0 → ch0_1, main → sub, mainstream → substream.
  add(mainUrl.replace(/(stream)1(?=$|[/?#.])/i, '$12'));
  add(mainUrl.replace(/(ch\d+_)0(?=$|[/?#.])/i, '$11'));
  add(mainUrl.replace(/\bmainstream\b/i, 'substream'));
  add(mainUrl.replace(/(\/|_)main(?=$|[/?#._])/i, '$1sub'));
  return out;
}

/** A main stream this large is worth detecting on a substream (decode cost grows with pixels). */
export function wantsSubstream(main: PixelSize): boolean {
  return main.height >= 1080 || main.width >= 1920;
}
