/**
 * Leave-one-sequence-out cross-validation of the tracker's parameters, printing HELD-OUT figures
 * only (MOTA / IDF1 / HOTA / IDSW at strides 1, 5, 10), beside SORT and OC-SORT run from their own
 * reference code on the same detections (agent/bench/peers/run_peer.py) when their repos are given.
 *
 * Sequences (all 25 fps):
 *  - tud-campus: SORT's public Faster R-CNN det.txt against the MOT15 ground truth (real detections);
 *  - tud-stadtmitte: MOT15 ground truth, detections SYNTHESISED from it with the error profile
 *    measured on TUD-Campus's real detections (eval/mot/synth-det.ts: miss runs, correlated box
 *    error and score, false positives);
 *  - sim-1, sim-2: the store simulator's people (agent/src/sim, noise off, so its tracks are ground
 *    truth), the busiest 20 s of a 15-minute day, detections synthesised the same way.
 * Each sequence's score thresholds are calibrated on its own detections by the quantile rule being
 * evaluated (no ground truth involved). For each held-out sequence, the parameters are the ones
 * with the best mean (IDF1 + HOTA) / 2 over the other sequences and all three strides.
 *
 * With --test-seeds, the setting chosen on all four (the product defaults) is then scored on fresh
 * simulated stores (the same generator, seeds the CV never saw), beside the peers: a test set that
 * tells a real gap from the noise of four sequences (one rule changed can move a row's switch count
 * by a third either way).
 *
 *   npx tsx agent/bench/tracker-cv.ts [--peers SORT_REPO,OCSORT_REPO] [--quick] [--test-seeds 3,4,5,6] [--accel 0.8,0.4,0.2,0.1]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateMot, type MotMetrics } from '../src/eval/mot/index.js';
import { trackMotDetections } from '../src/track/mot-run.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptions, type TrackerOptions } from '../src/track/options.js';
import type { QuantileRule } from '../src/track/thresholds.js';
import { asPeersReport, campusProfile, FPS, loadSequences, runPeers, simSequence, STRIDES, type Sequence } from './mot-sequences.js';

const { values } = parseArgs({
  options: {
    peers: { type: 'string' },
    quick: { type: 'boolean', default: false },
    // Fresh simulator seeds the CV never sees: the setting chosen on all CV sequences is scored on them, beside the peers.
    'test-seeds': { type: 'string', default: '' },
    // The motion_acceleration_noise axis of the grid (comma-separated), default 0.8,0.4,0.2,0.1.
    accel: { type: 'string' },
    data: { type: 'string', default: process.env.FLOORSENSE_SHARED_DATA ?? '../shared/data' },
  },
});
const DATA = values.data;

interface Candidate {
  readonly label: string;
  readonly rule: QuantileRule;
  readonly options: TrackerOptions;
}

/**
 * The grid: axes a principle does not settle. Fixed by principle instead: the plausibility gate
 * (1.5 body heights a second + 0.5 slack: a hurried walk, not a fit), min_hits and the appearance
 * terms (public detections carry no images), and the Mahalanobis gate at the chi-square 95%
 * quantile (9.49): a tighter gate (4) scored better on these sequences, which are 2.5-25 fps walks,
 * but at the product's 1 fps it cuts off a person who turns back (test/track/tracker-life.test.ts,
 * "two people meeting and turning back"), a move no CV sequence contains. max_age_s 1 and OC-SORT's
 * recovery and re-update on were settled by earlier ablation runs (the ablation printed at the end
 * re-checks them against the chosen setting). The 'min' motion rule is left out of the grid (it
 * ranked below overlap_first in every earlier run) to keep the run short on the shared box; the
 * ablation re-checks it too.
 */
function candidates(quick: boolean): Candidate[] {
  const out: Candidate[] = [];
  const qs = quick
    ? [[0.05, 0.15]]
    : [
        [0.05, 0.15],
        [0.1, 0.2],
        [0.2, 0.3],
      ];
  // OC-SORT counts its max_age (30) in frames; at 2.5 fps a second is 2.5 samples.
  const ageUpdates = quick ? [10] : [0, 10, 30];
  const rules = quick ? (['cascade'] as const) : (['overlap_first', 'cascade'] as const);
  // ByteTrack's second pass takes IoU >= 0.5 (cost 0.5); low-score boxes are the occluded ones.
  const lowCosts = quick ? [0.3] : [0.5, 0.3];
  // The Kalman filter's white-noise acceleration (tracker.motion_acceleration_noise), body heights
  // per second after 1 s: 0.8 was the skeleton's; OC-SORT keeps the velocity stiff (its velocity
  // process noise is 1/100 of the position's), and the switch trace (tracker-switches.ts) puts
  // most of our switches at strides 5-10 on standing people whose predicted box drifted with a
  // velocity learned from detector jitter. A wide log-spaced axis, so the CV, not a guess, picks it.
  // The gate's manoeuvre noise stays 0.8 by principle (the reach the gate had; a turn-back between
  // 1 fps samples, test/track/tracker-life.test.ts, is a move no CV sequence contains).
  const accels = values.accel ? values.accel.split(',').map(Number) : [0.8, 0.4, 0.2, 0.1];
  for (const [qHigh, qNew] of qs) {
    for (const maxAgeUpdates of ageUpdates) {
      for (const motionRule of rules) {
        for (const lowMatchMaxCost of lowCosts) {
          for (const accelerationNoise of accels) {
            out.push({
              label: `q ${qHigh}/${qNew}, ${maxAgeUpdates} updates, ${motionRule}, low cost ${lowMatchMaxCost}, accel ${accelerationNoise}`,
              rule: { qHigh: qHigh!, qNew: qNew!, floor: 0.1 },
              options: trackerOptions({ maxAgeUpdates, motionRule, lowMatchMaxCost, kalman: { ...DEFAULT_TRACKER_OPTIONS.kalman, accelerationNoise } }),
            });
          }
        }
      }
    }
  }
  return out;
}

async function score(seq: Sequence, c: Candidate, stride: number): Promise<MotMetrics> {
  const { rows } = await trackMotDetections(seq.det, { fps: FPS, stride, tracker: c.options, calibrate: c.rule });
  return evaluateMot(seq.gt, rows, { stride });
}

/** Our rows reported as the peers report (asPeersReport): association against association at their coverage. */
async function scoreAsPeersReport(seq: Sequence, c: Candidate, stride: number): Promise<MotMetrics> {
  const { rows } = await trackMotDetections(seq.det, { fps: FPS, stride, tracker: c.options, calibrate: c.rule });
  return evaluateMot(seq.gt, asPeersReport(rows, stride), { stride });
}

const objective = (m: MotMetrics): number => (m.IDF1 + m.HOTA) / 2;

function peerFigures(seq: Sequence, repos: readonly string[], dir: string): Record<string, Record<number, MotMetrics>> {
  const res: Record<string, Record<number, MotMetrics>> = { SORT: {}, 'OC-SORT': {} };
  for (const stride of STRIDES) {
    for (const [name, rows] of Object.entries(runPeers(seq, repos, stride, dir))) res[name]![stride] = evaluateMot(seq.gt, rows, { stride });
  }
  return res;
}

/** Issue 12's goal for a row: ID switches no more than the best peer, IDF1 and HOTA at least the best peer's. */
const meetsGoal = (m: MotMetrics, peers: readonly MotMetrics[]): boolean =>
  m.IDSW <= Math.min(...peers.map((x) => x.IDSW)) && m.IDF1 >= Math.max(...peers.map((x) => x.IDF1)) && m.HOTA >= Math.max(...peers.map((x) => x.HOTA));

const fmt = (m: MotMetrics): string => `${m.MOTA.toFixed(3)} / ${m.IDF1.toFixed(3)} / ${m.HOTA.toFixed(3)} / ${m.IDSW}`;

const seqs = loadSequences(DATA);
const cands = candidates(values.quick);
process.stderr.write(
  `${seqs.map((s) => `${s.name} (${new Set(s.gt.map((r) => r.frame)).size} frames, ${s.gt.length} gt boxes, ${s.det.length} dets)`).join(', ')}; ${cands.length} candidates\n`,
);
// table[c][s][stride]
const table: MotMetrics[][][] = [];
for (const [ci, c] of cands.entries()) {
  const row: MotMetrics[][] = [];
  for (const s of seqs) {
    const per: MotMetrics[] = [];
    for (const stride of STRIDES) per.push(await score(s, c, stride));
    row.push(per);
  }
  table.push(row);
  if (ci % 20 === 19) process.stderr.write(`  ${ci + 1}/${cands.length}\n`);
}
const meanOver = (ci: number, seqIdx: readonly number[]): number => {
  let sum = 0;
  for (const si of seqIdx) for (let k = 0; k < STRIDES.length; k++) sum += objective(table[ci]![si]![k]!);
  return sum / (seqIdx.length * STRIDES.length);
};
const argBest = (seqIdx: readonly number[]): number => cands.reduce((b, _c, ci) => (meanOver(ci, seqIdx) > meanOver(b, seqIdx) ? ci : b), 0);

const peerDir = join('out', 'tracker-cv');
mkdirSync(peerDir, { recursive: true });
const repos = values.peers ? values.peers.split(',') : null;
console.log('Held-out figures (leave one sequence out): MOTA / IDF1 / HOTA / IDSW\n');
console.log(`| sequence | stride | FloorSense (held-out) |${repos ? ' SORT | OC-SORT | goal |' : ''} params chosen on the other sequences |`);
console.log(`|---|---|---|${repos ? '---|---|---|' : ''}---|`);
let met = 0;
for (const [si, s] of seqs.entries()) {
  const ci = argBest(seqs.map((_x, k) => k).filter((k) => k !== si));
  const peers = repos ? peerFigures(s, repos, peerDir) : null;
  for (const [k, stride] of STRIDES.entries()) {
    const m = table[ci]![si]![k]!;
    let p = '';
    if (peers) {
      const ok = meetsGoal(m, [peers.SORT![stride]!, peers['OC-SORT']![stride]!]);
      met += ok ? 1 : 0;
      p = ` ${fmt(peers.SORT![stride]!)} | ${fmt(peers['OC-SORT']![stride]!)} | ${ok ? 'met' : 'not met'} |`;
    }
    console.log(`| ${s.name} | ${stride} | ${fmt(m)} |${p} ${k === 0 ? cands[ci]!.label : ''} |`);
  }
}
if (repos) console.log(`\nGoal met on ${met} of ${seqs.length * STRIDES.length} held-out rows`);
const all = argBest(seqs.map((_x, k) => k));
console.log(
  `\nChosen on all sequences (the product defaults): ${cands[all]!.label} (mean (IDF1+HOTA)/2 ${meanOver(
    all,
    seqs.map((_x, k) => k),
  ).toFixed(4)})`,
);
const ranked = cands
  .map((_c, ci) => ci)
  .sort(
    (a, b) =>
      meanOver(
        b,
        seqs.map((_x, k) => k),
      ) -
      meanOver(
        a,
        seqs.map((_x, k) => k),
      ),
  );
console.log('Top 5 on all sequences:');
for (const ci of ranked.slice(0, 5))
  console.log(
    `  ${meanOver(
      ci,
      seqs.map((_x, k) => k),
    ).toFixed(4)}  ${cands[ci]!.label}`,
  );

// Ablation of the settings fixed by principle, around the chosen one (all sequences, all strides).
const chosen = cands[all]!;
const ablations: Array<[string, Partial<TrackerOptions>]> = [
  ['chosen', {}],
  ['OC-SORT recovery + re-update off', { observationRecovery: false, observationReupdate: false }],
  ['max_age_s 2', { maxAgeSec: 2 }],
  ['motion rule min', { motionRule: 'min' }],
  ['plausibility gate off', { plausibility: { ...chosen.options.plausibility, maxSpeedBodyHeights: 1000, slackBodyHeights: 1000, maxReachBodyHeights: 1000 } }],
];
console.log('\nAblation around the chosen setting: mean (IDF1+HOTA)/2 and total IDSW over all sequences and strides');
for (const [name, o] of ablations) {
  const c: Candidate = { ...chosen, options: trackerOptions({ ...chosen.options, ...o }) };
  let sum = 0;
  let idsw = 0;
  for (const sq of seqs)
    for (const stride of STRIDES) {
      const m = await score(sq, c, stride);
      sum += objective(m);
      idsw += m.IDSW;
    }
  console.log(`  ${(sum / (seqs.length * STRIDES.length)).toFixed(4)}  IDSW ${idsw}  ${name}`);
}

// A test set the CV never saw: fresh simulated stores (same generator and detection error profile,
// other seeds), scored with the setting chosen on all four CV sequences, beside the peers.
const testSeeds = values['test-seeds'] ? values['test-seeds'].split(',').map(Number) : [];
if (testSeeds.length > 0) {
  const profile = campusProfile(DATA);
  console.log(`\nTest set (simulated stores ${testSeeds.join(', ')}, never in the CV), the chosen setting: MOTA / IDF1 / HOTA / IDSW`);
  console.log(`| sequence | stride | FloorSense | FloorSense as the peers report |${repos ? ' SORT | OC-SORT | goal |' : ''}`);
  console.log(`|---|---|---|---|${repos ? '---|---|---|' : ''}`);
  let testMet = 0;
  const idsw = { FloorSense: 0, 'as the peers report': 0, SORT: 0, 'OC-SORT': 0 };
  for (const seed of testSeeds) {
    const s = simSequence(seed, profile);
    const peers = repos ? peerFigures(s, repos, peerDir) : null;
    for (const stride of STRIDES) {
      const m = await score(s, chosen, stride);
      const q = await scoreAsPeersReport(s, chosen, stride);
      idsw.FloorSense += m.IDSW;
      idsw['as the peers report'] += q.IDSW;
      let p = '';
      if (peers) {
        const [sort, oc] = [peers.SORT![stride]!, peers['OC-SORT']![stride]!];
        const ok = meetsGoal(m, [sort, oc]);
        testMet += ok ? 1 : 0;
        idsw.SORT += sort.IDSW;
        idsw['OC-SORT'] += oc.IDSW;
        p = ` ${fmt(sort)} | ${fmt(oc)} | ${ok ? 'met' : 'not met'} |`;
      }
      console.log(`| ${s.name} | ${stride} | ${fmt(m)} | ${fmt(q)} |${p}`);
    }
  }
  console.log(
    `IDSW summed: FloorSense ${idsw.FloorSense} (as the peers report ${idsw['as the peers report']})${repos ? `, SORT ${idsw.SORT}, OC-SORT ${idsw['OC-SORT']}; goal met on ${testMet} of ${testSeeds.length * STRIDES.length} rows` : ''}`,
  );
}
