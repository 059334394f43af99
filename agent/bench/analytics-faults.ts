/**
 * The two role faults, counted per simulated day (truth row by row: sim/evaluate.ts rowLabelOf):
 * - seller time inside customer visits: sightings of a seller in a person the pipeline calls a
 *   customer's visit (the stitcher joined a seller's piece to a customer); visits with under 2 s of
 *   it (a stray sample at a close pass) are not counted;
 * - true sellers taken as customers: persons most of whose sightings are of a seller, with the
 *   customer role (a visit, or dropped as too short).
 *   npx tsx agent/bench/analytics-faults.ts [--days 20] [--fps F] [--noise X] [--verbose] [the switch resolver's flags: sim-days.ts switchTuningArgs]
 */
import type { Observation } from '../src/scene/observations.js';
import { observedStepS } from '../src/scene/roles.js';
import { rowLabelOf, trueLabelOf } from '../src/sim/evaluate.js';
import { analyzeSimulatedDay, dayClock, numberArg as arg, simOptions, simulatedDay, switchTuningArgs } from './sim-days.js';

const DAYS = arg('--days', 20);
const FPS = arg('--fps', 0);
const NOISE = arg('--noise', 1);
const VERBOSE = process.argv.includes('--verbose');

let chainedN = 0;
let chainedS = 0;
let sellerAsCustN = 0;
let sellerAsCustS = 0;
let sellerVisitN = 0;
let sellerVisitS = 0;
console.log('seed  customer visits with seller time (n, s)    sellers as customers (n, s)');
for (let seed = 1; seed <= DAYS; seed++) {
  const d = simulatedDay(seed, simOptions({ fps: FPS, noise: NOISE }));
  const r = analyzeSimulatedDay(d, { switchTuning: switchTuningArgs() });
  const t0 = d.plan.t0;
  const hms = dayClock(t0);
  const visitIds = new Set(r.visits.map((v) => v.id));
  const streams = new Map(d.streams.map((x) => [x.camera, x]));
  /** Who a fragment follows over time: runs of one true label, with their times and zones at the ends. */
  const segments = (obs: readonly Observation[]): string => {
    const out: string[] = [];
    let i = 0;
    while (i < obs.length) {
      const l = rowLabelOf(obs[i]!, streams.get(obs[i]!.camera));
      let j = i;
      while (j + 1 < obs.length && rowLabelOf(obs[j + 1]!, streams.get(obs[j + 1]!.camera)) === l) j++;
      out.push(`${l} ${hms(obs[i]!.t)}(${obs[i]!.zoneKind ?? '-'})-${hms(obs[j]!.t)}(${obs[j]!.zoneKind ?? '-'}) ${j - i + 1} obs`);
      i = j + 1;
    }
    return out.join(' | ');
  };
  let cn = 0;
  let cs = 0;
  let sn = 0;
  let ss = 0;
  const lines: string[] = [];
  for (const role of r.roles) {
    const label = trueLabelOf(role.person.obs, d.streams);
    if (role.role === 'customer' && label.startsWith('seller:')) {
      sn++;
      ss += role.features.seenS;
      if (visitIds.has(role.person.id)) {
        sellerVisitN++;
        sellerVisitS += role.features.seenS;
      }
      lines.push(
        `    seller as customer: person ${role.person.id} (${label}) ${hms(role.person.start)}-${hms(role.person.end)} seen ${role.features.seenS.toFixed(0)} s, staff zone ${role.features.staffZoneS.toFixed(0)} s, ${role.person.fragments.length} fragments, visit ${visitIds.has(role.person.id)}, p(staff) ${(1 - role.confidence).toFixed(2)}`,
      );
      for (const f of role.person.fragments) lines.push(`      ${f.key}: ${segments(f.obs)}`);
      continue;
    }
    if (role.role !== 'customer' || !visitIds.has(role.person.id) || !label.startsWith('customer:')) continue;
    // Seller time inside a customer's visit, sighting by sighting (row labels).
    const obs = role.person.obs;
    let sellerS = 0;
    for (let i = 0; i < obs.length; i++) if (rowLabelOf(obs[i]!, streams.get(obs[i]!.camera)).startsWith('seller:')) sellerS += observedStepS(obs, i);
    if (sellerS < 2) continue; // one stray sample at a close pass is not a chained seller
    cn++;
    cs += sellerS;
    lines.push(`    seller time ${sellerS.toFixed(0)} s in visit ${role.person.id} (${label}) ${hms(role.person.start)}-${hms(role.person.end)}`);
    for (const f of role.person.fragments) lines.push(`      ${f.key}: ${segments(f.obs)}`);
  }
  chainedN += cn;
  chainedS += cs;
  sellerAsCustN += sn;
  sellerAsCustS += ss;
  console.log(
    `${String(seed).padStart(4)}  ${String(cn).padStart(6)} ${cs.toFixed(0).padStart(7)}                              ${String(sn).padStart(5)} ${ss.toFixed(0).padStart(7)}`,
  );
  if (VERBOSE) for (const l of lines) console.log(l);
}
console.log(
  `all   ${String(chainedN).padStart(6)} ${chainedS.toFixed(0).padStart(7)} s                            ${String(sellerAsCustN).padStart(5)} ${sellerAsCustS.toFixed(0).padStart(7)} s (${(sellerAsCustS / 3600).toFixed(2)} h)`,
);
console.log(
  `sellers taken as customers' visits: ${sellerVisitN} (${(sellerVisitS / 3600).toFixed(2)} h); the other ${sellerAsCustN - sellerVisitN} (${((sellerAsCustS - sellerVisitS) / 3600).toFixed(2)} h) were dropped as noise (too short to be visits)`,
);
