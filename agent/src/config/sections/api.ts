import { z } from 'zod';
import { isIP } from 'node:net';
import { isLoopbackHost } from '../../api/auth.js';

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A DNS name (letters, digits, hyphens, dots) or an IPv4/IPv6 literal (brackets optional). */
function isHostName(s: string): boolean {
  return DNS_NAME.test(s) || isIP(s.replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * The agent's local HTTP API and status page. Loopback by default (the tray app on the same box);
 * binding anywhere else exposes store data to the network, so it requires a token.
 */
export const apiSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve the local API and status page.'),
    host: z.string().min(1).default('127.0.0.1').describe('Address to bind: 127.0.0.1 (default, this box only), or e.g. 0.0.0.0 with a token.'),
    port: z.int().min(0).max(65_535).default(8787).describe('TCP port (0 = any free port).'),
    token: z
      .string()
      .min(16, 'at least 16 characters')
      .max(256)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional()
      .describe('Bearer token required on every request; mandatory off loopback.'),
    allowed_hosts: z
      .array(z.string().min(1).max(253).refine(isHostName, 'a host name or IP address without port or scheme, e.g. shop-12.local or 192.168.1.20'))
      .max(32)
      .default([])
      .describe(
        "Host names or addresses clients use to reach the API besides loopback (127.0.0.0/8, [::1], localhost), e.g. the box's LAN name when bound to 0.0.0.0. Requests under any other Host get 421 (DNS-rebinding guard); POSTs with an Origin of another host get 403.",
      ),
    body_limit_kb: z.int().min(1).max(10_240).default(256).describe('Largest request body accepted (KiB), e.g. a batch of receipts.'),
  })
  .superRefine(function tokenOffLoopback(a, ctx) {
    if (!isLoopbackHost(a.host) && a.token === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: `api.host "${a.host}" is not loopback: set api.token (16+ characters) or bind 127.0.0.1` });
    }
  })
  .describe('Local HTTP API and status page.');
