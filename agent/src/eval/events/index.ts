/**
 * `eval events`: roles and interactions against a labelled folder (gt.txt + events.json, written by
 * `floorsense label`). The prediction is another labelled folder (a second annotator: the audit) or
 * an `analyze` output folder scored through the pipeline's own scene chain (predict.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { MisuseError } from '../../core/errors.js';
import { readMotFile } from '../../io/mot.js';
import { analyticsSection } from '../../config/sections/analytics.js';
import { cameraSceneFromConfig } from '../../metrics/store-day.js';
import { readCameraTracks } from '../../scene/interchange.js';
import { readEventsFile } from './format.js';
import type { LabelledSet } from './evaluate.js';
import { predictedEvents } from './predict.js';

export * from './format.js';
export * from './evaluate.js';
export { predictedEvents } from './predict.js';

export const GT_FILE = 'gt.txt';
export const EVENTS_FILE = 'events.json';

export function isLabelledFolder(dir: string): boolean {
  return existsSync(join(dir, GT_FILE)) && existsSync(join(dir, EVENTS_FILE));
}

export function readLabelledFolder(dir: string): LabelledSet {
  if (!isLabelledFolder(dir))
    throw new MisuseError('FS_BAD_ARGUMENT', `${dir}: not a labelled folder (needs ${GT_FILE} and ${EVENTS_FILE}; \`floorsense label ${dir}\` writes them)`, {
      dir,
    });
  return { rows: readMotFile(join(dir, GT_FILE)), events: readEventsFile(join(dir, EVENTS_FILE)) };
}

/**
 * The prediction for a labelled set: `pred` as a labelled folder, or as analyze output of the
 * labels' camera scored with `config`'s analytics and that camera's zones (the config's only camera,
 * or the one with the labels' camera id; without a config, the analytics defaults and no zones).
 */
export function readPrediction(pred: string, gt: LabelledSet, config?: Readonly<Config>): LabelledSet {
  if (isLabelledFolder(pred)) return readLabelledFolder(pred);
  const camera = gt.events.camera;
  if (!existsSync(join(pred, `${camera}.txt`))) {
    throw new MisuseError(
      'FS_BAD_ARGUMENT',
      `${pred}: neither a labelled folder (${GT_FILE} + ${EVENTS_FILE}) nor analyze output for camera "${camera}" (${camera}.txt + ${camera}.json)`,
      { dir: pred, camera },
    );
  }
  const tracks = readCameraTracks(pred, camera);
  const cams = config?.cameras ?? [];
  const cam = cams.find((c) => c.id === camera) ?? (cams.length === 1 ? cams[0] : undefined);
  if (config && !cam)
    throw new MisuseError('FS_CONFIG_INVALID', `cameras: no camera "${camera}" in the config (and more than one camera to choose from)`, { camera });
  const scene = cam ? cameraSceneFromConfig(cam) : { id: camera, zones: [], floor: null };
  const analytics = config?.analytics ?? analyticsSection.parse({});
  return predictedEvents(tracks, scene, analytics, gt.events.sampled_frames);
}
