/**
 * Who may talk to the local API. Loopback needs no token (the tray app on the same box); any other
 * bind address needs one, compared in constant time so response timing does not leak it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, ::ffff:127.x and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Constant-time comparison. Both sides are hashed first so the comparison runs over equal lengths
 * and the token's length does not leak either.
 */
export function tokenMatches(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export const TOKEN_COOKIE = 'floorsense_token';

/**
 * The token a request carries: `Authorization: Bearer <token>`; or a `token` query parameter, so a
 * browser can open the status page; or the cookie the page's first answer sets, so the page's
 * own script, style and polling carry it too (HttpOnly, SameSite=Strict: other sites cannot use it).
 */
export function presentedToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  const q = query.get('token');
  if (q !== null) return q;
  return cookieValue(headers.cookie, TOKEN_COOKIE);
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Set-Cookie value handing the token to the browser that opened the page with `?token=`. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
