/**
 * What ffprobe says about a source, as plain data, and the pure functions that derive it from
 * ffprobe's JSON and packet list.
 */
import { z } from 'zod';

export interface SourceInfo {
  /** The URL or path as given. */
  readonly url: string;
  /** A camera stream (rtsp, rtsps, http, ...): timestamps come from the wall clock. */
  readonly isLive: boolean;
  /** Frame size after any rotation metadata is applied (what ffmpeg decodes to). */
  readonly width: number;
  readonly height: number;
  /** Average frame rate of the video stream (avg_frame_rate, else r_frame_rate). */
  readonly fps: number;
  /** Video stream duration, else container duration; undefined for live streams. */
  readonly durationSec?: number;
  /** Container start time (pts of the first packet), 0 when absent. Frame ptsSec is relative to it. */
  readonly startTimeSec: number;
  readonly codec: string;
  /** Frame count from the container index, when it has one. */
  readonly frameCount?: number;
  /**
   * Longest keyframe interval seen in the probe window, seconds. Undefined when fewer than two
   * keyframes fell inside the window (a GOP longer than the window, or a stream with one keyframe).
   */
  readonly gopSec?: number;
  /** Container creation_time tag as UTC epoch ms (cameras write the recording start here). */
  readonly creationTimeMs?: number;
}

const streamSchema = z
  .object({
    codec_type: z.string().optional(),
    codec_name: z.string().optional(),
    width: z.number().optional(),
    height: z.number().optional(),
    avg_frame_rate: z.string().optional(),
    r_frame_rate: z.string().optional(),
    duration: z.string().optional(),
    nb_frames: z.string().optional(),
    side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .loose();

const probeSchema = z
  .object({
    streams: z.array(streamSchema).optional(),
    format: z
      .object({
        format_name: z.string().optional(),
        start_time: z.string().optional(),
        duration: z.string().optional(),
        tags: z.record(z.string(), z.string()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type ProbeJson = z.infer<typeof probeSchema>;

/** Parse ffprobe's JSON text; undefined when it is not the shape ffprobe writes. */
export function parseProbeJson(text: string): ProbeJson | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = probeSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** "30000/1001" -> 29.97; "0/0", "N/A" and garbage -> undefined. */
export function parseRate(rate: string | undefined): number | undefined {
  if (rate === undefined) return undefined;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(rate.trim());
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  return num > 0 && den > 0 ? num / den : undefined;
}

function parseSeconds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

function parseCreationTime(tags: Record<string, string> | undefined): number | undefined {
  const v = tags?.creation_time;
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  // Muxers that know no date write the epoch (1970 or 1904): that is "unknown", not a date.
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Why a probe result is not usable, for the caller to turn into a coded error. */
export type InfoProblem = 'no-video-stream' | 'no-size' | 'no-frame-rate';

/** SourceInfo from ffprobe's JSON (GOP filled in separately), or what is missing. */
export function sourceInfoFromProbe(url: string, isLive: boolean, probe: ProbeJson): SourceInfo | InfoProblem {
  const video = (probe.streams ?? []).find((s) => s.codec_type === 'video');
  if (!video) return 'no-video-stream';
  if (!video.width || !video.height) return 'no-size';
  const fps = parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate);
  if (fps === undefined) return 'no-frame-rate';
  // ffmpeg auto-rotates on decode: a quarter turn swaps the size the frames come out at.
  const rotation = video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0;
  const quarterTurn = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  const duration = isLive ? undefined : (parseSeconds(video.duration) ?? parseSeconds(probe.format?.duration));
  const frames = parseSeconds(video.nb_frames);
  const creation = parseCreationTime(probe.format?.tags) ?? parseCreationTime(video.tags);
  return {
    url,
    isLive,
    width: quarterTurn ? video.height : video.width,
    height: quarterTurn ? video.width : video.height,
    fps,
    ...(duration !== undefined && duration > 0 ? { durationSec: duration } : {}),
    startTimeSec: parseSeconds(probe.format?.start_time) ?? 0,
    codec: video.codec_name ?? 'unknown',
    ...(frames !== undefined && frames > 0 ? { frameCount: frames } : {}),
    ...(creation !== undefined ? { creationTimeMs: creation } : {}),
  };
}

/** Keyframe pts from one line of `-show_entries packet=pts_time,dts_time,flags -of csv=p=0`. */
export function keyframePtsFromCsvLine(line: string): number | undefined {
  const fields = line.trim().split(',');
  // flags is the third column; packets with side data (RTSP from GStreamer) add an empty fourth.
  if (fields.length < 3 || !fields[2]!.includes('K')) return undefined;
  return parseSeconds(fields[0]) ?? parseSeconds(fields[1]);
}

/** Longest gap between consecutive distinct keyframe times; undefined with fewer than two. */
export function gopFromKeyframes(pts: readonly number[]): number | undefined {
  const sorted = [...new Set(pts)].sort((a, b) => a - b);
  let gop: number | undefined;
  for (let i = 1; i < sorted.length; i++) gop = Math.max(gop ?? 0, sorted[i]! - sorted[i - 1]!);
  return gop;
}
