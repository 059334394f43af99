/**
 * What FloorSense would see of the simulated day: per camera, the track stream a real detector and
 * tracker produce, with their failures: missed detections, box jitter, occlusion episodes, tracks
 * that fragment after gaps longer than the tracker's max age, spontaneous id changes, id switches
 * when two people pass close, short false tracks, sampling every Nth frame and camera outages.
 */
import type { MotRow } from '../io/mot.js';
import type { CameraTimebase } from '../scene/observations.js';
import type { DayPlan } from './day.js';
import type { Layout, SimCamera } from './layout.js';
import { positionAt } from './path.js';
import type { Rng } from './prng.js';
import type { NoiseConfig } from './scenario.js';

export interface CameraStream {
  readonly camera: string;
  readonly timebase: CameraTimebase;
  readonly rows: MotRow[];
  /** Track id -> the true label most of its rows belong to (`seller:…`, `customer:…`, `false`). */
  readonly labels: Map<number, string>;
  /** Track id -> the true label of its last row (after an id switch, the person it ended on). */
  readonly lastLabels: Map<number, string>;
  /**
   * `<frame>:<track id>` -> the true label of that row: who a track follows changes at an id
   * switch, so scoring a piece of a track by the track's majority label credits the wrong person
   * (rowLabelOf).
   */
  readonly rowLabels: Map<string, string>;
  /** Track id -> appearance embedding, when the scenario asks for them (sim/appearance.ts). */
  readonly embeddings?: ReadonlyMap<number, Float32Array>;
  /** Track id -> mean torso colour, when the scenario asks for them (sim/colors.ts). */
  readonly colors?: ReadonlyMap<number, readonly [number, number, number]>;
  readonly outages: Array<[number, number]>;
  /** The outages as the ingest sees them: [start, end) epoch milliseconds (CameraTracks.downtime). */
  readonly downtime: Array<[number, number]>;
  /** Id switches made, and how many of them involved a seller. */
  readonly switches: { all: number; withSeller: number };
}

export interface ObserveOptions {
  readonly fps: number;
  readonly stride: number;
  readonly noise: NoiseConfig;
}

interface TrackState {
  id: number;
  lastT: number;
}

export function observeDay(plan: DayPlan, layout: Layout, o: ObserveOptions, rng: Rng): CameraStream[] {
  const dt = o.stride / o.fps;
  const n = o.noise;
  const start = plan.open - 300;
  const lastEnd = Math.max(...plan.persons.map((p) => p.points[p.points.length - 1]!.t));
  const end = Math.max(plan.close, lastEnd) + 60;
  const frames = Math.floor((end - start) / dt) + 1;
  const cams = layout.cameras;
  const strip = layout.width / cams.length;
  const camOf = (x: number): number => Math.min(cams.length - 1, Math.max(0, Math.floor(x / strip)));

  const outages: Array<Array<[number, number]>> = cams.map(() => []);
  for (let i = 0; i < n.outages.count; i++) {
    const len = n.outages.minutes * 60;
    const a = rng.uniform(plan.open, Math.max(plan.open, plan.close - len));
    outages[rng.int(0, cams.length - 1)]!.push([a, a + len]);
  }

  const persons = [...plan.persons].sort((a, b) => a.points[0]!.t - b.points[0]!.t);
  const heights = persons.map(() => rng.normal(1.72, 0.07));
  const occlusions = persons.map((p) => {
    const a = p.points[0]!.t;
    const b = p.points[p.points.length - 1]!.t;
    const k = rng.poisson((n.occlusions_per_hour * (b - a)) / 3600);
    return Array.from({ length: k }, () => {
      const s = rng.uniform(a, b);
      return [s, s + rng.uniform(n.occlusion_seconds.min, n.occlusion_seconds.max)] as const;
    });
  });

  const rows: MotRow[][] = cams.map(() => []);
  const counts: Array<Map<number, Map<string, number>>> = cams.map(() => new Map());
  const lastLabels: Array<Map<number, string>> = cams.map(() => new Map());
  const rowLabels: Array<Map<string, string>> = cams.map(() => new Map());
  const nextId = cams.map(() => 1);
  const state = new Map<string, TrackState>();
  const lastClose = new Map<string, number>();
  const hints = persons.map(() => ({ i: 0 }));
  const switches = cams.map(() => ({ all: 0, withSeller: 0 }));
  const pFrag = (n.fragments_per_hour / 3600) * dt;
  let firstActive = 0;

  const fps = cams.map((cam, ci) => falsePositives(cam, ci, n.false_positives_per_hour, start, end, dt, rng, layout.depth));
  const fpAt = fps.map((list) => {
    const m = new Map<number, Array<{ id: number; box: [number, number, number, number] }>>();
    for (const f of list) for (const fr of f.frames) (m.get(fr) ?? m.set(fr, []).get(fr)!).push({ id: f.key, box: f.box });
    return m;
  });
  const fpIds = cams.map(() => new Map<number, number>());

  for (let frame = 1; frame <= frames; frame++) {
    const t = start + (frame - 1) * dt;
    while (firstActive < persons.length && persons[firstActive]!.points[persons[firstActive]!.points.length - 1]!.t < t - 3600 * 12) firstActive++;
    const seen: Array<Array<{ pi: number; x: number; y: number; key: string }>> = cams.map(() => []);
    for (let pi = firstActive; pi < persons.length; pi++) {
      const p = persons[pi]!;
      if (p.points[0]!.t > t) break;
      if (p.points[p.points.length - 1]!.t < t) continue;
      const [x, y] = positionAt(p.points, t, hints[pi]);
      const ci = camOf(x);
      if (outages[ci]!.some(([a, b]) => t >= a && t < b)) continue;
      if (occlusions[pi]!.some(([a, b]) => t >= a && t < b)) continue;
      if (rng.chance(n.miss_rate)) continue;
      seen[ci]!.push({ pi, x, y, key: `${ci}|${p.label}` });
    }
    cams.forEach((cam, ci) => {
      const dets = seen[ci]!;
      const ids = dets.map((d) => {
        const prev = state.get(d.key);
        const comesIntoView = !prev || t - prev.lastT > n.max_age_seconds + dt / 2;
        let s = prev;
        if (!s || comesIntoView || rng.chance(pFrag)) {
          const lost = comesIntoView ? takeOver(state, `${ci}|`, t, n, dt, rng) : null;
          s = { id: lost ?? nextId[ci]!++, lastT: t };
          state.set(d.key, s);
        }
        s.lastT = t;
        return s;
      });
      for (let a = 0; a < dets.length; a++) {
        for (let b = a + 1; b < dets.length; b++) {
          const da = dets[a]!;
          const db = dets[b]!;
          if (Math.hypot(da.x - db.x, da.y - db.y) > 0.6) continue;
          const key = da.key < db.key ? `${da.key}~${db.key}` : `${db.key}~${da.key}`;
          const prev = lastClose.get(key);
          lastClose.set(key, t);
          if (prev !== undefined && t - prev <= 10) continue;
          if (!rng.chance(n.id_switch_probability)) continue;
          switches[ci]!.all++;
          if (persons[da.pi]!.role === 'seller' || persons[db.pi]!.role === 'seller') switches[ci]!.withSeller++;
          const sa = ids[a]!;
          const sb = ids[b]!;
          const tmp = sa.id;
          sa.id = sb.id;
          sb.id = tmp;
        }
      }
      dets.forEach((d, k) => {
        const foot = cam.project(d.x, d.y, 0);
        const head = cam.project(d.x, d.y, heights[d.pi]!);
        if (!foot || !head) return;
        let h = foot[1] - head[1];
        const fx = foot[0] + rng.normal(0, n.jitter * h);
        const fy = foot[1] + rng.normal(0, n.jitter * h * 0.5);
        h *= 1 + rng.normal(0, n.jitter);
        if (fx < 0 || fx > cam.width || fy < 0 || fy > cam.height + h * 0.05 || h <= 2) return;
        const w = 0.41 * h;
        const id = ids[k]!.id;
        rows[ci]!.push({ frame, id, x: fx - w / 2, y: fy - h, w, h, conf: round3(rng.uniform(0.5, 0.95)) });
        count(counts[ci]!, id, persons[d.pi]!.label);
        lastLabels[ci]!.set(id, persons[d.pi]!.label);
        rowLabels[ci]!.set(`${frame}:${id}`, persons[d.pi]!.label);
      });
      // A camera that is down shows no false boxes either (their draw is still made, so the rest of the day's noise stays the same).
      const down = outages[ci]!.some(([a, b]) => t >= a && t < b);
      for (const f of fpAt[ci]!.get(frame) ?? []) {
        const conf = round3(rng.uniform(0.3, 0.6));
        if (down) continue;
        let id = fpIds[ci]!.get(f.id);
        if (id === undefined) {
          id = nextId[ci]!++;
          fpIds[ci]!.set(f.id, id);
        }
        const [x, y, w, h] = f.box;
        rows[ci]!.push({ frame, id, x, y, w, h, conf });
        count(counts[ci]!, id, 'false');
        lastLabels[ci]!.set(id, 'false');
      }
    });
  }
  return cams.map((cam, ci) => ({
    camera: cam.id,
    timebase: { startMs: plan.t0 + start * 1000, fps: o.fps / o.stride, width: cam.width, height: cam.height },
    rows: rows[ci]!,
    labels: majority(counts[ci]!),
    lastLabels: lastLabels[ci]!,
    rowLabels: rowLabels[ci]!,
    outages: outages[ci]!,
    downtime: outages[ci]!.map(([a, b]) => [plan.t0 + a * 1000, plan.t0 + b * 1000]),
    switches: switches[ci]!,
  }));
}

/**
 * Identity merge (noise.id_reuse): the id of the track in this camera lost most recently, within
 * the window, for a person coming into view, with the configured chance; null otherwise. The lost
 * track is used up (its person, back in view, gets a new id). No random draw when the chance is 0,
 * so days without merges are the days they were before this noise existed.
 */
function takeOver(state: Map<string, TrackState>, camPrefix: string, t: number, n: NoiseConfig, dt: number, rng: Rng): number | null {
  const p = n.id_reuse.probability;
  if (p <= 0 || !rng.chance(p)) return null;
  let best: TrackState | null = null;
  for (const [key, s] of state) {
    if (!key.startsWith(camPrefix)) continue;
    const gap = t - s.lastT;
    if (gap <= n.max_age_seconds + dt / 2 || gap > n.id_reuse.window_seconds) continue;
    if (!best || s.lastT > best.lastT) best = s;
  }
  if (!best) return null;
  best.lastT = -Infinity;
  return best.id;
}

function falsePositives(
  cam: SimCamera,
  ci: number,
  perHour: number,
  start: number,
  end: number,
  dt: number,
  rng: Rng,
  depth: number,
): Array<{ key: number; frames: number[]; box: [number, number, number, number] }> {
  const k = rng.poisson((perHour * (end - start)) / 3600);
  return Array.from({ length: k }, (_, i) => {
    const t = rng.uniform(start, end);
    const first = Math.floor((t - start) / dt) + 1;
    const len = rng.int(1, 4);
    const x = rng.uniform(cam.x0, cam.x1);
    const y = rng.uniform(0.5, depth - 0.5);
    const foot = cam.project(x, y, 0)!;
    const head = cam.project(x, y, rng.uniform(1.0, 1.9))!;
    const h = foot[1] - head[1];
    return { key: ci * 1e6 + i, frames: Array.from({ length: len }, (_, j) => first + j), box: [foot[0] - 0.2 * h, head[1], 0.4 * h, h] };
  });
}

function count(m: Map<number, Map<string, number>>, id: number, label: string): void {
  let c = m.get(id);
  if (!c) {
    c = new Map();
    m.set(id, c);
  }
  c.set(label, (c.get(label) ?? 0) + 1);
}

function majority(m: Map<number, Map<string, number>>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [id, c] of m) {
    let best = '';
    let bn = -1;
    for (const [l, k] of c) if (k > bn) [best, bn] = [l, k];
    out.set(id, best);
  }
  return out;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
