/**
 * The one place credentials are masked before text leaves the process: log lines (the logger's
 * stream hook), coded error messages (FloorSenseError's constructor), CLI output, stored job
 * sources, and so every API answer built from them. Camera URLs carry passwords
 * (rtsp://admin:secret@10.0.0.5/stream1), and ffmpeg repeats the URL in its own messages.
 */

/**
 * scheme://user:password@ and scheme://token@ → scheme://***@ (the whole userinfo: a user name
 * alone can be a token). Greedy up to the last @ before the path, so an unencoded @ inside a
 * password is still masked whole.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"']*@/gi;
/** ?password=…, &pwd=…, &token=… in query strings (some cameras take credentials there). */
const QUERY_SECRET = /([?&](?:password|passwd|pwd|pass|token|auth|key)=)[^&\s"'#]*/gi;

export function redactSecrets(text: string): string {
  return text.replace(URL_USERINFO, '$1***@').replace(QUERY_SECRET, '$1***');
}
