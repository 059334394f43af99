/**
 * DNS rebinding and CSRF against the loopback API, with real HTTP requests: the curl (a
 * receipt POSTed under `Host: attacker.example` with that Origin was stored, 201) and the reads a
 * rebinding page would make (consultations, camera snapshots). node:http sends the exact headers a
 * browser would; curl reproduces the command line as it was run.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { hostOfHeader } from '../../agent/src/api/auth.js';
import { NOW, fixtureProvider, type FixtureProvider } from './fixture.js';

const RECEIPT = JSON.stringify({ receipt_id: 'EVIL-1', timestamp: '2025-03-05T12:31:00+03:00', total: 1, currency: 'RUB', register: 'till-1' });

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request with exactly these headers (fetch would not let a test set Host). */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Host header parsing', () => {
  it.each<[string | undefined, string | null]>([
    ['127.0.0.1:8787', '127.0.0.1'],
    ['LOCALHOST', 'localhost'],
    ['[::1]:8787', '::1'],
    ['shop-12.local:8787', 'shop-12.local'],
    ['attacker.example:8787', 'attacker.example'],
    [undefined, null],
    ['', null],
    ['a b', null],
    ['user@127.0.0.1', null],
    ['127.0.0.1:8787:1', null],
    ['[::1', null],
  ])('%s -> %s', (v, want) => {
    expect(hostOfHeader(v)).toBe(want);
  });
});

describe('loopback API refuses other hosts and cross-site writes', () => {
  let srv: ApiServer;
  let p: FixtureProvider;
  beforeAll(async () => {
    p = fixtureProvider();
    srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow', nowMs: () => NOW, allowedHosts: ['shop-12.local'] }, p);
  });
  afterAll(() => srv.close());

  it("the issue's curl: a receipt POSTed under the attacker's Host and Origin is refused with 421 and not stored", async () => {
    const before = p.receipts.length;
    // -w prints the status after the body; curl exits 0 on any HTTP status. Asynchronous: the
    // server answering it runs in this process.
    const { stdout: out } = await promisify(execFile)(
      'curl',
      [
        '-s',
        '-H',
        'Host: attacker.example:8787',
        '-H',
        'Origin: http://attacker.example:8787',
        '-H',
        'content-type: application/json',
        '--data',
        RECEIPT,
        '-w',
        '\n%{http_code}',
        `${srv.url}/api/receipts`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    const [body, code] = out.split('\n');
    expect(code).toBe('421');
    expect(JSON.parse(body!)).toEqual({
      status: 421,
      error:
        'Host "attacker.example:8787" is not served here: the API answers only loopback names (127.0.0.1, [::1], localhost) and shop-12.local; add the name to api.allowed_hosts to reach it under another',
    });
    expect(p.receipts.length).toBe(before);
  });

  const json = { 'content-type': 'application/json' };
  it.each<[string, string, string, Record<string, string>, number, RegExp | null]>([
    // Reads a rebinding page would make: refused by Host, whatever else it sends.
    [
      'consultations under a foreign Host',
      'GET',
      '/api/consultations?date=2025-03-05',
      { host: 'attacker.example:8787' },
      421,
      /^Host "attacker\.example:8787" is not served here/,
    ],
    [
      'a snapshot under a foreign Host',
      'GET',
      '/api/cameras/entrance/snapshot',
      { host: 'attacker.example:8787' },
      421,
      /^Host "attacker\.example:8787" is not served here/,
    ],
    ['status under a foreign Host', 'GET', '/status', { host: 'attacker.example' }, 421, /is not served here/],
    ['unknown path under a foreign Host (no probing)', 'GET', '/nope', { host: 'attacker.example' }, 421, /is not served here/],
    ['a rebinding name that resolves to 127.0.0.1', 'GET', '/status', { host: '127.0.0.1.nip.io:8787' }, 421, /is not served here/],
    // node:http itself answers 400 to HTTP/1.1 without Host (requireHostHeader); the API's own
    // check covers HTTP/1.0, where Host is optional.
    ['no Host header at all', 'GET', '/status', {}, 400, null],
    ['a malformed Host', 'GET', '/status', { host: 'a b' }, 421, /^Host "a b" is not served here/],
    // Loopback names and configured ones are served.
    ['127.0.0.1', 'GET', '/api/consultations?date=2025-03-05', { host: `127.0.0.1:8787` }, 200, null],
    ['another 127/8 address', 'GET', '/health', { host: '127.3.2.1' }, 200, null],
    ['localhost in capitals', 'GET', '/health', { host: 'LocalHost:8787' }, 200, null],
    ['[::1]', 'GET', '/health', { host: '[::1]:8787' }, 200, null],
    ['a configured name', 'GET', '/health', { host: 'shop-12.local:8787' }, 200, null],
    // State-changing requests: the Origin must be of an allowed host.
    [
      'a POST from another site (CSRF)',
      'POST',
      '/api/receipts',
      { host: '127.0.0.1:8787', origin: 'http://attacker.example', ...json },
      403,
      /^cross-origin POST refused: Origin "http:\/\/attacker\.example" is not an allowed host/,
    ],
    [
      'a POST from an opaque origin (sandboxed frame, file://)',
      'POST',
      '/api/receipts',
      { host: '127.0.0.1:8787', origin: 'null', ...json },
      403,
      /^cross-origin POST refused: Origin "null"/,
    ],
    [
      'a POST from a non-http origin',
      'POST',
      '/api/receipts',
      { host: '127.0.0.1:8787', origin: 'chrome-extension://abc', ...json },
      403,
      /^cross-origin POST refused/,
    ],
    [
      'a PUT from another site',
      'PUT',
      '/api/receipts',
      { host: '127.0.0.1:8787', origin: 'https://attacker.example', ...json },
      403,
      /^cross-origin PUT refused/,
    ],
    [
      'a DELETE from another site',
      'DELETE',
      '/api/receipts',
      { host: '127.0.0.1:8787', origin: 'https://attacker.example' },
      403,
      /^cross-origin DELETE refused/,
    ],
    ['a POST from the status page itself', 'POST', '/api/receipts', { host: '127.0.0.1:8787', origin: 'http://127.0.0.1:8787', ...json }, 201, null],
    ['a POST from a configured host', 'POST', '/api/receipts', { host: 'shop-12.local:8787', origin: 'http://shop-12.local:8787', ...json }, 200, null],
    ['a POST without Origin (curl, the POS bridge)', 'POST', '/api/receipts', { host: '127.0.0.1:8787', ...json }, 200, null],
    // Fetch Metadata: another site cannot embed a snapshot or pull JSON through a tag.
    [
      'an <img> of a snapshot on another site',
      'GET',
      '/api/cameras/entrance/snapshot',
      { host: '127.0.0.1:8787', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
      403,
      /^cross-site request refused/,
    ],
    [
      'a cross-site fetch of consultations',
      'GET',
      '/api/consultations?date=2025-03-05',
      { host: '127.0.0.1:8787', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
      403,
      /^cross-site request refused/,
    ],
    [
      'a link to the status page from another site (navigation)',
      'GET',
      '/',
      { host: '127.0.0.1:8787', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      200,
      null,
    ],
    ['the page polling itself', 'GET', '/status', { host: '127.0.0.1:8787', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }, 200, null],
  ])('%s: %s %s -> %i', async (_n, method, path, headers, status, reason) => {
    const before = p.receipts.length;
    const body = method === 'POST' || method === 'PUT' ? RECEIPT : undefined;
    const r = await send(srv.port, method, path, headers, body);
    expect(r.status).toBe(status);
    if (reason) {
      expect(JSON.parse(r.body)).toEqual({ error: expect.stringMatching(reason), status });
      expect(p.receipts.length).toBe(before);
    }
  });

  it('an HTTP/1.0 request without Host is refused by the API itself (421)', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = connect(srv.port, '127.0.0.1', () => sock.end('GET /status HTTP/1.0\r\n\r\n'));
      let text = '';
      sock.on('data', (c: Buffer) => (text += c.toString('utf8')));
      sock.on('end', () => resolve(text));
      sock.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 421 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: expect.stringMatching(/^no Host header: the API answers only loopback names/),
      status: 421,
    });
  });

  it('nothing an attacker sent was stored; only the allowed POST stored the receipt once', () => {
    expect(p.receipts.filter((r) => r.receiptId === 'EVIL-1')).toHaveLength(1);
  });
});

describe('off loopback', () => {
  it('a wildcard bind serves only loopback and the listed names', async () => {
    const token = 'a'.repeat(20);
    const auth = { authorization: `Bearer ${token}` };
    const wild = await startApiServer({ host: '0.0.0.0', port: 0, token, timeZone: 'UTC', allowedHosts: ['192.168.1.20'] }, fixtureProvider());
    try {
      expect((await send(wild.port, 'GET', '/health', { host: `192.168.1.20:${wild.port}`, ...auth })).status).toBe(200);
      expect((await send(wild.port, 'GET', '/health', { host: `127.0.0.1:${wild.port}`, ...auth })).status).toBe(200);
      expect((await send(wild.port, 'GET', '/health', { host: `10.0.0.5:${wild.port}`, ...auth })).status).toBe(421);
      // The Host check comes first: a rebinding page learns nothing, not even that a token is needed.
      expect((await send(wild.port, 'GET', '/health', { host: 'attacker.example' })).status).toBe(421);
    } finally {
      await wild.close();
    }
  });

  // A box with a LAN address: bound to it, the API answers under that address without listing it.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
  it.skipIf(lan === undefined)(`bound to the LAN address ${lan ?? '(none)'}, the API serves it as Host`, async () => {
    const token = 'b'.repeat(20);
    const srv = await startApiServer({ host: lan!, port: 0, token, timeZone: 'UTC' }, fixtureProvider());
    try {
      const r = await new Promise<number>((resolve, reject) => {
        const req = request({ host: lan, port: srv.port, path: '/health', headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(r).toBe(200);
    } finally {
      await srv.close();
    }
  });
});
