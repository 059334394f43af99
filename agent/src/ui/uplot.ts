/**
 * uPlot, the chart library the dashboard uses, served by the agent itself from the installed
 * package (node_modules/uplot/dist): a shop may be offline, so no CDN. Read once, on first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FailureError } from '../core/errors.js';

const require = createRequire(import.meta.url);
const cache = new Map<string, string>();

function distFile(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  let text: string;
  try {
    text = readFileSync(require.resolve(`uplot/dist/${name}`), 'utf8');
  } catch (e) {
    throw new FailureError(
      'FS_FILE_NOT_FOUND',
      `uplot/dist/${name}: the chart library is not installed (npm ci installs it): ${(e as Error).message}`,
      { file: name },
      { cause: e },
    );
  }
  cache.set(name, text);
  return text;
}

export const uplotScript = (): string => distFile('uPlot.iife.min.js');
export const uplotStyle = (): string => distFile('uPlot.min.css');
