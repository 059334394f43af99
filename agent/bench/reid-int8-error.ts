/**
 * What the int8 ReID's embedding error is made of (a script, not a test), from two reid-cache.ts
 * caches of the same clips (fp32 and int8: the same detections, each detection's embedding in each
 * space):
 *
 *   npx tsx agent/bench/reid-int8-error.ts --fp32 D1 --int8 D2 [--remove own|F,Q --out D3]
 *
 * Per clip: the cosine of each int8 embedding to its fp32 twin (mean, 5th percentile, min) and the
 * share of the squared error that is one direction common to every crop of the clip (|mean error|^2
 * over mean |error|^2): a systematic shift that a bias correction could take out, against noise that
 * differs crop by crop, which none can.
 * --remove writes D3: the int8 caches with a common direction subtracted from every embedding (then
 * L2-normalised again), for reid-replay.ts --cache D3. `own` takes each clip's own mean error (an
 * oracle: it reads the clip it is scored on; the most a bias correction could do there), `F,Q` the
 * mean over the clips of another pair of caches (e.g. the two non-labelled clips: what a correction
 * calibrated there would do held out).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ReidCache } from './reid-cache.js';

const { values } = parseArgs({
  options: { fp32: { type: 'string' }, int8: { type: 'string' }, remove: { type: 'string' }, out: { type: 'string' } },
});
if (!values.fp32 || !values.int8) throw new Error('usage: reid-int8-error.ts --fp32 DIR --int8 DIR [--remove own|F,Q --out DIR]');
if ((values.remove === undefined) !== (values.out === undefined)) throw new Error('--remove and --out go together');

const decode = (b: string): Float32Array => new Float32Array(new Uint8Array(Buffer.from(b, 'base64')).buffer);
const encode = (v: Float32Array): string => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
const caches = (dir: string): Map<string, ReidCache> =>
  new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.reid.json'))
      .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as ReidCache]),
  );

/** Per clip of the two dirs: the mean error vector and the printed summary. */
function meanErrors(fp32Dir: string, int8Dir: string, print: boolean): Map<string, Float64Array> {
  const a = caches(fp32Dir);
  const out = new Map<string, Float64Array>();
  for (const [f, b] of caches(int8Dir)) {
    const ref = a.get(f);
    if (!ref) throw new Error(`${fp32Dir}: no ${f} beside ${int8Dir}/${f}`);
    if (ref.frames.length !== b.frames.length)
      throw new Error(`${f}: ${ref.frames.length} fp32 frames against ${b.frames.length} int8 frames (the caches must share the detector)`);
    let mean: Float64Array | null = null;
    let err2 = 0;
    const cos: number[] = [];
    b.frames.forEach((fr, k) => {
      fr.emb.forEach((s, i) => {
        const y = decode(s);
        const x = decode(ref.frames[k]!.emb[i]!);
        mean ??= new Float64Array(x.length);
        let c = 0;
        for (let d = 0; d < x.length; d++) {
          const e = y[d]! - x[d]!;
          mean[d]! += e;
          err2 += e * e;
          c += x[d]! * y[d]!;
        }
        cos.push(c);
      });
    });
    if (!mean || cos.length === 0) continue;
    const m: Float64Array = mean;
    for (let d = 0; d < m.length; d++) m[d]! /= cos.length;
    out.set(f, m);
    if (print) {
      cos.sort((x, y) => x - y);
      const common = m.reduce((s, v) => s + v * v, 0) / (err2 / cos.length);
      console.log(
        `${f.replace('.reid.json', '').padEnd(30)} ${String(cos.length).padStart(5)}  cos to fp32 mean ${(cos.reduce((s, v) => s + v, 0) / cos.length).toFixed(4)} p5 ${cos[Math.floor(0.05 * cos.length)]!.toFixed(4)} min ${cos[0]!.toFixed(4)}  common direction ${(100 * common).toFixed(0)} % of the squared error`,
      );
    }
  }
  return out;
}

const own = meanErrors(values.fp32, values.int8, true);
if (values.remove !== undefined && values.out !== undefined) {
  let shared: Float64Array | null = null;
  if (values.remove !== 'own') {
    const [f, q] = values.remove.split(',');
    if (!f || !q) throw new Error(`--remove ${values.remove}: expected own or FP32DIR,INT8DIR`);
    const others = [...meanErrors(f, q, false).values()];
    shared = new Float64Array(others[0]!.length);
    for (const m of others) for (let d = 0; d < m.length; d++) shared[d]! += m[d]! / others.length;
  }
  mkdirSync(values.out, { recursive: true });
  for (const [f, b] of caches(values.int8)) {
    const m = shared ?? own.get(f);
    if (!m) continue;
    const frames = b.frames.map((fr) => ({
      ...fr,
      emb: fr.emb.map((s) => {
        const y = decode(s);
        for (let d = 0; d < y.length; d++) y[d]! -= m[d]!;
        const n = Math.hypot(...y) || 1;
        return encode(y.map((v) => v / n));
      }),
    }));
    writeFileSync(join(values.out, f), JSON.stringify({ ...b, frames }));
  }
  console.log(`${values.out}: the int8 caches less ${shared ? `the mean error of ${values.remove}` : 'each clip its own mean error'}`);
}
