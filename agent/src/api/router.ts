/**
 * A tiny router: routes as data (method, path pattern with `:name` segments, handler), matched
 * segment by segment. Unknown paths are 404; a known path with another method is 405 with Allow.
 */
import { HttpError, type Reply } from './http.js';
import type { IncomingMessage } from 'node:http';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

export type Handler = (ctx: RequestContext) => Promise<Reply>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly pattern: string;
  /** Query parameters the route accepts (besides `token`); any other is a 400, catching misspellings. */
  readonly query?: readonly string[];
  readonly handler: Handler;
}

export interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split('/');
  const xs = path.split('/');
  if (ps.length !== xs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const x = xs[i]!;
    if (p.startsWith(':')) {
      if (x === '') return null;
      let v: string;
      try {
        v = decodeURIComponent(x);
      } catch {
        throw new HttpError(400, `path parameter ${p.slice(1)} is not valid percent-encoding`);
      }
      params[p.slice(1)] = v;
    } else if (p !== x) return null;
  }
  return params;
}

export function route(routes: readonly Route[], method: string, path: string): Match {
  const allowed: string[] = [];
  for (const r of routes) {
    const params = matchPattern(r.pattern, path);
    if (!params) continue;
    if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { route: r, params };
    allowed.push(r.method);
  }
  if (allowed.length > 0) throw new HttpError(405, `method ${method} not allowed on ${path}; use ${allowed.join(', ')}`, { allow: allowed.join(', ') });
  throw new HttpError(404, `no such endpoint: ${path}`);
}

export function checkQuery(r: Route, query: URLSearchParams): void {
  const ok = new Set([...(r.query ?? []), 'token']);
  for (const k of query.keys()) {
    if (!ok.has(k)) throw new HttpError(400, `unknown query parameter "${k}"${r.query && r.query.length > 0 ? `; accepted: ${r.query.join(', ')}` : ''}`);
  }
}
