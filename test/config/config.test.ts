import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, parseConfigText, formatKeyPath } from '../../agent/src/config/load.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { configJsonSchema } from '../../agent/src/config/schema.js';
import { MisuseError } from '../../agent/src/core/errors.js';

describe('config validation', () => {
  const cases: Array<[string, string, RegExp | null]> = [
    ['minimal', 'store: {id: s1}', null],
    ['unknown top-level key', 'store: {id: s1}\nbogus: 3', /bogus: unknown key/],
    ['unknown nested key', 'store: {id: s1}\ncameras: [{id: a, url: x.mp4, colour: red}]', /cameras\[0\]\.colour: unknown key/],
    ['wrong type', 'store: {id: s1}\ndetector: {threads: "two"}', /detector\.threads: .*number/],
    ['bad enum names choices', 'store: {id: s1}\ndetector: {providers: [gpu]}', /detector\.providers\[0\]: .*"cpu"\|"cuda"/],
    ['out of bounds', 'store: {id: s1}\nsampling: {stride: 0}', /sampling\.stride: .*>=1/],
    [
      'detector input not a size',
      'store: {id: s1}\ndetector: {input: 640*384}',
      /detector\.input: auto, native, or WxH with W and H multiples of 32 in 64\.\.1920/,
    ],
    ['detector input off the grid', 'store: {id: s1}\ndetector: {input: 640x360}', /detector\.input: auto, native, or WxH/],
    ['reid input not offered', 'store: {id: s1}\ntracker: {reid_input: 96x48}', /tracker\.reid_input: .*"256x128"\|"160x80"\|"128x64"/],
    ['stride and fps', 'store: {id: s1}\nsampling: {stride: 5, fps: 2}', /stride or fps, not both/],
    ['duplicate camera', 'store: {id: s1}\ncameras: [{id: a, url: x}, {id: a, url: y}]', /cameras\[1\]\.id: duplicate camera id "a"/],
    ['bad timezone', 'store: {id: s1, timezone: Mars/Olympus}', /store\.timezone: not an IANA time zone/],
    ['missing store', 'cameras: []', /store: /],
    ['not YAML', 'store: {id: [', /not valid YAML/],
    [
      'a display name as a seller id',
      'store: {id: s1}\nanalytics: {sellers: [{seller_id: Анна, zones: [counter]}]}',
      /analytics\.sellers\[0\]\.seller_id: an id of 1-128 letters/,
    ],
  ];
  it.each(cases)('%s', (_name, text, err) => {
    if (err === null) {
      const cfg = parseConfigText(text);
      expect(cfg.store.id).toBe('s1');
      expect(cfg.sampling.stride).toBe(25);
      expect(cfg.detector.model).toBe('yolov8n_fp32');
      expect(cfg.detector.input).toBe('auto');
      expect(Object.isFrozen(cfg.detector)).toBe(true);
    } else {
      let caught: unknown;
      try {
        parseConfigText(text);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(MisuseError);
      expect((caught as MisuseError).code).toBe('FS_CONFIG_INVALID');
      expect((caught as Error).message).toMatch(err);
    }
  });

  it('formats key paths', () => {
    expect(formatKeyPath(['cameras', 0, 'zones', 2, 'kind'])).toBe('cameras[0].zones[2].kind');
    expect(formatKeyPath([])).toBe('(top level)');
  });

  it('exports a JSON Schema that rejects unknown keys and carries descriptions', () => {
    const s = configJsonSchema() as { additionalProperties?: boolean; properties: Record<string, { description?: string }> };
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.store?.description).toMatch(/store/i);
    expect(s.properties.detector?.description).toBeTruthy();
  });
});

describe('committed JSON Schema', () => {
  it('config/floorsense.schema.json matches the zod schema (regenerate with `floorsense config schema --out`)', () => {
    const committed: unknown = JSON.parse(readFileSync(`${REPO_ROOT}/config/floorsense.schema.json`, 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('every example config in config/ validates', () => {
    const files = ['demo.yaml', ...readdirSync(join(REPO_ROOT, 'config', 'stores')).map((f) => join('stores', f))];
    for (const f of files) expect(() => loadConfigFile(join(REPO_ROOT, 'config', f))).not.toThrow();
  });
});
