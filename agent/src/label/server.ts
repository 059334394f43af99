/**
 * The `floorsense label` server: node:http on loopback with the agent API's conventions (the same
 * Host/Origin/Fetch-Metadata guard from api/auth.ts, JSON errors, no-store), serving the page, the
 * frames and the session's state, and taking saves. Loopback only: the frames are store video.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailureError, MisuseError, isFloorSenseError } from '../core/errors.js';
import { HostPolicy, isLoopbackHost, refuseRequest } from '../api/auth.js';
import { HttpError, json, readBody, send, type Reply } from '../api/http.js';
import { framePath } from './frames.js';
import { LABEL_HTML, LABEL_JS, LABEL_CSS } from './page.js';
import { LABEL_MESSAGES } from './i18n.js';
import { i18nScript } from '../ui/i18n.js';

const LABEL_I18N_JS = i18nScript(LABEL_MESSAGES);
import type { LabelSession } from './session.js';

export interface LabelServer {
  readonly url: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024 * 1024;

export async function startLabelServer(session: LabelSession, o: { host?: string; port?: number; locale?: 'ru' | 'en' } = {}): Promise<LabelServer> {
  const host = o.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new MisuseError('FS_BAD_ARGUMENT', `--host ${host}: the label tool serves store video frames and listens on loopback only`);
  const hosts = new HostPolicy([]);
  const html = LABEL_HTML(o.locale ?? 'ru');
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const refused = refuseRequest(req.method ?? 'GET', req.headers, hosts);
      if (refused) throw new HttpError(refused.status, refused.message);
      const url = new URL(req.url ?? '/', 'http://local');
      const method = req.method ?? 'GET';
      const m = /^\/frames\/(\d+)\.jpg$/.exec(url.pathname);
      let reply: Reply;
      if (method === 'GET' && url.pathname === '/') reply = { status: 200, contentType: 'text/html; charset=utf-8', body: html };
      else if (method === 'GET' && url.pathname === '/i18n.js') reply = { status: 200, contentType: 'text/javascript; charset=utf-8', body: LABEL_I18N_JS };
      else if (method === 'GET' && url.pathname === '/label.js') reply = { status: 200, contentType: 'text/javascript; charset=utf-8', body: LABEL_JS };
      else if (method === 'GET' && url.pathname === '/label.css') reply = { status: 200, contentType: 'text/css; charset=utf-8', body: LABEL_CSS };
      else if (method === 'GET' && url.pathname === '/api/state') reply = json(session.state());
      else if (method === 'GET' && m) {
        const f = Number(m[1]);
        if (!session.state().frames.includes(f)) throw new HttpError(404, `frame ${f} was not sampled`);
        reply = { status: 200, contentType: 'image/jpeg', body: readFileSync(framePath(session.dir, f)) };
      } else if (method === 'POST' && url.pathname === '/api/save') {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'POST /api/save takes application/json');
        const text = (await readBody(req, BODY_LIMIT)).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, 'POST /api/save: the body is not JSON');
        }
        reply = json(session.save(body));
      } else throw new HttpError(404, `no such page: ${method} ${url.pathname}`);
      send(res, reply);
    } catch (e) {
      if (e instanceof HttpError) return send(res, json({ error: e.message, status: e.status }, e.status));
      const body = isFloorSenseError(e) ? { error: e.message, code: e.code, status: e.status } : { error: 'internal error', status: 500 };
      if (!isFloorSenseError(e)) console.error(e);
      send(res, json(body, body.status));
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new FailureError('FS_API_LISTEN', `the label tool cannot listen on ${host}:${o.port ?? 0}: ${e.code ?? e.message}`, { host })),
    );
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
