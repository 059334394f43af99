import { z } from 'zod';
import { isLoopbackHost } from '../../api/auth.js';

/**
 * The agent's local HTTP API and status page. Loopback by default (the tray app on the same box);
 * binding anywhere else exposes store data to the network, so it requires a token.
 */
export const apiSection = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve the local API and status page.'),
    host: z.string().min(1).default('127.0.0.1').describe('Address to bind: 127.0.0.1 (default, this box only), or e.g. 0.0.0.0 with a token.'),
    port: z.int().min(0).max(65_535).default(8787).describe('TCP port (0 = any free port).'),
    token: z.string().min(16, 'at least 16 characters').max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').optional().describe('Bearer token required on every request; mandatory off loopback.'),
    body_limit_kb: z.int().min(1).max(10_240).default(256).describe('Largest request body accepted (KiB), e.g. a batch of receipts.'),
  })
  .superRefine(function tokenOffLoopback(a, ctx) {
    if (!isLoopbackHost(a.host) && a.token === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: `api.host "${a.host}" is not loopback: set api.token (16+ characters) or bind 127.0.0.1` });
    }
  })
  .describe('Local HTTP API and status page.');
