/**
 * The whole vision pipeline on real footage: ffmpeg decode, YOLOv8n on onnxruntime, the tracker
 * with OSNet appearance, outputs on disk.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource, type AnalyzeOptions } from '../../agent/src/pipeline/analyze.js';
import { writeAnalyzeOutputs } from '../../agent/src/pipeline/outputs.js';
import { readCameraTracks } from '../../agent/src/scene/interchange.js';
import { DEFAULT_TRACKER_OPTIONS, trackerOptions } from '../../agent/src/track/index.js';
import { parseMot, groupByFrame } from '../../agent/src/io/mot.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';

const CLIP = 'video/checkout_counter_cashier.mp4';
const ok = haveData(CLIP, 'models/yolov8n_fp32.onnx', 'models/osnet_x0_25_msmt17.onnx');

function options(url: string, over: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  return {
    url,
    sourceId: 'checkout',
    sampling: { stride: 25, keyframes: 'auto' },
    detector: {},
    tracker: DEFAULT_TRACKER_OPTIONS,
    appearance: true,
    reidModel: 'osnet_x0_25_msmt17',
    motionGate: {},
    preview: { tiles: 6 },
    startTimeMs: Date.parse('2026-11-20T09:00:00Z'),
    warn: () => {},
    ...over,
  };
}

describe.skipIf(!ok)('analyze on the checkout clip', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fs-analyze-'));
  });

  it('tracks the cashier and the two customers with stable ids and writes the interchange layout', async () => {
    const r = await analyzeSource(options(dataPath(CLIP)));
    expect(r.error).toBeNull();
    const s = r.summary;
    // 653 frames at stride 25 -> frames 0, 25, ..., 650.
    expect(s.frames_sampled).toBe(27);
    // Three people are visible throughout (SOURCES.md); the tracker must not shatter them.
    const frames = groupByFrame(r.rows);
    const withThree = [...frames.values()].filter((rows) => rows.length === 3).length;
    expect(withThree / s.frames_sampled).toBeGreaterThan(0.8);
    expect(s.tracks).toBeGreaterThanOrEqual(3);
    expect(s.tracks).toBeLessThanOrEqual(4);
    // Frame numbers are source frame indices + 1, boxes in source pixels.
    expect([...frames.keys()].every((f) => (f - 1) % 25 === 0)).toBe(true);
    for (const row of r.rows) {
      expect(row.x).toBeGreaterThanOrEqual(0);
      expect(row.x + row.w).toBeLessThanOrEqual(768 + 0.01);
      expect(row.y + row.h).toBeLessThanOrEqual(432 + 0.01);
    }
    expect(s.appearance.enabled).toBe(true);
    expect(s.appearance.embeddings).toBeGreaterThan(0);

    const out = join(tmp, 'full');
    const files = writeAnalyzeOutputs(out, r);
    expect(parseMot(readFileSync(files.tracks, 'utf8'))).toHaveLength(r.rows.length);
    expect(JSON.parse(readFileSync(files.timeBase, 'utf8'))).toEqual({
      start: '2026-11-20T09:00:00.000Z',
      fps: 25,
      width: 768,
      height: 432,
    });
    expect(JSON.parse(readFileSync(files.summary, 'utf8'))).toMatchObject({ frames_sampled: 27, tracks: s.tracks });
    expect(statSync(files.preview!).size).toBeGreaterThan(10_000);
    // Appearance leaves the tracker: one unit-length embedding per reported track, read back through the sidecar.
    expect(files.embeddings).toBe(join(out, `${s.source_id}.emb.json`));
    const back = readCameraTracks(out, s.source_id);
    const rowIds = new Set(r.rows.map((row) => row.id));
    expect(back.embeddings!.size).toBeGreaterThanOrEqual(s.tracks - 1);
    for (const [id, v] of back.embeddings!) {
      expect(rowIds.has(id)).toBe(true);
      expect(v.length).toBe(r.embeddings.get(id)!.length);
      expect(Math.hypot(...v)).toBeCloseTo(1, 2);
    }
  });

  it('keeps the work done before a truncated file breaks, and names the file', async () => {
    const cut = join(tmp, 'cut.mp4');
    const bytes = readFileSync(dataPath(CLIP));
    // A fragmented copy survives truncation (moov first), as an interrupted NVR export would.
    const frag = join(tmp, 'frag.mp4');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', dataPath(CLIP), '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov', frag]);
    writeFileSync(cut, readFileSync(frag).subarray(0, Math.floor(bytes.length * 0.5)));
    const r = await analyzeSource(options(cut, { appearance: false, tracker: trackerOptions({ appearance: false }), preview: null }));
    expect(r.error).not.toBeNull();
    expect(r.summary.error?.code).toBe('FS_VIDEO_TRUNCATED');
    expect(r.summary.error?.message).toContain('cut.mp4');
    expect(r.summary.frames_sampled).toBeGreaterThan(3);
    expect(r.summary.frames_sampled).toBeLessThan(27);
    expect(r.rows.length).toBeGreaterThan(0);
  });

  it('with recycleFrames, reuses a few frame buffers and finds exactly what it finds without', async () => {
    const seen = (recycle: boolean) => {
      const buffers = new Set<ArrayBufferLike>();
      return {
        buffers,
        run: analyzeSource(
          options(dataPath(CLIP), {
            recycleFrames: recycle,
            limitSec: 12,
            preview: null,
            onFrame: (frame) => void buffers.add(frame.data.buffer),
          }),
        ),
      };
    };
    const plain = seen(false);
    const a = await plain.run;
    const reused = seen(true);
    const b = await reused.run;
    expect(b.error).toBeNull();
    expect(plain.buffers.size).toBe(a.summary.frames_sampled); // each frame its own 768x432 buffer
    // A handful in rotation: the source's queue (4), the frame ahead in detection, the one in hand.
    expect(reused.buffers.size).toBeLessThanOrEqual(8);
    expect(b.rows).toEqual(a.rows);
    expect([...b.embeddings.entries()]).toEqual([...a.embeddings.entries()]);
  });

  it('reports the detector cost as milliseconds per inferred frame', async () => {
    // A clock that ticks 1 ms per read: the detector reads it once before and once after each
    // run, so every inference lasts exactly 1 ms whatever the machine's load.
    let ms = 0;
    const r = await analyzeSource(
      options(dataPath(CLIP), {
        detector: { now: () => ++ms },
        appearance: false,
        tracker: trackerOptions({ appearance: false }),
        motionGate: null,
        preview: null,
        limitSec: 5,
      }),
    );
    expect(r.summary.frames_inferred).toBe(5);
    expect(r.summary.detector.mean_inference_ms).toBe(1);
  });

  it('runs from the command line and rejects bad flags with exit code 2', () => {
    const out = join(tmp, 'cli');
    const bin = join(REPO_ROOT, 'bin', 'floorsense.js');
    const good = spawnSync('node', [bin, 'analyze', dataPath(CLIP), '--out', out, '--no-appearance', '--limit', '5', '--camera-id', 'till'], {
      encoding: 'utf8',
    });
    expect(good.stderr).toContain('done');
    expect(good.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ source_id: 'till', frames_sampled: 5 });
    const bad = spawnSync('node', [bin, 'analyze', dataPath(CLIP), '--stride', 'zero'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--stride "zero"');
    const missing = spawnSync('node', [bin, 'analyze', join(tmp, 'nope.mp4')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.mp4');
  });
});
