/**
 * The acceptance tests of issue 3: our numbers against py-motmetrics' asserted values and
 * TrackEval's HOTA for the CEM tracker on TUD-Campus / TUD-Stadtmitte (SOURCES.md tables A and B).
 */
import { describe, expect, it } from 'vitest';
import { readMotFile } from '../../agent/src/io/mot.js';
import { evaluateMot, evaluateMotSequences, type MotMetrics } from '../../agent/src/eval/mot/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

type Ref = Partial<Record<keyof MotMetrics, number>>;

// py-motmetrics test_motchallenge_files (motmetrics/tests/test_metrics.py) + TrackEval HOTA (SOURCES.md B).
const REFERENCE: Record<string, Ref> = {
  'TUD-Campus': {
    IDF1: 0.557659,
    IDP: 0.72973,
    IDR: 0.451253,
    Recall: 0.582173,
    Precision: 0.941441,
    numGtIds: 8,
    MT: 1,
    PT: 6,
    ML: 1,
    FP: 13,
    FN: 150,
    IDSW: 7,
    Frag: 7,
    MOTA: 0.526462,
    MOTP: 0.277201,
    MOTP_IoU: 0.7228,
    HOTA: 0.3914,
    DetA: 0.418,
    AssA: 0.3691,
    LocA: 0.7701,
  },
  'TUD-Stadtmitte': {
    IDF1: 0.644619,
    IDP: 0.81976,
    IDR: 0.531142,
    Recall: 0.608997,
    Precision: 0.93992,
    numGtIds: 10,
    MT: 5,
    PT: 4,
    ML: 1,
    FP: 45,
    FN: 452,
    IDSW: 7,
    Frag: 6,
    MOTA: 0.564014,
    MOTP: 0.345904,
    MOTP_IoU: 0.6541,
    HOTA: 0.3978,
    DetA: 0.3923,
    AssA: 0.4088,
    LocA: 0.7375,
  },
  OVERALL: {
    IDF1: 0.624296,
    IDP: 0.799176,
    IDR: 0.512211,
    Recall: 0.60264,
    Precision: 0.940268,
    numGtIds: 18,
    MT: 6,
    PT: 10,
    ML: 2,
    FP: 58,
    FN: 602,
    IDSW: 14,
    Frag: 13,
    MOTA: 0.555116,
    MOTP: 0.330177,
    MOTP_IoU: 0.6698,
    HOTA: 0.4,
    DetA: 0.3977,
    AssA: 0.4124,
    LocA: 0.7325,
  },
};

function expectClose(name: string, got: MotMetrics, ref: Ref): void {
  for (const [k, v] of Object.entries(ref)) {
    const g = got[k as keyof MotMetrics];
    expect(typeof g, `${name} ${k}`).toBe('number');
    // HOTA table B is printed to 4 decimals: allow its rounding on top of 1e-3.
    expect(Math.abs((g as number) - v), `${name} ${k}: got ${String(g)}, reference ${v}`).toBeLessThanOrEqual(1e-3);
  }
}

const SEQS = ['TUD-Campus', 'TUD-Stadtmitte'] as const;

describe.skipIf(!haveData(...SEQS.flatMap((s) => [`mot/${s}/gt.txt`, `mot/${s}/test_cem.txt`])))(
  'CEM tracker on TUD (py-motmetrics + TrackEval reference)',
  () => {
    const load = (s: string) => ({ name: s, gt: readMotFile(dataPath('mot', s, 'gt.txt')), pred: readMotFile(dataPath('mot', s, 'test_cem.txt')) });

    it.each(SEQS)('%s matches the reference within 1e-3', (s) => {
      const { gt, pred } = load(s);
      expectClose(s, evaluateMot(gt, pred), REFERENCE[s]!);
    });

    it('per-sequence rows and the combined row match OVERALL', () => {
      const res = evaluateMotSequences(SEQS.map(load));
      expect(res.sequences.map((s) => s.name)).toEqual([...SEQS]);
      for (const s of res.sequences) expectClose(s.name, s.metrics, REFERENCE[s.name]!);
      expectClose('OVERALL', res.combined, REFERENCE.OVERALL!);
      // Combining is not averaging: the combined HOTA lies outside both sequences' values here.
      expect(res.combined.HOTA).toBeGreaterThan(Math.max(...res.sequences.map((s) => s.metrics.HOTA)));
    });

    it('scoring ground truth against itself is perfect', () => {
      const { gt } = load('TUD-Campus');
      const m = evaluateMot(gt, gt);
      expect([m.MOTA, m.IDF1, m.HOTA, m.DetA, m.AssA, m.LocA, m.Recall, m.Precision, m.MOTP_IoU]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
      expect([m.FP, m.FN, m.IDSW, m.Frag, m.MOTP]).toEqual([0, 0, 0, 0, 0]);
    });

    it('stride keeps frames 1, 1+N, ... in both files', () => {
      const { gt, pred } = load('TUD-Campus');
      const m1 = evaluateMot(gt, pred);
      const m5 = evaluateMot(gt, pred, { stride: 5 });
      const gtKept = gt.filter((r) => (r.frame - 1) % 5 === 0).length;
      expect(m5.numObjects).toBe(gtKept);
      expect(m5.numPredictions).toBe(pred.filter((r) => (r.frame - 1) % 5 === 0).length);
      expect(m5.numFrames).toBe(Math.ceil(71 / 5));
      expect(m5.numObjects).toBeLessThan(m1.numObjects);
    });
  },
);
