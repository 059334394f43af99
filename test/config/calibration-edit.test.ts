/**
 * Writing one camera's zones and floor back into a store's YAML (config/edit.ts): comments and the
 * rest of the file stay, the previous file is kept as .bak, and a refused edit (schema or picture
 * bounds) names its key path and leaves the file as it was. Real files in a temp folder.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calibrationIssues, editCalibrationText, writeCameraCalibration } from '../../agent/src/config/edit.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { loadConfigFile } from '../../agent/src/config/load.js';

const STORE = `# The demo store: written by hand, comments must survive the editor.
store:
  id: calib-test # the chain's id
  timezone: UTC
cameras:
  # the counter camera
  - id: counter
    url: ./clips # relative: against this file's folder
    zones:
      - name: old
        kind: floor
        polygon: [[0, 0], [100, 0], [100, 100]]
  - id: door
    url: ./door
api:
  port: 0
`;

const PICTURE = { width: 768, height: 432 };

describe('writeCameraCalibration', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-calib-'));
    file = join(dir, 'store.yaml');
    writeFileSync(file, STORE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces only that camera’s zones and floor, keeps comments and the rest, and keeps the old file as .bak', () => {
    const zones = [
      {
        name: 'behind counter',
        kind: 'staff',
        polygon: [
          [10, 300],
          [300, 300],
          [300, 432],
          [10, 432],
        ],
      },
      {
        name: 'hall',
        kind: 'floor',
        polygon: [
          [0, 0],
          [768, 0],
          [768, 250],
          [0, 250],
        ],
      },
    ];
    const floor = {
      image: [
        [100, 400],
        [700, 400],
        [650, 200],
        [150, 200],
      ],
      world: [
        [0, 0],
        [6, 0],
        [6, 8],
        [0, 8],
      ],
    };
    const r = writeCameraCalibration(file, 'counter', { zones, floor }, PICTURE);
    expect(r.backup).toBe(`${file}.bak`);
    expect(readFileSync(r.backup, 'utf8')).toBe(STORE);
    const text = readFileSync(file, 'utf8');
    for (const comment of ['# The demo store: written by hand', '# the chain', '# the counter camera', '# relative: against this file'])
      expect(text).toContain(comment);
    // One zone per line, as the example configs write them: readable by the next technician.
    expect(text).toContain('      - {name: behind counter, kind: staff, polygon: [[10, 300], [300, 300], [300, 432], [10, 432]]}\n');
    expect(text).toContain('      image: [[100, 400], [700, 400], [650, 200], [150, 200]]\n');
    expect(text).toContain('url: ./clips');
    const cfg = loadConfigFile(file);
    expect(cfg.cameras[0]!.zones).toEqual(zones);
    expect(cfg.cameras[0]!.floor).toEqual(floor);
    expect(cfg.cameras[1]!.zones).toEqual([]);
    expect(cfg.api.port).toBe(0);
    expect(r.camera.zones.map((z) => z.name)).toEqual(['behind counter', 'hall']);

    // Saving without a floor removes it again.
    writeCameraCalibration(file, 'counter', { zones, floor: null }, PICTURE);
    expect(loadConfigFile(file).cameras[0]!.floor).toBeUndefined();
  });

  const refused: Array<[string, unknown, unknown, RegExp]> = [
    [
      'fewer than 3 corners',
      [
        {
          name: 'z',
          kind: 'staff',
          polygon: [
            [1, 1],
            [2, 2],
          ],
        },
      ],
      null,
      /^cameras\[0\]\.zones\[0\]\.polygon: .*3/,
    ],
    [
      'a corner outside the picture',
      [
        {
          name: 'z',
          kind: 'staff',
          polygon: [
            [10, 10],
            [1768, 20],
            [30, 400],
          ],
        },
      ],
      null,
      /^cameras\[0\]\.zones\[0\]\.polygon\[1\]: x=1768 is outside the 768x432 picture \(zone "z" of camera "counter"\)$/,
    ],
    [
      'an unknown kind',
      [
        {
          name: 'z',
          kind: 'office',
          polygon: [
            [1, 1],
            [20, 2],
            [3, 30],
          ],
        },
      ],
      null,
      /^cameras\[0\]\.zones\[0\]\.kind: /,
    ],
    [
      'an unknown key',
      [
        {
          name: 'z',
          kind: 'staff',
          polygon: [
            [1, 1],
            [20, 2],
            [3, 30],
          ],
          colour: 'red',
        },
      ],
      null,
      /^cameras\[0\]\.zones\[0\]\.colour: unknown key$/,
    ],
    [
      'two zones of one name',
      [
        {
          name: 'z',
          kind: 'staff',
          polygon: [
            [1, 1],
            [20, 2],
            [3, 30],
          ],
        },
        {
          name: 'z',
          kind: 'floor',
          polygon: [
            [1, 1],
            [20, 2],
            [3, 30],
          ],
        },
      ],
      null,
      /^cameras\[0\]\.zones\[1\]\.name: duplicate zone name "z"/,
    ],
    [
      'floor points on a line',
      [],
      {
        image: [
          [0, 0],
          [10, 10],
          [20, 20],
          [30, 30],
        ],
        world: [
          [0, 0],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
      /^cameras\[0\]\.floor: points are degenerate/,
    ],
  ];
  it.each(refused)('refuses %s with its key path and leaves the file unchanged (no .bak)', (_what, zones, floor, message) => {
    let err: unknown;
    try {
      writeCameraCalibration(file, 'counter', { zones, floor }, PICTURE);
    } catch (e) {
      err = e;
    }
    const issues = calibrationIssues(err);
    expect(issues, String(err)).not.toBeNull();
    expect(
      issues!.some((i) => message.test(i)),
      issues!.join('\n'),
    ).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(STORE);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it('saving config/demo.yaml’s cameras with their own zones and floor gives the file back byte for byte', () => {
    const demo = join(REPO_ROOT, 'config', 'demo.yaml');
    const text = readFileSync(demo, 'utf8');
    const cfg = loadConfigFile(demo);
    for (const cam of cfg.cameras) expect(editCalibrationText(text, demo, cam.id, { zones: cam.zones, floor: cam.floor ?? null }).text, cam.id).toBe(text);
  });

  it('adds no empty zones key to a camera that had none', () => {
    writeCameraCalibration(file, 'door', { zones: [], floor: null }, PICTURE);
    expect(readFileSync(file, 'utf8')).toBe(STORE);
  });

  it('keeps the file as private as it was (it holds camera passwords): 0640 stays 0640, the .bak too', () => {
    chmodSync(file, 0o640);
    writeCameraCalibration(
      file,
      'counter',
      {
        zones: [
          {
            name: 'till',
            kind: 'till',
            polygon: [
              [0, 0],
              [100, 0],
              [100, 100],
            ],
          },
        ],
        floor: null,
      },
      PICTURE,
    );
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o640);
    // A .bak another user left read-only is replaced by rename, not refused.
    chmodSync(`${file}.bak`, 0o400);
    writeCameraCalibration(file, 'counter', { zones: [], floor: null }, PICTURE);
    expect(readFileSync(`${file}.bak`, 'utf8')).toContain('till');
  });

  it('names an unknown camera', () => {
    expect(() => writeCameraCalibration(file, 'nope', { zones: [], floor: null })).toThrow(/no camera with id "nope"/);
    expect(readFileSync(file, 'utf8')).toBe(STORE);
  });
});
