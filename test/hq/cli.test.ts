/**
 * `floorsense hq` as a process (bin/floorsense.js over dist/, as an operator runs it): it serves the
 * page even while ClickHouse is unreachable, its API then answers 502 naming the server (never the
 * password), SIGTERM stops it cleanly, and bad arguments exit 2 naming the flag. The page over a
 * live ClickHouse is test/hq/hq-page.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/clickhouse.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const BIN = join(REPO_ROOT, 'bin', 'floorsense.js');

describe('floorsense hq (process)', () => {
  it('needs the compiled CLI', () => {
    expect(existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')), 'dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does)').toBe(true);
  });

  it('serves the page with ClickHouse down, says which server failed, and stops on SIGTERM', async () => {
    const dead = await freePort(); // nothing listens there
    const dir = mkdtempSync(join(tmpdir(), 'fs-hq-cli-'));
    writeFileSync(join(dir, 'pw'), 'sekret-pw\n');
    const child = spawn(
      process.execPath,
      [BIN, 'hq', '--clickhouse', `http://127.0.0.1:${dead}`, '--password-file', join(dir, 'pw'), '--port', '0', '--lang', 'en', '--timeout', '2'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/at (http:\/\/127\.0\.0\.1:\d+)\//.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hq did not start: ${out} ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
      expect(out).toContain(`over ClickHouse http://127.0.0.1:${dead}, database floorsense`);
      const page = await (await fetch(`${url}/`)).text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain(`data-server="http://127.0.0.1:${dead}"`);
      const r = await fetch(`${url}/api/span`);
      const body = (await r.json()) as { error: string; code: string };
      expect([r.status, body.code]).toEqual([502, 'FS_REMOTE']);
      expect(body.error).toMatch(new RegExp(`^ClickHouse at http://127\\.0\\.0\\.1:${dead}: query .* failed: .*ECONNREFUSED`));
      expect(body.error + err).not.toContain('sekret-pw');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it.each([
    [['--clickhouse', 'nope'], /--clickhouse "nope" is not a URL/],
    [['--clickhouse', 'ftp://x'], /--clickhouse ftp:\/\/x: http or https only/],
    [['--clickhouse', 'http://127.0.0.1:9', '--lang', 'de'], /--lang de: expected one of ru, en/],
    [['--clickhouse', 'http://127.0.0.1:9', '--port', 'x'], /--port "x" is not a whole number/],
    [['--clickhouse', 'http://127.0.0.1:9', '--host', '0.0.0.0'], /--host 0\.0\.0\.0: serving hq off loopback requires --token-file/],
    [['--clickhouse', 'http://127.0.0.1:9', '--database', 'a-b'], /database "a-b" is not a ClickHouse identifier/],
    [['--clickhouse', 'http://127.0.0.1:9', '--currency', 'rub'], /--currency rub is not an ISO 4217 currency code \(e\.g\. RUB\)/],
  ])('refuses %j', (args, message) => {
    const r = spawnSync(process.execPath, [BIN, 'hq', ...args], { encoding: 'utf8', timeout: 20_000 });
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
  });
});
