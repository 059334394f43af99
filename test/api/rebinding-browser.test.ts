/**
 * DNS rebinding and CSRF against the loopback API in real headless Chromium. Chromium's
 * --host-resolver-rules maps attacker.example to 127.0.0.1: the state a rebinding attack ends in
 * (the attacker's name now resolves to the victim's loopback). An attacker page, served by a second
 * server under that name, then tries what the curl did from a browser: store a receipt,
 * read consultations, embed a camera snapshot. The status page itself must keep working.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { NOW, fixtureProvider, type FixtureProvider } from './fixture.js';
import { haveChromium, launchChromium } from '../helpers/chromium.js';

const RECEIPT = JSON.stringify({ receipt_id: 'EVIL-B', timestamp: '2025-03-05T12:31:00+03:00', total: 1 });

describe.skipIf(!haveChromium())('rebinding and CSRF from a real browser', () => {
  let browser: BrowserContext;
  let api: ApiServer;
  let p: FixtureProvider;
  let attacker: Server;
  let attackerPort: number;
  beforeAll(async () => {
    p = fixtureProvider();
    api = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow', nowMs: () => NOW }, p);
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>prize</title><p>You won!</p>');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;
    browser = await launchChromium({ extraArgs: ['--host-resolver-rules=MAP attacker.example 127.0.0.1'] });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  });

  it('a page under the rebound name gets 421 for everything and stores nothing', async () => {
    const page = await browser.newPage();
    const first = await page.goto(`http://attacker.example:${api.port}/`);
    expect(first?.status()).toBe(421);
    // Same-origin now, as far as the browser knows: no CORS stands in the way, only the Host check.
    const answers = await page.evaluate(async (receipt) => {
      const read = await fetch('/api/consultations?date=2025-03-05');
      const snap = await fetch('/api/cameras/entrance/snapshot');
      const write = await fetch('/api/receipts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: receipt });
      return [read.status, snap.status, write.status, ((await write.json()) as { error: string }).error];
    }, RECEIPT);
    expect(answers.slice(0, 3)).toEqual([421, 421, 421]);
    expect(answers[3]).toMatch(new RegExp(`^Host "attacker\\.example:${api.port}" is not served here`));
    expect(p.receipts.some((r) => r.receiptId === 'EVIL-B')).toBe(false);
    await page.close();
  });

  it("another site's page can neither post a receipt nor embed a snapshot", async () => {
    const page = await browser.newPage();
    const statuses = new Map<string, number>();
    // What the API answered, from the browser's network layer: the page itself is shown neither
    // answer (an opaque no-cors response, an image blocked by ORB), so page events do not carry it.
    const cdp = await browser.newCDPSession(page);
    await cdp.send('Network.enable');
    // Both keyed by request id and joined when read: the extra-info event may come before
    // requestWillBeSent (Chromium does not order them), and once did in CI under load.
    const urls = new Map<string, string>();
    const byId = new Map<string, number>();
    cdp.on('Network.requestWillBeSent', (e) => void urls.set(e.requestId, new URL(e.request.url).pathname));
    cdp.on('Network.responseReceivedExtraInfo', (e) => void byId.set(e.requestId, e.statusCode));
    cdp.on('Network.responseReceived', (e) => void byId.set(e.requestId, e.response.status));
    const join = () => {
      for (const [id, status] of byId) if (urls.has(id)) statuses.set(urls.get(id)!, status);
    };
    await page.goto(`http://attacker.example:${attackerPort}/`);
    const base = `http://127.0.0.1:${api.port}`;
    const img = await page.evaluate(
      async ([b, receipt]) => {
        // A "simple" cross-origin request: no preflight, the browser sends it and hides the answer.
        await fetch(`${b}/api/receipts`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: receipt }).catch(() => undefined);
        const el = document.createElement('img');
        el.src = `${b}/api/cameras/entrance/snapshot`;
        document.body.append(el);
        await new Promise((resolve) => ((el.onload = resolve), (el.onerror = resolve)));
        return el.naturalWidth;
      },
      [base, RECEIPT] as const,
    );
    expect(img).toBe(0);
    // The network layer's extra-info event can arrive after the page saw the error (a loaded box).
    for (let i = 0; i < 100 && (join(), !(statuses.has('/api/receipts') && statuses.has('/api/cameras/entrance/snapshot'))); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(statuses.get('/api/receipts')).toBe(403);
    expect(statuses.get('/api/cameras/entrance/snapshot')).toBe(403);
    expect(p.receipts.some((r) => r.receiptId === 'EVIL-B')).toBe(false);
    await page.close();
  });

  it('the status page on 127.0.0.1 still loads and may post', async () => {
    const page = await browser.newPage();
    expect((await page.goto(`http://127.0.0.1:${api.port}/`))?.status()).toBe(200);
    const status = await page.evaluate(
      async (receipt) => (await fetch('/api/receipts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: receipt })).status,
      RECEIPT,
    );
    expect(status).toBe(201);
    expect(p.receipts.filter((r) => r.receiptId === 'EVIL-B')).toHaveLength(1);
    await page.close();
  });
});
