/**
 * Model inputs derived from the manifest's files (agent/src/models/derive.ts): the pure size rules;
 * the YOLOv8 anchor regeneration checked against the shipped tables; refusal of a graph whose
 * tables are not what the regeneration makes; the detector at the fitted input on real frames of
 * the shared clips against the native input; YOLOX-Nano and OSNet at smaller inputs.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Xyxy } from '../../agent/src/core/boxes.js';
import { Detector, describeDetectorInput } from '../../agent/src/detect/detector.js';
import { detectionAgreement } from '../../agent/src/eval/det/agreement.js';
import { anchorCount, anchorTables, deriveBytes, deriveModelInput, fittedInput, parseSize, sizeProblem } from '../../agent/src/models/derive.js';
import { loadManifest, findEntry } from '../../agent/src/models/manifest.js';
import { resolveModel } from '../../agent/src/models/resolve.js';
import { openReid } from '../../agent/src/track/reid.js';
import { dot } from '../../agent/src/track/distances.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { boxesPerFrame, clipFrames } from './helpers.js';

const { onnx } = onnxProto;

describe('input sizes (pure)', () => {
  const native = { width: 640, height: 640 };
  it('fits the native width to the picture, rounding the height up to 32, never above native', () => {
    expect(fittedInput(native, { width: 1920, height: 1080 })).toEqual({ width: 640, height: 384 });
    expect(fittedInput(native, { width: 16, height: 9 })).toEqual({ width: 640, height: 384 });
    expect(fittedInput(native, { width: 704, height: 576 })).toEqual({ width: 640, height: 544 });
    expect(fittedInput(native, { width: 640, height: 480 })).toEqual({ width: 640, height: 480 });
    expect(fittedInput(native, { width: 1080, height: 1920 })).toEqual(native);
    expect(fittedInput({ width: 416, height: 416 }, { width: 16, height: 9 })).toEqual({ width: 416, height: 256 });
  });
  it('counts anchors per level and lays the tables out row-major, x then y', () => {
    expect(anchorCount(native)).toBe(8400);
    expect(anchorCount({ width: 640, height: 384 })).toBe(80 * 48 + 40 * 24 + 20 * 12);
    const t = anchorTables({ width: 64, height: 32 }, [8, 16, 32]);
    // level 8: 8x4 grid; first row then the next row
    expect(Array.from(t.centres.slice(0, 9))).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 0.5]);
    const n = anchorCount({ width: 64, height: 32 });
    expect(t.centres[n + 8]).toBe(1.5);
    expect(Array.from(t.strides.slice(31, 34))).toEqual([8, 16, 16]);
  });
  it('parses and bounds sizes', () => {
    expect(parseSize('640x384')).toEqual({ width: 640, height: 384 });
    expect(parseSize('256x128', 'HxW')).toEqual({ width: 128, height: 256 });
    expect(parseSize('640*384')).toBeUndefined();
    expect(sizeProblem({ width: 640, height: 380 })).toMatch(/height 380 must be a multiple of 32/);
    expect(sizeProblem({ width: 32, height: 64 })).toMatch(/width 32 must be a multiple of 32 in 64..1920/);
    expect(sizeProblem({ width: 640, height: 384 })).toBeUndefined();
  });
});

const V8 = 'models/yolov8n_fp32.onnx';
const ready = haveData(
  V8,
  'models/yolox_nano.onnx',
  'models/osnet_x0_25_msmt17.onnx',
  'video/street_elevated_pedestrians.mp4',
  'video/checkout_counter_cashier.mp4',
);

describe.skipIf(!ready)('deriving the shared models', () => {
  let cache: string;
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'fs-derive-'));
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  const init = (bytes: Uint8Array, name: string) => {
    const t = onnx.ModelProto.decode(bytes).graph!.initializer!.find((i) => i.name === name)!;
    return { dims: t.dims!.map(Number), raw: Uint8Array.prototype.slice.call(t.rawData) };
  };

  it('regenerating YOLOv8n at its native 640x640 reproduces the shipped tables byte for byte', () => {
    const src = readFileSync(dataPath(V8));
    const same = deriveBytes(src, 'yolov8n_fp32', 'detect', { width: 640, height: 640 }, { width: 640, height: 640 });
    for (const name of [
      '/model.22/Constant_12_output_0',
      '/model.22/Constant_13_output_0',
      '/model.22/Constant_15_output_0',
      '/model.22/dfl/Constant_output_0',
    ]) {
      expect(init(same, name)).toEqual(init(src, name));
    }
    const fitted = deriveBytes(src, 'yolov8n_fp32', 'detect', { width: 640, height: 640 }, { width: 640, height: 384 });
    expect(init(fitted, '/model.22/Constant_12_output_0').dims).toEqual([1, 2, 5040]);
    expect(init(fitted, '/model.22/Constant_15_output_0').dims).toEqual([1, 5040]);
    expect(Array.from(new BigInt64Array(init(fitted, '/model.22/dfl/Constant_output_0').raw.buffer), Number)).toEqual([1, 4, 16, 5040]);
  });

  it('refuses, naming the model, a graph whose anchor table is not the regenerated one', async () => {
    const m = onnx.ModelProto.decode(readFileSync(dataPath(V8)));
    const t = m.graph!.initializer!.find((i) => i.name === '/model.22/Constant_12_output_0')!;
    const f = new Float32Array(Uint8Array.prototype.slice.call(t.rawData).buffer);
    f[100] = f[100]! + 0.25; // an exporter with another centre offset would look like this
    t.rawData = new Uint8Array(f.buffer);
    const bytes = onnx.ModelProto.encode(m).finish();
    expect(() => deriveBytes(bytes, 'yolov8n_fp32', 'detect', { width: 640, height: 640 }, { width: 640, height: 384 })).toThrow(
      /model "yolov8n_fp32": cannot derive a 640x384 input: initializer \/model.22\/Constant_12_output_0 \[1, 2, 8400\] is not the anchor-centre table/,
    );
    // Through the detector: auto says why and stays native; an explicit size fails.
    const dir = mkdtempSync(join(tmpdir(), 'fs-derive-bad-'));
    try {
      writeFileSync(join(dir, 'yolov8n_fp32.onnx'), bytes);
      const manifest = loadManifest();
      const entry = findEntry(manifest, 'yolov8n_fp32')!;
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const patched = { ...manifest, models: manifest.models.map((e) => (e === entry ? { ...e, sha256: sha } : e)) };
      const warnings: string[] = [];
      // fp32: the patched file is not the one the int8 table was measured on (detector.precision auto would refuse it first).
      const d = await Detector.create({
        modelsDir: dir,
        manifest: patched,
        threads: 1,
        input: 'auto',
        precision: 'fp32',
        cacheDir: cache,
        warn: (w) => warnings.push(w),
      });
      expect(d.inputSize).toEqual({ width: 640, height: 640 });
      expect(d.input.mode).toBe('native');
      expect(warnings.join('\n')).toMatch(/detector.input auto: model "yolov8n_fp32": cannot derive .*; using its native 640x640 input/);
      expect(describeDetectorInput(d.input)).toMatch(/^640x640 \(native; auto stayed native: model "yolov8n_fp32"/);
      await d.close();
      await expect(
        Detector.create({ modelsDir: dir, manifest: patched, threads: 1, cacheDir: cache, input: '640x384', precision: 'fp32', warn: () => {} }),
      ).rejects.toMatchObject({
        code: 'FS_MODEL_UNSUPPORTED',
        message: expect.stringMatching(/model "yolov8n_fp32": cannot derive a 640x384 input/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('caches the derived file by source sha256 and size, outside the repository, made once', async () => {
    const model = await resolveModel('yolov8n_fp32', dataPath('models'));
    const a = await deriveModelInput(model, { width: 640, height: 384 }, { cacheDir: cache });
    expect(a.derived).toBe(true);
    expect(a.path).toBe(join(cache, `yolov8n_fp32-${model.entry!.sha256.slice(0, 16)}-640x384.onnx`));
    const mtime = statSync(a.path).mtimeMs;
    const b = await deriveModelInput(model, { width: 640, height: 384 }, { cacheDir: cache });
    expect(b.path).toBe(a.path);
    expect(statSync(b.path).mtimeMs).toBe(mtime);
    const n = await deriveModelInput(model, { width: 640, height: 640 }, { cacheDir: cache });
    expect(n).toEqual({ path: model.path, input: { width: 640, height: 640 }, derived: false, precision: 'fp32' });
  });

  it.each([
    ['yolov8n_fp32', { width: 640, height: 384 }],
    ['yolox_nano', { width: 416, height: 256 }],
  ] as const)('%s at the 16:9-fitted input finds the people the native input finds (1080p street, 10-13 people)', async (name, fitted) => {
    const native = await Detector.create({ model: name, modelsDir: dataPath('models'), threads: 2, input: 'native', cacheDir: cache });
    const auto = await Detector.create({ model: name, modelsDir: dataPath('models'), threads: 2, input: 'auto', cacheDir: cache });
    try {
      expect(auto.inputSize).toEqual(fitted);
      expect(auto.input.mode).toBe('fitted');
      expect(describeDetectorInput(auto.input)).toMatch(new RegExp(`^${fitted.width}x${fitted.height} \\(fitted to 16:9; native`));
      const clip = 'video/street_elevated_pedestrians.mp4';
      const ref = await boxesPerFrame(native, await clipFrames(clip, native.inputSize, 4));
      const cand = await boxesPerFrame(auto, await clipFrames(clip, auto.inputSize, 4));
      const a = detectionAgreement(ref, cand);
      console.log(`[derive] ${name} ${fitted.width}x${fitted.height} vs native on ${a.frames} frames:`, JSON.stringify(a));
      expect(a.frames).toBe(4);
      expect(a.referenceBoxes).toBeGreaterThan(20);
      // Same pixels at the same scale; only the padding rows are gone: nearly every box pairs up.
      expect(a.referenceMatched).toBeGreaterThan(0.9);
      expect(a.candidateMatched).toBeGreaterThan(0.9);
      expect(a.meanIou).toBeGreaterThan(0.9);
    } finally {
      await native.close();
      await auto.close();
    }
  });

  it('OSNet at 128x64 and 160x80 (derived): 512-d embeddings, the same person nearest across 10 s', async () => {
    const model = await resolveModel('osnet_x0_25_msmt17', dataPath('models'));
    const clip = 'video/checkout_counter_cashier.mp4';
    // Hand boxes of test/track/reid.test.ts (768x432 source pixels) at 5 s and 15 s.
    const people: Array<[Xyxy, Xyxy]> = [
      [
        [112, 158, 182, 330],
        [118, 142, 195, 372],
      ],
      [
        [232, 108, 345, 432],
        [235, 118, 370, 432],
      ],
      [
        [598, 150, 680, 280],
        [555, 145, 645, 280],
      ],
    ];
    const all = await clipFrames(clip, { width: 768, height: 432 }, 16);
    const f5 = all.find((f) => Math.round(f.ptsSec) === 5)!;
    const f15 = all.find((f) => Math.round(f.ptsSec) === 15)!;
    for (const size of [
      { width: 64, height: 128 },
      { width: 80, height: 160 },
    ]) {
      const d = await deriveModelInput(model, size, { cacheDir: cache });
      const reid = await openReid(d.path, { threads: 1, input: d.input });
      try {
        expect(reid.input).toEqual(size);
        const a = await reid.embed(
          f5,
          people.map((p) => p[0]),
        );
        const b = await reid.embed(
          f15,
          people.map((p) => p[1]),
        );
        expect(reid.dim).toBe(512);
        people.forEach((_p, i) => {
          const same = 1 - dot(a[i]!, b[i]!);
          const others = people.flatMap((_q, j) => (j === i ? [] : [1 - dot(a[i]!, b[j]!), 1 - dot(a[j]!, b[i]!)]));
          expect(same).toBeLessThan(Math.min(...others));
        });
      } finally {
        await reid.release();
      }
    }
  });
});
