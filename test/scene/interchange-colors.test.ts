import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddingsPath, readCameraTracks, writeCameraEmbeddings, writeCameraTracks } from '../../agent/src/scene/interchange.js';

const tmp = mkdtempSync(join(tmpdir(), 'fs-interchange-colors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tb = { startMs: Date.UTC(2026, 0, 5, 9), fps: 1, width: 640, height: 480 };
const rows = [
  { frame: 1, id: 3, x: 10, y: 20, w: 30, h: 90, conf: 0.9 },
  { frame: 1, id: 8, x: 200, y: 20, w: 30, h: 90, conf: 0.8 },
];

describe('torso colours in the sidecar', () => {
  it('round-trip alongside embeddings, rounded to integers', () => {
    const dir = join(tmp, 'both');
    writeCameraTracks(dir, 'cam', tb, rows);
    writeCameraEmbeddings(dir, 'cam', new Map([[3, Float32Array.from([1, 0])]]), new Map([[8, [10.4, 200.6, 255] as const], [3, [0, 0, 0] as const]]));
    const back = readCameraTracks(dir, 'cam');
    expect(back.embeddings!.size).toBe(1);
    expect([...back.colors!.entries()].sort((a, b) => a[0] - b[0])).toEqual([[3, [0, 0, 0]], [8, [10, 201, 255]]]);
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
