/**
 * Every error a user can meet, as a coded class in one registry (habit 10/11).
 *
 * - MisuseError: the caller passed something wrong (bad argument, bad config key, unknown flag).
 *   Fix the input and retry.
 * - FailureError: the world failed (missing file, dead camera, corrupt video, full disk,
 *   unreachable ClickHouse). Nothing already done is lost; the message names the thing.
 *
 * Messages name the bad value and, where there is a choice, the valid choices.
 */

import { redactSecrets } from './redact.js';

interface CodeSpec {
  /** misuse: fix the input and retry; failure: the world failed, retry when it is back. */
  readonly kind: 'misuse' | 'failure';
  /** What the local API answers when a request meets this error. */
  readonly status: number;
  readonly description: string;
}

/**
 * The registry: each code bound to its kind and HTTP status (as fastify's createError binds a code to its status),
 * so a code means one thing wherever it is thrown. The classes below accept only codes of their
 * kind (checked by the compiler, and at run time for callers that cast).
 */
export const ERROR_CODES = {
  FS_CONFIG_INVALID: { kind: 'misuse', status: 400, description: 'configuration is invalid (the message names the key path)' },
  FS_CONFIG_NOT_FOUND: { kind: 'failure', status: 500, description: 'configuration file does not exist or cannot be read' },
  FS_BAD_ARGUMENT: { kind: 'misuse', status: 400, description: 'a function or command was called with an invalid argument' },
  FS_FILE_NOT_FOUND: { kind: 'failure', status: 500, description: 'an input file does not exist' },
  FS_VIDEO_UNSUPPORTED: { kind: 'failure', status: 500, description: 'ffmpeg cannot decode this input (unsupported codec or not a video)' },
  FS_VIDEO_TRUNCATED: { kind: 'failure', status: 500, description: 'the video ended early or is corrupt; frames before the damage were kept' },
  FS_SOURCE_UNREACHABLE: { kind: 'failure', status: 503, description: 'a camera stream could not be opened or stopped delivering frames' },
  FS_FFMPEG_MISSING: { kind: 'failure', status: 500, description: 'ffmpeg/ffprobe is not installed or not on PATH' },
  FS_MODEL_NOT_FOUND: { kind: 'failure', status: 500, description: 'a model file named in the manifest is missing' },
  FS_MODEL_UNKNOWN: { kind: 'misuse', status: 400, description: 'a model name that is not in the manifest' },
  FS_MODEL_CHECKSUM: { kind: 'failure', status: 500, description: 'a model file does not match its sha256 in the manifest' },
  FS_MODEL_UNSUPPORTED: { kind: 'failure', status: 500, description: 'a model has an input or output shape FloorSense does not understand' },
  FS_PARSE: { kind: 'failure', status: 500, description: 'a data file (CSV, MOT text, JSON, the model manifest) has a malformed row' },
  FS_DISK_FULL: { kind: 'failure', status: 507, description: 'the disk is full or below the configured floor' },
  FS_OUTPUT: { kind: 'failure', status: 500, description: 'an output file or folder cannot be written' },
  FS_DB: { kind: 'failure', status: 500, description: 'the local SQLite database failed, is locked or corrupt' },
  FS_REMOTE: { kind: 'failure', status: 502, description: 'a remote service (ClickHouse, Google Sheets) failed or is unreachable' },
  FS_API_LISTEN: { kind: 'failure', status: 500, description: 'the local API cannot listen on its address (port in use, address not on this box)' },
  // Requests the local API refuses (api/http.ts HttpError, by status).
  FS_HTTP_BAD_REQUEST: { kind: 'misuse', status: 400, description: 'the request has a bad parameter or body' },
  FS_HTTP_UNAUTHORIZED: { kind: 'misuse', status: 401, description: 'the request lacks the API token or has a wrong one' },
  FS_HTTP_FORBIDDEN: { kind: 'misuse', status: 403, description: 'a cross-origin or cross-site request (CSRF guard)' },
  FS_HTTP_NOT_FOUND: { kind: 'misuse', status: 404, description: 'no such endpoint or camera' },
  FS_HTTP_METHOD: { kind: 'misuse', status: 405, description: 'the endpoint does not take this method' },
  FS_HTTP_TOO_LARGE: { kind: 'misuse', status: 413, description: 'the request body is larger than api.body_limit_kb' },
  FS_HTTP_MEDIA_TYPE: { kind: 'misuse', status: 415, description: 'the request body is not of the content type the endpoint takes' },
  FS_HTTP_MISDIRECTED: { kind: 'misuse', status: 421, description: 'the request names a Host the API does not serve (DNS-rebinding guard)' },
  FS_HTTP_BUSY: { kind: 'failure', status: 503, description: 'the API cannot answer now (encoder busy, no frame yet); retry shortly' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorKind = CodeSpec['kind'];
/** The codes of one kind. */
export type CodeOfKind<K extends ErrorKind> = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['kind'] extends K ? C : never }[ErrorCode];
export type MisuseCode = CodeOfKind<'misuse'>;
export type FailureCode = CodeOfKind<'failure'>;

export abstract class FloorSenseError extends Error {
  abstract readonly kind: ErrorKind;
  readonly code: ErrorCode;
  /** The HTTP status the registry binds to the code. */
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    // Messages end up in logs, API answers and the terminal: camera passwords never do.
    super(redactSecrets(message), options);
    const spec: CodeSpec | undefined = ERROR_CODES[code];
    if (spec === undefined) throw new TypeError(`unknown error code ${JSON.stringify(code)}; known: ${Object.keys(ERROR_CODES).join(', ')}`);
    this.code = code;
    this.status = spec.status;
    this.details = Object.freeze(Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' ? redactSecrets(v) : v])));
    this.name = new.target.name;
  }
}

function checkKind(code: ErrorCode, kind: ErrorKind, cls: string): void {
  if (ERROR_CODES[code].kind !== kind)
    throw new TypeError(
      `${cls}: ${code} is a ${ERROR_CODES[code].kind} code (core/errors.ts); use ${ERROR_CODES[code].kind === 'misuse' ? 'MisuseError' : 'FailureError'}`,
    );
}

/** Bad input from the caller: arguments, config, flags. */
export class MisuseError extends FloorSenseError {
  readonly kind = 'misuse' as const;
  constructor(code: MisuseCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, details, options);
    checkKind(code, 'misuse', 'MisuseError');
  }
}

/** The world failed: files, cameras, disks, networks. */
export class FailureError extends FloorSenseError {
  readonly kind = 'failure' as const;
  constructor(code: FailureCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, details, options);
    checkKind(code, 'failure', 'FailureError');
  }
}

export function isFloorSenseError(e: unknown): e is FloorSenseError {
  return e instanceof FloorSenseError;
}
