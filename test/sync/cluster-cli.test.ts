/**
 * `floorsense sync --cluster NAME`: the name is checked as the config key is (an identifier ON
 * CLUSTER takes unquoted) before any server is asked, and `sync.cluster` is a config key with
 * bounds. The cluster itself is proved in cluster.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../agent/src/cli/main.js';
import { validateConfig } from '../../agent/src/config/load.js';

async function run(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const [log, error] = [console.log, console.error];
  console.log = () => {};
  console.error = (...a: unknown[]) => {
    err += `${a.join(' ')}\n`;
  };
  try {
    return { code: await main(args), err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('sync --cluster', () => {
  it('refuses a name ON CLUSTER cannot take, naming it, before talking to any server', async () => {
    const cfg = join(mkdtempSync(join(tmpdir(), 'fs-cluster-cli-')), 'store.yaml');
    // A URL nothing listens on: a refusal that needed the server would say FS_REMOTE instead.
    writeFileSync(cfg, 'store:\n  id: s1\n  timezone: UTC\ncameras: []\nsync:\n  url: http://127.0.0.1:9\n');
    const r = await run(['sync', '--init', '--cluster', 'chain-1; DROP', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--cluster "chain-1; DROP": letters, digits and _ only \(the cluster name in remote_servers\)/);
  });

  it('sync.cluster is validated like every key, with the key path', () => {
    expect(() => validateConfig({ store: { id: 's1', timezone: 'UTC' }, cameras: [], sync: { cluster: 'a b' } }, 'x.yaml')).toThrow(/sync\.cluster/);
  });
});
