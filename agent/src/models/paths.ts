/**
 * Where the manifest and the model files are. The repository root is found by walking up from this
 * module to the package.json named "floorsense", so the same code works from agent/src (tsx,
 * vitest) and from dist/ (compiled), whose depths differ.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FailureError } from '../core/errors.js';

const PACKAGE_NAME = 'floorsense';

/** The folder holding FloorSense's package.json, searched upwards from `fromDir`. */
export function findRepoRoot(fromDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(fromDir);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && packageName(pkg) === PACKAGE_NAME) return dir;
    const up = dirname(dir);
    if (up === dir) {
      throw new FailureError('FS_FILE_NOT_FOUND', `cannot find the ${PACKAGE_NAME} package root above ${fromDir}`, { fromDir });
    }
    dir = up;
  }
}

function packageName(pkgPath: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(pkgPath, 'utf8'));
    if (parsed && typeof parsed === 'object' && 'name' in parsed && typeof parsed.name === 'string') return parsed.name;
  } catch {
    // An unreadable or foreign package.json is simply not ours: keep walking up.
  }
  return undefined;
}

/** models/manifest.json in the repository. */
export function defaultManifestPath(repoRoot: string = findRepoRoot()): string {
  return join(repoRoot, 'models', 'manifest.json');
}

/**
 * The folder holding model files: FLOORSENSE_MODELS when set; else, in an installed offline bundle
 * (bundle.json at its root, written by installer/bundle.sh), the bundle's own models/ folder beside
 * the manifest; else ../shared/data/models beside the repository (the development and test
 * layout). A config's `detector.models_dir` overrides all three; that choice belongs to the caller.
 */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env, repoRoot?: string): string {
  const fromEnv = env.FLOORSENSE_MODELS;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  const root = repoRoot ?? findRepoRoot();
  if (existsSync(join(root, 'bundle.json'))) return resolve(root, 'models');
  return resolve(root, '..', 'shared', 'data', 'models');
}
