/**
 * The model manifest and the verified model lookup, on the real model files.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COCO80 } from '../../agent/src/detect/coco80.js';
import { defaultManifestPath, defaultModelsDir, findRepoRoot, loadManifest, parseManifest, resolveModel } from '../../agent/src/models/index.js';
import { modelThresholds } from '../../agent/src/track/options.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';

const manifest = loadManifest();
const rawManifest: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'models', 'manifest.json'), 'utf8'));

describe('models/manifest.json', () => {
  it('lists the four models with their task, input and output', () => {
    expect(manifest.models.map((m) => [m.name, m.task, m.input.width, m.input.height, m.output.format])).toEqual([
      ['yolov8n_fp32', 'detect', 640, 640, 'yolov8'],
      ['yolov8n_int8', 'detect', 640, 640, 'yolov8'],
      ['osnet_x0_25_msmt17', 'reid', 128, 256, 'embedding'],
      ['yolox_nano', 'detect', 416, 416, 'yolox'],
    ]);
    expect(Object.isFrozen(manifest.models[0])).toBe(true);
  });
  it('gives detectors the COCO-80 names, person first', () => {
    for (const m of manifest.models.filter((e) => e.task === 'detect')) expect(m.classes).toEqual([...COCO80]);
  });
  it('names a licence and a source URL pinned to a commit for every file', () => {
    for (const m of manifest.models) {
      expect(m.licence.length).toBeGreaterThan(5);
      expect(m.source_url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\/.+\.onnx$/);
    }
  });
  it("gives every detector its own tracker thresholds, so `--model` never falls back to another model's scores", () => {
    const detectors = manifest.models.filter((m) => m.task === 'detect');
    for (const m of detectors) expect(m.tracker_thresholds, m.name).toBeDefined();
    expect(modelThresholds('yolox_nano')).toEqual({ high: 0.302, low: 0.1, newTrack: 0.461 });
    expect(modelThresholds('yolov8n_int8').high).not.toBe(modelThresholds('yolox_nano').high);
  });
  it('is found from the repository root', () => {
    expect(findRepoRoot()).toBe(REPO_ROOT);
    expect(defaultManifestPath()).toBe(join(REPO_ROOT, 'models', 'manifest.json'));
  });
});

describe('parseManifest errors name the key path', () => {
  const entry = (over: Record<string, unknown>) => {
    const base = structuredClone((rawManifest as { models: Record<string, unknown>[] }).models[0]!);
    return { version: 1, models: [{ ...base, ...over }] };
  };
  const cases: Array<[string, unknown, RegExp]> = [
    ['unknown key', entry({ colour: 'red' }), /models\[0\]\.colour: unknown key/],
    ['bad sha256', entry({ sha256: 'abc' }), /models\[0\]\.sha256: a lowercase hex sha256/],
    ['file with a folder', entry({ file: 'x/yolo.onnx' }), /models\[0\]\.file: a bare \.onnx file name/],
    ['detector without classes', entry({ classes: undefined }), /models\[0\]\.classes: a detector needs its class names/],
    ['bad input size', entry({ input: { ...(entry({}).models[0]!.input as object), width: -1 } }), /models\[0\]\.input\.width/],
    ['unknown output format', entry({ output: { name: 'o', format: 'ssd', dims: [1] } }), /models\[0\]\.output\.format/],
    ['duplicate name', { version: 1, models: [entry({}).models[0], entry({}).models[0]] }, /models\[1\]\.name: duplicate model name "yolov8n_fp32"/],
    ['wrong version', { ...entry({}), version: 2 }, /version/],
  ];
  it.each(cases)('%s', (_n, raw, msg) => {
    expect(() => parseManifest(raw, 'test manifest')).toThrow(expect.objectContaining({ code: 'FS_PARSE', message: expect.stringMatching(msg) }));
  });
  it('reports an unreadable or non-JSON manifest file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-manifest-'));
    try {
      expect(() => loadManifest(join(dir, 'none.json'))).toThrow(
        expect.objectContaining({ code: 'FS_FILE_NOT_FOUND', message: expect.stringMatching(/none\.json: ENOENT/) }),
      );
      writeFileSync(join(dir, 'bad.json'), '{ "version": 1, ');
      expect(() => loadManifest(join(dir, 'bad.json'))).toThrow(
        expect.objectContaining({ code: 'FS_PARSE', message: expect.stringMatching(/bad\.json is not valid JSON/) }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('defaultModelsDir', () => {
  it('uses FLOORSENSE_MODELS when set', () => {
    expect(defaultModelsDir({ FLOORSENSE_MODELS: '/opt/fs/models' })).toBe('/opt/fs/models');
  });
  it('else ../shared/data/models beside the repository', () => {
    expect(defaultModelsDir({})).toBe(resolve(REPO_ROOT, '..', 'shared', 'data', 'models'));
    expect(defaultModelsDir({ FLOORSENSE_MODELS: '' }, '/srv/floorsense')).toBe('/srv/shared/data/models');
  });
});

const ready = haveData('models/yolov8n_fp32.onnx', 'models/yolov8n_int8.onnx', 'models/osnet_x0_25_msmt17.onnx', 'models/yolox_nano.onnx');

describe.skipIf(!ready)('resolveModel on the real files', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fs-models-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(manifest.models.map((m) => [m.name]))('%s matches its sha256', async (name) => {
    const r = await resolveModel(name, dataPath('models'), { manifest });
    expect(r).toMatchObject({ name, verified: true, path: dataPath('models', manifest.models.find((m) => m.name === name)!.file) });
  });

  it('refuses a tampered copy, naming the file, the expected and the actual hash', async () => {
    const dir = join(tmp, 'tampered');
    const file = join(dir, 'osnet_x0_25_msmt17.onnx');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    copyFileSync(dataPath('models/osnet_x0_25_msmt17.onnx'), file);
    chmodSync(file, 0o644);
    const bytes = readFileSync(file);
    const mid = bytes.length >> 1;
    bytes[mid] = bytes[mid]! ^ 0xff; // one flipped byte in the middle of the weights
    writeFileSync(file, bytes);
    const actual = createHash('sha256').update(bytes).digest('hex');
    const expected = manifest.models.find((m) => m.name === 'osnet_x0_25_msmt17')!.sha256;
    const err = await resolveModel('osnet_x0_25_msmt17', dir, { manifest }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FS_MODEL_CHECKSUM', kind: 'failure', details: { path: file, expected, actual } });
    expect(String((err as Error).message)).toContain(file);
    expect(String((err as Error).message)).toContain(`expected sha256 ${expected}, actual ${actual}`);
    // The same file given by path is checked too: its name is in the manifest.
    await expect(resolveModel(file, tmp, { manifest })).rejects.toMatchObject({ code: 'FS_MODEL_CHECKSUM' });
  });

  it('reports a missing file with its path and where it comes from', async () => {
    await expect(resolveModel('yolox_nano', tmp, { manifest })).rejects.toMatchObject({
      code: 'FS_MODEL_NOT_FOUND',
      kind: 'failure',
      message: expect.stringMatching(/model "yolox_nano" \(file yolox_nano\.onnx, from https:\/\/github\.com\/.*\) is missing: .*yolox_nano\.onnx/),
    });
    await expect(resolveModel(join(tmp, 'nope.onnx'), tmp, { manifest })).rejects.toMatchObject({
      code: 'FS_MODEL_NOT_FOUND',
      message: expect.stringContaining('nope.onnx'),
    });
  });

  it('refuses an unknown name, listing the known ones and the closest', async () => {
    await expect(resolveModel('yolov8n', tmp, { manifest })).rejects.toMatchObject({
      code: 'FS_MODEL_UNKNOWN',
      kind: 'misuse',
      message: expect.stringMatching(/unknown model "yolov8n"; known models: yolov8n_fp32, yolov8n_int8, osnet_x0_25_msmt17, yolox_nano/),
    });
    await expect(resolveModel('yolox_nan', tmp, { manifest })).rejects.toMatchObject({ message: expect.stringContaining('did you mean "yolox_nano"') });
  });

  it('verifies an intact copy given by path, and a bare manifest file name from the models folder', async () => {
    const copy = join(tmp, 'osnet_x0_25_msmt17.onnx');
    copyFileSync(dataPath('models/osnet_x0_25_msmt17.onnx'), copy);
    await expect(resolveModel(copy, '/nonexistent', { manifest })).resolves.toMatchObject({ name: 'osnet_x0_25_msmt17', verified: true, path: copy });
    await expect(resolveModel('yolox_nano.onnx', dataPath('models'), { manifest })).resolves.toMatchObject({ name: 'yolox_nano', verified: true });
  });

  it('loads a file outside the manifest with a warning and no checksum', async () => {
    const other = join(tmp, 'my-model.onnx');
    copyFileSync(dataPath('models/osnet_x0_25_msmt17.onnx'), other);
    const warnings: string[] = [];
    const r = await resolveModel(other, tmp, { manifest, warn: (m) => warnings.push(m) });
    expect(r).toEqual({ name: 'my-model.onnx', path: other, entry: undefined, verified: false });
    expect(warnings).toEqual([`model ${other} is not in the model manifest: loading it without a checksum; its layout is inferred from its tensor shapes`]);
  });
});
