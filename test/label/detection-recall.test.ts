/**
 * The product detector's person recall by box height and precision on the hand-labelled clips
 * (eval/det/size-recall.ts), at the score the tracker starts from (the model's manifest
 * high_threshold): the detector run here on the sampled frames, nothing cached. Fails below the
 * committed figures (baseline.json `detection`); agent/bench/det-recall.ts prints the whole table.
 * The product's detector.precision decides the model that runs (auto: int8 on a VNNI CPU), so the
 * threshold and the floors are that precision's (`figures_int8.detection` at int8).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectorOptionsFrom } from '../../agent/src/agent/analyze-options.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { rates, sizeRecall } from '../../agent/src/eval/det/index.js';
import { readEventsFile } from '../../agent/src/eval/events/index.js';
import { readMotFile, type MotRow } from '../../agent/src/io/mot.js';
import { analyzeSource } from '../../agent/src/pipeline/analyze.js';
import { DEFAULT_TRACKER_OPTIONS, modelThresholds } from '../../agent/src/track/options.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';

interface Baseline {
  readonly video: string;
  readonly figures: { readonly detection?: Detection };
  readonly figures_int8?: { readonly detection?: Detection };
}
interface Detection {
  readonly model: string;
  readonly recall: Record<string, number>;
  readonly precision: number;
}
const baseline = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'labels', 'baseline.json'), 'utf8')) as { clips: Record<string, Baseline> };

describe.each(Object.entries(baseline.clips).filter(([, c]) => c.figures.detection))('detector on the labelled clip %s', (name, clip) => {
  const det = clip.figures.detection!;
  it.skipIf(!haveData(clip.video, `models/${det.model}.onnx`))(
    `${det.model} at its tracker threshold keeps recall by box height and precision`,
    async () => {
      const labels = join(REPO_ROOT, 'test', 'fixtures', 'labels', name);
      const frames = readEventsFile(join(labels, 'events.json')).sampled_frames;
      const rows: MotRow[] = [];
      const result = await analyzeSource({
        url: dataPath(clip.video),
        sourceId: name,
        sampling: { fps: 2, keyframes: 'never' },
        detector: { ...detectorOptionsFrom(validateConfig({ store: { id: 'test' } })), model: det.model },
        tracker: DEFAULT_TRACKER_OPTIONS,
        appearance: false,
        reidModel: 'osnet_x0_25_msmt17',
        motionGate: null,
        preview: null,
        keepRows: false,
        onFrame: (frame, d) => {
          for (let i = 0; i < d.length; i++) {
            const [x1, y1, x2, y2] = [d.xyxy[i * 4]!, d.xyxy[i * 4 + 1]!, d.xyxy[i * 4 + 2]!, d.xyxy[i * 4 + 3]!];
            rows.push({ frame: frame.index + 1, id: -1, x: x1, y: y1, w: x2 - x1, h: y2 - y1, conf: d.score[i]! });
          }
        },
      });
      if (result.error) throw result.error;
      const ran = result.summary.detector.precision;
      const floors = ran === 'int8' ? clip.figures_int8?.detection : det;
      const threshold = modelThresholds(det.model, ran).high;
      const [row] = sizeRecall(readMotFile(join(labels, 'gt.txt')), rows, { thresholds: [threshold], frames });
      const got = Object.fromEntries(row!.bins.filter((b) => b.gt > 0).map((b) => [b.bin, rates(b).recall]));
      const precision = rates(row!.all).precision;
      console.log(`${name} ${det.model} ${ran} at ${threshold}: recall ${JSON.stringify(got)}, precision ${precision.toFixed(3)}`);
      if (!floors) throw new Error(`baseline.json: ${name} has no figures_int8.detection, and the detector ran at int8`);
      for (const [bin, r] of Object.entries(floors.recall)) expect(got[bin], `recall ${bin} px`).toBeGreaterThanOrEqual(r - 1e-3);
      expect(precision).toBeGreaterThanOrEqual(floors.precision - 1e-3);
    },
    180_000,
  );
});
