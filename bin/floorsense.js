#!/usr/bin/env node
// Thin launcher: the CLI is compiled from agent/src by `npm ci` (prepare) or `npm run build`.
import { main } from '../dist/cli/main.js';
import { redactSecrets } from '../dist/core/redact.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  // An error nobody coded still never prints a camera password.
  (err) => {
    console.error(redactSecrets(err instanceof Error ? err.message : String(err)));
    process.exitCode = 1;
  },
);
