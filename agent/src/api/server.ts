/**
 * The local HTTP API on node:http: auth, routing and error mapping; the routes themselves are in
 * routes.ts. Binding anywhere but loopback without a token is refused before anything listens.
 *
 * Errors: a refused request answers its 4xx with a reason; anything a provider throws answers the
 * status the registry binds to its code with the coded message for FloorSense errors, or 500 and a
 * generic message otherwise — never a stack trace — and is handed to `onError` for the log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailureError, MisuseError, isFloorSenseError } from '../core/errors.js';
import { HostPolicy, isLoopbackHost, presentedToken, refuseRequest, tokenCookie, tokenMatches } from './auth.js';
import { HttpError, json, send } from './http.js';
import type { StatusProvider } from './provider.js';
import { checkQuery, route, type Route } from './router.js';
import { buildRoutes, checkBodyLimit } from './routes.js';

export interface ApiServerOptions {
  readonly host: string;
  readonly port: number;
  /** Required when `host` is not loopback. */
  readonly token?: string | undefined;
  /**
   * Host names (or addresses) served besides loopback, e.g. the box's LAN name when bound to
   * 0.0.0.0 (`api.allowed_hosts`). A specific bind address is served without being listed.
   */
  readonly allowedHosts?: readonly string[];
  readonly bodyLimitBytes?: number;
  /** Store zone: what "today" means for /api/kpis without a date. */
  readonly timeZone: string;
  readonly nowMs?: () => number;
  readonly ffmpeg?: string;
  /** Snapshots encoded at once (default 2); more get 503. */
  readonly maxConcurrentSnapshots?: number;
  /** Provider failures and socket errors, for the agent's log. */
  readonly onError?: (err: unknown, where: string) => void;
}

export interface ApiServer {
  readonly host: string;
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:8787 */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 256 * 1024;
/** Bind addresses meaning "every interface": not a name any client sends as Host. */
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '']);

export async function startApiServer(opts: ApiServerOptions, provider: StatusProvider): Promise<ApiServer> {
  const token = opts.token === undefined || opts.token === '' ? undefined : opts.token;
  if (!isLoopbackHost(opts.host) && token === undefined) {
    throw new MisuseError(
      'FS_CONFIG_INVALID',
      `api.token: binding the API to "${opts.host}" (not loopback) requires a token; set api.token or bind 127.0.0.1`,
      { key: 'api.token', host: opts.host },
    );
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) {
    throw new MisuseError('FS_CONFIG_INVALID', `api.port: ${opts.port} is not a TCP port (0-65535)`, { key: 'api.port' });
  }
  const routes = buildRoutes({
    provider,
    nowMs: opts.nowMs ?? Date.now,
    timeZone: opts.timeZone,
    bodyLimitBytes: checkBodyLimit(opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT),
    ...(opts.ffmpeg === undefined ? {} : { ffmpeg: opts.ffmpeg }),
    ...(opts.maxConcurrentSnapshots === undefined ? {} : { maxConcurrentSnapshots: opts.maxConcurrentSnapshots }),
  });
  return serveRoutes(
    { host: opts.host, port: opts.port, token, allowedHosts: opts.allowedHosts ?? [], name: 'the API', ...(opts.onError ? { onError: opts.onError } : {}) },
    routes,
  );
}

/** What `serveRoutes` needs: where to listen, who may ask, and the name its errors use. */
export interface RouteServerOptions {
  readonly host: string;
  readonly port: number;
  /** Checked on every request when set (callers refuse a non-loopback bind without one). */
  readonly token: string | undefined;
  readonly allowedHosts: readonly string[];
  /** How a listen failure names the server ("the API", "hq"). */
  readonly name: string;
  /** Where the operator adds a Host name, as refusals say (default `api.allowed_hosts`). */
  readonly hostsSetting?: string;
  readonly onError?: (err: unknown, where: string) => void;
}

/**
 * A route table served on node:http behind the Host/Origin guard and the token, with the error
 * mapping described above. One code path for every FloorSense web server (the agent's API, the
 * chain dashboard `floorsense hq`).
 */
export async function serveRoutes(opts: RouteServerOptions, routes: readonly Route[]): Promise<ApiServer> {
  const onError = opts.onError ?? (() => undefined);
  const token = opts.token;
  const hosts = new HostPolicy([...opts.allowedHosts, ...(WILDCARD_BINDS.has(opts.host) || isLoopbackHost(opts.host) ? [] : [opts.host])], opts.hostsSetting);
  const server = createServer((req, res) => void handle(req, res, routes, hosts, token, onError));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await listen(server, opts.host, opts.port, opts.name);
  const addr = server.address() as AddressInfo;
  const hostInUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    host: addr.address,
    port: addr.port,
    url: `http://${hostInUrl}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onErr = (e: NodeJS.ErrnoException): void => {
      reject(
        new FailureError(
          'FS_API_LISTEN',
          `${name} cannot listen on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EADDRNOTAVAIL' ? 'the address is not on this box' : e.message}`,
          { host, port, errno: e.code },
          { cause: e },
        ),
      );
    };
    server.once('error', onErr);
    server.listen(port, host, () => {
      server.off('error', onErr);
      resolve();
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly Route[],
  hosts: HostPolicy,
  token: string | undefined,
  onError: (err: unknown, where: string) => void,
): Promise<void> {
  const where = `${req.method ?? '?'} ${req.url ?? '?'}`;
  try {
    // Before the token and the route: a rebinding page must learn nothing, not even which paths exist.
    const refused = refuseRequest(req.method ?? 'GET', req.headers, hosts);
    if (refused) throw new HttpError(refused.status, refused.message);
    const url = new URL(req.url ?? '/', 'http://local');
    if (token !== undefined && !tokenMatches(presentedToken(req.headers, url.searchParams), token)) {
      throw new HttpError(401, 'missing or wrong token: send Authorization: Bearer <api.token>', { 'www-authenticate': 'Bearer realm="floorsense"' });
    }
    const m = route(routes, req.method ?? 'GET', url.pathname);
    checkQuery(m.route, url.searchParams);
    const reply = await m.route.handler({ req, params: m.params, query: url.searchParams });
    // The page opened with ?token=: let its own requests (script, style, polling) carry the token.
    const cookie: Record<string, string> =
      token !== undefined && url.pathname === '/' && url.searchParams.has('token') ? { 'set-cookie': tokenCookie(token) } : {};
    send(res, { ...reply, headers: { ...reply.headers, ...cookie } });
  } catch (e) {
    if (res.headersSent) {
      onError(e, where);
      res.destroy();
      return;
    }
    if (e instanceof HttpError) {
      // A refused upload (too large, wrong host or origin) is not read to its end; close rather
      // than keep a half-read connection, and say so, so that a keep-alive client does not reuse it.
      const close = e.status === 413 || e.status === 421 || e.status === 403;
      send(res, { ...json({ error: e.message, status: e.status }, e.status), headers: close ? { ...e.headers, connection: 'close' } : e.headers });
      if (close) res.once('finish', () => req.destroy());
      return;
    }
    onError(e, where);
    // A coded error answers the status its code is bound to (a full disk 507, ClickHouse down 502).
    const body = isFloorSenseError(e) ? { error: e.message, code: e.code, status: e.status } : { error: 'internal error (see the agent log)', status: 500 };
    send(res, json(body, body.status));
  }
}
