/**
 * The id-switch resolver's decisions (scene/switches.ts) judged against the simulator's truth, over
 * simulated days: at each close pass it judged, who the two chains follow just before and just
 * after it (row labels, sim/evaluate.ts rowLabelOf). Crossed (each after is the other's before) and
 * swapped = right; crossed and kept = missed; straight and swapped = wrong; anything else (a chain
 * already on a third person, a false box) is not counted. Counted by what the doors said (swap,
 * keep, tie) and by what the pass's own motion said (keep, nothing, swap: the motion check's
 * errors against 2 x motionMarginM).
 *   npx tsx agent/bench/analytics-switches.ts [--days 20] [--fps 0.5 --noise 1.5] [--door-rule R] [--noise-z Z] [--motion-span S] [--motion-sides S] [--verbose]
 * --verbose lists every pass that is not a right keep, and every one involving a seller.
 */
import { MOTION_MARGIN_M, type SwitchDecision } from '../src/scene/switches.js';
import type { Observation } from '../src/scene/observations.js';
import { rowLabelOf } from '../src/sim/evaluate.js';
import { analyzeSimulatedDay, dayClock, numberArg as arg, simOptions, simulatedDay, switchTuningArgs } from './sim-days.js';

const DAYS = arg('--days', 20);
const tuning = switchTuningArgs();
const VERBOSE = process.argv.includes('--verbose');

type Verdict = 'right swap' | 'missed swap' | 'wrong swap' | 'right keep';
const counts = new Map<string, number>();
const add = (k: string): void => {
  counts.set(k, (counts.get(k) ?? 0) + 1);
};
let uncounted = 0;
const runCounts = new Map<string, number>();
const addRun = (k: string): void => {
  runCounts.set(k, (runCounts.get(k) ?? 0) + 1);
};
for (let seed = 1; seed <= DAYS; seed++) {
  const d = simulatedDay(seed, simOptions({ fps: arg('--fps', 0), noise: arg('--noise', 1) }));
  const streams = new Map(d.streams.map((s) => [s.camera, s]));
  const label = (o: Observation): string => rowLabelOf(o, streams.get(o.camera));
  const hms = dayClock(d.plan.t0);
  const decisions: SwitchDecision[] = [];
  analyzeSimulatedDay(d, {
    switchTuning: { ...tuning, trace: (x) => decisions.push(x) },
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
    // The same pass judged over its whole run of closeness: who each chain follows just before the run and just after it
    // (the tracker may swap them at any sample of the run, not only at its first), and where in the run the labels cross.
    const runEnd = Math.max(...x.encounter.run.flat().map((o) => o.t));
    const afterRun = x.persons.map((p) => p.obs.find((o) => o.t > runEnd));
    if (afterRun.every((o) => o !== undefined)) {
      const [ra, rb] = afterRun.map((o) => label(o!)) as [string, string];
      const runCrossed = pb === rb && qb === ra && pb !== ra;
      const runStraight = pb === ra && qb === rb;
      if (runCrossed || runStraight) {
        const rv: Verdict = runCrossed ? (x.swapped ? 'right swap' : 'missed swap') : x.swapped ? 'wrong swap' : 'right keep';
        const at = x.encounter.run.findIndex(([a, b]) => label(a) === qb && label(b) === pb);
        const n = x.encounter.run.length;
        addRun(`${verdict}|${rv}`);
        if (runCrossed) addRun(`at|${at < 0 ? 'after' : at >= 3 ? '3+' : at}|${n >= 5 ? '5+' : n}`);
        if (VERBOSE && verdict !== rv)
          console.log(`  seed ${seed} ${hms(t)} at the first sample ${verdict}, over the run ${rv} (run of ${n}, labels cross at ${at})`);
      }
    }
    const doors = x.swapScore > x.keepScore ? 'swap' : x.swapScore < x.keepScore ? 'keep' : 'tie';
    const m = x.motion;
    const motion = m === null ? 'nothing' : m.keep - m.swap > 2 * MOTION_MARGIN_M ? 'swap' : m.swap - m.keep > 2 * MOTION_MARGIN_M ? 'keep' : 'nothing';
    add(`${verdict}|${doors}|${motion}`);
    const seller = pb.startsWith('seller:') || qb.startsWith('seller:');
    if (VERBOSE && (verdict !== 'right keep' || seller))
      console.log(
        `  seed ${seed} ${hms(t)} ${verdict}${seller ? ' (seller)' : ''}: ${pb} / ${qb} -> ${pa} / ${qa}; heads ${x.heads.join(',')} tails ${x.tails.join(',')}; doors ${doors} (keep ${x.keepScore} swap ${x.swapScore}), motion ${m ? `keep ${m.keep.toFixed(2)} swap ${m.swap.toFixed(2)}` : '-'}`,
      );
  }
}
console.log(
  `close passes judged over seeds 1..${DAYS} (door rule ${tuning.doorRule ?? 'default'}, noise z ${tuning.noiseZ ?? 'default'}, motion span ${tuning.motionSpan ?? 'default'}, sides ${tuning.motionSides ?? 'default'}); ${uncounted} not counted`,
);
console.log('  verdict       doors  | motion says:  keep nothing   swap');
for (const v of ['right swap', 'missed swap', 'wrong swap', 'right keep'] as const)
  for (const doors of ['swap', 'tie', 'keep'])
    console.log(
      `  ${v.padEnd(12)}  ${doors.padEnd(5)}  |             ${['keep', 'nothing', 'swap'].map((m) => String(counts.get(`${v}|${doors}|${m}`) ?? 0).padStart(7)).join('')}`,
    );
console.log('the same passes judged over the whole run of closeness (labels just before the run and just after it): first-sample verdict -> run verdict');
for (const v of ['right swap', 'missed swap', 'wrong swap', 'right keep'] as const)
  console.log(
    `  ${v.padEnd(12)} -> ${['right swap', 'missed swap', 'wrong swap', 'right keep'].map((w) => `${w} ${runCounts.get(`${v}|${w}`) ?? 0}`).join(', ')}`,
  );
console.log('crossed over the run: the run sample at which the labels first cross (0 = the first), by run length (samples)');
console.log(`  at      ${['1', '2', '3', '4', '5+'].map((n) => n.padStart(6)).join('')}`);
for (const at of ['0', '1', '2', '3+', 'after'])
  console.log(`  ${at.padEnd(6)}  ${['1', '2', '3', '4', '5+'].map((n) => String(runCounts.get(`at|${at}|${n}`) ?? 0).padStart(6)).join('')}`);
