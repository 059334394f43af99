/**
 * The real pipeline's failure rates on the hand-labelled set, in the simulator's terms
 * (eval/mot/noise-rates.ts): what agent/src/sim/scenario.ts's noise defaults are set from.
 *
 *   for c in checkout_counter_cashier.mp4 store_aisle_shoppers.gif indoor_one_by_one_person.mp4 street_elevated_pedestrians.mp4; do
 *     node bin/floorsense.js analyze ../shared/data/video/$c --fps 2 --no-preview --out out/mot/${c%.*}; done
 *   npx tsx agent/bench/sim-noise.ts [--iou 0.3] [--runs out/mot] [--labels test/fixtures/labels]
 *
 * (the checkout clip with --config config/stores/checkout-demo.yaml, as its baseline; the config
 * changes only analytics, not the tracks). Pooled over the clips by box, person-minute and frame.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readEventsFile } from '../src/eval/events/index.js';
import { noiseRates, type NoiseRates } from '../src/eval/mot/index.js';
import { readMotFile } from '../src/io/mot.js';

const { values } = parseArgs({
  options: {
    iou: { type: 'string', default: '0.3' },
    runs: { type: 'string', default: 'out/mot' },
    labels: { type: 'string', default: 'test/fixtures/labels' },
  },
});
const iouThreshold = Number(values.iou);
const rows: Array<[string, NoiseRates]> = [];
for (const clip of readdirSync(values.labels).filter((d) => existsSync(join(values.labels, d, 'gt.txt')))) {
  const pred = join(values.runs, clip, `${clip}.txt`);
  if (!existsSync(pred)) {
    console.error(`no ${pred}: run analyze first (see the header)`);
    process.exit(2);
  }
  const ev = readEventsFile(join(values.labels, clip, 'events.json'));
  // Sampled frames per second: the labels sit on the frames `analyze --fps 2` samples.
  rows.push([clip, noiseRates(readMotFile(join(values.labels, clip, 'gt.txt')), readMotFile(pred), { frames: ev.sampled_frames, fps: 2, iouThreshold })]);
}
const f = (v: number, d = 3): string => (Number.isNaN(v) ? '-' : v.toFixed(d));
console.log(`match at IoU >= ${iouThreshold}`);
console.log(
  'clip                         frames  boxes  pers-min  miss  miss-rate  FP  FP/frame  IDSW  IDSW/pm  merges  merges/pm  foot-x sd  foot-y sd  height sd',
);
const line = (name: string, r: NoiseRates): string =>
  [
    name.padEnd(27),
    String(r.frames).padStart(7),
    String(r.gtBoxes).padStart(6),
    f(r.personMinutes, 2).padStart(9),
    String(r.misses).padStart(5),
    f(r.missRate).padStart(10),
    String(r.falsePositives).padStart(3),
    f(r.falsePositivesPerFrame).padStart(9),
    String(r.idSwitches).padStart(5),
    f(r.idSwitchesPerPersonMinute, 2).padStart(8),
    String(r.merges).padStart(7),
    f(r.mergesPerPersonMinute, 2).padStart(10),
    f(r.footX).padStart(10),
    f(r.footY).padStart(10),
    f(r.height).padStart(10),
  ].join(' ');
for (const [n, r] of rows) console.log(line(n, r));
const sum = (k: keyof NoiseRates): number => rows.reduce((s, [, r]) => s + (r[k] as number), 0);
const pooledSd = (k: 'footX' | 'footY' | 'height'): number => Math.sqrt(rows.reduce((s, [, r]) => s + r[k] ** 2 * r.matched, 0) / sum('matched'));
const pm = sum('personMinutes');
console.log(
  line('pooled', {
    frames: sum('frames'),
    gtBoxes: sum('gtBoxes'),
    personMinutes: pm,
    misses: sum('misses'),
    missRate: sum('misses') / sum('gtBoxes'),
    falsePositives: sum('falsePositives'),
    falsePositivesPerFrame: sum('falsePositives') / sum('frames'),
    idSwitches: sum('idSwitches'),
    idSwitchesPerPersonMinute: sum('idSwitches') / pm,
    merges: sum('merges'),
    mergesPerPersonMinute: sum('merges') / pm,
    footX: pooledSd('footX'),
    footY: pooledSd('footY'),
    height: pooledSd('height'),
    matched: sum('matched'),
  }),
);
