import { describe, expect, it } from 'vitest';
import { classMask } from '../../agent/src/detect/classes.js';
import { COCO80 } from '../../agent/src/detect/coco80.js';
import { outputLayout } from '../../agent/src/detect/layout.js';
import { allocInput, preprocessInto, RGB_0_1 } from '../../agent/src/detect/preprocess.js';

describe('preprocessInto (RGB24 HWC uint8 -> CHW float32)', () => {
  // 2x1 image: pixel 0 = (255, 0, 128), pixel 1 = (10, 20, 30).
  const rgb = Uint8Array.from([255, 0, 128, 10, 20, 30]);
  it('YOLOv8: RGB, 0-1, planar', () => {
    const out = preprocessInto(rgb, 2, 1, allocInput(2, 1), RGB_0_1);
    expect(Array.from(out)).toEqual([1, 10 / 255, 0, 20 / 255, 128 / 255, 30 / 255].map((v) => Math.fround(v)));
  });
  it('YOLOX: BGR, 0-255', () => {
    const out = preprocessInto(rgb, 2, 1, allocInput(2, 1), { color: 'BGR', divisor: 1, mean: [0, 0, 0], std: [1, 1, 1] });
    expect(Array.from(out)).toEqual([128, 30, 0, 20, 255, 10]);
  });
  it('ImageNet mean/std', () => {
    const out = preprocessInto(rgb, 2, 1, allocInput(2, 1), { color: 'RGB', divisor: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const want = [
      (1 - 0.485) / 0.229,
      (10 / 255 - 0.485) / 0.229,
      (0 - 0.456) / 0.224,
      (20 / 255 - 0.456) / 0.224,
      (128 / 255 - 0.406) / 0.225,
      (30 / 255 - 0.406) / 0.225,
    ];
    for (const [i, v] of Array.from(out).entries()) expect(v).toBeCloseTo(want[i]!, 5);
  });
  it('writes into the caller buffer and reuses it', () => {
    const buf = allocInput(2, 1);
    expect(preprocessInto(rgb, 2, 1, buf)).toBe(buf);
    preprocessInto(Uint8Array.from([0, 0, 0, 255, 255, 255]), 2, 1, buf);
    expect(Array.from(buf)).toEqual([0, 1, 0, 1, 0, 1]);
  });
  const bad: Array<[string, () => unknown, RegExp]> = [
    ['short frame', () => preprocessInto(new Uint8Array(5), 2, 1, allocInput(2, 1)), /5 bytes, expected 2x1x3 = 6/],
    ['wrong buffer', () => preprocessInto(new Uint8Array(6), 2, 1, allocInput(1, 1)), /3 floats, expected 6/],
    ['bad size', () => preprocessInto(new Uint8Array(0), 0, 1, new Float32Array(0)), /0x1/],
  ];
  it.each(bad)('rejects %s', (_n, f, msg) => expect(f).toThrow(expect.objectContaining({ code: 'FS_BAD_ARGUMENT', message: expect.stringMatching(msg) })));
});

describe('outputLayout', () => {
  const base = { inputWidth: 640, inputHeight: 640 };
  const ok: Array<[string, number[], Parameters<typeof outputLayout>[1], string]> = [
    ['YOLOv8 inferred', [1, 84, 8400], base, 'yolov8/80'],
    ['YOLOv8 one class inferred', [1, 5, 8400], base, 'yolov8/1'],
    ['NMS-included inferred', [1, 300, 6], base, 'yolov8_nms'],
    ['YOLOv8 declared with its classes', [1, 84, 8400], { ...base, declared: 'yolov8', numClasses: 80 }, 'yolov8/80'],
    ['YOLOX declared', [1, 3549, 85], { inputWidth: 416, inputHeight: 416, declared: 'yolox', strides: [8, 16, 32], numClasses: 80 }, 'yolox/80'],
  ];
  it.each(ok)('%s', (_n, dims, hints, want) => {
    const l = outputLayout(dims, hints);
    expect(l.format === 'yolov8_nms' ? l.format : `${l.format}/${l.numClasses}`).toBe(want);
  });
  const bad: Array<[string, number[], Parameters<typeof outputLayout>[1], RegExp]> = [
    ['embedding [1, 512]', [1, 512], base, /expected 3 dims/],
    ['transposed YOLOv8 [1, 8400, 84]', [1, 8400, 84], base, /cannot be inferred/],
    ['YOLOX without a manifest', [1, 3549, 85], base, /cannot be inferred/],
    ['batch 4', [4, 84, 8400], base, /batch 1/],
    ['class count disagrees with the names', [1, 84, 8400], { ...base, declared: 'yolov8', numClasses: 3 }, /80 classes but 3 class names/],
    ['declared NMS but 7 values', [1, 300, 7], { ...base, declared: 'yolov8_nms' }, /6 values per row/],
    ['declared YOLOX at the wrong size', [1, 3549, 85], { ...base, declared: 'yolox', strides: [8, 16, 32] }, /\[1, 8400, 5\+C\]/],
    ['declared embedding', [1, 1, 512], { ...base, declared: 'embedding' }, /not a detector/],
  ];
  it.each(bad)('rejects %s', (_n, dims, hints, msg) => {
    expect(() => outputLayout(dims, hints, 'output0')).toThrow(
      expect.objectContaining({ code: 'FS_MODEL_UNSUPPORTED', kind: 'failure', message: expect.stringMatching(msg) }),
    );
    expect(() => outputLayout(dims, hints, 'output0')).toThrow(/output0 has dims \[.*accepted: YOLOv8 \[1, 4\+C, N\]/);
  });
});

describe('classMask', () => {
  it('names to indices', () => {
    const m = classMask(COCO80, ['person', 'car']);
    expect(m.length).toBe(80);
    expect([...m.entries()].filter(([, v]) => v).map(([i]) => i)).toEqual([0, 2]);
  });
  it('names the unknown class and the valid ones', () => {
    expect(() => classMask(COCO80, ['persn'])).toThrow(
      expect.objectContaining({
        code: 'FS_BAD_ARGUMENT',
        message: expect.stringMatching(/"persn" not in the model's classes: person, bicycle, .*\(80 in all\)/),
      }),
    );
  });
  it('refuses an empty list', () => expect(() => classMask(COCO80, [])).toThrow(/at least one/));
});
