/**
 * `analyze --config F` runs the detector the agent would run for that config: the same options
 * builder (agent/analyze-options.ts detectorOptionsFrom), so a store's detector settings
 * (max_detections, spinning, input narrowed for region modes, the derived-model cache) hold for
 * `analyze` as for `run`. The CLI used to copy six of the keys by hand and drop the rest.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const ok = haveData('video/checkout_counter_cashier.mp4', 'models/yolov8n_fp32.onnx');
const dir = mkdtempSync(join(tmpdir(), 'fs-analyze-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Summary {
  readonly frames_inferred: number;
  readonly detections: number;
  readonly regions: { readonly mode: string; readonly tile_frames: number; readonly crops: number } | null;
}

async function analyze(name: string, detector: Record<string, unknown>): Promise<Summary> {
  const config = join(dir, `${name}.yaml`);
  writeFileSync(
    config,
    stringify({ store: { id: 'cfg-test' }, storage: { path: join(dir, name, 'fs.db') }, detector: { models_dir: dataPath('models'), ...detector } }),
  );
  const out = join(dir, name);
  await runCli(['analyze', dataPath('video/checkout_counter_cashier.mp4'), '--config', config, '--fps', '2', '--limit', '3', '--no-appearance', '--out', out]);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
}

describe.skipIf(!ok)('analyze --config: the detector settings of the config', () => {
  it('keeps at most detector.max_detections boxes a frame, as `run` does', async () => {
    const free = await analyze('default', {});
    const one = await analyze('one', { max_detections: 1 });
    // The checkout clip holds 3 people: the default keeps them, max_detections 1 keeps one a frame.
    expect(free.detections).toBeGreaterThan(2 * free.frames_inferred);
    expect(one.frames_inferred).toBe(free.frames_inferred);
    expect(one.detections).toBeLessThanOrEqual(one.frames_inferred);
    expect(one.detections).toBeGreaterThan(0);
  }, 120_000);

  it("runs a camera's own detector regions (cameras[].regions) when --camera-id names it", async () => {
    const config = join(dir, 'wide.yaml');
    writeFileSync(
      config,
      stringify({
        store: { id: 'cfg-test' },
        storage: { path: join(dir, 'wide', 'fs.db') },
        detector: { models_dir: dataPath('models') },
        cameras: [{ id: 'wide', url: 'rtsp://127.0.0.1/wide', regions: { mode: 'tiles' } }],
      }),
    );
    const run = async (id: string): Promise<Summary> => {
      const out = join(dir, `wide-${id}`);
      const clip = dataPath('video/checkout_counter_cashier.mp4');
      await runCli(['analyze', clip, '--config', config, '--camera-id', id, '--fps', '2', '--limit', '2', '--no-appearance', '--no-preview', '--out', out]);
      return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    };
    const wide = await run('wide');
    const other = await run('other');
    // 2x1 tiles plus the full-frame pass: three detector runs on every inferred frame.
    expect(wide.regions?.mode).toBe('tiles');
    expect(wide.regions?.tile_frames).toBe(wide.frames_inferred);
    expect(wide.regions?.crops).toBe(3 * wide.frames_inferred);
    expect(other.regions).toBeNull();
    expect(other.frames_inferred).toBe(wide.frames_inferred);
  }, 120_000);
});
