/**
 * DetectorQueue logic with a hand-driven detector: each detect() call waits until the test
 * releases it, so ordering, dropping and backpressure are deterministic. (The real detector's
 * overlap with the event loop is tested in detector.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { detectionsFromList, type Detections } from '../../agent/src/core/detections.js';
import { letterboxFor, type Frame } from '../../agent/src/core/frame.js';
import { DetectorQueue, type FrameDetector } from '../../agent/src/detect/queue.js';

function frame(sourceId: string, index: number): Frame {
  return { sourceId, index, ptsSec: index, timestampMs: index * 1000, width: 1, height: 1, data: new Uint8Array(3), letterbox: letterboxFor(1, 1, 1, 1) };
}

/** detect() resolves only when release() is called; records call order; clock advances 10 ms per call. */
class HandDetector implements FrameDetector {
  readonly calls: string[] = [];
  readonly #pending: Array<{ frame: Frame; resolve: (d: Detections) => void; reject: (e: unknown) => void }> = [];
  clock = 0;
  detect(f: Frame): Promise<Detections> {
    this.calls.push(`${f.sourceId}#${f.index}`);
    return new Promise((resolve, reject) => this.#pending.push({ frame: f, resolve, reject }));
  }
  get waiting(): number {
    return this.#pending.length;
  }
  async release(fail = false): Promise<void> {
    const p = this.#pending.shift();
    if (!p) throw new Error('nothing to release');
    this.clock += 10;
    if (fail) p.reject(new Error(`boom ${p.frame.index}`));
    else p.resolve(detectionsFromList([{ box: [p.frame.index, 0, p.frame.index + 1, 1], score: 0.5 }]));
    await flush();
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('DetectorQueue', () => {
  it('processes one frame at a time in FIFO order across sources', async () => {
    const det = new HandDetector();
    const q = new DetectorQueue(det, { max_queue: 4, now: () => det.clock });
    const results = [q.offer(frame('a', 0)), q.offer(frame('b', 0)), q.offer(frame('a', 1))];
    expect(det.calls).toEqual(['a#0']);
    expect(q.stats()).toMatchObject({ queued: 2, busy: true });
    await det.release();
    await det.release();
    await det.release();
    expect(det.calls).toEqual(['a#0', 'b#0', 'a#1']);
    const out = await Promise.all(results);
    expect(out.map((d) => d?.xyxy[0])).toEqual([0, 0, 1]);
    expect(q.stats()).toMatchObject({ queued: 0, busy: false, processed: 3, dropped: 0, meanInferenceMs: 10 });
  });

  it('with two sessions, the oldest waiting frame goes to whichever is free; close waits for both', async () => {
    const a = new HandDetector();
    const b = new HandDetector();
    const q = new DetectorQueue([a, b], { max_queue: 4 });
    const results = [0, 1, 2, 3].map((i) => q.submit(frame('c', i)));
    expect(a.calls).toEqual(['c#0']);
    expect(b.calls).toEqual(['c#1']);
    expect(q.stats()).toMatchObject({ queued: 2, sessions: 2, running: 2, busy: true });
    await b.release(); // b finishes first: it takes the next frame, a still holds c#0
    expect(b.calls).toEqual(['c#1', 'c#2']);
    await a.release();
    expect(a.calls).toEqual(['c#0', 'c#3']);
    const closed = q.close();
    await a.release();
    await b.release();
    await closed;
    const out = await Promise.all(results);
    expect(out.map((d) => d.xyxy[0])).toEqual([0, 1, 2, 3]);
    expect(q.stats()).toMatchObject({ processed: 4, running: 0, busy: false });
  });

  it('offer returns null at once when full and counts the drop per source', async () => {
    const det = new HandDetector();
    const q = new DetectorQueue(det, { max_queue: 2 });
    expect(q.offer(frame('a', 0))).not.toBeNull(); // taken by the detector at once
    expect(q.offer(frame('a', 1))).not.toBeNull(); // waits
    expect(q.offer(frame('b', 0))).not.toBeNull(); // waits: queue now full
    expect(q.offer(frame('b', 1))).toBeNull();
    expect(q.offer(frame('a', 2))).toBeNull();
    expect(q.offer(frame('b', 2))).toBeNull();
    const s = q.stats();
    expect(s).toMatchObject({ queued: 2, dropped: 3, maxQueued: 2 });
    expect(s.perSource).toEqual({ a: { accepted: 2, processed: 0, dropped: 1, failed: 0 }, b: { accepted: 1, processed: 0, dropped: 2, failed: 0 } });
    await det.release();
    expect(q.offer(frame('b', 3))).not.toBeNull(); // a slot freed
    for (let i = 0; i < 3; i++) await det.release();
    expect(det.calls).toEqual(['a#0', 'a#1', 'b#0', 'b#3']);
    expect(q.stats().perSource.b).toEqual({ accepted: 2, processed: 2, dropped: 2, failed: 0 });
  });

  it('submit waits for a slot instead of dropping, in order; offer does not jump the line', async () => {
    const det = new HandDetector();
    const q = new DetectorQueue(det, { max_queue: 1 });
    const p = [q.submit(frame('f', 0)), q.submit(frame('f', 1)), q.submit(frame('f', 2)), q.submit(frame('f', 3))];
    expect(q.stats()).toMatchObject({ queued: 1, blocked: 2, dropped: 0 });
    expect(q.offer(frame('live', 0))).toBeNull();
    for (let i = 0; i < 4; i++) await det.release();
    expect(det.calls).toEqual(['f#0', 'f#1', 'f#2', 'f#3']);
    expect((await Promise.all(p)).map((d) => d.xyxy[0])).toEqual([0, 1, 2, 3]);
    expect(q.stats().perSource).toEqual({
      f: { accepted: 4, processed: 4, dropped: 0, failed: 0 },
      live: { accepted: 0, processed: 0, dropped: 1, failed: 0 },
    });
  });

  it('a failed frame rejects its own promise only', async () => {
    const det = new HandDetector();
    const q = new DetectorQueue(det, { max_queue: 4 });
    const a = q.submit(frame('a', 0));
    const b = q.submit(frame('a', 1));
    const caught = a.catch((e: unknown) => e);
    await det.release(true);
    await det.release();
    expect(String(await caught)).toMatch(/boom 0/);
    expect((await b).length).toBe(1);
    expect(q.stats()).toMatchObject({ processed: 1, failed: 1 });
  });

  it('a detector that throws synchronously fails that frame, not the queue', async () => {
    const q = new DetectorQueue(
      {
        detect: (f) => {
          if (f.index === 0) throw new Error('sync boom');
          return Promise.resolve(detectionsFromList([]));
        },
      },
      { max_queue: 2 },
    );
    await expect(q.submit(frame('a', 0))).rejects.toThrow('sync boom');
    await expect(q.submit(frame('a', 1))).resolves.toMatchObject({ length: 0 });
  });

  it('close drains accepted frames, blocked submits included, then refuses new ones', async () => {
    const det = new HandDetector();
    const q = new DetectorQueue(det, { max_queue: 1 });
    const p = [q.submit(frame('a', 0)), q.submit(frame('a', 1)), q.submit(frame('a', 2))];
    let closed = false;
    const done = q.close().then(() => (closed = true));
    expect(() => q.offer(frame('a', 9))).toThrow(
      expect.objectContaining({ code: 'FS_BAD_ARGUMENT', message: expect.stringMatching(/offer\(\) called after close/) }),
    );
    expect(() => q.submit(frame('a', 9))).toThrow(/submit\(\) called after close/);
    await det.release();
    await det.release();
    expect(closed).toBe(false);
    await det.release();
    await done;
    expect(closed).toBe(true);
    expect((await Promise.all(p)).length).toBe(3);
    await q.close(); // idempotent on an idle queue
  });

  it('measures the mean wait in the queue with the injected clock', async () => {
    const det = new HandDetector();
    const q = new DetectorQueue(det, { max_queue: 4, now: () => det.clock });
    const p = [q.offer(frame('a', 0)), q.offer(frame('a', 1))];
    await det.release(); // frame 1 waited 10 ms
    await det.release();
    await Promise.all(p);
    expect(q.stats().meanWaitMs).toBe(5);
  });

  it.each([[0], [1.5], [-1]])('rejects max_queue %s', (m) => {
    expect(() => new DetectorQueue(new HandDetector(), { max_queue: m })).toThrow(expect.objectContaining({ code: 'FS_BAD_ARGUMENT' }));
  });
});
