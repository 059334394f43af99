import { describe, expect, it } from 'vitest';
import { AGENT_STOPPED, uptimeInWindow } from '../../agent/src/agent/uptime.js';
import { closeDanglingUp } from '../../agent/src/agent/rollup.js';
import { resultsWriter } from '../../agent/src/agent/results-store.js';
import { insertCameraHealth } from '../../agent/src/store/detail.js';
import { openStore } from '../../agent/src/store/open.js';

const H = 3_600_000;

describe('camera uptime from health samples', () => {
  it('splits a window into up and down time and counts outages', () => {
    const samples = [
      { cameraId: 'a', tMs: 1 * H, state: 'up' },
      { cameraId: 'a', tMs: 3 * H, state: 'down' },
      { cameraId: 'a', tMs: 4 * H, state: 'up' },
      { cameraId: 'b', tMs: 2 * H, state: 'down' },
    ];
    // a: unknown 0-1h, up 1-3h, down 3-4h, up 4-10h; b: up from before the window until 2h, then down.
    const out = uptimeInWindow(samples, new Map([['b', 'up']]), 0, 10 * H, 10 * H);
    expect(out).toEqual([
      { cameraId: 'a', upMs: 8 * H, downMs: 1 * H, outages: 1 },
      { cameraId: 'b', upMs: 2 * H, downMs: 8 * H, outages: 1 },
    ]);
  });

  it('stops counting at now and ignores samples outside the window', () => {
    const samples = [
      { cameraId: 'a', tMs: -5 * H, state: 'down' },
      { cameraId: 'a', tMs: 2 * H, state: 'up' },
      { cameraId: 'a', tMs: 30 * H, state: 'down' },
    ];
    expect(uptimeInWindow(samples, new Map([['a', 'down']]), 0, 24 * H, 5 * H)).toEqual([{ cameraId: 'a', upMs: 3 * H, downMs: 2 * H, outages: 0 }]);
  });

  it('a camera with no samples and no earlier state has no entry', () => {
    expect(uptimeInWindow([], new Map(), 0, H, H)).toEqual([]);
  });

  it("the agent's own stop is down time but not a camera outage", () => {
    const samples = [
      { cameraId: 'a', tMs: 0, state: 'up' },
      { cameraId: 'a', tMs: 2 * H, state: 'down', detail: AGENT_STOPPED },
      { cameraId: 'a', tMs: 3 * H, state: 'up' },
      { cameraId: 'a', tMs: 4 * H, state: 'down', detail: 'rtsp://x: connection refused' },
    ];
    expect(uptimeInWindow(samples, new Map(), 0, 5 * H, 5 * H)).toEqual([{ cameraId: 'a', upMs: 3 * H, downMs: 2 * H, outages: 1 }]);
  });

  it('after an unclean stop, an open up period is closed at the last stored result', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    insertCameraHealth(db, [
      { cameraId: 'a', tMs: 1000, state: 'up' },
      { cameraId: 'b', tMs: 1000, state: 'up' },
      { cameraId: 'b', tMs: 2000, state: 'down', detail: AGENT_STOPPED },
    ]);
    resultsWriter(db, 'a', 'live:1000', 'live:a:1000', () => 0).write({
      samples: [{ trackerId: 1, tMs: 9000, x: 0, y: 0, w: 1, h: 1, score: 1 }],
      positionMs: 9000,
    });
    expect(closeDanglingUp(db, ['a', 'b', 'c'])).toEqual(['a']);
    expect(db.prepare("SELECT t_ms, state FROM camera_health WHERE camera_id = 'a' ORDER BY t_ms").all()).toEqual([
      { t_ms: 1000, state: 'up' },
      { t_ms: 9000, state: 'down' },
    ]);
    expect(closeDanglingUp(db, ['a'])).toEqual([]); // idempotent
    close();
  });
});
