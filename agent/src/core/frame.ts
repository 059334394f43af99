/**
 * A decoded, sampled video frame as it leaves ingest. Plain data, no behaviour.
 */

/** How a source image was fitted into the model's square input (letterbox, centred padding). */
export interface Letterbox {
  /** Source image size in pixels. */
  readonly srcWidth: number;
  readonly srcHeight: number;
  /** Destination (model input) size in pixels. */
  readonly dstWidth: number;
  readonly dstHeight: number;
  /** dst pixels per src pixel (same on both axes). */
  readonly scale: number;
  /** Padding added on the left and top, in dst pixels. */
  readonly padX: number;
  readonly padY: number;
}

export interface Frame {
  /** Camera / source id from config (or the file name for ad-hoc runs). */
  readonly sourceId: string;
  /** 0-based index of this frame in the source's decoded frame sequence. */
  readonly index: number;
  /** Presentation time in seconds from the start of the source. */
  readonly ptsSec: number;
  /** UTC epoch milliseconds: file start time + pts, or wall clock for live streams. */
  readonly timestampMs: number;
  /** Pixel layout of `data`: packed RGB24, `width * height * 3` bytes. */
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** How `data` maps back to source pixels. Identity (scale 1, no pad) when not letterboxed. */
  readonly letterbox: Letterbox;
}

/** Letterbox geometry for fitting srcW x srcH into dstW x dstH, keeping aspect, centred. */
export function letterboxFor(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): Letterbox {
  const scale = Math.min(dstWidth / srcWidth, dstHeight / srcHeight);
  // The scaled size as ffmpeg's `scale=W:H:force_original_aspect_ratio=decrease` computes it
  // (nearest integer of one integer ratio, no rounding to even in rgb24), so the letterbox done
  // inside ffmpeg by ingest and this geometry agree to the pixel. `pad` then truncates the centring
  // offset, hence the floors.
  const { w, h } = letterboxContent(srcWidth, srcHeight, dstWidth, dstHeight);
  const padX = Math.floor((dstWidth - w) / 2);
  const padY = Math.floor((dstHeight - h) / 2);
  return { srcWidth, srcHeight, dstWidth, dstHeight, scale, padX, padY };
}

/** The size the picture is scaled to inside the letterbox (the part that is not padding), as ffmpeg computes it. */
export function letterboxContent(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): { w: number; h: number } {
  return {
    w: Math.min(dstWidth, Math.round((dstHeight * srcWidth) / srcHeight)),
    h: Math.min(dstHeight, Math.round((dstWidth * srcHeight) / srcWidth)),
  };
}
