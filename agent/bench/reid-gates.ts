/**
 * The int8 ReID's own cosine gates (a script, not a test): the tracker's appearance gates
 * (tracker.max_cosine_distance, tracker.reid_max_cosine_distance: 0.4, set in fp32's embedding
 * space) carried into the int8 model's space by a rule, chosen on clips that are NOT in the labelled
 * set, so the labelled clips (reid-replay.ts) stay held out.
 *
 *   npx tsx agent/bench/reid-cache.ts --fps 2 --config C --reid-precision fp32 --out out/gates/cache-fp32 <clips>
 *   npx tsx agent/bench/reid-cache.ts --fps 2 --config C --reid-precision int8 --out out/gates/cache-int8 <clips>
 *   npx tsx agent/bench/reid-gates.ts --fp32 out/gates/cache-fp32 --int8 out/gates/cache-int8 [--gate 0.4] [clip-name ...]
 *
 * Both caches hold the same detections (the detector does not depend on the ReID precision; checked
 * here box by box) and each detection's embedding in each space, so every pair below is measured in
 * both spaces on the same two crops. Pseudo-labels, as reid-int8-sensitivity.ts: the motion-only
 * tracker (product defaults, no appearance) follows the cached detections; a detection overlapping
 * a matched confirmed track (IoU >= 0.5) carries its id. Two detections of one track at least 2 s
 * apart are the same person (an id switch makes a few wrong); two tracks in one frame are two
 * different people (always right). Default clips mall_entrance_people and mall_overhead_pedestrians.
 *
 * Rules (each clip weighted equally, as track/thresholds.ts weights clips for score thresholds):
 * - far: the int8 distance under which the same share of DIFFERENT-person pairs falls as under
 *   fp32's gate (a matched false-accept rate: the gate's job is to refuse other people);
 * - same: the int8 distance under which the same share of SAME-person pairs falls (matched recall).
 * Two-fold: each rule chosen on one clip is scored on the other against fp32 at its gate. Also the
 * paired shift: for pairs near the gate in fp32, how far the int8 distance of the same pair moves.
 * --own-camera allows a labelled clip (its labels are never read here): what a camera's own
 * calibration from its own pseudo-labels would choose (on a short clip with few people, few
 * different-person pairs: the checkout clip has 147).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectionsFromList } from '../src/core/detections.js';
import { dot } from '../src/track/distances.js';
import { iou } from '../src/track/geometry.js';
import { createIdCounter } from '../src/track/ids.js';
import { trackerOptions } from '../src/track/options.js';
import { weightedQuantile } from '../src/track/thresholds.js';
import { createTracker } from '../src/track/tracker.js';
import { auc } from './reid-auc.js';
import type { ReidCache } from './reid-cache.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fp32: { type: 'string', default: 'out/gates/cache-fp32' },
    int8: { type: 'string', default: 'out/gates/cache-int8' },
    gate: { type: 'string', default: '0.4' },
    'min-gap': { type: 'string', default: '2' },
    // A camera's own calibration from its own pseudo-labels: allowed on a labelled clip, whose labels are never read here.
    'own-camera': { type: 'boolean', default: false },
  },
});
const LABELLED = /checkout_counter_cashier|store_aisle_shoppers|indoor_one_by_one_person|street_elevated_pedestrians/;
const names = positionals.length > 0 ? positionals : ['mall_entrance_people', 'mall_overhead_pedestrians'];
for (const n of names)
  if (LABELLED.test(n) && !values['own-camera']) throw new Error(`${n} is a labelled clip: choosing the gate on it would leave nothing held out`);
const gate = Number(values.gate);
const minGap = Number(values['min-gap']);

const load = (dir: string, name: string): ReidCache => {
  const f = readdirSync(dir).find((x) => x === `${name}.reid.json`);
  if (!f) throw new Error(`${dir}: no ${name}.reid.json (run agent/bench/reid-cache.ts first)`);
  return JSON.parse(readFileSync(join(dir, f), 'utf8')) as ReidCache;
};
const vectors = (c: ReidCache): Float32Array[][] => c.frames.map((fr) => fr.emb.map((b) => new Float32Array(new Uint8Array(Buffer.from(b, 'base64')).buffer)));

interface Pairs {
  readonly name: string;
  /** [fp32, int8] distance of each pair. */
  readonly same: Array<[number, number]>;
  readonly diff: Array<[number, number]>;
  readonly tracks: number;
  readonly labelled: number;
}

async function pairsOf(name: string): Promise<Pairs> {
  const a = load(values.fp32, name);
  const b = load(values.int8, name);
  if (a.frames.length !== b.frames.length) throw new Error(`${name}: ${a.frames.length} fp32 frames against ${b.frames.length} int8 frames`);
  a.frames.forEach((fr, k) => {
    const other = b.frames[k]!;
    if (fr.index !== other.index || JSON.stringify(fr.boxes) !== JSON.stringify(other.boxes))
      throw new Error(`${name}: frame ${fr.index} has other detections in the two caches (they must share the detector)`);
  });
  const va = vectors(a);
  const vb = vectors(b);
  const tracker = createTracker(trackerOptions({ appearance: false }), { nextId: createIdCounter(1) });
  const items: { id: number; t: number; frame: number; a: Float32Array; b: Float32Array }[] = [];
  for (const [k, fr] of a.frames.entries()) {
    const dets = detectionsFromList(fr.boxes.map((box, i) => ({ box, score: fr.scores[i]! })));
    const u = await tracker.update(dets, fr.ptsSec);
    for (const t of u.tracks) {
      if (!t.matched) continue;
      let best = -1;
      let bestIou = 0.5;
      fr.boxes.forEach((box, i) => {
        const v = iou(t.box, box);
        if (v >= bestIou) [best, bestIou] = [i, v];
      });
      if (best >= 0) items.push({ id: t.id, t: fr.ptsSec, frame: fr.index, a: va[k]![best]!, b: vb[k]![best]! });
    }
  }
  const same: Array<[number, number]> = [];
  const diff: Array<[number, number]> = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const x = items[i]!;
      const y = items[j]!;
      const pair: [number, number] = [1 - dot(x.a, y.a), 1 - dot(x.b, y.b)];
      if (x.id === y.id && Math.abs(x.t - y.t) >= minGap) same.push(pair);
      else if (x.id !== y.id && x.frame === y.frame) diff.push(pair);
    }
  return { name, same, diff, tracks: new Set(items.map((x) => x.id)).size, labelled: items.length };
}

/** Share of values strictly under t (a gate accepts d <= t; distances are continuous, ties do not occur). */
const under = (xs: readonly number[], t: number): number => xs.filter((x) => x < t).length / Math.max(xs.length, 1);
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const col = (ps: ReadonlyArray<readonly [number, number]>, k: 0 | 1): number[] => ps.map((p) => p[k]);

/** The int8 gate by a rule over clips (each weighted equally): the int8 quantile at fp32's share under the gate. */
function gateBy(rule: 'far' | 'same', all: readonly Pairs[]): number {
  const pick = (c: Pairs) => (rule === 'far' ? c.diff : c.same);
  // A clip without such pairs (one person at a time) says nothing about this rule.
  const clips = all.filter((c) => pick(c).length > 0);
  if (clips.length === 0) return Number.NaN;
  // The share fp32 accepts, clip-weighted as the quantile below weights them.
  const share = clips.reduce((s, c) => s + under(col(pick(c), 0), gate), 0) / clips.length;
  return weightedQuantile(
    clips.map((c) => col(pick(c), 1)),
    share,
  );
}

const clips = await Promise.all(names.map(pairsOf));
console.log(`fp32 gate ${gate}; same pairs: one track >= ${minGap} s apart; different pairs: two tracks in one frame`);
for (const c of clips) {
  const [sa, sb, da, db] = [col(c.same, 0), col(c.same, 1), col(c.diff, 0), col(c.diff, 1)];
  console.log(
    `  ${c.name.padEnd(26)} ${c.labelled} detections of ${c.tracks} tracks; same n=${c.same.length}, different n=${c.diff.length}; AUC fp32 ${auc(sa, da).toFixed(4)} int8 ${auc(sb, db).toFixed(4)}; under ${gate}: different fp32 ${pct(under(da, gate))} int8 ${pct(under(db, gate))}, same fp32 ${pct(under(sa, gate))} int8 ${pct(under(sb, gate))}`,
  );
  // Shifted or compressed: the same pairs' int8 distance against fp32's, near the gate and overall.
  const all = [...c.same, ...c.diff];
  const near = all.filter(([x]) => Math.abs(x - gate) <= 0.1);
  const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(xs.length, 1);
  const mx = mean(col(all, 0));
  const my = mean(col(all, 1));
  const slope = all.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / all.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  console.log(
    `  ${''.padEnd(26)} paired: int8 - fp32 over ${near.length} pairs with fp32 in ${gate} +- 0.1: mean ${mean(near.map(([x, y]) => y - x)).toFixed(4)}; all ${all.length} pairs: int8 = ${slope.toFixed(3)} x fp32 + ${(my - slope * mx).toFixed(4)}`,
  );
}

console.log('\nRule (chosen on -> scored on): int8 gate; different under it, int8 vs fp32 at the gate; same under it, int8 vs fp32');
for (const rule of ['far', 'same'] as const) {
  for (const train of clips) {
    const g = gateBy(rule, [train]);
    const line = clips
      .filter((c) => c !== train)
      .map(
        (test) =>
          `${test.name}: different ${pct(under(col(test.diff, 1), g))} vs ${pct(under(col(test.diff, 0), gate))}, same ${pct(under(col(test.same, 1), g))} vs ${pct(under(col(test.same, 0), gate))}`,
      )
      .join('; ');
    console.log(`  ${rule.padEnd(4)} ${train.name.padEnd(26)} -> ${g.toFixed(3)}  ${line}`);
  }
  console.log(`  ${rule.padEnd(4)} ${'all clips, equal weight'.padEnd(26)} -> ${gateBy(rule, clips).toFixed(3)}`);
}
