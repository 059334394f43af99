/** `floorsense` straight from the sources (tests run it as a child: node --import tsx test/agent/cli-entry.ts run ...). */
import { main } from '../../agent/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exitCode = 1;
  },
);
