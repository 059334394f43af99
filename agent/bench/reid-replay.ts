/**
 * Replay the tracker WITH appearance over cached detections and embeddings (agent/bench/reid-cache.ts)
 * of the hand-labelled clips (test/fixtures/labels/), scored against the labels as
 * `floorsense eval mot` scores analyze's output. In seconds instead of minutes, so the appearance
 * threshold can be chosen by leave-one-out cross-validation and the embedding policy compared with
 * embedding every detection.
 *
 *   npx tsx agent/bench/reid-replay.ts [--cache out/reid-cache] [--every N] [--trace] [--gate G] [--sweep G,G,...] [--quick]
 *
 * The tracker runs with the gates in force for the cache's ReID precision (reid-cache.ts records it):
 * the manifest's reid_thresholds, int8.reid_thresholds for an int8 cache, as trackerOptionsFromConfig
 * gives them; --gate G sets both gates instead (as tracker.max_cosine_distance and
 * reid_max_cosine_distance in a config would). --sweep prints the same- and different-person shares
 * under each listed distance (the trade-off a gate moves along).
 *
 * Prints: per clip and embedding rule (RULES: motion only, every detection embedded, the decisive
 * policy's contest readings and the deferred first embedding) MOTA / IDF1 / HOTA / IDSW and the
 * embeddings computed, per frame and per reason (contested, reid, first, refresh); unlabelled caches
 * (the benchmark's street loop, reid-cache.ts --fps 1) are scored against embed-all's tracks; --quick
 * stops there. Then the cosine distances between the same and different labelled
 * people; the held-out figures of the leave-one-clip-out choice of reid_max_cosine_distance; an
 * ablation of the exit rule and the reach cap; with --trace, every time an id comes back after a
 * gap of 2 s or more (gap, foot-point move in body heights, cosine distance of the detections).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectionsFromList } from '../src/core/detections.js';
import { evaluateMot, type MotMetrics } from '../src/eval/mot/index.js';
import { readMotFile, type MotRow } from '../src/io/mot.js';
import { dot } from '../src/track/distances.js';
import { iou } from '../src/track/geometry.js';
import { createIdCounter } from '../src/track/ids.js';
import { trackerSection } from '../src/config/sections/tracker.js';
import { trackerOptions as validated, trackerOptionsFromConfig, type TrackerOptions } from '../src/track/options.js';
import { createTracker, type MatchTrace } from '../src/track/tracker.js';
import { EMBEDDING_REASONS, type EmbeddingReason } from '../src/track/embedding-policy.js';
import type { ReidCache } from './reid-cache.js';
import { auc } from './reid-auc.js';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: 'out/reid-cache' },
    trace: { type: 'boolean', default: false },
    // The rule whose returns --trace prints (a RULES name).
    'trace-rule': { type: 'string', default: 'cascade (default)' },
    labels: { type: 'string', default: 'test/fixtures/labels' },
    // Use every Nth cached frame (2 on a 2 fps cache = the product's 1 fps), scored on those frames.
    every: { type: 'string', default: '1' },
    gate: { type: 'string' },
    sweep: { type: 'string' },
    // Stop after the embedding-policy tables (skip the gate grid and the ablation).
    quick: { type: 'boolean', default: false },
    // Then the leave-one-clip-out choice among UPDATE_RULES, trained and scored at --every 1 and 2 together, and exit.
    'rule-cv': { type: 'boolean', default: false },
  },
});

interface Clip {
  readonly name: string;
  readonly cache: ReidCache;
  readonly vectors: Float32Array[][];
  readonly gt: MotRow[];
}

/**
 * The cached clips, every Nth frame. Labelled ones (test/fixtures/labels/<name>/gt.txt) carry their
 * labels on the kept frames; the others (the benchmark's street clip) have none and only report
 * the embedded fraction and how far the decisive policy's tracks are from embed-all's.
 */
function loadCaches(every = Number(values.every)): { labelled: Clip[]; unlabelled: Clip[] } {
  const labelled: Clip[] = [];
  const unlabelled: Clip[] = [];
  for (const f of readdirSync(values.cache)
    .filter((x) => x.endsWith('.reid.json'))
    .sort()) {
    const name = f.replace(/\.reid\.json$/, '');
    const full = JSON.parse(readFileSync(join(values.cache, f), 'utf8')) as ReidCache;
    const cache = { ...full, frames: full.frames.filter((_f, k) => k % every === 0) };
    const vectors = cache.frames.map((fr) => fr.emb.map((b) => new Float32Array(new Uint8Array(Buffer.from(b, 'base64')).buffer)));
    const gtPath = join(values.labels, name, 'gt.txt');
    if (!existsSync(gtPath)) {
      unlabelled.push({ name, cache, vectors, gt: [] });
      continue;
    }
    const kept = new Set(cache.frames.map((fr) => fr.index + 1));
    labelled.push({ name, cache, vectors, gt: readMotFile(gtPath).filter((r) => kept.has(r.frame)) });
  }
  return { labelled, unlabelled };
}

export interface ReplayResult {
  readonly rows: MotRow[];
  readonly embedded: number;
  readonly candidates: number;
  readonly frames: number;
  /** Embeddings by the reason the decisive policy asked for each (all 0 under 'all'). */
  readonly reasons: Readonly<Record<EmbeddingReason, number>>;
  readonly metrics: MotMetrics;
  /** Re-identifications (pass 5): when, which id, and the cosine distance of its appearance to the detection. */
  readonly reids: readonly MatchTrace[];
}

async function replay(clip: Clip, options: TrackerOptions, withPicture = true): Promise<ReplayResult> {
  const reids: MatchTrace[] = [];
  const tracker = createTracker(options, { nextId: createIdCounter(1), onMatch: (m) => void (m.pass === 'reid' && reids.push(m)) });
  const rows: MotRow[] = [];
  let embedded = 0;
  let candidates = 0;
  const { width: W, height: H } = clip.cache;
  const clamp = (v: number, hi: number): number => Math.min(hi, Math.max(0, v));
  for (const [k, fr] of clip.cache.frames.entries()) {
    const dets = detectionsFromList(fr.boxes.map((box, i) => ({ box, score: fr.scores[i]! })));
    const embed = Object.assign((idx: readonly number[]) => idx.map((i) => clip.vectors[k]![i]!), withPicture ? { picture: { width: W, height: H } } : {});
    const u = await tracker.update(dets, fr.ptsSec, embed);
    embedded += u.embeddingsComputed;
    candidates += u.embeddingsComputed + u.embeddingsSkipped;
    for (const t of u.tracks) {
      if (!t.matched) continue;
      const [x1, y1, x2, y2] = [clamp(t.box[0], W), clamp(t.box[1], H), clamp(t.box[2], W), clamp(t.box[3], H)];
      rows.push({ frame: fr.index + 1, id: t.id, x: x1, y: y1, w: x2 - x1, h: y2 - y1, conf: t.score });
    }
  }
  return {
    rows,
    embedded,
    candidates,
    frames: clip.cache.frames.length,
    reasons: tracker.stats().embeddingReasons,
    metrics: evaluateMot(clip.gt, rows),
    reids,
  };
}

/**
 * Every return of an id after a gap: how long, how far (body heights), how alike (cosine distance
 * of the raw detections), the labelled person at each end (IoU >= 0.5; '-' = none) and, where the
 * re-identification pass made it, the distance of the track's appearance to the detection.
 */
function trace(clip: Clip, r: ReplayResult): void {
  const rows = r.rows;
  const gtAt = (row: MotRow): string => {
    let best = '-';
    let bestIou = 0.5;
    for (const g of clip.gt) {
      if (g.frame !== row.frame) continue;
      const v = iou([row.x, row.y, row.x + row.w, row.y + row.h], [g.x, g.y, g.x + g.w, g.y + g.h]);
      if (v >= bestIou) [best, bestIou] = [String(g.id), v];
    }
    return best;
  };
  const byId = new Map<number, MotRow[]>();
  for (const r of rows) (byId.get(r.id) ?? byId.set(r.id, []).get(r.id)!).push(r);
  const frameOf = new Map(clip.cache.frames.map((f, k) => [f.index + 1, k]));
  const vecOf = (r: MotRow): Float32Array | undefined => {
    const k = frameOf.get(r.frame)!;
    const fr = clip.cache.frames[k]!;
    const j = fr.boxes.findIndex((b) => Math.abs(b[0] - r.x) < 40 && Math.abs(b[3] - (r.y + r.h)) < 40);
    return j >= 0 ? clip.vectors[k]![j] : undefined;
  };
  for (const [id, rs] of byId) {
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1]!;
      const b = rs[i]!;
      const gap = (b.frame - a.frame) / clip.cache.fps;
      if (gap < 2) continue;
      const move = Math.hypot(b.x + b.w / 2 - (a.x + a.w / 2), b.y + b.h - (a.y + a.h)) / a.h;
      const va = vecOf(a);
      const vb = vecOf(b);
      const cos = va && vb ? (1 - dot(va, vb)).toFixed(3) : '?';
      const ptsB = clip.cache.frames.find((f) => f.index + 1 === b.frame)?.ptsSec;
      const reid = r.reids.find((m) => m.trackId === id && m.timeSec === ptsB);
      console.log(
        `  ${clip.name} id ${id}: frame ${a.frame} -> ${b.frame}, gap ${gap.toFixed(1)} s, foot moved ${move.toFixed(2)} body heights, cosine ${cos}, labelled ${gtAt(a)} -> ${gtAt(b)}${reid ? `, re-identified at appearance distance ${reid.cost.toFixed(3)}` : ''}`,
      );
    }
  }
}

const fmt = (m: MotMetrics): string => `MOTA ${m.MOTA.toFixed(3)} IDF1 ${m.IDF1.toFixed(3)} HOTA ${m.HOTA.toFixed(3)} IDSW ${m.IDSW}`;
const caches = loadCaches();
const precisions = new Set([...caches.labelled, ...caches.unlabelled].map((c) => c.cache.reidPrecision ?? 'fp32'));
if (precisions.size > 1) throw new Error(`${values.cache} mixes ReID precisions (${[...precisions].join(', ')}): one cache folder per precision`);
const reidPrecision = [...precisions][0] ?? 'fp32';
const gateKeys = values.gate === undefined ? {} : { max_cosine_distance: Number(values.gate), reid_max_cosine_distance: Number(values.gate) };
// The product's options for this precision: the gates the manifest gives it, unless --gate names them.
const DEFAULT_TRACKER_OPTIONS = trackerOptionsFromConfig(trackerSection.parse({ reid_precision: reidPrecision, ...gateKeys }));
const trackerOptions = (o: Partial<TrackerOptions> = {}): TrackerOptions => validated({ ...DEFAULT_TRACKER_OPTIONS, ...o });
console.log(
  `ReID ${reidPrecision}: max_cosine_distance ${DEFAULT_TRACKER_OPTIONS.maxCosineDistance}, reid_max_cosine_distance ${DEFAULT_TRACKER_OPTIONS.reidMaxCosineDistance} (${values.gate === undefined ? 'the manifest' : '--gate'})`,
);
/**
 * The embedding rules compared (agent/src/track/embedding-policy.ts): motion only and every detection
 * embedded (the references; 'all, ema 0.89' is a change too small to matter, to show how far two
 * tracker runs drift apart on a long unlabelled clip anyway), the decisive policy as it was before
 * issue 13 (contests over all pairs), the cascade-aware contests (the product default) and the
 * variants tracker.embedding_contest and embedding_defer_tentative offer.
 */
const CASCADE: Partial<TrackerOptions> = {
  embeddingPolicy: 'decisive',
  embeddingContest: 'cascade',
  embeddingDeferTentative: false,
  embeddingEmaPerObservation: false,
  embeddingWholeCrops: false,
  embeddingFirstCrops: 1,
  embeddingAtBirth: false,
};
const RULES: Array<[string, Partial<TrackerOptions>]> = [
  ['motion only', { appearance: false }],
  ['all, ema 0.89', { embeddingPolicy: 'all', embeddingEma: 0.89 }],
  ['all', { embeddingPolicy: 'all' }],
  ['decisive, pairs', { embeddingPolicy: 'decisive', embeddingContest: 'pairs', embeddingDeferTentative: false }],
  ['cascade (default)', { embeddingPolicy: 'decisive', embeddingContest: 'cascade', embeddingDeferTentative: false }],
  ['cascade + defer', { embeddingPolicy: 'decisive', embeddingContest: 'cascade', embeddingDeferTentative: true }],
  ['cascade_no_veto', { embeddingPolicy: 'decisive', embeddingContest: 'cascade_no_veto', embeddingDeferTentative: false }],
  ['no_veto + defer', { embeddingPolicy: 'decisive', embeddingContest: 'cascade_no_veto', embeddingDeferTentative: true }],
  // The appearance's update rules (tracker.embedding_ema_per_observation, embedding_whole_crops).
  ['all + per_obs', { embeddingPolicy: 'all', embeddingEmaPerObservation: true }],
  ['all + whole', { embeddingPolicy: 'all', embeddingWholeCrops: true }],
  ['cascade + per_obs', { ...CASCADE, embeddingEmaPerObservation: true }],
  ['cascade + whole', { ...CASCADE, embeddingWholeCrops: true }],
  ['cascade + both', { ...CASCADE, embeddingEmaPerObservation: true, embeddingWholeCrops: true }],
  ['cascade + birth', { ...CASCADE, embeddingAtBirth: true }],
  ['cascade + first 2', { ...CASCADE, embeddingFirstCrops: 2 }],
  ['cascade + first 3', { ...CASCADE, embeddingFirstCrops: 3 }],
  ['cascade + first 5', { ...CASCADE, embeddingFirstCrops: 5 }],
];
/** The update rules a leave-one-clip-out choice picks among (--rule-cv), at 1 and 2 fps at once. */
const UPDATE_RULES = [
  'cascade (default)',
  'cascade + per_obs',
  'cascade + whole',
  'cascade + both',
  'cascade + first 2',
  'cascade + first 3',
  'cascade + first 5',
  'cascade + birth',
];
const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
const reasonCells = (r: ReplayResult): string => EMBEDDING_REASONS.map((k) => `${k} ${r.reasons[k]}`).join(', ');
const embLine = (r: ReplayResult): string =>
  `embedded ${r.embedded}/${r.candidates} (${pct(r.embedded, r.candidates)}, ${(r.embedded / Math.max(r.frames, 1)).toFixed(2)} a frame; ${reasonCells(r)})`;
for (const c of caches.unlabelled) {
  console.log(`${c.name} (no labels; tracks scored against embed-all's as truth):`);
  const all = await replay(c, trackerOptions({ embeddingPolicy: 'all' }));
  for (const [name, o] of RULES) {
    const r = name === 'all' ? all : await replay(c, trackerOptions(o));
    console.log(`  ${name.padEnd(22)} ${fmt(evaluateMot(all.rows, r.rows))}  ${embLine(r)}`);
  }
}
const clips = caches.labelled;
if (clips.length === 0) {
  console.log(`no <clip>.reid.json with labels in ${values.cache}`);
  process.exit(0);
}

console.log('Labelled clips, per embedding rule (product defaults otherwise):');
const pooled = new Map<string, { e: number; c: number; f: number; idf1: number[]; hota: number[] }>();
for (const c of clips) {
  for (const [name, o] of RULES) {
    const r = await replay(c, trackerOptions({ ...DEFAULT_TRACKER_OPTIONS, ...o }));
    console.log(`  ${c.name.padEnd(26)} ${name.padEnd(22)} ${fmt(r.metrics)}  ${embLine(r)}`);
    const p = pooled.get(name) ?? pooled.set(name, { e: 0, c: 0, f: 0, idf1: [], hota: [] }).get(name)!;
    p.e += r.embedded;
    p.c += r.candidates;
    p.f += r.frames;
    p.idf1.push(r.metrics.IDF1);
    p.hota.push(r.metrics.HOTA);
    if (values.trace && name === values['trace-rule']) trace(c, r);
  }
}
const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
for (const [name, p] of pooled)
  console.log(
    `  ${'all clips'.padEnd(26)} ${name.padEnd(22)} mean IDF1 ${mean(p.idf1)} HOTA ${mean(p.hota)}  embedded ${p.e}/${p.c} (${pct(p.e, p.c)}, ${(p.e / p.f).toFixed(2)} a frame)`,
  );
if (values['rule-cv']) await ruleCv();
if (values.quick || values['rule-cv']) process.exit(0);

/**
 * Leave one clip out over UPDATE_RULES: for each held-out clip, the rule with the best mean
 * (IDF1 + HOTA) / 2 over the other clips at both rates (every 1 and 2 of the 2 fps cache: 2 and
 * 1 fps); ties go to the earlier rule (the default first: a change must earn its place).
 */
async function ruleCv(): Promise<void> {
  const rates = [1, 2].map((e) => loadCaches(e).labelled);
  const opts = new Map(RULES);
  const score = new Map<string, MotMetrics[][]>();
  for (const r of UPDATE_RULES)
    score.set(r, await Promise.all(rates.map((cs) => Promise.all(cs.map(async (c) => (await replay(c, trackerOptions(opts.get(r)!))).metrics)))));
  const objective = (m: MotMetrics): number => (m.IDF1 + m.HOTA) / 2;
  console.log('\nLeave-one-clip-out choice of the appearance update rule (trained on the other clips at 2 and 1 fps):');
  for (const [k, c] of rates[0]!.entries()) {
    let best = UPDATE_RULES[0]!;
    let bestScore = -Infinity;
    for (const r of UPDATE_RULES) {
      const ms = score.get(r)!.flatMap((perRate) => perRate.filter((_m, i) => i !== k));
      const sc = ms.reduce((a, m) => a + objective(m), 0) / ms.length;
      if (sc > bestScore + 1e-12) [best, bestScore] = [r, sc];
    }
    const [at2, at1] = score.get(best)!.map((perRate) => perRate[k]!);
    const [d2, d1] = score.get(UPDATE_RULES[0]!)!.map((perRate) => perRate[k]!);
    console.log(`  ${c.name.padEnd(26)} chosen '${best}' -> held-out 2 fps ${fmt(at2!)} (default ${fmt(d2!)}); 1 fps ${fmt(at1!)} (default ${fmt(d1!)})`);
  }
}

/**
 * Same-person and different-person cosine distances from the labels: each cached detection is given
 * the labelled identity it overlaps (IoU >= 0.5), and pairs at least `minGapSec` apart are compared.
 */
function identityPairs(clip: Clip, minGapSec: number): { same: number[]; diff: number[] } {
  const gtByFrame = new Map<number, MotRow[]>();
  for (const r of clip.gt) (gtByFrame.get(r.frame) ?? gtByFrame.set(r.frame, []).get(r.frame)!).push(r);
  const items: { id: number; t: number; v: Float32Array }[] = [];
  for (const [k, fr] of clip.cache.frames.entries()) {
    const gts = gtByFrame.get(fr.index + 1) ?? [];
    fr.boxes.forEach((b, j) => {
      let best: MotRow | null = null;
      let bestIou = 0.5;
      for (const g of gts) {
        const v = iou(b, [g.x, g.y, g.x + g.w, g.y + g.h]);
        if (v >= bestIou) [best, bestIou] = [g, v];
      }
      if (best) items.push({ id: best.id, t: fr.ptsSec, v: clip.vectors[k]![j]! });
    });
  }
  const same: number[] = [];
  const diff: number[] = [];
  for (let a = 0; a < items.length; a++)
    for (let b = a + 1; b < items.length; b++) {
      const x = items[a]!;
      const y = items[b]!;
      if (Math.abs(x.t - y.t) < minGapSec) continue;
      (x.id === y.id ? same : diff).push(1 - dot(x.v, y.v));
    }
  return { same, diff };
}

const q = (xs: number[], p: number): string => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3) : '-';
};
const T = DEFAULT_TRACKER_OPTIONS.reidMaxCosineDistance;
console.log('\nCosine distance between detections of the same / different labelled people, >= 2 s apart (quantiles 1 / 5 / 50 / 95 %):');
for (const c of clips) {
  const { same, diff } = identityPairs(c, 2);
  console.log(
    `  ${c.name.padEnd(26)} same n=${same.length} ${[0.01, 0.05, 0.5, 0.95].map((p) => q(same, p)).join(' / ')}; different n=${diff.length} ${[0.01, 0.05, 0.5, 0.95].map((p) => q(diff, p)).join(' / ')}; AUC ${auc(same, diff).toFixed(4)}; at reid_max_cosine_distance ${T} same accepted ${share(same, T)}, different accepted ${share(diff, T)}`,
  );
  if (values.sweep)
    console.log(
      `  ${''.padEnd(26)} under ${values.sweep
        .split(',')
        .map(Number)
        .map((g) => `${g}: same ${share(same, g)} different ${share(diff, g)}`)
        .join('; ')}`,
    );
}

/** The share of distances under t, as a percentage. */
function share(xs: readonly number[], t: number): string {
  return xs.length ? `${((100 * xs.filter((x) => x < t).length) / xs.length).toFixed(1)} %` : '-';
}

// Leave-one-clip-out choice of the re-identification gate: for each held-out clip, the value with the
// best mean (IDF1 + HOTA) / 2 over the other clips; ties go to the most permissive value (a gate
// that costs nothing on the training clips keeps its power to bring back a hidden person).
const GRID = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4];
const objective = (m: MotMetrics): number => (m.IDF1 + m.HOTA) / 2;
const table = new Map<number, MotMetrics[]>();
for (const g of GRID) table.set(g, await Promise.all(clips.map(async (c) => (await replay(c, trackerOptions({ reidMaxCosineDistance: g }))).metrics)));
console.log('\nreid_max_cosine_distance grid (IDF1 / IDSW per clip):');
for (const g of GRID)
  console.log(
    `  ${g.toFixed(2)}  ${table
      .get(g)!
      .map((m, k) => `${clips[k]!.name} ${m.IDF1.toFixed(3)} / ${m.IDSW}`)
      .join(', ')}`,
  );
console.log('Held-out (leave one clip out):');
for (const [k, c] of clips.entries()) {
  const train = clips.map((_x, i) => i).filter((i) => i !== k);
  let best = GRID[0]!;
  let bestScore = -Infinity;
  for (const g of GRID) {
    const sc = train.reduce((sum, i) => sum + objective(table.get(g)![i]!), 0) / train.length;
    if (sc >= bestScore - 1e-12) [best, bestScore] = [g, sc];
  }
  console.log(`  ${c.name.padEnd(26)} chosen ${best.toFixed(2)} on the others -> held-out ${fmt(table.get(best)![k]!)}`);
}

console.log('\nAblation (product defaults with one change): per clip MOTA / IDF1 / HOTA / IDSW');
const ablations: Array<[string, Partial<TrackerOptions>, boolean]> = [
  ['defaults', {}, true],
  ['no exit rule (picture unknown)', {}, false],
  ['no reach cap', { plausibility: { ...DEFAULT_TRACKER_OPTIONS.plausibility, maxReachBodyHeights: 1000, maxReachM: 1000 } }, true],
  ['neither (the previous tracker)', { plausibility: { ...DEFAULT_TRACKER_OPTIONS.plausibility, maxReachBodyHeights: 1000, maxReachM: 1000 } }, false],
  // The motion defaults chosen by agent/bench/tracker-cv.ts, one at a time back to the old values.
  ['max_age_updates 0', { maxAgeUpdates: 0 }, true],
  ['motion_rule overlap_first', { motionRule: 'overlap_first' }, true],
  ['low_match_max_cost 0.5', { lowMatchMaxCost: 0.5 }, true],
  ['all three (old motion defaults)', { maxAgeUpdates: 0, motionRule: 'overlap_first', lowMatchMaxCost: 0.5 }, true],
];
for (const [name, o, pic] of ablations) {
  const ms = await Promise.all(clips.map(async (c) => (await replay(c, trackerOptions(o), pic)).metrics));
  console.log(`  ${name.padEnd(32)} ${ms.map((m) => `${m.MOTA.toFixed(3)}/${m.IDF1.toFixed(3)}/${m.HOTA.toFixed(3)}/${m.IDSW}`).join('  ')}`);
}
