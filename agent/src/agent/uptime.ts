/**
 * Camera coverage from the stored health samples: each sample opens a state ('up' or 'down') that
 * lasts until the next sample of that camera. Pure: samples in, per-day up/down milliseconds out,
 * which the roll-up saves into camera_uptime so KPIs can state how much of the day was seen.
 */
export interface HealthSample {
  readonly cameraId: string;
  readonly tMs: number;
  readonly state: string;
  readonly detail?: string | null;
}

/** Detail of the 'down' sample written when the agent itself stops: down time, but no camera outage. */
export const AGENT_STOPPED = 'agent stopped';

export interface UptimeSpan {
  readonly cameraId: string;
  readonly upMs: number;
  readonly downMs: number;
  /** Transitions from up to not-up inside the window, not counting the agent's own stops. */
  readonly outages: number;
}

/**
 * Up and down time of each camera within [fromMs, toMs). `before` is each camera's last sample
 * before the window (its state at fromMs); time before a camera's first known state and after
 * `nowMs` counts as neither. Any state other than 'up' is down time.
 */
export function uptimeInWindow(
  samples: readonly HealthSample[],
  before: ReadonlyMap<string, string>,
  fromMs: number,
  toMs: number,
  nowMs: number,
): UptimeSpan[] {
  const end = Math.min(toMs, nowMs);
  const byCam = new Map<string, HealthSample[]>();
  for (const s of samples) {
    if (s.tMs < fromMs || s.tMs >= toMs) continue;
    const list = byCam.get(s.cameraId) ?? [];
    list.push(s);
    byCam.set(s.cameraId, list);
  }
  for (const cam of before.keys()) if (!byCam.has(cam)) byCam.set(cam, []);
  const out: UptimeSpan[] = [];
  for (const [cameraId, list] of [...byCam].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    list.sort((a, b) => a.tMs - b.tMs);
    let state: string | undefined = before.get(cameraId);
    let at = fromMs;
    let up = 0;
    let down = 0;
    let outages = 0;
    const close = (until: number): void => {
      const span = Math.max(0, Math.min(until, end) - at);
      if (state === 'up') up += span;
      else if (state !== undefined) down += span;
    };
    for (const s of list) {
      close(s.tMs);
      if (state === 'up' && s.state !== 'up' && !(s.detail ?? '').startsWith(AGENT_STOPPED)) outages++;
      state = s.state;
      at = s.tMs;
    }
    close(end);
    out.push({ cameraId, upMs: up, downMs: down, outages });
  }
  return out;
}
