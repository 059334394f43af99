/**
 * The whole configuration: one YAML file, one zod schema composed of one section per concern.
 * Unknown keys are errors (strictObject everywhere); every field has bounds and a description;
 * the JSON Schema for editors is generated from this (see `floorsense config schema`).
 */
import { z } from 'zod';
import { storeSection } from './sections/store.js';
import { camerasSection } from './sections/cameras.js';
import { DEFAULT_SAMPLING, samplingSection } from './sections/sampling.js';
import { detectorSection } from './sections/detector.js';
import { trackerSection } from './sections/tracker.js';
import { analyticsSection } from './sections/analytics.js';
import { storageSection } from './sections/storage.js';
import { syncSection } from './sections/sync.js';
import { agentSection } from './sections/agent.js';
import { healthSection } from './sections/health.js';
import { apiSection } from './sections/api.js';
import { salesSection } from './sections/sales.js';

export const configSchema = z
  .strictObject({
    store: storeSection,
    cameras: camerasSection,
    sampling: samplingSection.default(samplingSection.parse(DEFAULT_SAMPLING)),
    detector: detectorSection.default(detectorSection.parse({})),
    tracker: trackerSection.default(trackerSection.parse({})),
    analytics: analyticsSection.default(analyticsSection.parse({})),
    storage: storageSection.default(storageSection.parse({})),
    sync: syncSection.default(syncSection.parse({})),
    agent: agentSection.default(agentSection.parse({})),
    health: healthSection.default(healthSection.parse({})),
    api: apiSection.default(apiSection.parse({})),
    sales: salesSection.default(salesSection.parse({})),
  })
  .superRefine(function regionsNeedTheMainStream(cfg, ctx) {
    // Region detection crops the full-resolution picture; a substream is decoded letterboxed.
    cfg.cameras.forEach((cam, i) => {
      const mode = (cam.regions ?? cfg.detector.regions).mode;
      if (cam.detect_url === undefined || mode === 'full') return;
      const key = cam.regions ? `cameras[${i}].regions.mode` : 'detector.regions.mode';
      ctx.addIssue({
        code: 'custom',
        path: ['cameras', i, 'detect_url'],
        message: `camera "${cam.id}": detect_url cannot be combined with ${key} ${mode} (regions are cropped from the full-resolution main stream); drop one of them`,
      });
    });
  })
  .describe('FloorSense agent configuration (one file per store).');

export type Config = z.infer<typeof configSchema>;
export type CameraConfig = Config['cameras'][number];
export type DetectorConfig = Config['detector'];
export type TrackerConfig = Config['tracker'];
export type SamplingConfig = Config['sampling'];

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
