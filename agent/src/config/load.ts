import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
import { configSchema, type Config } from './schema.js';

/** `cameras[0].zones[2].kind` from a zod path. */
export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${formatKeyPath([...issue.path, k])}: unknown key`).join('; ');
  }
  return `${formatKeyPath(issue.path)}: ${issue.message}`;
}

/** Validate an already-parsed object. Throws MisuseError(FS_CONFIG_INVALID) naming every bad key path. */
export function validateConfig(raw: unknown, origin = 'config'): Readonly<Config> {
  const res = configSchema.safeParse(raw ?? {});
  if (!res.success) {
    const lines = res.error.issues.map(describeIssue);
    throw new MisuseError('FS_CONFIG_INVALID', `${origin} is invalid:\n  ${lines.join('\n  ')}`, { issues: lines });
  }
  return deepFreeze(res.data);
}

export function parseConfigText(text: string, origin = 'config'): Readonly<Config> {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}` : '';
    throw new MisuseError('FS_CONFIG_INVALID', `${origin} is not valid YAML${where}: ${(e as Error).message}`, {}, { cause: e });
  }
  return validateConfig(raw, origin);
}

export function loadConfigFile(path: string): Readonly<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_CONFIG_NOT_FOUND', `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path }, { cause: e });
  }
  return parseConfigText(text, path);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
