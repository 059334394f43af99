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

export const ERROR_CODES = {
  FS_CONFIG_INVALID: 'configuration is invalid (the message names the key path)',
  FS_CONFIG_NOT_FOUND: 'configuration file does not exist or cannot be read',
  FS_BAD_ARGUMENT: 'a function or command was called with an invalid argument',
  FS_FILE_NOT_FOUND: 'an input file does not exist',
  FS_VIDEO_UNSUPPORTED: 'ffmpeg cannot decode this input (unsupported codec or not a video)',
  FS_VIDEO_TRUNCATED: 'the video ended early or is corrupt; frames before the damage were kept',
  FS_SOURCE_UNREACHABLE: 'a camera stream could not be opened or stopped delivering frames',
  FS_FFMPEG_MISSING: 'ffmpeg/ffprobe is not installed or not on PATH',
  FS_MODEL_NOT_FOUND: 'a model file named in the manifest is missing',
  FS_MODEL_CHECKSUM: 'a model file does not match its sha256 in the manifest',
  FS_MODEL_UNSUPPORTED: 'a model has an input or output shape FloorSense does not understand',
  FS_PARSE: 'a data file (CSV, MOT text, JSON) has a malformed row',
  FS_DISK_FULL: 'the disk is full or below the configured floor',
  FS_OUTPUT: 'an output file or folder cannot be written',
  FS_DB: 'the local SQLite database failed, is locked or corrupt',
  FS_REMOTE: 'a remote service (ClickHouse, Google Sheets) failed or is unreachable',
  FS_API_LISTEN: 'the local API cannot listen on its address (port in use, address not on this box)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export abstract class FloorSenseError extends Error {
  abstract readonly kind: 'misuse' | 'failure';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    // Messages end up in logs, API answers and the terminal: camera passwords never do.
    super(redactSecrets(message), options);
    this.code = code;
    this.details = Object.freeze(Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' ? redactSecrets(v) : v])));
    this.name = new.target.name;
  }
}

/** Bad input from the caller: arguments, config, flags. */
export class MisuseError extends FloorSenseError {
  readonly kind = 'misuse' as const;
}

/** The world failed: files, cameras, disks, networks. */
export class FailureError extends FloorSenseError {
  readonly kind = 'failure' as const;
}

export function isFloorSenseError(e: unknown): e is FloorSenseError {
  return e instanceof FloorSenseError;
}
