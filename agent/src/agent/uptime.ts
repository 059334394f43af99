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

/** Samples of each camera inside [fromMs, toMs), oldest first; cameras known only from `before` get none. */
function byCamera(samples: readonly HealthSample[], before: ReadonlyMap<string, string>, fromMs: number, toMs: number): Array<[string, HealthSample[]]> {
  const byCam = new Map<string, HealthSample[]>();
  for (const s of samples) {
    if (s.tMs < fromMs || s.tMs >= toMs) continue;
    const list = byCam.get(s.cameraId) ?? [];
    list.push(s);
    byCam.set(s.cameraId, list);
  }
  for (const cam of before.keys()) if (!byCam.has(cam)) byCam.set(cam, []);
  for (const list of byCam.values()) list.sort((a, b) => a.tMs - b.tMs);
  return [...byCam].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/**
 * The one walk over a camera's states: `span(state, from, to)` for each stretch in [fromMs, end)
 * (state undefined before the first known one), `change(prev, sample)` at each sample.
 */
function walkStates(
  list: readonly HealthSample[],
  initial: string | undefined,
  fromMs: number,
  end: number,
  span: (state: string | undefined, from: number, to: number) => void,
  change: (prev: string | undefined, s: HealthSample) => void = () => {},
): void {
  let state = initial;
  let at = fromMs;
  for (const s of list) {
    if (Math.min(s.tMs, end) > at) span(state, at, Math.min(s.tMs, end));
    change(state, s);
    state = s.state;
    at = Math.max(at, s.tMs);
  }
  if (end > at) span(state, at, end);
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
  return byCamera(samples, before, fromMs, toMs).map(([cameraId, list]) => {
    let up = 0;
    let down = 0;
    let outages = 0;
    walkStates(
      list,
      before.get(cameraId),
      fromMs,
      end,
      (state, a, b) => {
        if (state === 'up') up += b - a;
        else if (state !== undefined) down += b - a;
      },
      (prev, s) => {
        if (prev === 'up' && s.state !== 'up' && !(s.detail ?? '').startsWith(AGENT_STOPPED)) outages++;
      },
    );
    return { cameraId, upMs: up, downMs: down, outages };
  });
}

/**
 * When each camera saw nothing within [fromMs, toMs): its 'down' stretches, the agent's own stops
 * included (no frames either way), as [start, end) epoch ms, adjacent ones merged. 'degraded' still
 * delivers frames and is not downtime. The scene stitcher takes these as known absence of sight
 * (scene/stitch.ts downtime), as `<camera>.json`'s `downtime` gives them to `report`.
 */
export function downtimeInWindow(
  samples: readonly HealthSample[],
  before: ReadonlyMap<string, string>,
  fromMs: number,
  toMs: number,
): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const [cameraId, list] of byCamera(samples, before, fromMs, toMs)) {
    const spans: Array<[number, number]> = [];
    walkStates(list, before.get(cameraId), fromMs, toMs, (state, a, b) => {
      if (state !== 'down') return;
      const last = spans[spans.length - 1];
      if (last && last[1] === a) last[1] = b;
      else spans.push([a, b]);
    });
    if (spans.length > 0) out.set(cameraId, spans);
  }
  return out;
}
