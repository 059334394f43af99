/**
 * The agent's own API provider over a store, with no cameras, an idle detector queue and no jobs:
 * what the page tests need to show a store's days (manager, heatmap, status pages). Overrides
 * replace any part (a sync state, a clock).
 */
import type Database from 'better-sqlite3';
import { agentProvider, type ProviderDeps } from '../../agent/src/agent/api-provider.js';
import type { Config } from '../../agent/src/config/schema.js';

export const IDLE_QUEUE = () => ({
  queued: 0,
  blocked: 0,
  busy: false,
  sessions: 1,
  running: 0,
  processed: 0,
  failed: 0,
  dropped: 0,
  perSource: {},
  meanInferenceMs: 0,
  meanWaitMs: 0,
  maxQueued: 0,
});

export function storeProvider(cfg: Readonly<Config>, db: Database.Database, overrides: Partial<ProviderDeps> = {}): ReturnType<typeof agentProvider> {
  return agentProvider({
    cfg,
    db,
    version: 'test',
    startedMs: Date.now(),
    clock: Date.now,
    cameras: new Map(),
    queue: IDLE_QUEUE,
    jobs: () => [],
    box: () => null,
    sync: () => ({ lastSuccessMs: null, lastError: null }),
    ...overrides,
  });
}
