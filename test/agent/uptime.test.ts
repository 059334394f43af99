import { describe, expect, it } from 'vitest';
import { AGENT_STOPPED, uptimeInWindow } from '../../agent/src/agent/uptime.js';
import { closeDanglingUp, rollUpCameraUptime } from '../../agent/src/agent/rollup.js';
import { zonedToUtc } from '../../agent/src/core/local-time.js';
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

  it('the roll-up counts coverage over opening hours only, and leaves a closed day without a row', () => {
    const { db, close } = openStore(':memory:', { nowMs: 0 });
    const tz = 'Europe/Moscow';
    // 2026-11-30 is a Monday. The camera comes up at 08:00, drops 12:00-12:30, and the agent stops
    // for the night at 23:00: only the half hour inside 10:00-21:00 is a gap in what KPIs saw.
    const at = (day: string, hhmm: string): number => zonedToUtc(day, hhmm, tz);
    insertCameraHealth(db, [
      { cameraId: 'a', tMs: at('2026-11-30', '08:00'), state: 'up' },
      { cameraId: 'a', tMs: at('2026-11-30', '12:00'), state: 'down', detail: 'rtsp://x: connection refused' },
      { cameraId: 'a', tMs: at('2026-11-30', '12:30'), state: 'up' },
      { cameraId: 'a', tMs: at('2026-11-30', '23:00'), state: 'down', detail: AGENT_STOPPED },
      { cameraId: 'a', tMs: at('2026-12-06', '11:00'), state: 'up' },
    ]);
    const hours = { open: '10:00', close: '21:00', days: [1, 2, 3, 4, 5, 6] };
    const now = at('2026-12-07', '09:00');
    rollUpCameraUptime(db, 'shop', tz, ['2026-11-30', '2026-12-06'], now, hours);
    const rows = db.prepare('SELECT camera_id, day, up_ms, down_ms, outages FROM camera_uptime ORDER BY day').all();
    expect(rows).toEqual([{ camera_id: 'a', day: '2026-11-30', up_ms: 10.5 * H, down_ms: 0.5 * H, outages: 1 }]);
    // The whole local day, as before opening hours counted: the night stop reads as an hour down.
    rollUpCameraUptime(db, 'shop', tz, ['2026-11-30'], now, null);
    expect(db.prepare("SELECT up_ms, down_ms FROM camera_uptime WHERE day = '2026-11-30'").get()).toEqual({ up_ms: 14.5 * H, down_ms: 1.5 * H });
    close();
  });
});
