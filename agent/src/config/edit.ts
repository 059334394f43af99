/**
 * Rewriting one camera's zones and floor homography in a store's config file, as the Technician
 * page's calibration editor saves them. The file is edited through the `yaml` package's Document
 * API, so comments, key order and every other section stay as the technician or `setup` wrote
 * them; only `cameras[i].zones` and `cameras[i].floor` are replaced.
 *
 * Nothing is written unless the whole edited file passes the same validation `floorsense run`
 * applies (resolveConfigPaths + the zod schema: key-path errors such as
 * `cameras[0].zones[1].polygon: ...`) and, when the camera's picture size is known, every point lies
 * inside the picture (health/config-live.ts pictureBoundsProblems, the check `config check --live`
 * makes). The previous file is kept as `<file>.bak`; the new one is written beside it and renamed
 * over, so a crash never leaves half a config.
 */
import { readFileSync } from 'node:fs';
import { replaceConfigFile } from './replace-file.js';
import { dirname, resolve } from 'node:path';
import { isMap, isSeq, parse as parseYaml, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { FailureError, MisuseError } from '../core/errors.js';
import { pictureBoundsProblems } from '../health/config-live.js';
import { resolveConfigPaths, validateConfig } from './load.js';
import type { CameraConfig, Config } from './schema.js';

export interface CameraCalibration {
  /** The camera's zones as the editor holds them (validated here, not trusted). */
  readonly zones: unknown;
  /** `{ image, world }` or null to remove the homography. */
  readonly floor: unknown;
}

export interface CalibrationWritten {
  readonly cfg: Readonly<Config>;
  readonly camera: CameraConfig;
  readonly index: number;
  readonly backup: string;
}

/** Key-path problems of a refused edit, one line each (`cameras[0].zones[1].polygon: ...`). */
export function calibrationIssues(e: unknown): readonly string[] | null {
  if (!(e instanceof MisuseError) || e.code !== 'FS_CONFIG_INVALID') return null;
  const issues = e.details.issues;
  return Array.isArray(issues) ? issues.map(String) : [e.message];
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_CONFIG_NOT_FOUND', `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path });
  }
}

function cameraIndex(doc: Document, path: string, cameraId: string): number {
  const cams = doc.get('cameras', true);
  if (!isSeq(cams))
    throw new MisuseError('FS_CONFIG_INVALID', `${path}: has no cameras list to put camera "${cameraId}"'s zones in`, { issues: ['cameras: missing'] });
  const i = cams.items.findIndex((item) => isMap(item) && String(item.get('id')) === cameraId);
  if (i < 0) throw new MisuseError('FS_CONFIG_INVALID', `${path}: no camera with id "${cameraId}"`, { issues: [`cameras: no camera "${cameraId}"`] });
  return i;
}

/**
 * One zone per line (`- {name: counter, kind: staff, polygon: [[10, 300], ...]}`) and the floor's
 * `image:` / `world:` lists on one line each, as the example configs write them.
 */
function flowNode(doc: Document, value: unknown, what: 'zones' | 'floor'): YamlNode {
  const node = doc.createNode(value) as YamlNode;
  if (what === 'zones' && isSeq(node)) for (const z of node.items) if (isMap(z)) z.flow = true;
  if (what === 'floor' && isMap(node)) for (const it of node.items) if (isSeq(it.value)) it.value.flow = true;
  return node;
}

/**
 * The edited file's text, validated, without writing it. `picture`: the camera's source size, for
 * the bounds check (unknown before the first frame: the schema alone is checked).
 */
export function editCalibrationText(
  text: string,
  path: string,
  cameraId: string,
  cal: CameraCalibration,
  picture?: { readonly width: number; readonly height: number },
): { text: string; cfg: Readonly<Config>; index: number } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new MisuseError('FS_CONFIG_INVALID', `${path} is not valid YAML: ${doc.errors[0]!.message}`, { issues: [doc.errors[0]!.message] });
  const index = cameraIndex(doc, path, cameraId);
  const zones = cal.zones ?? [];
  // No zones where the file had no zones key: leave it absent rather than add `zones: []`.
  if (!(Array.isArray(zones) && zones.length === 0 && !doc.hasIn(['cameras', index, 'zones'])))
    doc.setIn(['cameras', index, 'zones'], flowNode(doc, zones, 'zones'));
  if (cal.floor === null || cal.floor === undefined) doc.deleteIn(['cameras', index, 'floor']);
  else doc.setIn(['cameras', index, 'floor'], flowNode(doc, cal.floor, 'floor'));
  // No padding inside flow collections: `[[1, 2], [3, 4]]` and `{a: b}` as people write them, so
  // the flow collections elsewhere in the file come out as they went in.
  const out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  // The same path `floorsense run` takes from text to a config (load.ts loadConfigFile).
  const cfg = validateConfig(resolveConfigPaths(parseYaml(out), dirname(resolve(path))), path);
  const cam = cfg.cameras[index]!;
  if (picture) {
    const problems = pictureBoundsProblems(cam, index, picture.width, picture.height);
    if (problems.length > 0) {
      const lines = problems.map((p) => `${p.path}: ${p.message}`);
      throw new MisuseError('FS_CONFIG_INVALID', `${path} is invalid:\n  ${lines.join('\n  ')}`, { issues: lines });
    }
  }
  return { text: out, cfg, index };
}

/** Validate, keep `<path>.bak`, write. Throws (and writes nothing) when the edit is refused. */
export function writeCameraCalibration(
  path: string,
  cameraId: string,
  cal: CameraCalibration,
  picture?: { readonly width: number; readonly height: number },
): CalibrationWritten {
  const before = readText(path);
  const { text, cfg, index } = editCalibrationText(before, path, cameraId, cal, picture);
  const backup = `${path}.bak`;
  try {
    replaceConfigFile(path, text);
  } catch (e) {
    throw new FailureError('FS_OUTPUT', `cannot write ${path} (backup ${backup}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path });
  }
  return { cfg, camera: cfg.cameras[index]!, index, backup };
}
