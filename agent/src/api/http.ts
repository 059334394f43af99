/**
 * Small HTTP helpers over node:http: a coded error a handler throws to answer 4xx, JSON replies,
 * and a body reader with a hard size limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES, FloorSenseError, type ErrorCode, type ErrorKind } from '../core/errors.js';

/** The registry code of each status the API refuses a request with. */
const HTTP_CODES = {
  400: 'FS_HTTP_BAD_REQUEST',
  401: 'FS_HTTP_UNAUTHORIZED',
  403: 'FS_HTTP_FORBIDDEN',
  404: 'FS_HTTP_NOT_FOUND',
  405: 'FS_HTTP_METHOD',
  413: 'FS_HTTP_TOO_LARGE',
  415: 'FS_HTTP_MEDIA_TYPE',
  421: 'FS_HTTP_MISDIRECTED',
  503: 'FS_HTTP_BUSY',
} as const satisfies Record<number, ErrorCode>;

export type HttpStatus = keyof typeof HTTP_CODES;

/**
 * A request the API refuses, with the status and a reason naming what was wrong. One more coded
 * error of the registry (core/errors.ts): its code, kind and status come from there.
 */
export class HttpError extends FloorSenseError {
  readonly kind: ErrorKind;
  declare readonly status: HttpStatus;

  constructor(
    status: HttpStatus,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(HTTP_CODES[status], message, { status });
    this.kind = ERROR_CODES[HTTP_CODES[status]].kind;
  }
}

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export const json = (value: unknown, status = 200): Reply => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });

export function send(res: ServerResponse, r: Reply): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  res.writeHead(r.status, { ...COMMON_HEADERS, ...r.headers, 'content-type': r.contentType, 'content-length': String(body.length) });
  res.end(body);
}

/** The whole body, or HttpError 413 as soon as it passes `limitBytes` (the rest is not read). */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(new HttpError(413, `body of ${declared} bytes is larger than the ${limitBytes}-byte limit`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limitBytes) {
        done = true;
        reject(new HttpError(413, `body is larger than the ${limitBytes}-byte limit`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}
