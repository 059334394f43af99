/**
 * Locating ../shared/data for tests. Tests that need it:
 * - in CI (CI=true) fail when it is missing — a green run without the data would be a lie;
 * - elsewhere skip loudly, naming the missing path.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHARED_DATA = process.env.FLOORSENSE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
export const REPO_ROOT = repoRoot;

export function dataPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/**
 * True when every path exists. When one is missing: throws under CI, otherwise warns loudly and
 * returns false (use with `describe.skipIf(!haveData(...))`).
 */
export function haveData(...relPaths: string[]): boolean {
  const missing = relPaths.map((p) => dataPath(p)).filter((p) => !existsSync(p));
  if (missing.length === 0) return true;
  const msg = `shared test data missing: ${missing.join(', ')} (set FLOORSENSE_SHARED_DATA or put ../shared/data beside the repo)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`\n*** SKIPPING: ${msg} ***\n`);
  return false;
}
