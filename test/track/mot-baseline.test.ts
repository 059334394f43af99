/**
 * Committed tracker-quality baseline on public data (issues 3 and 12): the real tracker, product
 * defaults, thresholds calibrated on the file's own scores, on SORT's public Faster R-CNN
 * detections for TUD-Campus, scored by agent/src/eval/mot. Must beat published SORT (MOTA 62.7,
 * 6 ID switches), must match or beat the best of SORT and OC-SORT (run from their reference code)
 * on IDF1 and HOTA at every stride, and must not fall below the committed figures at strides 1, 5
 * and 10.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMotFile } from '../../agent/src/io/mot.js';
import { evaluateMot } from '../../agent/src/eval/mot/index.js';
import { Command, CommanderError } from 'commander';
import { MisuseError, FailureError } from '../../agent/src/core/errors.js';
import { trackMotDetections } from '../../agent/src/track/mot-run.js';
import { DEFAULT_TRACKER_OPTIONS } from '../../agent/src/track/options.js';
import { DEFAULT_QUANTILE_RULE } from '../../agent/src/track/thresholds.js';
import { registerTrackCommand, runTrackCommand } from '../../agent/src/cli/commands/track.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const DET = 'mot/sort_frcnn_det/TUD-Campus/det.txt';
const GT = 'mot/TUD-Campus/gt.txt';

interface Figures {
  MOTA: number;
  IDF1: number;
  HOTA: number;
  IDSW: number;
}
const baseline = JSON.parse(readFileSync(new URL('./baselines/tud-campus.json', import.meta.url), 'utf8')) as {
  sort_published: { MOTA: number; IDSW: number };
  peers: Record<string, Record<string, Figures>>;
  strides: Record<string, Figures>;
};
const calibrate = DEFAULT_QUANTILE_RULE;

describe.skipIf(!haveData(DET, GT))('tracker quality on TUD-Campus public detections', () => {
  const det = haveData(DET, GT) ? readMotFile(dataPath(DET)) : [];
  const gt = haveData(DET, GT) ? readMotFile(dataPath(GT)) : [];

  it('beats published SORT with the product defaults: MOTA > 62.7 %, IDSW <= 6', async () => {
    expect(DEFAULT_TRACKER_OPTIONS.appearance).toBe(true); // the defaults themselves; track forces appearance off
    const { rows } = await trackMotDetections(det, { fps: 25, calibrate });
    const m = evaluateMot(gt, rows);
    expect(m.MOTA).toBeGreaterThan(baseline.sort_published.MOTA);
    expect(m.IDSW).toBeLessThanOrEqual(baseline.sort_published.IDSW);
  });

  it.each(['1', '5', '10'])('stride %s does not regress from the committed baseline', async (s) => {
    const stride = Number(s);
    const { rows } = await trackMotDetections(det, { fps: 25, stride, calibrate });
    for (const r of rows) expect((r.frame - 1) % stride).toBe(0);
    const m = evaluateMot(gt, rows, { stride });
    const b = baseline.strides[s]!;
    const peers = Object.values(baseline.peers[s]!);
    expect(m.IDF1).toBeGreaterThanOrEqual(Math.max(...peers.map((p) => p.IDF1)));
    expect(m.HOTA).toBeGreaterThanOrEqual(Math.max(...peers.map((p) => p.HOTA)));
    expect(m.MOTA).toBeGreaterThanOrEqual(b.MOTA - 1e-3);
    expect(m.IDF1).toBeGreaterThanOrEqual(b.IDF1 - 1e-3);
    expect(m.HOTA).toBeGreaterThanOrEqual(b.HOTA - 1e-3);
    expect(m.IDSW).toBeLessThanOrEqual(b.IDSW);
  });

  it('floorsense track writes MOT rows that score the same as the library run', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'fs-track-')), 'tracks.txt');
    const line = await runTrackCommand({ det: dataPath(DET), out, fps: 25, stride: 5, minScore: 0 });
    const kept = det.filter((r) => (r.frame - 1) % 5 === 0).length;
    expect(line).toContain(`tracks from ${kept} detections in 15 frames (stride 5`);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^1,\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,-1,-1,-1$/);
    const m = evaluateMot(gt, readMotFile(out), { stride: 5 });
    expect(m.MOTA).toBeCloseTo(baseline.strides['5']!.MOTA, 2);
  });

  it.each([
    [['track', '--out', '/tmp/x.txt'], CommanderError, "required option '--det <file>' not specified"],
    [['track', '--det', DET, '--out', '/tmp/x.txt', '--stride', '0'], MisuseError, '--stride must be an integer >= 1, got "0"'],
    [['track', '--det', DET, '--out', '/tmp/x.txt', '--stride', '2.5'], MisuseError, '--stride must be an integer >= 1, got "2.5"'],
    [['track', '--det', DET, '--out', '/tmp/x.txt', '--fps', 'fast'], MisuseError, '--fps must be a number > 0, got "fast"'],
    [['track', '--det', DET, '--out', '/tmp/x.txt', '--min-score', '2'], MisuseError, '--min-score must be a number in [0, 1], got "2"'],
    [['track', '--det', '/nonexistent/det.txt', '--out', '/tmp/x.txt'], FailureError, 'cannot read /nonexistent/det.txt'],
  ] as const)('CLI %j fails with a clear error', async (argv, kind, message) => {
    const program = new Command('floorsense').exitOverride().configureOutput({ writeErr: () => {} });
    registerTrackCommand(program);
    const run = program.parseAsync(
      argv.map((a) => (a === DET ? dataPath(DET) : a)),
      { from: 'user' },
    );
    await expect(run).rejects.toBeInstanceOf(kind);
    await expect(
      program.parseAsync(
        argv.map((a) => (a === DET ? dataPath(DET) : a)),
        { from: 'user' },
      ),
    ).rejects.toThrow(message);
  });
});
