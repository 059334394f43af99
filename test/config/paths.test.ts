import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigPath, loadConfigFile } from '../../agent/src/config/load.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

describe('relative paths in a config resolve against its folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-cfg-paths-'));
    mkdirSync(join(dir, 'stores'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites local paths, leaves URLs and manifest names alone, from any working directory', () => {
    const file = join(dir, 'stores', 'store.yaml');
    writeFileSync(
      file,
      [
        'store: {id: s1}',
        'cameras:',
        '  - {id: a, url: ../archive/cam-a}',
        '  - {id: b, url: "rtsp://admin:pw@10.0.0.5/s"}',
        '  - {id: c, url: /srv/nvr/c}',
        'storage: {path: data/floorsense.db}',
        'detector: {model: models/custom.onnx, models_dir: ../models}',
        'tracker: {reid_model: osnet_x0_25_msmt17}',
        'sales:',
        '  schedule: {source: schedule.csv, cache_path: cache/schedule.csv}',
        '  receipts: {folder: ../pos}',
      ].join('\n'),
    );
    const cwd = process.cwd();
    try {
      process.chdir(tmpdir());
      const cfg = loadConfigFile(file);
      expect(cfg.cameras.map((c) => c.url)).toEqual([join(dir, 'archive', 'cam-a'), 'rtsp://admin:pw@10.0.0.5/s', '/srv/nvr/c']);
      expect(cfg.storage.path).toBe(join(dir, 'stores', 'data', 'floorsense.db'));
      expect(cfg.detector.model).toBe(join(dir, 'stores', 'models', 'custom.onnx'));
      expect(cfg.detector.models_dir).toBe(join(dir, 'models'));
      expect(cfg.tracker.reid_model).toBe('osnet_x0_25_msmt17');
      expect(cfg.sales.schedule.source).toBe(join(dir, 'stores', 'schedule.csv'));
      expect(cfg.sales.schedule.cache_path).toBe(join(dir, 'stores', 'cache', 'schedule.csv'));
      expect(cfg.sales.receipts.folder).toBe(join(dir, 'pos'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('still reports a wrong type by key path instead of resolving it', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'store: {id: s1}\nstorage: {path: 12}\n');
    expect(() => loadConfigFile(file)).toThrow(/storage\.path: /);
  });
});

describe('one default config path for every command', () => {
  it('takes FLOORSENSE_CONFIG, else the installed /etc/floorsense/store.yaml, else the embedded demo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-cfg-default-'));
    try {
      const sys = join(dir, 'store.yaml');
      expect(defaultConfigPath({ FLOORSENSE_CONFIG: '/x/y.yaml' }, sys)).toBe('/x/y.yaml');
      expect(defaultConfigPath({}, sys)).toBe(join(REPO_ROOT, 'config', 'demo.yaml'));
      writeFileSync(sys, 'store: {id: s}\n');
      expect(defaultConfigPath({}, sys)).toBe(sys);
      expect(defaultConfigPath({ FLOORSENSE_CONFIG: '' }, sys)).toBe(sys);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
