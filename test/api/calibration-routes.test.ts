/**
 * The calibration endpoints over HTTP on the agent's own provider: a camera runtime holding a
 * 768x432 frame (letterboxed to 640x640) with two tracks, a config file in a temp folder, a real
 * API server on 127.0.0.1. What the page relies on: sizes and foot points in source pixels, the zone
 * of each foot point changing with a save, refusals with key paths, the request rules (content
 * type, JSON, token, Origin) and the grid of unsaved floor points.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProvider } from '../../agent/src/agent/api-provider.js';
import { Calibrations } from '../../agent/src/agent/calibration.js';
import { CameraRuntime } from '../../agent/src/agent/camera-runtime.js';
import { startApiServer, type ApiServer, type CalibrationView } from '../../agent/src/api/index.js';
import { calibrationIssues } from '../../agent/src/config/edit.js';
import { loadConfigFile } from '../../agent/src/config/load.js';
import { detectionsFromList } from '../../agent/src/core/detections.js';
import { DetectorQueue } from '../../agent/src/detect/index.js';
import { openStore, type Store } from '../../agent/src/store/open.js';
import { NOW, syntheticFrame } from './fixture.js';

const TOKEN = 'calibration-token-42';
const YAML = `store: {id: cal-api, timezone: UTC}
cameras:
  - id: entrance # the door camera
    url: ./door
  - id: idle
    url: ./idle
`;

describe('calibration endpoints', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let srv: ApiServer;
  const url = (path: string): string => `${srv.url}${path}`;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const put = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(url('/api/cameras/entrance/calibration'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const view = async (id = 'entrance'): Promise<CalibrationView> =>
    (await (await fetch(url(`/api/cameras/${id}/calibration`), { headers: auth })).json()) as CalibrationView;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-cal-api-'));
    file = join(dir, 'store.yaml');
    writeFileSync(file, YAML);
    const cfg = loadConfigFile(file);
    store = openStore(':memory:', { nowMs: NOW });
    const entrance = new CameraRuntime('entrance', 'archive', () => NOW, cfg.health.camera);
    const tracks = [
      { id: 5, box: [100, 200, 180, 400] as [number, number, number, number], score: 0.9, matched: true, detectionIndex: 0, ageSec: 3 },
      { id: 9, box: [500, 100, 560, 300] as [number, number, number, number], score: 0.8, matched: true, detectionIndex: 1, ageSec: 1 },
    ];
    entrance.frame(syntheticFrame(), detectionsFromList(tracks.map((t) => ({ box: t.box, score: t.score }))), tracks);
    const cameras = new Map([
      ['entrance', entrance],
      ['idle', new CameraRuntime('idle', 'archive', () => NOW, cfg.health.camera)],
    ]);
    const queue = new DetectorQueue({ detect: async () => detectionsFromList([]) }, { max_queue: 2 });
    const provider = agentProvider({
      cfg,
      db: store.db,
      version: 't',
      startedMs: NOW,
      clock: () => NOW,
      cameras,
      queue: () => queue.stats(),
      jobs: () => [],
      box: () => null,
      sync: () => ({ lastSuccessMs: null, lastError: null }),
      calibrations: new Calibrations(cfg, file),
    });
    srv = await startApiServer({ host: '127.0.0.1', port: 0, token: TOKEN, timeZone: 'UTC', nowMs: () => NOW }, provider);
  });
  afterAll(async () => {
    await srv?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GET: the source size, each track with its foot point and colour, no zones yet; a camera without a frame says so', async () => {
    const v = await view();
    expect([v.width, v.height, v.frame_ms, v.config_path]).toEqual([768, 432, NOW, file]);
    expect(v.tracks.map((t) => [t.track_id, t.foot, t.zone])).toEqual([
      [5, [140, 400], null],
      [9, [530, 300], null],
    ]);
    expect(v.tracks[0]!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(v.zones).toEqual([]);
    expect(v.floor).toBeNull();
    expect(v.zone_colors.staff).toMatch(/^#[0-9a-f]{6}$/);
    const idle = await view('idle');
    expect([idle.width, idle.height, idle.tracks]).toEqual([null, null, []]);
    expect((await fetch(url('/api/cameras/nope/calibration'), { headers: auth })).status).toBe(404);
  });

  it('PUT: saved to the file (.bak kept) and the foot points are judged by the new zones at once', async () => {
    const r = await put({
      zones: [
        {
          name: 'door',
          kind: 'entrance',
          polygon: [
            [60, 350],
            [220, 350],
            [220, 432],
            [60, 432],
          ],
        },
      ],
      floor: null,
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { path: string; backup: string; view: CalibrationView };
    expect([body.path, body.backup]).toEqual([file, `${file}.bak`]);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(YAML);
    expect(readFileSync(file, 'utf8')).toContain(
      '  - id: entrance # the door camera\n    url: ./door\n    zones:\n      - {name: door, kind: entrance, polygon: [[60, 350], [220, 350], [220, 432], [60, 432]]}\n',
    );
    expect(body.view.tracks.map((t) => [t.track_id, t.zone, t.zone_kind])).toEqual([
      [5, 'door', 'entrance'],
      [9, null, null],
    ]);
    expect((await view()).zones.map((z) => z.name)).toEqual(['door']);
    // Only the floor sent: the zones stay.
    const floor = {
      image: [
        [100, 420],
        [700, 420],
        [600, 300],
        [200, 300],
      ],
      world: [
        [0, 0],
        [6, 0],
        [5, 4],
        [1, 4],
      ],
    };
    expect((await put({ floor })).status).toBe(200);
    const both = await view();
    expect([both.zones.map((z) => z.name), both.floor]).toEqual([['door'], floor]);
    expect(both.floor_grid!.lines.length).toBeGreaterThan(0);
    expect((await put({ floor: null })).status).toBe(200);
    expect((await view()).floor).toBeNull();
  });

  it('refuses bad requests before touching the file', async () => {
    const before = readFileSync(file, 'utf8');
    const cases: Array<[Promise<Response>, number, RegExp]> = [
      [put('{not json'), 400, /^body is not JSON/],
      [put({ zones: [] }, { 'content-type': 'text/plain' }), 415, /content-type must be application\/json/],
      [put({ zones: [], floor: null, extra: 1 }), 400, /unknown key\(s\) extra/],
      [
        put({
          zones: [
            {
              name: 'a',
              kind: 'staff',
              polygon: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        }),
        400,
        /cameras\[0\]\.zones\[0\]\.polygon/,
      ],
      [
        put({
          zones: [
            {
              name: 'a',
              kind: 'staff',
              polygon: [
                [0, 0],
                [800, 0],
                [0, 100],
              ],
            },
          ],
        }),
        400,
        /cameras\[0\]\.zones\[0\]\.polygon\[1\]: x=800 is outside the 768x432 picture/,
      ],
      [put({ zones: [] }, { authorization: 'Bearer wrong' }), 401, /missing or wrong token/],
      [put({ zones: [] }, { origin: 'http://evil.example' }), 403, /cross-origin PUT refused/],
    ];
    for (const [p, status, message] of cases) {
      const r = await p;
      const b = (await r.json()) as { error: string; issues?: string[] };
      expect(r.status, b.error).toBe(status);
      expect([b.error, ...(b.issues ?? [])].join('\n')).toMatch(message);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('POST floor-grid: the 1 m grid of unsaved points, or the fit’s reason; not saved', async () => {
    const before = readFileSync(file, 'utf8');
    const grid = async (body: unknown, id = 'entrance'): Promise<Response> =>
      fetch(url(`/api/cameras/${id}/floor-grid`), { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
    const ok = await grid({
      image: [
        [100, 420],
        [700, 420],
        [600, 300],
        [200, 300],
      ],
      world: [
        [0, 0],
        [6, 0],
        [5, 4],
        [1, 4],
      ],
    });
    expect(ok.status).toBe(200);
    const g = (await ok.json()) as { lines: Array<{ axis: string; metres: number }>; rms_m: number };
    expect(g.rms_m).toBeLessThan(1e-6);
    expect(g.lines.filter((l) => l.axis === 'y').map((l) => l.metres)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4]));
    const line = await grid({
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
    });
    expect(line.status).toBe(400);
    expect(((await line.json()) as { error: string }).error).toMatch(/^floor: points are degenerate/);
    expect((await grid({ image: 'x', world: [] })).status).toBe(400);
    expect((await grid({ image: [], world: [] }, 'idle')).status).toBe(503);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('an agent started without a config file refuses to save, saying why', () => {
    const cal = new Calibrations(loadConfigFile(file), null);
    let err: unknown;
    try {
      cal.save('entrance', { zones: [], floor: null });
    } catch (e) {
      err = e;
    }
    expect(calibrationIssues(err)).toEqual([expect.stringMatching(/started without a config file .*--config FILE/)]);
  });
});
