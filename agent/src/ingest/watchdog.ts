/**
 * The one frame watchdog (issue 14 item 10): a source that delivers no frame in time is ended with
 * FS_SOURCE_UNREACHABLE, since a stalled camera can keep its TCP connection open forever. It lives
 * in ingest, where frames arrive from ffmpeg, so every path over openSource has it: the agent's
 * live cameras (through analyzeSource) and `floorsense analyze rtsp://...` alike.
 *
 * Allowances: until the first frame, connectAllowanceSec (ffmpeg's start and the stream's first
 * keyframe take seconds on a busy box, which is not a stalled camera); once frames flow, the
 * socket timeout (rtsp_timeout_s) plus the source's usual gap between frames (stallAllowanceSec),
 * capped by the watchdog's own seconds.
 */

/** Seconds a new session may take to deliver its first frame. */
export function connectAllowanceSec(watchdogSec: number): number {
  return Math.max(2 * watchdogSec, watchdogSec + 15);
}

/**
 * Seconds a delivering session may go without a frame: the socket timeout (rtsp_timeout_s) plus the
 * longest gap between its recent frames (the sampling interval, a keyframe interval, the pipeline's
 * own pauses), capped by watchdog_s; watchdog_s alone until two frames have shown the gap.
 * ffmpeg's own -timeout ends a stalled RTSP/TCP read only after about 4-6x its value on ffmpeg 5.1
 * (it retries the read; agent/bench/rtsp-stall-timeout.ts), and -rw_timeout is refused for RTSP,
 * so this is what keeps a stall within the setting.
 */
export function stallAllowanceSec(watchdogSec: number, socketTimeoutSec: number | undefined, gapSec: number | null): { sec: number; why: string } {
  if (socketTimeoutSec === undefined || gapSec === null || socketTimeoutSec + gapSec >= watchdogSec) return { sec: watchdogSec, why: 'watchdog_s' };
  return { sec: socketTimeoutSec + gapSec, why: `rtsp_timeout_s ${formatSec(socketTimeoutSec)} s + ${formatSec(gapSec)} s between frames: the stream stalled` };
}

const GAP_WINDOW = 8;

/**
 * The longest gap between the last GAP_WINDOW frames, in wall time or in video time (whichever is
 * longer: frames read in a burst at connect are close in wall time but a sampling interval apart in
 * video time). Null until a second frame.
 */
export function frameGaps(): { next(wallMs: number, ptsSec: number): number | null } {
  const seen: Array<{ wallMs: number; ptsSec: number }> = [];
  return {
    next(wallMs, ptsSec) {
      seen.push({ wallMs, ptsSec });
      if (seen.length > GAP_WINDOW + 1) seen.shift();
      let gap: number | null = null;
      for (let i = 1; i < seen.length; i++) {
        const wall = (seen[i]!.wallMs - seen[i - 1]!.wallMs) / 1000;
        const video = seen[i]!.ptsSec - seen[i - 1]!.ptsSec;
        gap = Math.max(gap ?? 0, wall, Number.isFinite(video) ? video : 0);
      }
      return gap;
    },
  };
}

export interface FrameWatchdog {
  /** A frame arrived: re-arm with the stall allowance. */
  frame(ptsSec: number): void;
  /** Waiting on the consumer is not the source's fault: sleep until resume(). */
  pause(): void;
  resume(): void;
  clear(): void;
}

/**
 * Arms at once with the connect allowance; `onFire` gets "watchdog: no frame for N s (why)".
 * `now` is a monotonic or wall clock in milliseconds, for the gaps between frames.
 */
export function frameWatchdog(
  watchdogSec: number,
  socketTimeoutSec: number | undefined,
  onFire: (reason: string, sec: number) => void,
  now: () => number = () => performance.now(),
): FrameWatchdog {
  const gaps = frameGaps();
  let timer: NodeJS.Timeout | undefined;
  let current = { sec: connectAllowanceSec(watchdogSec), why: 'connecting' };
  const arm = (): void => {
    clearTimeout(timer);
    const { sec, why } = current;
    timer = setTimeout(() => onFire(`watchdog: no frame for ${formatSec(sec)} s (${why})`, sec), sec * 1000);
  };
  arm();
  return {
    frame(ptsSec) {
      current = stallAllowanceSec(watchdogSec, socketTimeoutSec, gaps.next(now(), ptsSec));
      arm();
    },
    pause: () => clearTimeout(timer),
    resume: arm,
    clear: () => clearTimeout(timer),
  };
}

function formatSec(sec: number): string {
  return Number.isInteger(sec) ? String(sec) : sec.toFixed(1);
}
