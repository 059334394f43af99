/**
 * Model lookup: a manifest name (or a path) to a file on disk whose sha256 has been checked.
 *
 * - A manifest name resolves to `<modelsDir>/<entry.file>`; the file must exist and match its hash.
 * - A path whose file name is a manifest file is checked against that entry too (a copied or
 *   renamed folder does not escape verification).
 * - Any other .onnx path is allowed with a warning: no checksum, layout inferred from its tensors.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { FailureError, MisuseError } from '../core/errors.js';
import type { ManifestEntry, ModelManifest } from './manifest-schema.js';
import { findEntry, findEntryByFile, loadManifest } from './manifest.js';
import { defaultModelsDir } from './paths.js';
import { sha256File } from './sha256.js';

export interface ResolvedModel {
  /** Manifest name, or the file name for a model outside the manifest. */
  readonly name: string;
  /** Absolute path of the file to load. */
  readonly path: string;
  /** The manifest entry; undefined for a model outside the manifest. */
  readonly entry: ManifestEntry | undefined;
  /** True when the file's sha256 matched the manifest. */
  readonly verified: boolean;
}

export interface ResolveOptions {
  /** Defaults to models/manifest.json of this repository. */
  readonly manifest?: ModelManifest;
  /** Receives the "not in the manifest, not verified" warning. */
  readonly warn?: (message: string) => void;
}

export async function resolveModel(nameOrPath: string, modelsDir: string = defaultModelsDir(), opts: ResolveOptions = {}): Promise<ResolvedModel> {
  if (typeof nameOrPath !== 'string' || nameOrPath.trim() === '') {
    throw new MisuseError('FS_BAD_ARGUMENT', `model: expected a manifest name or a path to an .onnx file, got ${JSON.stringify(nameOrPath)}`);
  }
  const manifest = opts.manifest ?? loadManifest();
  const warn = opts.warn ?? ((m: string) => console.warn(m));

  if (!looksLikePath(nameOrPath)) {
    const entry = findEntry(manifest, nameOrPath);
    if (!entry) {
      const names = manifest.models.map((m) => m.name);
      const hint = closest(nameOrPath, names);
      throw new MisuseError(
        'FS_MODEL_UNKNOWN',
        `unknown model "${nameOrPath}"${hint ? ` (did you mean "${hint}"?)` : ''}; known models: ${names.join(', ')}; or give a path to an .onnx file`,
        { model: nameOrPath, known: names },
      );
    }
    return verified(entry, join(resolve(modelsDir), entry.file));
  }

  const path = locate(nameOrPath, modelsDir);
  const entry = findEntryByFile(manifest, basename(path));
  if (entry) return verified(entry, path);
  warn(`model ${path} is not in the model manifest: loading it without a checksum; its layout is inferred from its tensor shapes`);
  return Object.freeze({ name: basename(path), path, entry: undefined, verified: false });
}

async function verified(entry: ManifestEntry, path: string): Promise<ResolvedModel> {
  assertFile(path, `model "${entry.name}" (file ${entry.file}, from ${entry.source_url})`);
  const actual = await sha256File(path);
  if (actual !== entry.sha256) {
    throw new FailureError(
      'FS_MODEL_CHECKSUM',
      `model file ${path} does not match the manifest entry "${entry.name}": expected sha256 ${entry.sha256}, actual ${actual}`,
      { path, model: entry.name, expected: entry.sha256, actual },
    );
  }
  return Object.freeze({ name: entry.name, path, entry, verified: true });
}

/** A bare "x.onnx" is looked up in the working directory first, then in the models folder. */
function locate(p: string, modelsDir: string): string {
  const direct = resolve(p);
  if (existsSync(direct) || isAbsolute(p) || p.includes('/') || p.includes('\\')) {
    assertFile(direct, 'model file');
    return direct;
  }
  const inDir = join(resolve(modelsDir), p);
  assertFile(inDir, `model file (not found as ${direct} either)`);
  return inDir;
}

function assertFile(path: string, what: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw new FailureError('FS_MODEL_NOT_FOUND', `${what} is missing: ${path}`, { path });
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || s.toLowerCase().endsWith('.onnx');
}

/** The known name within edit distance 2, to catch misspellings. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
