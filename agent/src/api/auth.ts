/**
 * Who may talk to the local API. Loopback needs no token (the tray app on the same box); any other
 * bind address needs one, compared in constant time so response timing does not leak it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1, ::ffff:127.x and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
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

/**
 * The host name of a `Host` header value ("127.0.0.1:8787", "[::1]:8787", "localhost"), lower
 * case, without port or IPv6 brackets; null when it is not a plausible host[:port].
 */
export function hostOfHeader(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim().toLowerCase();
  const m = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(v) ?? /^([^:[\]\s/@]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m || m[1] === undefined || m[1] === '') return null;
  return m[1];
}

/**
 * Which Host names the API answers: loopback always (the tray app and a browser on the box),
 * plus the names and addresses the operator listed (`api.allowed_hosts`) for an API bound off
 * loopback. A DNS-rebinding page reaches the API under its own name (Host: attacker.example),
 * so serving only known names is what stops it reading or writing through the victim's browser.
 */
export class HostPolicy {
  private readonly names: ReadonlySet<string>;

  /** `setting`: where an operator adds a name, for refusals (`api.allowed_hosts`; hq's `--allowed-host`). */
  constructor(
    allowed: readonly string[],
    readonly setting = 'api.allowed_hosts',
  ) {
    this.names = new Set(
      allowed.map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ''),
      ),
    );
  }

  allows(hostname: string): boolean {
    return isLoopbackHost(hostname) || this.names.has(hostname);
  }

  /** The names besides loopback, for error messages. */
  configured(): string[] {
    return [...this.names];
  }
}

/** Why a request is refused before routing, or null when it may proceed. */
export interface Refusal {
  readonly status: 403 | 421;
  readonly message: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The checks every request passes before its token and route are looked at:
 * - Host must be allowed (421 Misdirected Request otherwise): stops DNS rebinding, reads included;
 * - a state-changing request (anything but GET/HEAD/OPTIONS) carrying an Origin must come from an
 *   allowed host (403): stops cross-site form and fetch posts (CSRF); no Origin (curl, the POS
 *   bridge) is fine, an opaque "null" Origin is not;
 * - a browser's Fetch Metadata saying `Sec-Fetch-Site: cross-site` is refused (403) except for a
 *   top-level navigation: another site cannot embed a camera snapshot or pull JSON through a tag.
 */
export function refuseRequest(method: string, headers: IncomingHttpHeaders, hosts: HostPolicy): Refusal | null {
  const raw = headers.host;
  const host = hostOfHeader(raw);
  if (host === null || !hosts.allows(host)) {
    const also = hosts.configured();
    return {
      status: 421,
      message: `${raw === undefined ? 'no Host header' : `Host "${raw}" is not served here`}: the API answers only loopback names (127.0.0.1, [::1], localhost)${also.length > 0 ? ` and ${also.join(', ')}` : ''}; add the name to ${hosts.setting} to reach it under another`,
    };
  }
  const origin = headers.origin;
  if (!SAFE_METHODS.has(method) && origin !== undefined) {
    const from = originHost(origin);
    if (from === null || !hosts.allows(from)) {
      return { status: 403, message: `cross-origin ${method} refused: Origin "${origin}" is not an allowed host (loopback or ${hosts.setting})` };
    }
  }
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' && !(SAFE_METHODS.has(method) && headers['sec-fetch-mode'] === 'navigate')) {
    return { status: 403, message: 'cross-site request refused (Sec-Fetch-Site: cross-site): open the status page directly instead' };
  }
  return null;
}

/** Host name of an Origin header ("http://127.0.0.1:8787"), or null for "null" and non-http(s) ones. */
function originHost(origin: string): string | null {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  return u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}
