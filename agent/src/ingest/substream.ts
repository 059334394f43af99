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
