/**
 * Bad inputs and stopping: coded errors that name the file, frames before damage delivered first,
 * abort and watchdog leave no ffmpeg behind. Real ffmpeg on real (and deliberately broken) files.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureError, MisuseError, type FloorSenseError } from '../../agent/src/core/errors.js';
import type { Frame } from '../../agent/src/core/frame.js';
import { openSource, probeSource, type OpenSourceOptions } from '../../agent/src/ingest/index.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const CHECKOUT = 'video/checkout_counter_cashier.mp4';

/** Run a source to its end; return what was yielded and how it ended. */
async function drain(opts: Omit<OpenSourceOptions, 'sourceId' | 'modelSize'>): Promise<{ frames: Frame[]; error: unknown }> {
  const frames: Frame[] = [];
  try {
    const src = await openSource({ sourceId: 'test', ...opts, modelSize: { width: 64, height: 64 } });
    for await (const f of src) frames.push(f);
    return { frames, error: undefined };
  } catch (error) {
    return { frames, error };
  }
}

function coded(e: unknown): FloorSenseError {
  if (e instanceof FailureError || e instanceof MisuseError) return e;
  throw new Error(`expected a coded error, got ${String(e)}`);
}

/** Running and not a zombie. */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && !/\) Z /.test(readFileSync(stat, 'utf8'));
}

describe.skipIf(!haveData(CHECKOUT))('ingest errors and stopping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-ingest-err-'));
  const p = (name: string): string => join(dir, name);
  beforeAll(() => {
    const clip = readFileSync(dataPath(CHECKOUT));
    writeFileSync(p('truncated.mp4'), clip.subarray(0, Math.floor(clip.length * 0.4)));
    writeFileSync(p('notes.mp4'), 'shopping list: milk, eggs\n'.repeat(50));
    copyFileSync(dataPath(CHECKOUT), p('copy.mp4'));
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', p('tone.wav')]);
    // ffmpeg's MP4 muxer writes the index (moov) last unless told otherwise: cut it off.
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-t', '2', '-i', dataPath(CHECKOUT), '-c', 'copy', p('moov_last.mp4')]);
    const whole = readFileSync(p('moov_last.mp4'));
    writeFileSync(p('moov_lost.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['missing file', 'nope.mp4', 'FS_FILE_NOT_FOUND', /nope\.mp4: file not found/],
    ['text file named .mp4', 'notes.mp4', 'FS_VIDEO_UNSUPPORTED', /notes\.mp4: not a video ffmpeg can decode: Invalid data found/],
    ['audio only', 'tone.wav', 'FS_VIDEO_UNSUPPORTED', /tone\.wav: has no video stream/],
    [
      'MP4 cut before its index',
      'moov_lost.mp4',
      'FS_VIDEO_TRUNCATED',
      /moov_lost\.mp4: video is truncated or corrupt: decoding stopped before the first frame \(0 frames yielded\)/,
    ],
  ])('%s', async (_n, name, code, msg) => {
    const e = coded(await probeSource(p(name)).catch((x: unknown) => x));
    expect(e.code).toBe(code);
    expect(e.message).toContain(p(name));
    expect(e.message).toMatch(msg);
    const opened = await drain({ url: p(name) });
    expect(coded(opened.error).code).toBe(code);
  });

  it('a truncated copy (first 40%) yields the frames before the damage, then says how far it got', async () => {
    const { frames, error } = await drain({ url: p('truncated.mp4'), sampling: { stride: 25 } });
    expect(frames.map((f) => f.ptsSec)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const e = coded(error);
    expect(e.code).toBe('FS_VIDEO_TRUNCATED');
    expect(e.message).toContain(p('truncated.mp4'));
    expect(e.message).toMatch(/decoding stopped after 9\.\d\d s of 26\.12 s \(10 frames yielded, last good frame at pts 9\.00 s\)/);
    expect(e.details).toMatchObject({ framesYielded: 10, lastYieldedPtsSec: 9 });
  });

  it('ffmpeg not installed', async () => {
    const tools = { ffmpeg: join(dir, 'no-ffmpeg'), ffprobe: join(dir, 'no-ffprobe') };
    const probed = coded(await probeSource(dataPath(CHECKOUT), { tools }).catch((x: unknown) => x));
    expect(probed.code).toBe('FS_FFMPEG_MISSING');
    expect(probed.message).toContain('no-ffprobe');
    const info = await probeSource(dataPath(CHECKOUT));
    const { error } = await drain({ url: dataPath(CHECKOUT), info, tools });
    expect(coded(error).code).toBe('FS_FFMPEG_MISSING');
  });

  it('bad arguments are misuse, before anything runs', async () => {
    const e = coded((await drain({ url: dataPath(CHECKOUT), sampling: { stride: 25, fps: 2 } })).error);
    expect([e.kind, e.code]).toEqual(['misuse', 'FS_BAD_ARGUMENT']);
    const src = await openSource({ sourceId: 't', url: dataPath(CHECKOUT), modelSize: null, limitSec: 1, sampling: { stride: 25 } });
    for await (const f of src) void f;
    await expect(async () => {
      for await (const f of src) void f;
    }).rejects.toThrow(/iterated only once/);
  });

  it('abort stops the child: iteration ends, no ffmpeg left, not even a zombie', async () => {
    const ac = new AbortController();
    const src = await openSource({ sourceId: 't', url: p('copy.mp4'), sampling: { stride: 1 }, modelSize: { width: 64, height: 64 }, signal: ac.signal });
    const seen: number[] = [];
    let pid: number | undefined;
    for await (const f of src) {
      seen.push(f.index);
      pid = src.stats().pid;
      expect(alive(pid!)).toBe(true);
      if (seen.length === 3) ac.abort();
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(src.stats().state).toBe('aborted');
    expect(alive(pid!)).toBe(false);
  });

  it('breaking out of the loop stops the child too', async () => {
    const src = await openSource({ sourceId: 't', url: p('copy.mp4'), sampling: { stride: 1 }, modelSize: null });
    for await (const f of src) if (f.index === 1) break;
    expect(alive(src.stats().pid!)).toBe(false);
  });

  describe('a stream that stalls', () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      // Serves the first 40% of the clip, then holds the connection open without sending more.
      // The probe's request gets the same bytes and an end, so the test does not sit through a
      // socket timeout (keyframes 'never': a live source then skips the GOP probe).
      const head = readFileSync(dataPath(CHECKOUT)).subarray(0, 1_300_000);
      let requests = 0;
      server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4' });
        if (++requests === 1) res.end(head);
        else res.write(head);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cam.mp4`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('the watchdog gives FS_SOURCE_UNREACHABLE after the frames it got; live frames carry wall-clock time', async () => {
      let clock = 1_700_000_000_000;
      const frames: Frame[] = [];
      let error: unknown;
      const src = await openSource({
        sourceId: 'cam',
        url,
        sampling: { stride: 25, keyframes: 'never' },
        modelSize: { width: 64, height: 64 },
        watchdogSec: 3,
        socketTimeoutSec: 10,
        now: () => (clock += 1000),
      });
      expect(src.info.isLive).toBe(true);
      try {
        for await (const f of src) frames.push(f);
      } catch (e) {
        error = e;
      }
      expect(frames.length).toBeGreaterThanOrEqual(5);
      expect(frames.map((f) => f.timestampMs)).toEqual(frames.map((_, k) => 1_700_000_000_000 + 1000 * (k + 1)));
      const e = coded(error);
      expect(e.code).toBe('FS_SOURCE_UNREACHABLE');
      expect(e.message).toMatch(/cam\.mp4: watchdog: no frame for 3 s \(watchdog_s\)/);
      expect(alive(src.stats().pid!)).toBe(false);
    });
  });

  describe('a live stream with a slow consumer', () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      const whole = readFileSync(dataPath(CHECKOUT));
      server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4' });
        res.end(whole);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cam.mp4`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });

    it('never blocks ffmpeg: the oldest queued frames are dropped and counted', async () => {
      const src = await openSource({ sourceId: 'cam', url, sampling: { stride: 5, keyframes: 'never' }, modelSize: { width: 64, height: 64 }, queueFrames: 1 });
      const indexes: number[] = [];
      let error: unknown;
      try {
        for await (const f of src) {
          indexes.push(f.index);
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch (e) {
        error = e;
      }
      // A live source that ends is a failure (the camera went away), after every frame it kept.
      expect(coded(error).code).toBe('FS_SOURCE_UNREACHABLE');
      const s = src.stats();
      expect(s.framesRead).toBe(131); // ceil(653 / 5)
      expect(s.framesDropped).toBeGreaterThan(0);
      expect(s.framesYielded + s.framesDropped).toBe(s.framesRead);
      expect(indexes.length).toBe(s.framesYielded);
      for (let i = 1; i < indexes.length; i++) expect(indexes[i]!).toBeGreaterThan(indexes[i - 1]!);
      expect(indexes[indexes.length - 1]).toBe(650); // the newest frame survives
    });
  });
});
