import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { cameraAnalyzeBase } from '../../agent/src/agent/analyze-options.js';

describe('per-camera analysis options from the config', () => {
  const cfg = parseConfigText(`
store: {id: s1}
sampling: {stride: 30}
cameras:
  - {id: a, url: rtsp://127.0.0.1/a, rtsp_timeout_s: 4}
  - {id: b, url: rtsp://127.0.0.1/b, sampling: {fps: 2}}
tracker: {appearance: false}
`);

  it("passes the camera's RTSP socket timeout and sampling override through", () => {
    const a = cameraAnalyzeBase(cfg, cfg.cameras[0]!);
    const b = cameraAnalyzeBase(cfg, cfg.cameras[1]!);
    expect(a.socketTimeoutSec).toBe(4);
    expect(b.socketTimeoutSec).toBe(10);
    expect(a.sampling).toEqual({ stride: 30, keyframes: 'auto' });
    expect(b.sampling).toEqual({ fps: 2, keyframes: 'auto' });
    expect(a.appearance).toBe(false);
  });
});
