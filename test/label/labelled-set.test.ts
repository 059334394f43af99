/**
 * The hand-labelled real set (test/fixtures/labels/<clip>/, see its README) against what the
 * current pipeline makes of the same clip: `floorsense analyze <clip> --fps 2` with the product
 * defaults (nothing cached: the analysis runs here), then `floorsense eval mot` and
 * `floorsense eval events` against the labels. Fails when any figure falls below the committed
 * baseline (test/fixtures/labels/baseline.json); raise the baseline only with a better pipeline.
 * The floors are the detector precision's that ran (summary.json `detector.precision`:
 * detector.precision auto picks int8 on a VNNI CPU, fp32 elsewhere): `figures` for fp32,
 * `figures_int8` for int8, so the machine the suite runs on never picks which floors apply.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';

interface Figures {
  readonly mot: { MOTA: number; IDF1: number; HOTA: number; IDSW: number };
  readonly roles_accuracy: number;
  /** Labelled people whose predicted person (after stitching) is also another labelled person's. */
  readonly persons_shared: number;
  readonly interactions: Record<'consultation' | 'checkout', { precision: number; recall: number }>;
}
interface Clip {
  readonly video: string;
  readonly config?: string;
  readonly figures: Figures;
  readonly figures_int8?: Figures;
  /** At the product's own rate (1 fps), scored on the labels' every other frame. */
  readonly figures_1fps?: Figures;
  readonly figures_int8_1fps?: Figures;
}
const baseline = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'labels', 'baseline.json'), 'utf8')) as { clips: Record<string, Clip> };

const run = runCli;

/** Analyze the clip at `fps`, score it against the labels, and hold it to the floors of the precision that ran. */
async function checkAgainstFloors(name: string, clip: Clip, fps: 1 | 2): Promise<void> {
  const labels = join(REPO_ROOT, 'test', 'fixtures', 'labels', name);
  const out = mkdtempSync(join(tmpdir(), `fs-labelled-${name}-${fps}-`));
  try {
    const config = clip.config ? ['--config', join(REPO_ROOT, clip.config)] : [];
    await run(['analyze', dataPath(clip.video), '--fps', String(fps), '--out', out, ...config]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { detector: { precision: 'fp32' | 'int8' }; source_fps: number };
    // At 1 fps the run samples every other labelled frame: score those (eval mot --stride in source frames).
    const stride = fps === 1 ? ['--stride', String(Math.round(summary.source_fps))] : [];
    const mot = JSON.parse(
      await run(['eval', 'mot', '--gt', join(labels, 'gt.txt'), '--pred', join(out, `${name}.txt`), ...stride, '--json']),
    ) as Figures['mot'];
    const events = JSON.parse(await run(['eval', 'events', '--gt', labels, '--pred', out, ...config, '--json'])) as {
      roles: { accuracy: number; identities: Array<{ gt: number; pred: number | null }> };
      interactions: Figures['interactions'];
    };
    const precision = summary.detector.precision;
    const b = fps === 2 ? (precision === 'int8' ? clip.figures_int8 : clip.figures) : precision === 'int8' ? clip.figures_int8_1fps : clip.figures_1fps;
    const byPred = new Map<number, number[]>();
    for (const i of events.roles.identities) if (i.pred !== null) (byPred.get(i.pred) ?? byPred.set(i.pred, []).get(i.pred)!).push(i.gt);
    const shared = [...byPred.values()].filter((g) => g.length > 1);
    const personsShared = shared.reduce((n, g) => n + g.length, 0);
    // Printed so a CI log shows the figures next to the baseline.
    console.log(
      `${name} (${precision}, ${fps} fps): MOTA ${mot.MOTA.toFixed(3)} IDF1 ${mot.IDF1.toFixed(3)} HOTA ${mot.HOTA.toFixed(3)} IDSW ${mot.IDSW}; roles ${events.roles.accuracy.toFixed(3)}; persons shared ${personsShared}${shared.length ? ` (${shared.map((g) => g.join('+')).join(', ')})` : ''}; ` +
        Object.entries(events.interactions)
          .map(([k, s]) => `${k} P ${s.precision.toFixed(2)} R ${s.recall.toFixed(2)}`)
          .join(', '),
    );
    if (!b) throw new Error(`baseline.json: ${name} has no ${precision} floors at ${fps} fps, and the detector ran at ${precision}`);
    expect(mot.MOTA).toBeGreaterThanOrEqual(b.mot.MOTA - 1e-3);
    expect(mot.IDF1).toBeGreaterThanOrEqual(b.mot.IDF1 - 1e-3);
    expect(mot.HOTA).toBeGreaterThanOrEqual(b.mot.HOTA - 1e-3);
    expect(mot.IDSW).toBeLessThanOrEqual(b.mot.IDSW);
    expect(events.roles.accuracy).toBeGreaterThanOrEqual(b.roles_accuracy - 1e-9);
    expect(personsShared, 'labelled people stitched into one predicted person').toBeLessThanOrEqual(b.persons_shared);
    for (const k of ['consultation', 'checkout'] as const) {
      expect(events.interactions[k].precision, `${k} precision`).toBeGreaterThanOrEqual(b.interactions[k].precision - 1e-9);
      expect(events.interactions[k].recall, `${k} recall`).toBeGreaterThanOrEqual(b.interactions[k].recall - 1e-9);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe.each(Object.entries(baseline.clips))('labelled real clip %s', (name, clip) => {
  const ok = haveData(clip.video, 'models/yolov8n_fp32.onnx');
  it.skipIf(!ok)('the pipeline at 2 fps does not fall below the committed baseline (eval mot, eval events)', () => checkAgainstFloors(name, clip, 2), 180_000);
  it.skipIf(!ok)(
    "the pipeline at the product's 1 fps does not fall below its own baseline, on the labels' every other frame",
    () => checkAgainstFloors(name, clip, 1),
    180_000,
  );
});
