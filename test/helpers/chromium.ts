/**
 * Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by playwright-core, one
 * fresh profile per launch (removed after the context closes), and the flags that keep it off the
 * network (this machine's closed network refuses Chromium's background connections).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.FLOORSENSE_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether Chromium is here: skips loudly elsewhere, fails under CI=true where it must be. */
export function haveChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set FLOORSENSE_CHROMIUM)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`\n*** SKIPPING: ${msg} ***\n`);
  return false;
}

export interface LaunchOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly timezoneId?: string;
  /** Flags beyond the standard ones (e.g. --host-resolver-rules). */
  readonly extraArgs?: readonly string[];
}

export async function launchChromium(o: LaunchOptions = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'fs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...(o.extraArgs ?? [])],
    ...(o.viewport ? { viewport: { ...o.viewport } } : {}),
    ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}),
  });
  // 'close' comes while Chromium may still be writing its profile: retry, and never fail a test
  // over a temporary folder.
  context.on('close', () => void rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(() => undefined));
  return context;
}

/**
 * Every request a page of `context` makes passes here: one for another origin than `origin` is
 * refused and its URL pushed to `outside` (tests assert it stays empty: nothing leaves the box).
 */
export async function refuseOutside(context: BrowserContext, origin: string, outside: string[]): Promise<void> {
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (new URL(u).origin !== origin) {
      outside.push(u);
      return route.abort();
    }
    return route.continue();
  });
}
