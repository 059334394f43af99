/**
 * Per-camera health as a pure state machine: plain immutable values in, new values out, every
 * instant passed in (frame timestamps and an injected `nowMs`), so a whole day of camera life can
 * be scripted in a test without a clock or a camera.
 *
 * Link states: connecting (never delivered yet) -> up <-> reconnecting -> down. Any time not `up`
 * is downtime. While not up, the reported state names the cause of the last loss when it is known
 * (unreachable, stalled, decode_error; see ingest/failures.ts lossCause), else reconnecting. Downtime and is recorded as an interval; coverage (the share of a period a camera was up) is
 * computed from those intervals and is what KPIs state beside their numbers.
 *
 * Image conditions, only judged while frames arrive: frozen (no byte change, see image-checks.ts),
 * black (dark), blank (featureless: no-signal screens, a lens pressed against a wall, overexposure)
 * and pointing at nothing (no person for an unusually long time during opening hours).
 */
import { changedBlockFraction, type ImageSignature } from './image-checks.js';
import type { LossCause } from '../ingest/failures.js';
import { openingIntervalAt, type OpeningHours } from './opening-hours.js';

export type LinkState = 'connecting' | 'up' | 'reconnecting' | 'down';
export type CameraState =
  | 'up'
  | 'connecting'
  | 'reconnecting'
  | 'unreachable'
  | 'stalled'
  | 'decode_error'
  | 'down'
  | 'frozen'
  | 'black'
  | 'blank'
  | 'no_person';

/** Worst first: what `state` reports when several conditions hold. */
export const STATE_SEVERITY: readonly CameraState[] = [
  'down',
  'unreachable',
  'stalled',
  'decode_error',
  'reconnecting',
  'connecting',
  'frozen',
  'black',
  'blank',
  'no_person',
  'up',
];

export interface CameraThresholds {
  /** Up but no frame for this long: the source has gone silent, count it as reconnecting. */
  readonly stale_after_s: number;
  /** Connecting or reconnecting for this long: the camera is down. */
  readonly down_after_s: number;
  /** Frames unchanged (see frozen_changed_blocks_max) for this long of video time: frozen. */
  readonly frozen_after_s: number;
  /** Largest fraction of hash blocks allowed to differ between "unchanged" frames (0 = byte-identical). */
  readonly frozen_changed_blocks_max: number;
  /** Mean luma at or below this (0-255) is a black image. */
  readonly black_mean_max: number;
  /** Luma standard deviation at or below this is a blank (featureless) image. */
  readonly blank_std_max: number;
  /** A black or blank image must last this long before it is reported (passing shadows, lights switched). */
  readonly image_problem_after_s: number;
  /** No person detected for this long while the shop is open: pointing at nothing. */
  readonly no_person_after_s: number;
  /** Downtime intervals that ended longer ago than this are forgotten (bounds memory). */
  readonly history_s: number;
}

export const DEFAULT_CAMERA_THRESHOLDS: CameraThresholds = Object.freeze({
  stale_after_s: 20,
  down_after_s: 120,
  frozen_after_s: 60,
  frozen_changed_blocks_max: 0.01,
  black_mean_max: 16,
  blank_std_max: 4,
  image_problem_after_s: 10,
  no_person_after_s: 2 * 3600,
  history_s: 8 * 86_400,
});

export interface DowntimeInterval {
  readonly startMs: number;
  /** null while the camera is still not up. */
  readonly endMs: number | null;
}

export interface CameraHealth {
  readonly cameraId: string;
  readonly link: LinkState;
  readonly linkSinceMs: number;
  readonly monitoredSinceMs: number;
  readonly lastFrameMs: number | null;
  readonly frames: number;
  /** Why the link was last lost; null while up or before any loss. */
  readonly lossCause: LossCause | null;
  /** Oldest first; at most the last one is open. */
  readonly downtime: readonly DowntimeInterval[];
  readonly lastSignature: ImageSignature | null;
  /** Timestamp of the first frame of the current run of unchanged frames. */
  readonly unchangedSinceMs: number | null;
  readonly darkSinceMs: number | null;
  readonly flatSinceMs: number | null;
  readonly lastPersonMs: number | null;
}

export interface FrameObservation {
  readonly timestampMs: number;
  readonly signature: ImageSignature;
  /** People detected in this frame. */
  readonly persons: number;
}

export interface Problem {
  readonly state: Exclude<CameraState, 'up'>;
  readonly sinceMs: number;
  readonly message: string;
}

export interface CameraAssessment {
  readonly cameraId: string;
  readonly state: CameraState;
  readonly sinceMs: number;
  readonly lastFrameMs: number | null;
  /** Every condition that holds now, worst first. */
  readonly problems: readonly Problem[];
}

/** Where the health check needs to know whether the shop is open. */
export interface ShopHours {
  readonly hours: OpeningHours;
  readonly timeZone: string;
}

export function newCameraHealth(cameraId: string, nowMs: number): CameraHealth {
  return {
    cameraId,
    link: 'connecting',
    linkSinceMs: nowMs,
    monitoredSinceMs: nowMs,
    lastFrameMs: null,
    frames: 0,
    lossCause: null,
    downtime: [{ startMs: nowMs, endMs: null }],
    lastSignature: null,
    unchangedSinceMs: null,
    darkSinceMs: null,
    flatSinceMs: null,
    lastPersonMs: null,
  };
}

function closeDowntime(list: readonly DowntimeInterval[], endMs: number): readonly DowntimeInterval[] {
  const last = list[list.length - 1];
  if (!last || last.endMs !== null) return list;
  return [...list.slice(0, -1), { startMs: last.startMs, endMs: Math.max(endMs, last.startMs) }];
}

function openDowntime(list: readonly DowntimeInterval[], startMs: number): readonly DowntimeInterval[] {
  const last = list[list.length - 1];
  if (last && last.endMs === null) return list;
  return [...list, { startMs, endMs: null }];
}

/** A frame arrived: the camera is up, and its picture is judged. */
export function onFrame(h: CameraHealth, obs: FrameObservation, t: CameraThresholds): CameraHealth {
  const ts = obs.timestampMs;
  const sig = obs.signature;
  const unchanged = h.lastSignature !== null && changedBlockFraction(h.lastSignature, sig) <= t.frozen_changed_blocks_max;
  const dark = sig.meanLuma <= t.black_mean_max;
  const flat = !dark && sig.stdLuma <= t.blank_std_max;
  const wasUp = h.link === 'up';
  return {
    ...h,
    link: 'up',
    linkSinceMs: wasUp ? h.linkSinceMs : ts,
    lastFrameMs: ts,
    frames: h.frames + 1,
    lossCause: null,
    downtime: wasUp ? h.downtime : closeDowntime(h.downtime, ts),
    lastSignature: sig,
    unchangedSinceMs: unchanged ? (h.unchangedSinceMs ?? ts) : ts,
    darkSinceMs: dark ? (h.darkSinceMs ?? ts) : null,
    flatSinceMs: flat ? (h.flatSinceMs ?? ts) : null,
    lastPersonMs: obs.persons > 0 ? ts : h.lastPersonMs,
  };
}

/**
 * The source failed (ffmpeg exited, RTSP dropped) and ingest is reconnecting. The downtime starts
 * at the last frame seen, since that is when the picture actually stopped.
 */
export function onSourceLost(h: CameraHealth, nowMs: number, cause?: LossCause): CameraHealth {
  // Not up: no new downtime, but a failed attempt that says why (a refused connection) is kept.
  if (h.link !== 'up') return cause === undefined || h.lossCause === cause ? h : { ...h, lossCause: cause };
  const start = h.lastFrameMs !== null ? Math.min(h.lastFrameMs, nowMs) : nowMs;
  return { ...h, link: 'reconnecting', linkSinceMs: start, lossCause: cause ?? 'ended', downtime: openDowntime(h.downtime, start) };
}

/** Time passes: silent sources become reconnecting, long outages become down, old history is dropped. */
export function onTick(h: CameraHealth, nowMs: number, t: CameraThresholds): CameraHealth {
  let next = h;
  if (next.link === 'up' && next.lastFrameMs !== null && nowMs - next.lastFrameMs >= t.stale_after_s * 1000) next = onSourceLost(next, nowMs, 'stalled');
  if ((next.link === 'reconnecting' || next.link === 'connecting') && nowMs - next.linkSinceMs >= t.down_after_s * 1000) {
    next = { ...next, link: 'down' };
  }
  const horizon = nowMs - t.history_s * 1000;
  if (next.downtime.some((d) => d.endMs !== null && d.endMs < horizon)) {
    next = { ...next, downtime: next.downtime.filter((d) => d.endMs === null || d.endMs >= horizon) };
  }
  return next;
}

const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;

const CAUSE_TEXT: Record<LossCause, string> = {
  unreachable: 'the camera does not answer (address, power, network or credentials)',
  stalled: 'the stream stalled (connected, no data)',
  decode_error: 'its video cannot be decoded',
  ended: 'the camera closed the stream',
};

/** Down (past down_after_s) stays down; before that the state is the cause when one is known. */
function linkProblemState(h: CameraHealth): Exclude<CameraState, 'up'> {
  if (h.link === 'down' || h.link === 'up') return 'down';
  if (h.lossCause === null || h.lossCause === 'ended') return h.link;
  return h.lossCause;
}

/** What is wrong with the camera at `nowMs`, worst first; `state` is the worst, or 'up'. */
export function assessCamera(h: CameraHealth, nowMs: number, t: CameraThresholds, shop?: ShopHours): CameraAssessment {
  const id = h.cameraId;
  const problems: Problem[] = [];
  if (h.link !== 'up') {
    const d = secs(nowMs - h.linkSinceMs);
    const why = h.lossCause === null ? '' : `: ${CAUSE_TEXT[h.lossCause]}`;
    const what =
      h.link === 'connecting'
        ? `has sent no frame yet (${d} since start)${why}`
        : h.link === 'down'
          ? `is down (no frames) for ${d}${why}`
          : `lost its stream ${d} ago${why}, reconnecting`;
    problems.push({ state: linkProblemState(h), sinceMs: h.linkSinceMs, message: `camera "${id}" ${what}` });
  } else if (h.lastFrameMs !== null) {
    const last = h.lastFrameMs;
    if (h.unchangedSinceMs !== null && last - h.unchangedSinceMs >= t.frozen_after_s * 1000) {
      problems.push({
        state: 'frozen',
        sinceMs: h.unchangedSinceMs,
        message: `camera "${id}" image frozen (no pixel change) for ${secs(last - h.unchangedSinceMs)}`,
      });
    }
    if (h.darkSinceMs !== null && last - h.darkSinceMs >= t.image_problem_after_s * 1000) {
      problems.push({
        state: 'black',
        sinceMs: h.darkSinceMs,
        message: `camera "${id}" image black (mean luma ${h.lastSignature?.meanLuma.toFixed(1)}) for ${secs(last - h.darkSinceMs)}`,
      });
    }
    if (h.flatSinceMs !== null && last - h.flatSinceMs >= t.image_problem_after_s * 1000) {
      problems.push({
        state: 'blank',
        sinceMs: h.flatSinceMs,
        message: `camera "${id}" image blank (luma spread ${h.lastSignature?.stdLuma.toFixed(1)}) for ${secs(last - h.flatSinceMs)}`,
      });
    }
    const open = shop ? openingIntervalAt(nowMs, shop.hours, shop.timeZone) : null;
    if (open) {
      const since = Math.max(h.lastPersonMs ?? -Infinity, open[0], h.monitoredSinceMs);
      if (nowMs - since >= t.no_person_after_s * 1000) {
        problems.push({
          state: 'no_person',
          sinceMs: since,
          message: `camera "${id}" saw no person for ${secs(nowMs - since)} while the shop is open: is it pointing at the scene?`,
        });
      }
    }
  }
  problems.sort((a, b) => STATE_SEVERITY.indexOf(a.state) - STATE_SEVERITY.indexOf(b.state));
  const worst = problems[0];
  return {
    cameraId: id,
    state: worst ? worst.state : 'up',
    sinceMs: worst ? worst.sinceMs : h.linkSinceMs,
    lastFrameMs: h.lastFrameMs,
    problems,
  };
}

/**
 * Share of [fromMs, min(toMs, nowMs)) the camera was up, in [0, 1]; time before monitoring began
 * counts as not up (nothing was watched). null when the period has not started.
 */
export function cameraCoverage(h: CameraHealth, fromMs: number, toMs: number, nowMs: number): number | null {
  const end = Math.min(toMs, nowMs);
  if (!(end > fromMs)) return null;
  const overlap = (a: number, b: number): number => Math.max(0, Math.min(b, end) - Math.max(a, fromMs));
  let up = overlap(h.monitoredSinceMs, nowMs);
  for (const d of h.downtime) up -= overlap(d.startMs, d.endMs ?? nowMs);
  return Math.min(1, Math.max(0, up / (end - fromMs)));
}
