import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddingsPath, readCameraTracks, writeCameraEmbeddings, writeCameraTracks } from '../../agent/src/scene/interchange.js';

const tmp = mkdtempSync(join(tmpdir(), 'fs-interchange-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tb = { startMs: Date.UTC(2026, 0, 5, 9), fps: 1, width: 640, height: 480 };
const rows = [
  { frame: 1, id: 3, x: 10, y: 20, w: 30, h: 90, conf: 0.9 },
  { frame: 1, id: 8, x: 200, y: 20, w: 30, h: 90, conf: 0.8 },
];

describe('appearance sidecar <camera>.emb.json', () => {
  it('is absent by default and round-trips rounded to 4 decimals', () => {
    const dir = join(tmp, 'rt');
    writeCameraTracks(dir, 'cam', tb, rows);
    expect(readCameraTracks(dir, 'cam').embeddings).toBeUndefined();
    const a = Float32Array.from([0.6, 0.8, 0]);
    const b = Float32Array.from([0.123456, -0.5, 0.857143]);
    expect(
      writeCameraEmbeddings(
        dir,
        'cam',
        new Map([
          [8, b],
          [3, a],
        ]),
      ),
    ).toBe(embeddingsPath(dir, 'cam'));
    const back = readCameraTracks(dir, 'cam').embeddings!;
    expect([...back.keys()].sort()).toEqual([3, 8]);
    expect(Array.from(back.get(3)!)).toEqual(Array.from(a));
    expect(back.get(8)![0]).toBeCloseTo(0.1235, 6);
    expect(back.get(8)![2]).toBeCloseTo(0.8571, 6);
  });

  it('writes nothing without embeddings, and rewriting the tracks drops a stale sidecar', () => {
    const dir = join(tmp, 'stale');
    writeCameraTracks(dir, 'cam', tb, rows);
    expect(writeCameraEmbeddings(dir, 'cam', new Map())).toBeNull();
    expect(existsSync(embeddingsPath(dir, 'cam'))).toBe(false);
    writeCameraEmbeddings(dir, 'cam', new Map([[3, Float32Array.from([1, 0])]]));
    writeCameraTracks(dir, 'cam', tb, rows);
    expect(readCameraTracks(dir, 'cam').embeddings).toBeUndefined();
  });

  it('refuses mixed lengths on write', () => {
    expect(() =>
      writeCameraEmbeddings(
        join(tmp, 'mixed'),
        'cam',
        new Map([
          [1, new Float32Array(2)],
          [2, new Float32Array(3)],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'FS_BAD_ARGUMENT' }));
  });

  const bad: Array<[string, string, string]> = [
    ['not JSON', '{"dim":', 'not JSON'],
    ['missing dim', '{"tracks": {}}', 'dim'],
    ['wrong length', '{"dim": 3, "tracks": {"3": [1, 0]}}', 'tracks.3: expected 3 numbers, got 2'],
    ['non-integer id', '{"dim": 1, "tracks": {"a": [1]}}', 'tracks.a'],
    ['non-number value', '{"dim": 1, "tracks": {"3": ["x"]}}', 'tracks.3.0'],
    ['extra key', '{"dim": 1, "tracks": {}, "x": 1}', 'x'],
    ['a colour of two channels', '{"colors": {"3": [1, 2]}}', 'colors.3'],
    ['a channel over 255', '{"colors": {"3": [1, 2, 256]}}', 'colors.3.2'],
    ['a negative channel', '{"colors": {"3": [-1, 2, 3]}}', 'colors.3.0'],
    ['a non-integer track id', '{"colors": {"x": [1, 2, 3]}}', 'colors.x'],
    ['colours not an object', '{"colors": [1, 2, 3]}', 'colors'],
    ['dim without tracks', '{"dim": 2, "colors": {}}', 'tracks'],
    ['an empty sidecar', '{}', 'dim'],
  ];
  it.each(bad)('rejects %s with FS_PARSE naming the file', (_name, text, why) => {
    const dir = join(tmp, 'bad');
    writeCameraTracks(dir, 'cam', tb, rows);
    writeFileSync(embeddingsPath(dir, 'cam'), text);
    let err: unknown;
    try {
      readCameraTracks(dir, 'cam');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'FS_PARSE' });
    expect((err as Error).message).toContain('cam.emb.json');
    expect((err as Error).message).toContain(why);
  });
});

describe('torso colours in the sidecar', () => {
  it('round-trip alongside embeddings, rounded to integers', () => {
    const dir = join(tmp, 'both');
    writeCameraTracks(dir, 'cam', tb, rows);
    writeCameraEmbeddings(
      dir,
      'cam',
      new Map([[3, Float32Array.from([1, 0])]]),
      new Map([
        [8, [10.4, 200.6, 255] as const],
        [3, [0, 0, 0] as const],
      ]),
    );
    const back = readCameraTracks(dir, 'cam');
    expect(back.embeddings!.size).toBe(1);
    expect([...back.colors!.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [3, [0, 0, 0]],
      [8, [10, 201, 255]],
    ]);
  });

  it('are written alone when there are no embeddings, and then no embeddings are read', () => {
    const dir = join(tmp, 'alone');
    writeCameraTracks(dir, 'cam', tb, rows);
    expect(writeCameraEmbeddings(dir, 'cam', new Map(), new Map([[3, [1, 2, 3] as const]]))).toBe(embeddingsPath(dir, 'cam'));
    expect(JSON.parse(readFileSync(embeddingsPath(dir, 'cam'), 'utf8'))).toEqual({ colors: { '3': [1, 2, 3] } });
    const back = readCameraTracks(dir, 'cam');
    expect(back.embeddings).toBeUndefined();
    expect(back.colors!.get(3)).toEqual([1, 2, 3]);
  });

  it('are absent from a sidecar without the key', () => {
    const dir = join(tmp, 'none');
    writeCameraTracks(dir, 'cam', tb, rows);
    writeCameraEmbeddings(dir, 'cam', new Map([[3, Float32Array.from([1, 0])]]));
    expect(readCameraTracks(dir, 'cam').colors).toBeUndefined();
    expect(writeCameraEmbeddings(dir, 'cam', new Map(), new Map())).toBeNull();
  });
});

describe('camera downtime in <camera>.json', () => {
  it('round-trips, and is absent when there is none', () => {
    const dir = join(tmp, 'down');
    writeCameraTracks(dir, 'cam', tb, rows);
    expect(readCameraTracks(dir, 'cam').downtime).toBeUndefined();
    const down: Array<[number, number]> = [[tb.startMs + 60_000, tb.startMs + 180_000]];
    writeCameraTracks(dir, 'cam', tb, rows, down);
    expect(readCameraTracks(dir, 'cam').downtime).toEqual(down);
    expect(JSON.parse(readFileSync(join(dir, 'cam.json'), 'utf8')).downtime).toEqual([['2026-01-05T09:01:00.000Z', '2026-01-05T09:03:00.000Z']]);
  });

  it('refuses a downtime that ends before it starts, naming the file and the key', () => {
    const dir = join(tmp, 'down-bad');
    writeCameraTracks(dir, 'cam', tb, rows);
    const meta = JSON.parse(readFileSync(join(dir, 'cam.json'), 'utf8'));
    writeFileSync(join(dir, 'cam.json'), JSON.stringify({ ...meta, downtime: [['2026-01-05T09:03:00Z', '2026-01-05T09:01:00Z']] }));
    expect(() => readCameraTracks(dir, 'cam')).toThrow(/cam\.json: downtime\.0: a downtime must end after it starts/);
  });
});
