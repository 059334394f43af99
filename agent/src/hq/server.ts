/**
 * `floorsense hq`: the chain dashboard over the central views, served on the agent's own HTTP
 * shell (api/server.ts serveRoutes: the Host/Origin guard, the token off loopback, coded errors).
 * Loopback by default. ClickHouse being down is not fatal: each API call answers 502 with the
 * transport's message naming the server, and the page retries.
 */
import { MisuseError } from '../core/errors.js';
import { isLoopbackHost } from '../api/auth.js';
import { json, type Reply } from '../api/http.js';
import { intParam } from '../api/params.js';
import type { Route } from '../api/router.js';
import { serveRoutes, type ApiServer } from '../api/server.js';
import { I18N_JS_FOR, STATUS_CSS, uplotCss, uplotJs } from './assets.js';
import { checkDatabase, checkRange, checkStoreId } from './chain.js';
import { HQ_PAGE_CSS, hqPageHtml } from './page.js';
import { HQ_PAGE_JS } from './script.js';
import type { ChainReader } from './service.js';
import type { Locale } from '../ui/i18n.js';

export interface HqServerOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
  readonly allowedHosts?: readonly string[];
  readonly locale: Locale;
  /** Printable ClickHouse URL (no credentials), named by the page when unreachable. */
  readonly server: string;
  readonly database: string;
  /** How often the page tries again while ClickHouse is unreachable. */
  readonly retrySeconds: number;
  /** ISO 4217 code the chain's amounts are in (the records carry none); null: plain numbers. */
  readonly currency?: string | null;
  readonly onError?: (err: unknown, where: string) => void;
}

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const asset = (contentType: string, body: string): Reply => ({ status: 200, contentType, body, headers: { 'content-security-policy': PAGE_CSP } });

function one(query: URLSearchParams, name: string): string {
  const all = query.getAll(name);
  if (all.length !== 1)
    throw new MisuseError('FS_BAD_ARGUMENT', `parameter ${name} ${all.length === 0 ? 'is required (YYYY-MM-DD)' : 'given more than once'}`, { key: name });
  return all[0]!;
}

export function hqRoutes(o: HqServerOptions, reader: ChainReader): Route[] {
  const page = hqPageHtml({ locale: o.locale, server: o.server, retrySeconds: o.retrySeconds, currency: o.currency ?? null });
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  return [
    { method: 'GET', pattern: '/', handler: async () => asset('text/html; charset=utf-8', page) },
    { method: 'GET', pattern: '/ui/i18n.js', handler: async () => asset(js, I18N_JS_FOR()) },
    { method: 'GET', pattern: '/ui/uplot.js', handler: async () => asset(js, uplotJs()) },
    { method: 'GET', pattern: '/ui/uplot.css', handler: async () => asset(css, uplotCss()) },
    { method: 'GET', pattern: '/ui/status.css', handler: async () => asset(css, STATUS_CSS) },
    { method: 'GET', pattern: '/hq/hq.js', handler: async () => asset(js, HQ_PAGE_JS) },
    { method: 'GET', pattern: '/hq/hq.css', handler: async () => asset(css, HQ_PAGE_CSS) },
    { method: 'GET', pattern: '/favicon.ico', handler: async () => ({ status: 204, contentType: 'image/x-icon', body: '' }) },
    { method: 'GET', pattern: '/api/span', handler: async () => json(await reader.span()) },
    {
      method: 'GET',
      pattern: '/api/chain',
      query: ['from', 'to'],
      handler: async ({ query }) => json(await reader.view(checkRange(one(query, 'from'), one(query, 'to')))),
    },
    {
      method: 'GET',
      pattern: '/api/hours',
      query: ['from', 'to', 'store'],
      handler: async ({ query }) => {
        const stores = query.getAll('store');
        if (stores.length > 1) throw new MisuseError('FS_BAD_ARGUMENT', 'parameter store given more than once', { key: 'store' });
        const store = stores[0] === undefined || stores[0] === '' ? null : checkStoreId(stores[0]);
        return json(await reader.hours(checkRange(one(query, 'from'), one(query, 'to')), store));
      },
    },
    {
      method: 'GET',
      pattern: '/api/trends',
      query: ['to', 'days'],
      handler: async ({ query }) => {
        const to = checkRange(one(query, 'to'), one(query, 'to')).to;
        return json(await reader.trends(to, intParam(query, 'days', 30, 1, 400)));
      },
    },
  ];
}

/** An ISO 4217 code this Node's Intl knows, so the page can format with it. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

export async function startHqServer(o: HqServerOptions, reader: ChainReader): Promise<ApiServer> {
  checkDatabase(o.database);
  const token = o.token === undefined || o.token === '' ? undefined : o.token;
  if (!isLoopbackHost(o.host) && token === undefined) {
    throw new MisuseError(
      'FS_BAD_ARGUMENT',
      `--host ${o.host}: serving hq off loopback requires --token-file (the chain's figures would be open to the network)`,
      { key: 'host', host: o.host },
    );
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65_535)
    throw new MisuseError('FS_BAD_ARGUMENT', `--port ${o.port} is not a TCP port (0-65535)`, { key: 'port' });
  if (o.currency !== undefined && o.currency !== null && !isCurrency(o.currency))
    throw new MisuseError('FS_BAD_ARGUMENT', `--currency ${o.currency.slice(0, 20)} is not an ISO 4217 currency code (e.g. RUB)`, { key: 'currency' });
  if (!Number.isInteger(o.retrySeconds) || o.retrySeconds < 1 || o.retrySeconds > 3600)
    throw new MisuseError('FS_BAD_ARGUMENT', `--retry ${o.retrySeconds}: seconds from 1 to 3600`, { key: 'retry' });
  return serveRoutes(
    {
      host: o.host,
      port: o.port,
      token,
      allowedHosts: o.allowedHosts ?? [],
      name: 'hq',
      hostsSetting: '--allowed-host',
      ...(o.onError ? { onError: o.onError } : {}),
    },
    hqRoutes(o, reader),
  );
}
