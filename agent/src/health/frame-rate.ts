/**
 * A camera's frame rate from the frames it actually delivered. Pure: frames and `nowMs` passed in.
 *
 * Rate = (frames in the window - 1) / the time they span, where the span is measured from the
 * window's first delivered frame to now (so a camera that stops delivering decays towards 0 instead
 * of keeping its last rate) and is never shorter than the video time those frames cover (so a burst
 * of buffered frames delivered at once after a reconnect counts at the rate they were filmed, not
 * the rate they were flushed). The span never starts at a link change: the old rule divided the
 * whole minute's frames by the seconds since reconnecting, which read 97 fps on a lost camera.
 */
export interface DeliveredFrame {
  /** Wall-clock time the frame was delivered. */
  readonly wallMs: number;
  /** The frame's own (video) timestamp. */
  readonly videoMs: number;
  /** Delivery session (a reconnect starts a new one): video time is only compared within one. */
  readonly session: number;
}

/** Frames per second over the last `windowMs`; null before any frame; 0 when fewer than two lie in the window. */
export function deliveredFps(frames: readonly DeliveredFrame[], nowMs: number, windowMs: number): number | null {
  if (frames.length === 0) return null;
  const recent = frames.filter((f) => f.wallMs > nowMs - windowMs && f.wallMs <= nowMs);
  if (recent.length < 2) return 0;
  const wallSpan = nowMs - recent[0]!.wallMs;
  // Video time covered, summed per session: a reconnect restarts the stream's clock.
  let videoSpan = 0;
  for (let i = 1; i < recent.length; i++) {
    const a = recent[i - 1]!;
    const b = recent[i]!;
    if (a.session === b.session && b.videoMs > a.videoMs) videoSpan += Math.min(b.videoMs - a.videoMs, windowMs);
  }
  const span = Math.max(wallSpan, videoSpan);
  return span > 0 ? ((recent.length - 1) * 1000) / span : 0;
}
