/**
 * ffmpeg / ffprobe invocations as data (habit 9): small named builders returning argv arrays, so
 * tests read the exact command line. Pure: no I/O, no defaults hidden elsewhere.
 */

import { letterboxContent } from '../core/frame.js';

/** Pad colour of the letterbox: 114 grey, the value YOLOv8 was trained with. */
export const LETTERBOX_GREY = 114;

/** Added inside floor() so a pts landing exactly on a bucket edge is not lost to float error. */
const BUCKET_EPSILON = 1e-6;

export interface NetworkInput {
  /** The string for `-i` (see ffmpegInput). */
  readonly input: string;
  /** URL scheme when the input is a stream, undefined for files. */
  readonly scheme: string | undefined;
  /** Socket I/O timeout for streams, microseconds (ffmpeg's unit for `-timeout`). */
  readonly socketTimeoutUs: number;
}

/** Options that go before `-i` so the demuxer/protocol sees them. */
export function networkArgs(src: NetworkInput): string[] {
  switch (src.scheme) {
    case undefined:
      return [];
    case 'rtsp':
    case 'rtsps':
      // TCP: UDP over shop Wi-Fi/VPN loses packets and smears frames; TCP costs a little latency.
      // `-timeout` is the socket option ffmpeg 5.1's RTSP demuxer takes (it refuses -rw_timeout:
      // "Option rw_timeout not found"). It does end a stalled TCP stream, but measured here about
      // 4x its value after the stall (2 s -> 8.4 s, 3 s -> 12.5 s, 5 s -> 20.4 s), so with the
      // default 10 s the agent's watchdog usually acts first.
      return ['-rtsp_transport', 'tcp', '-timeout', String(src.socketTimeoutUs)];
    case 'http':
    case 'https':
      return ['-timeout', String(src.socketTimeoutUs)];
    default:
      return ['-rw_timeout', String(src.socketTimeoutUs)];
  }
}

export interface DecodeInput extends NetworkInput {
  /** Decode keyframes only (`-skip_frame nokey`): the decoder drops the rest unseen. */
  readonly keyframesOnly: boolean;
  /** Read at most this many seconds of input (`-t`). */
  readonly limitSec?: number;
  /** Decoder threads (`-threads`); undefined = ffmpeg's choice. */
  readonly decodeThreads?: number;
  /**
   * `-skip_loop_filter all`: the H.264/HEVC decoder skips its deblocking filter. Only ever set with
   * keyframesOnly: an intra frame is never a reference for the next decoded one there, so the
   * skipped filtering cannot accumulate into drift as it would across P-frames.
   */
  readonly skipLoopFilter?: boolean;
  /** Hardware decoder input options from hwdecode.ts (empty or undefined = CPU decoding). */
  readonly hwDecodeArgs?: readonly string[];
}

export function decodeInputArgs(src: DecodeInput): string[] {
  return [
    ...networkArgs(src),
    ...(src.hwDecodeArgs ?? []),
    ...(src.keyframesOnly ? ['-skip_frame', 'nokey'] : []),
    ...(src.keyframesOnly && src.skipLoopFilter ? ['-skip_loop_filter', 'all'] : []),
    ...(src.decodeThreads !== undefined ? ['-threads', String(src.decodeThreads)] : []),
    ...(src.limitSec !== undefined ? ['-t', String(src.limitSec)] : []),
    '-i',
    src.input,
  ];
}

/** Which decoded frames reach the output. */
export type Selection =
  | { readonly kind: 'all' }
  /** Every Nth decoded frame, counted from 0. */
  | { readonly kind: 'stride'; readonly stride: number }
  /**
   * The first frame in each `intervalSec` bucket of pts measured from the first decoded frame
   * (select's start_t, so a live session's own time origin is used, not the probe's). Used for a
   * target fps and for keyframe mode (where frame numbers no longer count source frames), and it
   * keeps each frame's true pts, unlike the fps filter, which retimes frames.
   */
  | { readonly kind: 'bucket'; readonly intervalSec: number };

/** Filtergraph level escaping: a comma inside an expression would otherwise end the filter. */
function escapeCommas(expr: string): string {
  return expr.replace(/,/g, '\\,');
}

export function selectFilters(sel: Selection): string[] {
  switch (sel.kind) {
    case 'all':
      return [];
    case 'stride':
      return sel.stride === 1 ? [] : [`select=${escapeCommas(`not(mod(n,${sel.stride}))`)}`];
    case 'bucket': {
      const bucket = (t: string): string => `floor((${t}-start_t)/${sel.intervalSec}+${BUCKET_EPSILON})`;
      return [`select=${escapeCommas(`isnan(prev_selected_t)+gt(${bucket('t')},${bucket('prev_selected_t')})`)}`];
    }
  }
}

/**
 * Output size: letterboxed into the model's input, or the source's own size. `picture` is the size
 * whose shape the scene really has when the decoded stream is squeezed (an anamorphic substream:
 * 704x576 of a 16:9 camera); the stream is scaled to that shape inside the letterbox, so the frame
 * has square pixels again and one letterbox scale maps it onto the main stream.
 */
export type OutputSize =
  | { readonly kind: 'letterbox'; readonly width: number; readonly height: number; readonly picture?: { readonly width: number; readonly height: number } }
  | { readonly kind: 'native'; readonly width: number; readonly height: number };

/**
 * Scale + pad to the model size, in rgb24 before padding so the pad offset is not rounded to chroma
 * subsampling. `force_original_aspect_ratio=decrease` picks the same size as core/frame.ts
 * letterboxFor; pad truncates the centring offset as letterboxFor floors it. Bilinear: what the
 * YOLO letterbox (cv2 INTER_LINEAR) uses, and cheaper than swscale's bicubic default.
 * The native branch still names the size, so a stream that changes resolution mid-way keeps the
 * fixed frame size the reader relies on.
 */
export function sizeFilters(size: OutputSize): string[] {
  if (size.kind === 'native') return [`scale=${size.width}:${size.height}:flags=bilinear`, 'format=rgb24'];
  const grey = LETTERBOX_GREY.toString(16).padStart(2, '0');
  const content = size.picture ? letterboxContent(size.picture.width, size.picture.height, size.width, size.height) : null;
  return [
    content ? `scale=${content.w}:${content.h}:flags=bilinear` : `scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease:flags=bilinear`,
    'format=rgb24',
    `pad=${size.width}:${size.height}:(ow-iw)/2:(oh-ih)/2:color=0x${grey}${grey}${grey}`,
  ];
}

/** Instance names of the two showinfo filters; the stderr parser keys on them. */
export const SHOWINFO_DECODED = 'showinfo@dec';
export const SHOWINFO_OUTPUT = 'showinfo@out';

/**
 * The whole video filtergraph. showinfo before the selection counts decoded frames and the last
 * pts the decoder reached (how far a truncated file got); showinfo after it gives the true pts of
 * every output frame. Checksums off: they cost a pass over each frame.
 */
export function decodeFilterGraph(sel: Selection, size: OutputSize): string {
  return [`${SHOWINFO_DECODED}=checksum=0`, ...selectFilters(sel), `${SHOWINFO_OUTPUT}=checksum=0`, ...sizeFilters(size)].join(',');
}

/** Raw rgb24 to stdout. passthrough: never duplicate or drop frames to fake a constant rate. */
export function rawOutputArgs(): string[] {
  return ['-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
}

/** showinfo logs at level info; -nostats keeps the progress line out of the stream we parse. */
export function ffmpegGlobalArgs(): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info'];
}

export interface DecodeCommand extends DecodeInput {
  readonly selection: Selection;
  readonly size: OutputSize;
}

export function decodeArgv(cmd: DecodeCommand): string[] {
  return [...ffmpegGlobalArgs(), ...decodeInputArgs(cmd), '-map', '0:v:0', '-vf', decodeFilterGraph(cmd.selection, cmd.size), ...rawOutputArgs()];
}

/** ffprobe: container and first video stream as JSON. */
export function probeArgv(src: NetworkInput): string[] {
  return [
    '-hide_banner',
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    '-select_streams',
    'v:0',
    ...networkArgs(src),
    '-i',
    src.input,
  ];
}

/**
 * ffprobe: pts and flags of the video packets in the first `windowSec` seconds. Packets, not frames:
 * the keyframe flag is in the container, so nothing is decoded and a file probe costs milliseconds.
 */
export function keyframeProbeArgv(src: NetworkInput, windowSec: number): string[] {
  return [
    '-hide_banner',
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,dts_time,flags',
    '-of',
    'csv=p=0',
    '-read_intervals',
    `%+${windowSec}`,
    ...networkArgs(src),
    '-i',
    src.input,
  ];
}

/** One still image (JPEG/PNG/...) letterboxed like a video frame. */
export function imageArgv(input: string, size: OutputSize): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    input,
    '-frames:v',
    '1',
    '-vf',
    sizeFilters(size).join(','),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
}
