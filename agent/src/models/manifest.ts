/**
 * Loading and querying the model manifest. Validated once, then frozen (habit 8).
 */
import { readFileSync } from 'node:fs';
import { FailureError } from '../core/errors.js';
import { formatKeyPath } from '../config/load.js';
import { manifestSchema, type ManifestEntry, type ModelManifest } from './manifest-schema.js';
import { defaultManifestPath } from './paths.js';

/** Validate an already-parsed manifest; errors name the origin and every bad key path. */
export function parseManifest(raw: unknown, origin = 'model manifest'): Readonly<ModelManifest> {
  const res = manifestSchema.safeParse(raw);
  if (!res.success) {
    const lines = res.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? i.keys.map((k) => `${formatKeyPath([...i.path, k])}: unknown key`).join('; ') : `${formatKeyPath(i.path)}: ${i.message}`,
    );
    throw new FailureError('FS_PARSE', `${origin} is invalid:\n  ${lines.join('\n  ')}`, { origin, issues: lines });
  }
  return deepFreeze(res.data);
}

export function loadManifest(path: string = defaultManifestPath()): Readonly<ModelManifest> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot read model manifest ${path}: ${errnoOf(e)}`, { path }, { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new FailureError('FS_PARSE', `model manifest ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { path }, { cause: e });
  }
  return parseManifest(raw, `model manifest ${path}`);
}

export function findEntry(manifest: ModelManifest, name: string): ManifestEntry | undefined {
  return manifest.models.find((m) => m.name === name);
}

export function findEntryByFile(manifest: ModelManifest, file: string): ManifestEntry | undefined {
  return manifest.models.find((m) => m.file === file);
}

function errnoOf(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
