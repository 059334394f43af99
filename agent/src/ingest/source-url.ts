/**
 * What kind of source a URL names, and how to hand it to ffmpeg. Pure.
 */
import { isAbsolute, resolve } from 'node:path';
import { redactSecrets } from '../core/redact.js';

/**
 * Schemes that are camera streams: timestamps come from the wall clock, never from pts. The one rule
 * for "live": the agent's camera plan, ingest and doctor all ask isLiveUrl.
 */
const LIVE_SCHEMES = ['rtsp', 'rtsps', 'rtmp', 'http', 'https', 'udp', 'tcp', 'srt'] as const;

export type LiveScheme = (typeof LIVE_SCHEMES)[number];

export function urlScheme(url: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

export function isLiveUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme !== undefined && (LIVE_SCHEMES as readonly string[]).includes(scheme);
}

/** A local path, or undefined for anything with a scheme (file:// URLs become paths). */
export function localPath(url: string, cwd: string): string | undefined {
  const scheme = urlScheme(url);
  if (scheme === 'file') return decodeURIComponent(url.slice('file://'.length));
  if (scheme !== undefined) return undefined;
  return isAbsolute(url) ? url : resolve(cwd, url);
}

/**
 * The string passed to ffmpeg's `-i`. Local files get the `file:` protocol prefix so a name with a
 * colon or a leading dash is never read as a protocol or an option.
 */
export function ffmpegInput(url: string, cwd: string): string {
  const path = localPath(url, cwd);
  return path === undefined ? url : `file:${path}`;
}

/** A short name for messages: credentials in camera URLs are masked (the project's one redaction). */
export function displayName(url: string): string {
  return redactSecrets(url);
}
