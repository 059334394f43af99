/**
 * Run `floorsense ...` in-process (the CLI's own main), returning what it printed on stdout; stderr
 * (analyze's progress lines) is swallowed. Throws with the output when the exit code is not 0.
 */
import { main } from '../../agent/src/cli/main.js';

export async function runCli(argv: string[]): Promise<string> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => {
    out += String(s);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    if (code !== 0) throw new Error(`floorsense ${argv.join(' ')} exited ${code}: ${out}`);
    return out;
  } finally {
    process.stdout.write = write;
    process.stderr.write = err;
  }
}
