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
 *   npx tsx agent/bench/tracker-cv.ts [--peers SORT_REPO,OCSORT_REPO] [--quick]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateMot, measureDetectionProfile, synthesizeDetections, type MotMetrics } from '../src/eval/mot/index.js';
import { parseMot, readMotFile, type MotRow } from '../src/io/mot.js';
import { validateScenario } from '../src/sim/scenario.js';
import { simulateDay } from '../src/sim/simulate.js';
import { trackMotDetections } from '../src/track/mot-run.js';
import { trackerOptions, type TrackerOptions } from '../src/track/options.js';
import type { QuantileRule } from '../src/track/thresholds.js';

const { values } = parseArgs({
  options: {
    peers: { type: 'string' },
    quick: { type: 'boolean', default: false },
    data: { type: 'string', default: process.env.FLOORSENSE_SHARED_DATA ?? '../shared/data' },
  },
});
const DATA = values.data;
const STRIDES = [1, 5, 10] as const;
const FPS = 25;

interface Sequence {
  readonly name: string;
  readonly gt: MotRow[];
  readonly det: MotRow[];
}

function simSequence(seed: number, profile: ReturnType<typeof measureDetectionProfile>): Sequence {
  const sc = validateScenario({
    date: '2025-04-12',
    hours: { open: '10:00', close: '10:15' },
    cameras: { count: 1 },
    sellers: [
      { id: 's1', name: 'A', start: '10:00', end: '10:15', post: 'counter' },
      { id: 's2', name: 'B', start: '10:00', end: '10:15', post: 'floor' },
    ],
    customers: { arrivals_per_hour: 120 },
    video: { fps: FPS, stride: 1 },
    noise: {
      miss_rate: 0,
      jitter: 0,
      occlusions_per_hour: 0,
      id_switch_probability: 0,
      fragments_per_hour: 0,
      false_positives_per_hour: 0,
      max_age_seconds: 60,
    },
  });
  const rows = simulateDay(sc, seed).streams[0]!.rows;
  // The busiest window: most person-boxes in WINDOW consecutive frames.
  const WINDOW = 20 * FPS;
  const per = new Map<number, number>();
  for (const r of rows) per.set(r.frame, (per.get(r.frame) ?? 0) + 1);
  const first = Math.min(...per.keys());
  const last = Math.max(...per.keys());
  let best = first;
  let bestN = -1;
  for (let s = first; s + WINDOW <= last; s += FPS) {
    let n = 0;
    for (let f = s; f < s + WINDOW; f++) n += per.get(f) ?? 0;
    if (n > bestN) {
      bestN = n;
      best = s;
    }
  }
  const gt = rows.filter((r) => r.frame >= best && r.frame < best + WINDOW).map((r) => ({ ...r, frame: r.frame - best + 1, conf: 1 }));
  return { name: `sim-${seed}`, gt, det: synthesizeDetections(gt, profile, seed) };
}

function loadSequences(): Sequence[] {
  const campusGt = readMotFile(join(DATA, 'mot/TUD-Campus/gt.txt'));
  const campusDet = readMotFile(join(DATA, 'mot/sort_frcnn_det/TUD-Campus/det.txt'));
  const profile = measureDetectionProfile(campusGt, campusDet);
  const stadtGt = readMotFile(join(DATA, 'mot/TUD-Stadtmitte/gt.txt'));
  return [
    { name: 'tud-campus', gt: campusGt, det: campusDet },
    { name: 'tud-stadtmitte', gt: stadtGt, det: synthesizeDetections(stadtGt, profile, 1) },
    simSequence(1, profile),
    simSequence(2, profile),
  ];
}

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
 * "two people meeting and turning back"), a move no CV sequence contains. Kept small because the development box is shared:
 * max_age_s 1 and OC-SORT's recovery and re-update on were settled by earlier ablation runs
 * (the ablation printed at the end re-checks them against the chosen setting).
 */
function candidates(quick: boolean): Candidate[] {
  const out: Candidate[] = [];
  const qs = quick
    ? [[0.1, 0.2]]
    : [
        [0.05, 0.15],
        [0.1, 0.2],
        [0.2, 0.3],
      ];
  const ages = [1];
  const ageUpdates = quick ? [5] : [0, 5];
  const rules = quick ? (['overlap_first'] as const) : (['min', 'overlap_first'] as const);
  const gates = [9.4877];
  const oc = [true];
  for (const [qHigh, qNew] of qs) {
    for (const maxAgeSec of ages) {
      for (const maxAgeUpdates of ageUpdates) {
        for (const motionRule of rules) {
          for (const motionGateChi2 of gates) {
            for (const ocOn of oc) {
              out.push({
                label: `q ${qHigh}/${qNew}, age ${maxAgeSec} s / ${maxAgeUpdates} updates, ${motionRule} chi2 ${motionGateChi2}, OC ${ocOn ? 'on' : 'off'}`,
                rule: { qHigh: qHigh!, qNew: qNew!, floor: 0.1 },
                options: trackerOptions({ maxAgeSec, maxAgeUpdates, motionRule, motionGateChi2, observationRecovery: ocOn, observationReupdate: ocOn }),
              });
            }
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

const objective = (m: MotMetrics): number => (m.IDF1 + m.HOTA) / 2;

function peerFigures(seq: Sequence, repos: readonly string[], dir: string): Record<string, Record<number, MotMetrics>> {
  const [sortRepo, ocRepo] = repos;
  const det = join(dir, `${seq.name}.det.txt`);
  writeFileSync(det, `${seq.det.map((r) => `${r.frame},-1,${r.x},${r.y},${r.w},${r.h},${r.conf},-1,-1,-1`).join('\n')}\n`);
  const res: Record<string, Record<number, MotMetrics>> = { SORT: {}, 'OC-SORT': {} };
  for (const stride of STRIDES) {
    for (const [name, kind, repo] of [
      ['SORT', 'sort', sortRepo],
      ['OC-SORT', 'ocsort', ocRepo],
    ] as const) {
      const out = join(dir, `${seq.name}.${kind}.s${stride}.txt`);
      execFileSync('python3', ['agent/bench/peers/run_peer.py', kind, repo!, det, out, '--stride', String(stride), '--ocsort-repo', ocRepo!], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      res[name]![stride] = evaluateMot(seq.gt, parseMot(readFileSync(out, 'utf8'), out), { stride });
    }
  }
  return res;
}

const fmt = (m: MotMetrics): string => `${m.MOTA.toFixed(3)} / ${m.IDF1.toFixed(3)} / ${m.HOTA.toFixed(3)} / ${m.IDSW}`;

const seqs = loadSequences();
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
console.log(`| sequence | stride | FloorSense (held-out) |${repos ? ' SORT | OC-SORT |' : ''} params chosen on the other sequences |`);
console.log(`|---|---|---|${repos ? '---|---|' : ''}---|`);
for (const [si, s] of seqs.entries()) {
  const ci = argBest(seqs.map((_x, k) => k).filter((k) => k !== si));
  const peers = repos ? peerFigures(s, repos, peerDir) : null;
  for (const [k, stride] of STRIDES.entries()) {
    const m = table[ci]![si]![k]!;
    const p = peers ? ` ${fmt(peers.SORT![stride]!)} | ${fmt(peers['OC-SORT']![stride]!)} |` : '';
    console.log(`| ${s.name} | ${stride} | ${fmt(m)} |${p} ${k === 0 ? cands[ci]!.label : ''} |`);
  }
}
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
