/**
 * Real images, real models: person recall at IoU 0.5 on COCO8 val (4 images, 10 labelled people),
 * for both YOLOv8n files, checked against the YOLO-format labels. Also checks that boxes land in
 * SOURCE pixels (the matches are made in the image's own coordinates).
 *
 * One detector per model at conf 0.05; the figures at 0.25 filter its output by score, which is
 * exactly what a detector at 0.25 returns (greedy NMS only lets a box be suppressed by a better one).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detections } from '../../agent/src/core/detections.js';
import type { Frame } from '../../agent/src/core/frame.js';
import { Detector } from '../../agent/src/detect/detector.js';
import { loadImageLetterboxed } from '../../agent/src/ingest/image.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

type Box = [number, number, number, number];

function personLabels(labelFile: string, w: number, h: number): Box[] {
  return readFileSync(labelFile, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((v) => v.length === 5 && v[0] === 0)
    .map(([, cx, cy, bw, bh]) => [(cx! - bw! / 2) * w, (cy! - bh! / 2) * h, (cx! + bw! / 2) * w, (cy! + bh! / 2) * h]);
}

function iou(a: Box, b: Box): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** Greedy one-to-one matching, best detection first. Returns [true positives, detections]. */
function match(gt: Box[], d: Detections, minScore: number): { tp: number; dets: number } {
  const used = new Set<number>();
  let tp = 0;
  let dets = 0;
  for (let i = 0; i < d.length; i++) {
    if (d.score[i]! < minScore) continue;
    dets++;
    const box: Box = [d.xyxy[i * 4]!, d.xyxy[i * 4 + 1]!, d.xyxy[i * 4 + 2]!, d.xyxy[i * 4 + 3]!];
    let best = -1;
    let bestIou = 0.5;
    gt.forEach((g, j) => {
      const v = iou(box, g);
      if (!used.has(j) && v >= bestIou) {
        bestIou = v;
        best = j;
      }
    });
    if (best >= 0) {
      used.add(best);
      tp++;
    }
  }
  return { tp, dets };
}

const ready = haveData('coco8/images/val', 'coco8/labels/val', 'models/yolov8n_fp32.onnx', 'models/yolov8n_int8.onnx');

describe.skipIf(!ready).each([
  // Measured (both files): 4/10 at conf 0.25 (precision 4/4), 5/10 at conf 0.05. The misses are
  // riders on horses and elephants (000000000049, 000000000061), hard for YOLOv8n. The four found at
  // 0.25 score 0.40-0.92, well clear of the threshold, so the floors sit at the measured figures:
  // any decoding, letterbox or coordinate regression loses them and fails.
  { model: 'yolov8n_fp32', floor25: 0.4, floor05: 0.5 },
  { model: 'yolov8n_int8', floor25: 0.4, floor05: 0.5 },
])('COCO8 val person recall, $model', ({ model, floor25, floor05 }) => {
  let detector: Detector;
  const frames: Array<{ frame: Frame; gt: Box[] }> = [];
  beforeAll(async () => {
    // COCO's images come in every shape: the floors were measured at the native square input.
    detector = await Detector.create({ model, modelsDir: dataPath('models'), conf_threshold: 0.05, threads: 2, input: 'native' });
    const dir = dataPath('coco8/images/val');
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.jpg'))
      .sort()) {
      const frame = await loadImageLetterboxed(`${dir}/${f}`, detector.inputSize.width, detector.inputSize.height);
      const gt = personLabels(dataPath('coco8/labels/val', f.replace(/\.jpg$/, '.txt')), frame.letterbox.srcWidth, frame.letterbox.srcHeight);
      frames.push({ frame, gt });
    }
  });
  afterAll(() => detector?.close());

  it('finds the labelled people at IoU 0.5', async () => {
    const totals = { gt: 0, tp25: 0, det25: 0, tp05: 0, det05: 0 };
    const perImage: string[] = [];
    for (const { frame, gt } of frames) {
      const d = await detector.detect(frame);
      for (let i = 0; i < d.length; i++) {
        expect(d.cls[i]).toBe(0);
        expect(d.xyxy[i * 4 + 2]!).toBeLessThanOrEqual(frame.letterbox.srcWidth);
        expect(d.xyxy[i * 4 + 3]!).toBeLessThanOrEqual(frame.letterbox.srcHeight);
      }
      const m25 = match(gt, d, 0.25);
      const m05 = match(gt, d, 0.05);
      totals.gt += gt.length;
      totals.tp25 += m25.tp;
      totals.det25 += m25.dets;
      totals.tp05 += m05.tp;
      totals.det05 += m05.dets;
      perImage.push(`${frame.sourceId}: ${m25.tp}/${gt.length} (conf 0.25), ${m05.tp}/${gt.length} (conf 0.05)`);
    }
    const recall25 = totals.tp25 / totals.gt;
    const recall05 = totals.tp05 / totals.gt;
    console.log(
      `[coco8 val, ${model}] person recall@IoU0.5: conf 0.25 ${totals.tp25}/${totals.gt} = ${recall25.toFixed(2)} (precision ${totals.tp25}/${totals.det25}); ` +
        `conf 0.05 ${totals.tp05}/${totals.gt} = ${recall05.toFixed(2)} (precision ${totals.tp05}/${totals.det05})\n  ${perImage.join('\n  ')}`,
    );
    expect(totals.gt).toBe(10);
    expect(recall25).toBeGreaterThanOrEqual(floor25);
    expect(recall05).toBeGreaterThanOrEqual(floor05);
    // At the default threshold nearly every box is a real, labelled person.
    expect(totals.tp25 / Math.max(1, totals.det25)).toBeGreaterThanOrEqual(0.75);
  });

  it('finds the one large person of 000000000036.jpg tightly (IoU > 0.85 in source pixels)', async () => {
    const item = frames.find((f) => f.frame.sourceId === '000000000036.jpg');
    expect(item).toBeDefined();
    const d = await detector.detect(item!.frame);
    const best: Box = [d.xyxy[0]!, d.xyxy[1]!, d.xyxy[2]!, d.xyxy[3]!];
    expect(d.score[0]!).toBeGreaterThan(0.8);
    expect(iou(best, item!.gt[0]!)).toBeGreaterThan(0.85);
  });
});

describe.skipIf(!haveData('coco8/images/val', 'coco8/labels/val', 'models/yolox_nano.onnx'))(
  'COCO8 val person recall, yolox_nano (second detector family)',
  () => {
    it('decodes the raw YOLOX grid output into people at the labelled places', async () => {
      const detector = await Detector.create({ model: 'yolox_nano', modelsDir: dataPath('models'), threads: 2, input: 'native' });
      try {
        expect(detector.inputSize).toEqual({ width: 416, height: 416 });
        expect(detector.layout).toMatchObject({ format: 'yolox', numClasses: 80, anchors: 3549 });
        const dir = dataPath('coco8/images/val');
        let gtTotal = 0;
        let tp = 0;
        let dets = 0;
        for (const f of readdirSync(dir)
          .filter((n) => n.endsWith('.jpg'))
          .sort()) {
          const frame = await loadImageLetterboxed(`${dir}/${f}`, 416, 416);
          const gt = personLabels(dataPath('coco8/labels/val', f.replace(/\.jpg$/, '.txt')), frame.letterbox.srcWidth, frame.letterbox.srcHeight);
          const d = await detector.detect(frame);
          if (f === '000000000036.jpg') {
            // The one large, clear person: a correct grid/stride decode puts the box tightly on it.
            expect(d.score[0]!).toBeGreaterThan(0.8);
            expect(iou([d.xyxy[0]!, d.xyxy[1]!, d.xyxy[2]!, d.xyxy[3]!], gt[0]!)).toBeGreaterThan(0.85);
          }
          const m = match(gt, d, 0.25);
          gtTotal += gt.length;
          tp += m.tp;
          dets += m.dets;
        }
        console.log(`[coco8 val, yolox_nano] person recall@IoU0.5, conf 0.25: ${tp}/${gtTotal} = ${(tp / gtTotal).toFixed(2)} (precision ${tp}/${dets})`);
        // Measured 2/10 (precision 2/5): YOLOX-Nano at 416 boxes one rider together with the horse
        // and misses the others; the two small standing people are found.
        expect(tp / gtTotal).toBeGreaterThanOrEqual(0.2);
      } finally {
        await detector.close();
      }
    });
  },
);
