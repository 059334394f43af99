/**
 * A real HTTP server on 127.0.0.1 standing in for a published Google Sheet: it serves whatever
 * `sheet.body` holds at the time of the request, with `sheet.status`, or hangs when `sheet.hang`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SheetState {
  body: string;
  status: number;
  contentType: string;
  hang: boolean;
  requests: number;
}

export interface SheetServer {
  readonly url: string;
  readonly state: SheetState;
  close(): Promise<void>;
}

export async function startSheetServer(body: string, path = '/spreadsheets/d/e/2PACX-test/pub?output=csv'): Promise<SheetServer> {
  const state: SheetState = { body, status: 200, contentType: 'text/csv; charset=utf-8', hang: false, requests: 0 };
  const server: Server = createServer((_req, res) => {
    state.requests++;
    if (state.hang) return; // never answers: the client's timeout must fire
    res.writeHead(state.status, { 'content-type': state.contentType });
    res.end(state.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
