import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { cameraAnalyzeBase, detectorOptionsFrom } from '../../agent/src/agent/analyze-options.js';

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

  it("takes a camera's own regions over detector.regions, and narrows the one detector's auto input for it", () => {
    const wide = parseConfigText(`
store: {id: s1}
detector: {input: auto}
cameras:
  - {id: wide, url: rtsp://127.0.0.1/wide, regions: {mode: tiles, tile_cols: 3}}
  - {id: till, url: rtsp://127.0.0.1/till}
`);
    const w = cameraAnalyzeBase(wide, wide.cameras[0]!);
    const t = cameraAnalyzeBase(wide, wide.cameras[1]!);
    expect(w.regions).toMatchObject({ mode: 'tiles', tileCols: 3, tileRows: 1, tilesFullFrame: true });
    expect(t.regions).toMatchObject({ mode: 'full' });
    // Tiles are square crops: auto (640x384) would letterbox them, so a tiling camera keeps the detector native.
    expect(detectorOptionsFrom(wide).input).toBe('native');
    const plain = parseConfigText('store: {id: s1}\ndetector: {input: auto}\ncameras: [{id: till, url: rtsp://127.0.0.1/till}]\n');
    expect(detectorOptionsFrom(plain).input).toBe('auto');
    // auto is the default; native stays what a config says.
    expect(detectorOptionsFrom(parseConfigText('store: {id: s1}\ncameras: [{id: till, url: rtsp://127.0.0.1/till}]\n')).input).toBe('auto');
    expect(detectorOptionsFrom(parseConfigText('store: {id: s1}\ndetector: {input: native}\n')).input).toBe('native');
  });

  it('refuses a tiling camera that detects on a substream, naming its key', () => {
    const text = (regions: string): string =>
      `store: {id: s1}\ncameras:\n  - {id: wide, url: rtsp://127.0.0.1/main, detect_url: rtsp://127.0.0.1/sub, ${regions}}\n`;
    expect(() => parseConfigText(text('regions: {mode: tiles}'))).toThrow(/cameras\[0\]\.regions\.mode tiles/);
    expect(() => parseConfigText(text('regions: {mode: tiles, tile_size: 3}'))).toThrow(/tile_size/);
    expect(parseConfigText(text('regions: {mode: full}')).cameras[0]!.regions?.mode).toBe('full');
  });
});
