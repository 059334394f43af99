/**
 * The id-switch resolver's decisions (scene/switches.ts) judged against the simulator's truth, over
 * simulated days: at each close pass it judged, who the two chains follow just before and just
 * after it (row labels, sim/evaluate.ts rowLabelOf). Crossed (each after is the other's before) and
 * swapped = right; crossed and kept = missed; straight and swapped = wrong; anything else (a chain
 * already on a third person, a false box) is not counted. Counted by what the doors said (swap,
 * keep, tie) and by what the pass's own motion said (keep, nothing, swap: the motion check's
 * errors against 2 x motionMarginM).
 *   npx tsx agent/bench/analytics-switches.ts [--days 20] [--fps 0.5 --noise 1.5] [--door-rule alone|unless-motion-keeps|with-motion] [--noise-z Z] [--verbose]
 * --verbose lists every pass that is not a right keep, and every one involving a seller.
 */
import { MOTION_MARGIN_M, type DoorRule, type SwitchDecision } from '../src/scene/switches.js';
import type { Observation } from '../src/scene/observations.js';
import { rowLabelOf } from '../src/sim/evaluate.js';
import { analyzeSimulatedDay, dayClock, numberArg as arg, simOptions, simulatedDay } from './sim-days.js';

const DAYS = arg('--days', 20);
const ruleAt = process.argv.indexOf('--door-rule');
const doorRule = ruleAt >= 0 ? (process.argv[ruleAt + 1] as DoorRule) : undefined;
const zAt = process.argv.indexOf('--noise-z');
const noiseZ = zAt >= 0 ? Number(process.argv[zAt + 1]) : undefined;
const VERBOSE = process.argv.includes('--verbose');

type Verdict = 'right swap' | 'missed swap' | 'wrong swap' | 'right keep';
const counts = new Map<string, number>();
const add = (k: string): void => {
  counts.set(k, (counts.get(k) ?? 0) + 1);
};
let uncounted = 0;
for (let seed = 1; seed <= DAYS; seed++) {
  const d = simulatedDay(seed, simOptions({ fps: arg('--fps', 0), noise: arg('--noise', 1) }));
  const streams = new Map(d.streams.map((s) => [s.camera, s]));
  const label = (o: Observation): string => rowLabelOf(o, streams.get(o.camera));
  const hms = dayClock(d.plan.t0);
  const decisions: SwitchDecision[] = [];
  analyzeSimulatedDay(d, {
    switchTuning: { ...(doorRule ? { doorRule } : {}), ...(noiseZ !== undefined ? { noiseZ } : {}), trace: (x) => decisions.push(x) },
  });
  for (const x of decisions) {
    const t = x.encounter.t;
    const ends = x.persons.map((p) => [[...p.obs].reverse().find((o) => o.t < t), p.obs.find((o) => o.t >= t)] as const);
    if (ends.some(([b, a]) => !b || !a)) {
      uncounted++;
      continue;
    }
    const [[pb, pa], [qb, qa]] = ends.map(([b, a]) => [label(b!), label(a!)] as const) as [[string, string], [string, string]];
    const crossed = pb === qa && qb === pa && pb !== pa;
    const straight = pb === pa && qb === qa;
    if (!crossed && !straight) {
      uncounted++;
      continue;
    }
    const verdict: Verdict = crossed ? (x.swapped ? 'right swap' : 'missed swap') : x.swapped ? 'wrong swap' : 'right keep';
    const doors = x.swapScore > x.keepScore ? 'swap' : x.swapScore < x.keepScore ? 'keep' : 'tie';
    const m = x.motion;
    const motion = m === null ? 'nothing' : m.keep - m.swap > 2 * MOTION_MARGIN_M ? 'swap' : m.swap - m.keep > 2 * MOTION_MARGIN_M ? 'keep' : 'nothing';
    add(`${verdict}|${doors}|${motion}`);
    const seller = pb.startsWith('seller:') || qb.startsWith('seller:');
    if (VERBOSE && (verdict !== 'right keep' || seller))
      console.log(
        `  seed ${seed} ${hms(t)} ${verdict}${seller ? ' (seller)' : ''}: ${pb} / ${qb} -> ${pa} / ${qa}; heads ${x.heads.join(',')} tails ${x.tails.join(',')}; doors ${doors}, motion ${m ? `keep ${m.keep.toFixed(2)} swap ${m.swap.toFixed(2)}` : '-'}`,
      );
  }
}
console.log(`close passes judged over seeds 1..${DAYS} (door rule ${doorRule ?? 'default'}, noise z ${noiseZ ?? 'default'}); ${uncounted} not counted`);
console.log('  verdict       doors  | motion says:  keep nothing   swap');
for (const v of ['right swap', 'missed swap', 'wrong swap', 'right keep'] as const)
  for (const doors of ['swap', 'tie', 'keep'])
    console.log(
      `  ${v.padEnd(12)}  ${doors.padEnd(5)}  |             ${['keep', 'nothing', 'swap'].map((m) => String(counts.get(`${v}|${doors}|${m}`) ?? 0).padStart(7)).join('')}`,
    );
