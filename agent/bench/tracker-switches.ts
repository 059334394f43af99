/**
 * What each identity switch is, on the cross-validation sequences (mot-sequences.ts): for every
 * SWITCH event of the CLEAR matching (py-motmetrics' definition: a ground-truth person matched to
 * another id than at their last match), the frame, the person, the two ids, how long the person
 * went unmatched before (gap), how far they moved meanwhile (foot point, in their body heights), and
 * where the new id came from:
 *  - "new": born after the person's last match (the old track was lost: a fragment);
 *  - "from g<N>": it last followed another person N (an identity taken over), with how far that
 *    id's last box was from this person (body heights);
 *  - "stray": it existed but followed no person before (a false positive or drifting track).
 * And what became of the old id at this frame: "gone" (not reported), "on g<N>" (following another
 * person: the two swapped), "off" (reported but not matched to anyone). Each switch also says whether
 * the person was standing (foot point under 0.1 body heights a second over the last second of ground
 * truth) or walking; at a match by an IoU pass (overlap, recovery, low) the cost is 1 - IoU.
 * MOT detections carry no appearance, so every match here is motion's.
 *
 *   npx tsx agent/bench/tracker-switches.ts [--seq tud-stadtmitte] [--stride 5] [--peers SORT_REPO,OCSORT_REPO] [--list] [--options JSON]
 *
 * Without --seq / --stride: every sequence and stride, one summary line each (ours with the count
 * of switches per tracker pass that made the new id's match). --seq sim-N with N other than the
 * CV's 1 and 2 builds a fresh simulated store (mot-sequences.ts simSequence), the test set that
 * tracker-cv.ts --test-seeds scores.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clearEvents } from '../src/eval/mot/clear.js';
import { framesFromRows } from '../src/eval/mot/index.js';
import type { MotRow } from '../src/io/mot.js';
import { trackMotDetections } from '../src/track/mot-run.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptions, type TrackerOptions } from '../src/track/options.js';
import type { MatchTrace } from '../src/track/tracker.js';
import { DEFAULT_QUANTILE_RULE } from '../src/track/thresholds.js';
import { campusProfile, FPS, loadSequences, runPeers, simSequence, STRIDES, type Sequence } from './mot-sequences.js';

const { values } = parseArgs({
  options: {
    seq: { type: 'string' },
    stride: { type: 'string' },
    peers: { type: 'string' },
    list: { type: 'boolean', default: false },
    // Tracker option overrides as JSON (TrackerOptions keys), e.g. '{"maxAgeUpdates":10}' or '{"kalman":{"accelerationNoise":0.2}}'.
    options: { type: 'string', default: '{}' },
    data: { type: 'string', default: process.env.FLOORSENSE_SHARED_DATA ?? '../shared/data' },
  },
});

export interface SwitchEvent {
  readonly frame: number;
  readonly gt: number;
  readonly oldId: number;
  readonly newId: number;
  /** Sampled frames the person went unmatched before this one. */
  readonly gapSamples: number;
  /** The person's foot-point move since their last match, in their body heights. */
  readonly movedBh: number;
  /** The person's foot-point speed over the last video second (ground truth), body heights per second: under STANDING_BH_S they stand. */
  readonly speedBhS: number;
  readonly origin: 'new' | 'stray' | { readonly fromGt: number; readonly distBh: number };
  readonly oldFate: 'gone' | 'off' | { readonly onGt: number };
}

const foot = (r: MotRow): [number, number] => [r.x + r.w / 2, r.y + r.h];
const footDist = (a: MotRow, b: MotRow): number => {
  const [ax, ay] = foot(a);
  const [bx, by] = foot(b);
  return Math.hypot(bx - ax, by - ay);
};

function index(rows: readonly MotRow[]): Map<number, Map<number, MotRow>> {
  const m = new Map<number, Map<number, MotRow>>();
  for (const r of rows) {
    const f = m.get(r.frame) ?? new Map<number, MotRow>();
    m.set(r.frame, f);
    f.set(r.id, r);
  }
  return m;
}

export function switchEvents(gt: readonly MotRow[], pred: readonly MotRow[], stride: number): SwitchEvent[] {
  const events = clearEvents(framesFromRows(gt, pred, { stride }));
  const gtAt = index(gt);
  const predAt = index(pred);
  const firstFrame = new Map<number, number>();
  for (const r of [...pred].sort((a, b) => a.frame - b.frame)) if (!firstFrame.has(r.id)) firstFrame.set(r.id, r.frame);
  const lastOfGt = new Map<number, { frame: number; pred: number }>();
  const lastOfPred = new Map<number, { frame: number; gt: number }>();
  const out: SwitchEvent[] = [];
  for (const ev of events) {
    const gtOfPredNow = new Map(ev.matches.map((m) => [m.predId, m.gtId]));
    for (const m of ev.matches) {
      if (!m.isSwitch) continue;
      const prev = lastOfGt.get(m.gtId)!;
      const now = gtAt.get(ev.frame)!.get(m.gtId)!;
      const then = gtAt.get(prev.frame)!.get(m.gtId)!;
      const bh = now.h;
      const prevOfNew = lastOfPred.get(m.predId);
      let origin: SwitchEvent['origin'];
      if (prevOfNew) {
        const p = predAt.get(prevOfNew.frame)!.get(m.predId)!;
        origin = { fromGt: prevOfNew.gt, distBh: footDist(p, now) / bh };
      } else origin = firstFrame.get(m.predId)! > prev.frame ? 'new' : 'stray';
      const onGt = gtOfPredNow.get(prev.pred);
      const oldFate: SwitchEvent['oldFate'] = onGt !== undefined ? { onGt } : predAt.get(ev.frame)?.has(prev.pred) ? 'off' : 'gone';
      // Speed over the last second of ground truth (not the sampled frames): standing or walking.
      let back = ev.frame - FPS;
      while (back < ev.frame && !gtAt.get(back)?.has(m.gtId)) back++;
      const before = gtAt.get(back)?.get(m.gtId);
      const speedBhS = before && back < ev.frame ? footDist(before, now) / bh / ((ev.frame - back) / FPS) : 0;
      out.push({
        frame: ev.frame,
        gt: m.gtId,
        oldId: prev.pred,
        newId: m.predId,
        gapSamples: Math.round((ev.frame - prev.frame) / stride) - 1,
        movedBh: footDist(then, now) / bh,
        speedBhS,
        origin,
        oldFate,
      });
    }
    for (const m of ev.matches) {
      lastOfGt.set(m.gtId, { frame: ev.frame, pred: m.predId });
      lastOfPred.set(m.predId, { frame: ev.frame, gt: m.gtId });
    }
  }
  return out;
}

/** Under this foot-point speed a person stands (sways and shuffles), over it they walk: a slow stroll is about 0.5 bh/s. */
const STANDING_BH_S = 0.1;
const standingAt = (e: SwitchEvent): boolean => e.speedBhS < STANDING_BH_S;

const originText = (o: SwitchEvent['origin']): string => (typeof o === 'string' ? o : `from g${o.fromGt} (${o.distBh.toFixed(2)} bh)`);
const fateText = (f: SwitchEvent['oldFate']): string => (typeof f === 'string' ? f : `on g${f.onGt}`);

function summary(ev: readonly SwitchEvent[]): string {
  const n = (p: (e: SwitchEvent) => boolean): number => ev.filter(p).length;
  const fresh = n((e) => e.origin === 'new');
  const stray = n((e) => e.origin === 'stray');
  const taken = ev.length - fresh - stray;
  const swapped = n((e) => typeof e.oldFate !== 'string');
  const gap0 = n((e) => e.gapSamples === 0);
  const standing = n(standingAt);
  return `${ev.length} switches: ${fresh} new id, ${taken} taken from another person (${swapped} of all with the old id on another person), ${stray} stray; ${gap0} with no gap; ${standing} standing`;
}

/** Which pass made the match that took each switch's new id (the tracker's own account, MatchTrace). */
function byPass(ev: readonly SwitchEvent[], how: ReadonlyMap<string, MatchTrace>): string {
  const n = new Map<string, { all: number; standing: number }>();
  for (const e of ev) {
    const p = how.get(`${e.frame}:${e.newId}`)?.pass ?? 'unknown';
    const c = n.get(p) ?? { all: 0, standing: 0 };
    c.all++;
    if (standingAt(e)) c.standing++;
    n.set(p, c);
  }
  return `by pass (standing): ${[...n.entries()]
    .sort((a, b) => b[1].all - a[1].all)
    .map(([p, k]) => `${p} ${k.all} (${k.standing})`)
    .join(', ')}`;
}

/** --options over the defaults; a partial `kalman` is merged into the default filter's parameters. */
function overrides(): TrackerOptions {
  const o = JSON.parse(values.options) as Partial<TrackerOptions> & { kalman?: Partial<TrackerOptions['kalman']> };
  return trackerOptions({ ...o, kalman: { ...DEFAULT_TRACKER_OPTIONS.kalman, ...o.kalman } });
}

/** Our rows, and how each reported (frame, id) was matched: pass, cost, samples missed before. */
async function ours(seq: Sequence, stride: number): Promise<{ rows: MotRow[]; how: Map<string, MatchTrace> }> {
  const how = new Map<string, MatchTrace>();
  const { rows } = await trackMotDetections(seq.det, {
    fps: FPS,
    stride,
    calibrate: DEFAULT_QUANTILE_RULE,
    tracker: overrides(),
    onMatch: (d, m) => how.set(`${d.frame}:${m.trackId}`, m),
  });
  return { rows, how };
}

const all = loadSequences(values.data);
const freshSeed = /^sim-(\d+)$/.exec(values.seq ?? '');
const extra = freshSeed && !all.some((s) => s.name === values.seq) ? [simSequence(Number(freshSeed[1]), campusProfile(values.data))] : [];
const seqs = [...all, ...extra].filter((s) => !values.seq || s.name === values.seq);
if (seqs.length === 0) throw new Error(`--seq ${values.seq}: no such sequence`);
const strides = values.stride ? [Number(values.stride)] : [...STRIDES];
const repos = values.peers ? values.peers.split(',') : null;
const dir = join('out', 'tracker-switches');
mkdirSync(dir, { recursive: true });
for (const s of seqs) {
  for (const stride of strides) {
    const mine = await ours(s, stride);
    const runs: Array<[string, MotRow[]]> = [['FloorSense', mine.rows]];
    if (repos) runs.push(...Object.entries(runPeers(s, repos, stride, dir)));
    for (const [name, rows] of runs) {
      const ev = switchEvents(s.gt, rows, stride);
      console.log(`${s.name} stride ${stride} ${name}: ${summary(ev)}${name === 'FloorSense' ? `; ${byPass(ev, mine.how)}` : ''}`);
      if (!values.list) continue;
      for (const e of ev) {
        const m = name === 'FloorSense' ? mine.how.get(`${e.frame}:${e.newId}`) : undefined;
        const how = m ? `, matched by ${m.pass} pass at cost ${m.cost.toFixed(2)} after ${m.missed} missed` : '';
        console.log(
          `  f${e.frame} g${e.gt}: ${e.oldId} -> ${e.newId}, gap ${e.gapSamples}, moved ${e.movedBh.toFixed(2)} bh, ${e.speedBhS.toFixed(2)} bh/s, new id ${originText(e.origin)}, old id ${fateText(e.oldFate)}${how}`,
        );
      }
    }
  }
}
