/**
 * Detector paths we have no real export for, run through the real onnxruntime with tiny
 * constant-output ONNX models (helpers/tiny-onnx.ts): YOLO exports with NMS built in ([1, N, 6]),
 * and layouts that must be refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import { Detector } from '../../agent/src/detect/detector.js';
import { constantOutputModel } from './helpers/tiny-onnx.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fs-tiny-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(name: string, outputDims: number[], value: number[], inputDims = [1, 3, 640, 640]): string {
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, constantOutputModel({ inputName: 'images', inputDims, outputName: 'output0', outputDims, value }));
  return path;
}

/** A 640x640 frame letterboxed from a 1280x720 source: scale 0.5, 140 px bars top and bottom. */
function frame(): Frame {
  return {
    sourceId: 'cam',
    index: 0,
    ptsSec: 0,
    timestampMs: 0,
    width: 640,
    height: 640,
    data: new Uint8Array(640 * 640 * 3).fill(114),
    letterbox: letterboxFor(1280, 720, 640, 640),
  };
}

describe('NMS-included export [1, N, 6] through the real runtime', () => {
  it('keeps wanted rows above the threshold, maps them to source pixels, adds no NMS of its own', async () => {
    const rows = [
      [100, 240, 200, 340, 0.9, 0], // person
      [110, 245, 210, 345, 0.8, 0], // overlapping person: the export's NMS kept it, so do we
      [400, 400, 500, 500, 0.7, 2], // car: not a wanted class
      [0, 0, 0, 0, 0, 0], // padding row
      [10, 10, 60, 100, 0.3, 0], // wholly inside the top letterbox bar: empty once clipped
      [300, 300, 350, 380, 0.2, 0], // below conf_threshold
    ];
    const warnings: string[] = [];
    const det = await Detector.create({ model: model('nms-export', [1, rows.length, 6], rows.flat()), threads: 1, warn: (m) => warnings.push(m) });
    try {
      expect(det.layout).toEqual({ format: 'yolov8_nms', rows: 6 });
      expect(det.classNames[2]).toBe('car');
      expect(warnings).toEqual([expect.stringMatching(/nms-export\.onnx is not in the model manifest/)]);
      const d = await det.detect(frame());
      expect(Array.from(d.xyxy)).toEqual([200, 200, 400, 400, 220, 210, 420, 410]);
      expect(Array.from(d.score)).toEqual([Math.fround(0.9), Math.fround(0.8)]);
      expect(Array.from(d.cls)).toEqual([0, 0]);
    } finally {
      await det.close();
    }
  });

  it('max_detections caps the rows, best first', async () => {
    const rows = [
      [0, 200, 10, 300, 0.5, 0],
      [20, 200, 30, 300, 0.9, 0],
      [40, 200, 50, 300, 0.7, 0],
    ];
    const det = await Detector.create({ model: model('nms-cap', [1, 3, 6], rows.flat()), threads: 1, max_detections: 2, warn: () => {} });
    try {
      expect(Array.from((await det.detect(frame())).score)).toEqual([Math.fround(0.9), Math.fround(0.7)]);
    } finally {
      await det.close();
    }
  });
});

describe('layouts the detector refuses (FS_MODEL_UNSUPPORTED, naming dims and file)', () => {
  const cases: Array<[string, number[], number[] | undefined, RegExp]> = [
    ['transposed YOLOv8 [1, 8400, 84]', [1, 8400, 84], undefined, /output "output0" of .*transposed\.onnx has dims \[1, 8400, 84\]: layout cannot be inferred/],
    ['batch of 2', [2, 84, 100], undefined, /has dims \[2, 84, 100\]: expected 3 dims with batch 1/],
    ['4-d output', [1, 1, 84, 100], undefined, /has dims \[1, 1, 84, 100\]/],
    [
      'single-channel input',
      [1, 84, 100],
      [1, 1, 640, 640],
      /declares input \[1, 1, 640, 640\]; a model outside the manifest needs a fixed \[1, 3, H, W\] input/,
    ],
  ];
  it.each(cases)('%s', async (name, outDims, inDims, msg) => {
    const size = outDims.reduce((a, b) => a * b, 1);
    const path = model(name.replace(/\W+/g, '-').replace(/^-|-$/g, '').split('-')[0]!, outDims, new Array<number>(size).fill(0), inDims);
    await expect(Detector.create({ model: path, threads: 1, warn: () => {} })).rejects.toMatchObject({
      code: 'FS_MODEL_UNSUPPORTED',
      message: expect.stringMatching(msg),
    });
  });
});
