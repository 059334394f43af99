/**
 * Per-visit trace of one simulated day: truth against the pipeline, to explain a bad day.
 *   npx tsx agent/bench/analytics-trace.ts --seed N [--noise 1] [--fps F]
 * Prints the key-metric errors, every receipt whose matched visit follows another true customer
 * than the receipt's (with the till stays that competed), and every consultation the pipeline found
 * or missed, by true visit.
 */
import { tillStays } from '../src/sales/match.js';
import { KEY_METRICS, keyMetricErrors, trueLabelOf } from '../src/sim/evaluate.js';
import { positionAt } from '../src/sim/path.js';
import { analyzeSimulatedDay, dayClock, numberArg as arg, simOptions, simulatedDay } from './sim-days.js';

const seed = arg('--seed', 1);
const fps = arg('--fps', 0);
const d = simulatedDay(seed, simOptions({ fps, noise: arg('--noise', 1) }));
const a = d.config.analytics;
const r = analyzeSimulatedDay(d);
const t0 = d.plan.t0;
const hms = dayClock(t0);
const e = keyMetricErrors(r.report, d.truth);
console.log(`seed ${seed}: ${KEY_METRICS.map((k) => `${k} ${e[k] === null ? '-' : (100 * e[k]!).toFixed(1)}%`).join(', ')}`);
for (const k of KEY_METRICS) console.log(`  ${k}: truth ${d.truth.store[k]} est ${r.report.store[k]}`);
const label = new Map(r.visits.map((v) => [v.id, trueLabelOf(v.obs, d.streams)]));
const staffLabel = new Map(r.roles.filter((x) => x.role === 'staff').map((x) => [x.person.id, trueLabelOf(x.person.obs, d.streams)]));
const trueVisitOfReceipt = new Map(d.plan.receipts.map((x) => [x.receiptId, `customer:${x.visitId}`]));
const truthCons = new Set(d.plan.interactions.filter((i) => i.kind === 'consultation').map((i) => `customer:${i.visitId}`));
const stays = tillStays(r.visits);
console.log('\nreceipts matched to another true customer (or to none):');
for (const m of r.matches) {
  const want = trueVisitOfReceipt.get(m.receipt.receiptId)!;
  const got = m.visitId === null ? 'none' : label.get(m.visitId)!;
  if (got === want) continue;
  const t = m.receipt.t - a.receipts.clock_offset_seconds * 1000;
  console.log(
    `  ${m.receipt.receiptId} ${hms(t)} total ${m.receipt.total} truth ${want}${truthCons.has(want) ? ' (consulted)' : ''} -> visit ${m.visitId} (${got}${truthCons.has(got) ? ', consulted' : ''}) conf ${m.confidence.toFixed(2)}`,
  );
  for (const s of stays.filter((s) => s.start <= t + 60_000 && s.end >= t - 60_000))
    console.log(`      till stay visit ${s.visitId} (${label.get(s.visitId)}) ${hms(s.start)}-${hms(s.end)}`);
  const wantVisits = r.visits.filter((v) => label.get(v.id) === want);
  for (const v of wantVisits) console.log(`      true payer as visit ${v.id}: ${hms(v.start)}-${hms(v.end)}, ${v.obs.length} obs`);
}
console.log('\nconsultations found (pipeline) whose true visit had none, or by a non-seller:');
for (const c of r.consultations) {
  const want = label.get(c.visitId)!;
  const sl = staffLabel.get(r.interactions.find((i) => i.visitId === c.visitId && i.start === c.start)!.staffPersonId);
  if (truthCons.has(want) && sl?.startsWith('seller:')) continue;
  console.log(`  visit ${c.visitId} (${want}) by ${c.sellerId} [${sl}] ${hms(c.start)}-${hms(c.end)} ${c.durationS}s ${c.outcome}`);
}
console.log('\ntruth consultations not found:');
const foundTrue = new Set(r.consultations.map((c) => label.get(c.visitId)));
for (const i of d.plan.interactions.filter((i) => i.kind === 'consultation')) {
  const l = `customer:${i.visitId}`;
  if (foundTrue.has(l)) continue;
  console.log(
    `  ${l} by ${i.sellerId} ${hms(t0 + i.start * 1000)}-${hms(t0 + i.end * 1000)} ${(i.end - i.start).toFixed(0)}s bought ${d.plan.receipts.some((x) => x.visitId === i.visitId)}`,
  );
}
console.log('\ntrue customers split into several visits (consulted in one, paid in another reads as two visits):');
const visitsOf = new Map<string, typeof r.visits>();
for (const v of r.visits) visitsOf.set(label.get(v.id)!, [...(visitsOf.get(label.get(v.id)!) ?? []), v]);
for (const [l, vs] of visitsOf) {
  if (vs.length < 2 || !l.startsWith('customer:')) continue;
  const desc = vs.map((v) => {
    const cons = r.consultations.filter((c) => c.visitId === v.id).length;
    const paid = r.matches.filter((m) => m.visitId === v.id).length;
    return `visit ${v.id} ${hms(v.start)}-${hms(v.end)} (${v.obs.length} obs, ${cons} consultations, ${paid} receipts, ends ${v.obs[v.obs.length - 1]!.zoneKind ?? '-'})`;
  });
  console.log(`  ${l}: ${desc.join('; ')}`);
}
console.log(
  `\nconsultations: truth ${d.truth.store.consultations} est ${r.report.store.consultations}; visits truth ${d.truth.store.customers} est ${r.report.store.customers}`,
);

// Who each fragment of the involved persons really follows: the true person nearest its floor points.
const present = d.plan.persons.filter((p) => p.points.length > 0);
const nearestTrue = (o: { t: number; world: readonly [number, number] | null }): string => {
  if (!o.world) return '?';
  const s = (o.t - t0) / 1000;
  let best = 'false';
  let bd = 1.0;
  for (const p of present) {
    if (s < p.points[0]!.t || s > p.points[p.points.length - 1]!.t) continue;
    const q = positionAt(p.points, s);
    const dd = Math.hypot(q[0] - o.world[0], q[1] - o.world[1]);
    if (dd < bd) [best, bd] = [p.label, dd];
  }
  return best;
};
const involved = new Set<number>();
for (const m of r.matches) {
  const want = trueVisitOfReceipt.get(m.receipt.receiptId)!;
  if (m.visitId !== null && label.get(m.visitId) !== want) {
    involved.add(m.visitId);
    for (const v of r.visits) if (label.get(v.id) === want) involved.add(v.id);
  }
}
for (const c of r.consultations) if (!truthCons.has(label.get(c.visitId)!)) involved.add(c.visitId);
const missedTrue = new Set(
  d.plan.interactions.filter((i) => i.kind === 'consultation' && !foundTrue.has(`customer:${i.visitId}`)).map((i) => `customer:${i.visitId}`),
);
for (const v of r.visits) if (missedTrue.has(label.get(v.id)!)) involved.add(v.id);
console.log('\nfragments of the involved visits (true person by nearest floor position):');
for (const id of [...involved].sort((x, y) => x - y)) {
  const v = r.visits.find((x) => x.id === id)!;
  console.log(
    `  visit ${id} (${label.get(id)}) ${hms(v.start)}-${hms(v.end)}; bought ${
      r.matches
        .filter((m) => m.visitId === id)
        .map((m) => m.receipt.receiptId)
        .join(',') || '-'
    }`,
  );
  for (const f of v.fragments) {
    const segs: string[] = [];
    let cur = '';
    let from = 0;
    let last = 0;
    for (const o of f.obs) {
      const l = nearestTrue(o);
      if (l !== cur) {
        if (cur) segs.push(`${cur} ${hms(from)}-${hms(last)}`);
        cur = l;
        from = o.t;
      }
      last = o.t;
    }
    if (cur) segs.push(`${cur} ${hms(from)}-${hms(last)}`);
    console.log(`    ${f.key}: ${segs.join(' | ')}`);
  }
}
for (const i of d.plan.interactions.filter((i) => [...involved].some((id) => label.get(id) === `customer:${i.visitId}`)))
  console.log(`  truth ${i.kind} customer:${i.visitId} by ${i.sellerId} ${hms(t0 + i.start * 1000)}-${hms(t0 + i.end * 1000)}`);
for (const x of d.plan.receipts.filter((x) => [...involved].some((id) => label.get(id) === `customer:${x.visitId}`)))
  console.log(`  truth receipt ${x.receiptId} customer:${x.visitId} at ${hms(t0 + x.t * 1000)} ${x.total}`);
for (const tv of d.plan.visits.filter((x) => [...involved].some((id) => label.get(id) === `customer:${x.visitId}`)))
  console.log(`  truth visit customer:${tv.visitId} ${hms(t0 + tv.start * 1000)}-${hms(t0 + tv.end * 1000)}`);

console.log('\nconsultation counts per true visit where the pipeline differs (truth -> pipeline, with the pipeline intervals):');
const tc = new Map<string, number>();
for (const i of d.plan.interactions) if (i.kind === 'consultation') tc.set(`customer:${i.visitId}`, (tc.get(`customer:${i.visitId}`) ?? 0) + 1);
const pc = new Map<string, typeof r.consultations>();
for (const c of r.consultations) {
  const l = label.get(c.visitId)!;
  pc.set(l, [...(pc.get(l) ?? []), c]);
}
for (const l of new Set([...tc.keys(), ...pc.keys()])) {
  const n = tc.get(l) ?? 0;
  const list = pc.get(l) ?? [];
  if (n === list.length) continue;
  const truthI = d.plan.interactions
    .filter((i) => `customer:${i.visitId}` === l)
    .map((i) => `${i.kind} ${i.sellerId} ${hms(t0 + i.start * 1000)}-${hms(t0 + i.end * 1000)}`);
  console.log(`  ${l}: ${n} -> ${list.length}; truth [${truthI.join('; ')}]`);
  for (const c of list) console.log(`      visit ${c.visitId} ${c.sellerId} ${hms(c.start)}-${hms(c.end)} ${c.durationS}s ${c.outcome}`);
}
