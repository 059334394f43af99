import { describe, expect, it } from 'vitest';
import { apiSection } from '../../agent/src/config/sections/api.js';
import { configSchema } from '../../agent/src/config/schema.js';

describe('config: api section', () => {
  it('defaults to loopback on 8787 without a token', () => {
    expect(apiSection.parse({})).toEqual({ enabled: true, host: '127.0.0.1', port: 8787, allowed_hosts: [], body_limit_kb: 256 });
    const cfg = configSchema.parse({ store: { id: 's1' } });
    expect(cfg.api).toMatchObject({ host: '127.0.0.1', port: 8787 });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['off loopback without a token', { host: '0.0.0.0' }, 'token', /api\.host "0\.0\.0\.0" is not loopback: set api\.token/],
    ['a short token', { host: '0.0.0.0', token: 'short' }, 'token', /at least 16/],
    ['a token with a space', { token: 'abcdefgh ijklmnopq' }, 'token', /printable ASCII/],
    ['a port out of range', { port: 70000 }, 'port', /./],
    ['an unknown key', { hots: '0.0.0.0' }, '', /hots/],
    ['an allowed host with a port', { allowed_hosts: ['shop-12.local:8787'] }, 'allowed_hosts.0', /without port or scheme/],
    ['an allowed host as a URL', { allowed_hosts: ['http://shop-12.local'] }, 'allowed_hosts.0', /without port or scheme/],
    ['an allowed host with a wildcard', { allowed_hosts: ['*.example'] }, 'allowed_hosts.0', /host name or IP address/],
  ])('refuses %s, naming the key', (_n, input, key, msg) => {
    const r = apiSection.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(key);
    expect(issue.message + JSON.stringify(issue)).toMatch(msg);
  });

  it('accepts a token off loopback and none on localhost', () => {
    expect(apiSection.parse({ host: '0.0.0.0', token: 'a'.repeat(16) }).token).toBe('a'.repeat(16));
    expect(apiSection.safeParse({ host: 'localhost' }).success).toBe(true);
    expect(apiSection.parse({ host: '0.0.0.0', token: 'a'.repeat(16), allowed_hosts: ['shop-12.local', '192.168.1.20', '[fd00::2]'] }).allowed_hosts).toEqual([
      'shop-12.local',
      '192.168.1.20',
      '[fd00::2]',
    ]);
  });
});
