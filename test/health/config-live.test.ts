/**
 * `floorsense config check FILE --live`: the bounds rule on its own (milliseconds), then the real
 * CLI (compiled dist/) against a live camera on the GStreamer RTSP server, a dead port with a
 * password in its URL, and an archive folder holding a real clip, with zones inside and outside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../agent/src/config/load.js';
import { pictureBoundsProblems } from '../../agent/src/health/config-live.js';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';
import { cutClip, writeConfig } from '../agent/helpers.js';

const CLI = join(REPO_ROOT, 'bin', 'floorsense.js');
const PASSWORD = 'Pw-live-7c2x';
const tri = (x: number, y: number) => [
  [0, 0],
  [x, 0],
  [x, y],
];

describe('config check --live: points against the picture size', () => {
  const cfg = validateConfig({
    store: { id: 'b', timezone: 'UTC' },
    cameras: [
      { id: 'a', url: 'x' },
      {
        id: 'till',
        url: 'y',
        zones: [
          { name: 'edge', kind: 'staff', polygon: tri(768, 432) },
          {
            name: 'wide',
            kind: 'floor',
            polygon: [
              [0, 0],
              [1768, 10],
              [10, 10],
              [-4, 500],
            ],
          },
        ],
        floor: {
          image: [
            [0, 0],
            [768, 0],
            [768, 440],
            [0, 432],
          ],
          world: [
            [0, 0],
            [4, 0],
            [4, 3],
            [0, 3],
          ],
        },
      },
    ],
  });

  it('the picture edges are inside; each point outside is named by key path, zone and camera', () => {
    expect(pictureBoundsProblems(cfg.cameras[1]!, 1, 768, 432)).toEqual([
      { path: 'cameras[1].zones[1].polygon[1]', message: 'x=1768 is outside the 768x432 picture (zone "wide" of camera "till")' },
      { path: 'cameras[1].zones[1].polygon[3]', message: 'x=-4, y=500 are outside the 768x432 picture (zone "wide" of camera "till")' },
      { path: 'cameras[1].floor.image[2]', message: 'y=440 is outside the 768x432 picture (floor homography of camera "till")' },
    ]);
    // The same config on a picture twice the size: nothing left over but the 1768.
    expect(pictureBoundsProblems(cfg.cameras[1]!, 1, 1536, 864).map((p) => p.path)).toEqual([
      'cameras[1].zones[1].polygon[1]',
      'cameras[1].zones[1].polygon[3]',
    ]);
    expect(pictureBoundsProblems(cfg.cameras[0]!, 0, 768, 432)).toEqual([]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'config', 'check', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!haveData('video/checkout_counter_cashier.mp4', 'video/indoor_one_by_one_person.mp4'))(
  'config check --live: the real CLI on real sources',
  () => {
    let dir: string;
    let server: RtspServer | undefined;
    let liveUrl: string;
    let deadUrl: string;
    let archive: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'fs-config-live-'));
      const clip = join(dir, 'live.mp4');
      cutClip(dataPath('video/checkout_counter_cashier.mp4'), clip, 0, 6); // 384x216
      server = await startRtspServer({ cam1: clip }, { loop: true });
      liveUrl = server.url('cam1');
      deadUrl = `rtsp://admin:${PASSWORD}@127.0.0.1:${await freePort()}/stream1`;
      archive = join(dir, 'exports');
      mkdirSync(archive);
      copyFileSync(dataPath('video/indoor_one_by_one_person.mp4'), join(archive, '2026-11-20_10-00.mp4')); // 768x432
    }, 60_000);
    afterAll(async () => {
      await server?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a live camera, an unreachable one and an archive zone off the picture: exit 1, each named', () => {
      const cfg = writeConfig(join(dir, 'bad'), {
        store: { id: 'shop-7', timezone: 'UTC' },
        cameras: [
          { id: 'door', url: liveUrl, zones: [{ name: 'entry', kind: 'entrance', polygon: tri(384, 216) }] },
          { id: 'till', url: deadUrl, rtsp_timeout_s: 3 },
          {
            id: 'hall',
            url: archive,
            zones: [
              { name: 'counter', kind: 'staff', polygon: tri(300, 200) },
              {
                name: 'floor',
                kind: 'floor',
                polygon: [
                  [0, 0],
                  [1768, 0],
                  [100, 300],
                ],
              },
            ],
          },
          { id: 'off', url: 'rtsp://127.0.0.1:1/never', enabled: false },
        ],
      });
      // Offline, as before: the schema is fine.
      const plain = cli(cfg);
      expect(plain.status).toBe(0);
      expect(plain.stdout).toContain('ok (store shop-7, 4 camera(s))');

      const r = cli(cfg, '--live');
      expect(r.status).toBe(1);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe(`${cfg}: schema ok (store shop-7); live check of 3 enabled camera(s):`);
      expect(r.stdout).toMatch(/^ok {4}door {2}h264 384x216 @ [\d.]+ fps; a frame decoded; 3 zone\/floor point\(s\) inside the picture$/m);
      expect(r.stdout).toMatch(/^FAIL {2}till {2}rtsp:\/\/\*\*\*@127\.0\.0\.1:\d+\/stream1: .*Connection refused$/m);
      expect(r.stdout).toMatch(/^FAIL {2}hall {2}archive folder, 1 file\(s\); newest 2026-11-20_10-00\.mp4: h264 768x432/m);
      expect(r.stdout).toContain('cameras[2].zones[1].polygon[1]: x=1768 is outside the 768x432 picture (zone "floor" of camera "hall")');
      expect(r.stdout).not.toMatch(/cameras\[2\]\.zones\[0\]/);
      expect(r.stdout).not.toMatch(/^\S+ +off /m); // disabled: not probed
      expect(lines.at(-1)).toBe(`${cfg}: 2 problem(s)`);
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);

      const j = cli(cfg, '--live', '--json');
      expect(j.status).toBe(1);
      expect(j.stdout).not.toContain(PASSWORD);
      const report = JSON.parse(j.stdout) as {
        ok: boolean;
        cameras: Array<{ id: string; index: number; status: string; picture?: { width: number; height: number }; problems: Array<{ path: string }> }>;
      };
      expect(report.ok).toBe(false);
      expect(report.cameras.map((c) => [c.id, c.index, c.status, c.picture?.width, c.problems.map((p) => p.path)])).toEqual([
        ['door', 0, 'pass', 384, []],
        ['till', 1, 'fail', undefined, ['cameras[1].url']],
        ['hall', 2, 'fail', 768, ['cameras[2].zones[1].polygon[1]']],
      ]);
    }, 90_000);

    it('every camera reachable and every point inside: exit 0', () => {
      const cfg = writeConfig(join(dir, 'good'), {
        store: { id: 'shop-7', timezone: 'UTC' },
        cameras: [
          {
            id: 'door',
            url: liveUrl,
            floor: {
              image: [
                [0, 0],
                [384, 0],
                [384, 216],
                [0, 216],
              ],
              world: [
                [0, 0],
                [4, 0],
                [4, 3],
                [0, 3],
              ],
            },
          },
          { id: 'hall', url: archive, zones: [{ name: 'counter', kind: 'staff', polygon: tri(768, 432) }] },
        ],
      });
      const r = cli(cfg, '--live');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1)).toBe(`${cfg}: ok`);
      expect(r.stdout).toMatch(/^ok {4}door {2}.*4 zone\/floor point\(s\) inside the picture$/m);
    }, 60_000);
  },
);
