/**
 * The MOT sequences the tracker is cross-validated on (tracker-cv.ts) and diagnosed on
 * (tracker-switches.ts), and the published peers run on the same detections. One loader, so the
 * two benches can never disagree on what a sequence is.
 *
 * Sequences (all 25 fps):
 *  - tud-campus: SORT's public Faster R-CNN det.txt against the MOT15 ground truth (real detections);
 *  - tud-stadtmitte: MOT15 ground truth, detections SYNTHESISED from it with the error profile
 *    measured on TUD-Campus's real detections (eval/mot/synth-det.ts: miss runs, correlated box
 *    error and score, false positives);
 *  - sim-1, sim-2: the store simulator's people (agent/src/sim, noise off, so its tracks are ground
 *    truth), the busiest 20 s of a 15-minute day, detections synthesised the same way.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureDetectionProfile, synthesizeDetections } from '../src/eval/mot/index.js';
import { parseMot, readMotFile, type MotRow } from '../src/io/mot.js';
import { validateScenario } from '../src/sim/scenario.js';
import { simulateDay } from '../src/sim/simulate.js';

export const STRIDES = [1, 5, 10] as const;
export const FPS = 25;

export interface Sequence {
  readonly name: string;
  readonly gt: MotRow[];
  readonly det: MotRow[];
}

/** A simulated store's busiest 20 s (see the module comment); seeds 1 and 2 are the CV's, others are fresh test sequences. */
export function simSequence(seed: number, profile: ReturnType<typeof measureDetectionProfile>): Sequence {
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

/** The detection error profile measured on TUD-Campus's real detections, which every synthesised sequence uses. */
export function campusProfile(data: string): ReturnType<typeof measureDetectionProfile> {
  return measureDetectionProfile(readMotFile(join(data, 'mot/TUD-Campus/gt.txt')), readMotFile(join(data, 'mot/sort_frcnn_det/TUD-Campus/det.txt')));
}

export function loadSequences(data: string): Sequence[] {
  const campusGt = readMotFile(join(data, 'mot/TUD-Campus/gt.txt'));
  const campusDet = readMotFile(join(data, 'mot/sort_frcnn_det/TUD-Campus/det.txt'));
  const profile = measureDetectionProfile(campusGt, campusDet);
  const stadtGt = readMotFile(join(data, 'mot/TUD-Stadtmitte/gt.txt'));
  return [
    { name: 'tud-campus', gt: campusGt, det: campusDet },
    { name: 'tud-stadtmitte', gt: stadtGt, det: synthesizeDetections(stadtGt, profile, 1) },
    simSequence(1, profile),
    simSequence(2, profile),
  ];
}

/**
 * Rows as SORT and OC-SORT report them (their min_hits output rule): a track's box only at its
 * minHits-th consecutive sampled frame or later, except in the first minHits frames. The peers'
 * low ID-switch counts at strides 5 and 10 come partly from this: a track that missed a sample is
 * silent until it has been matched again minHits times, so a neighbour swap during that time is
 * never scored. Applied to our rows it compares association with association at the peers' coverage.
 * (Approximate: the peers count the birth frame outside the streak, our rows start at confirmation.)
 */
export function asPeersReport(rows: readonly MotRow[], stride: number, minHits = 3): MotRow[] {
  const at = new Set(rows.map((r) => `${r.frame}:${r.id}`));
  return rows.filter((r) => {
    if (r.frame <= 1 + stride * (minHits - 1)) return true;
    for (let k = 1; k < minHits; k++) if (!at.has(`${r.frame - k * stride}:${r.id}`)) return false;
    return true;
  });
}

export const PEERS = [
  ['SORT', 'sort'],
  ['OC-SORT', 'ocsort'],
] as const;
export type PeerName = (typeof PEERS)[number][0];

/**
 * Run the peers (SORT, OC-SORT, from their reference repositories: agent/bench/peers/run_peer.py)
 * on the sequence's detections at a stride; returns each peer's MOT rows. Files go under dir.
 */
export function runPeers(seq: Sequence, repos: readonly string[], stride: number, dir: string): Record<PeerName, MotRow[]> {
  const [sortRepo, ocRepo] = repos;
  const det = join(dir, `${seq.name}.det.txt`);
  writeFileSync(det, `${seq.det.map((r) => `${r.frame},-1,${r.x},${r.y},${r.w},${r.h},${r.conf},-1,-1,-1`).join('\n')}\n`);
  const out = {} as Record<PeerName, MotRow[]>;
  for (const [name, kind] of PEERS) {
    const file = join(dir, `${seq.name}.${kind}.s${stride}.txt`);
    const repo = kind === 'sort' ? sortRepo : ocRepo;
    execFileSync('python3', ['agent/bench/peers/run_peer.py', kind, repo!, det, file, '--stride', String(stride), '--ocsort-repo', ocRepo!], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    out[name] = parseMot(readFileSync(file, 'utf8'), file);
  }
  return out;
}
