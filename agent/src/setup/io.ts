/**
 * The two ways `floorsense setup` gets its answers, behind one interface so the flow in setup.ts
 * is written once: a technician at a terminal (node:readline; a rejected answer is explained and
 * asked again) or an answers file (a rejected answer ends the run, naming the answer key).
 */
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { FailureError, MisuseError, type FailureCode } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';
import type { Messages } from './messages.js';

export interface SetupIO {
  readonly interactive: boolean;
  /** The answer to `key`: the typed reply (Enter = `def`), or the answers file's value (absent = `def`). */
  value(key: string, prompt: string, def: string | undefined, opts?: { secret?: boolean; keepLabel?: string }): Promise<string>;
  yesNo(key: string, prompt: string, def: boolean): Promise<boolean>;
  /**
   * An answer that failed its test. Interactive: says why and returns (the caller asks again);
   * scripted: throws, naming the answer key and the answers file.
   */
  rejected(key: string, code: FailureCode | 'FS_CONFIG_INVALID', why: string, fix?: string): void;
  /** A line for the technician, credentials masked. */
  say(text: string): void;
  close(): void;
}

/** Values of an answers file by key path (`cameras[1].url`); booleans for yes/no questions. */
export type AnswerMap = ReadonlyMap<string, string | boolean>;

export function scriptedIO(file: string, answers: AnswerMap, write: (s: string) => void): SetupIO {
  return {
    interactive: false,
    value: (key, _prompt, def) => {
      const v = answers.get(key);
      return Promise.resolve(typeof v === 'string' ? v : (def ?? ''));
    },
    yesNo: (key, _prompt, def) => {
      const v = answers.get(key);
      return Promise.resolve(typeof v === 'boolean' ? v : def);
    },
    rejected: (key, code, why, fix) => {
      const text = `${file}: ${key}: ${why}${fix ? ` (${fix})` : ''}`;
      if (code === 'FS_CONFIG_INVALID') throw new MisuseError('FS_CONFIG_INVALID', text, { key });
      throw new FailureError(code, text, { key });
    },
    say: (text) => write(`${redactSecrets(text)}\n`),
    close: () => undefined,
  };
}

/**
 * Prompts on a terminal (or lines piped into stdin). Lines are queued as they arrive, so answers
 * typed ahead, or piped all at once, are taken in order while a camera is still being probed.
 * A secret answer is read with echo off: readline writes through a stream that is muted meanwhile.
 */
export function promptIO(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, msg: Messages, terminal: boolean): SetupIO {
  let muted = false;
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      if (!muted) output.write(chunk);
      cb();
    },
  });
  const rl: Interface = createInterface({ input, output: sink, terminal });
  const queue: string[] = [];
  const waiters: Array<(line: string | null) => void> = [];
  let closed = false;
  rl.on('line', (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else queue.push(line);
  });
  const end = (): void => {
    closed = true;
    for (const w of waiters.splice(0)) w(null);
  };
  rl.on('close', end);
  // Ctrl-C at a prompt: stop without writing anything (readline would otherwise only pause).
  rl.on('SIGINT', () => rl.close());
  const nextLine = (): Promise<string | null> => {
    if (queue.length > 0) return Promise.resolve(queue.shift()!);
    if (closed) return Promise.resolve(null);
    return new Promise((resolve) => waiters.push(resolve));
  };
  const ask = async (prompt: string, shown: string | undefined, secret: boolean): Promise<string> => {
    rl.setPrompt(`${prompt}${shown !== undefined && shown !== '' ? ` [${redactSecrets(shown)}]` : ''}: `);
    rl.prompt();
    muted = secret && terminal;
    const line = await nextLine();
    muted = false;
    if (secret && terminal) output.write('\n');
    if (line === null) throw new MisuseError('FS_BAD_ARGUMENT', 'setup stopped before it was finished (input closed): nothing was written');
    return line.trim();
  };
  return {
    interactive: true,
    value: async (_key, prompt, def, opts = {}) => {
      const shown = opts.secret ? (def ? (opts.keepLabel ?? '') : undefined) : def;
      const v = await ask(prompt, shown, opts.secret === true);
      return v === '' ? (def ?? '') : v;
    },
    yesNo: async (_key, prompt, def) => {
      for (;;) {
        const v = await ask(prompt, def ? 'y' : 'n', false);
        if (v === '') return def;
        if (msg.yes.test(v)) return true;
        if (msg.no.test(v)) return false;
      }
    },
    rejected: (_key, _code, why, fix) => {
      output.write(`${redactSecrets(why)}\n`);
      if (fix) output.write(`${redactSecrets(msg.fix(fix))}\n`);
      output.write(`${msg.reenter}\n`);
    },
    say: (text) => output.write(`${redactSecrets(text)}\n`),
    close: () => rl.close(),
  };
}
