import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { FailureError, MisuseError } from '../core/errors.js';
import { findRepoRoot } from '../models/paths.js';
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

function parseYamlText(text: string, origin: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}` : '';
    throw new MisuseError('FS_CONFIG_INVALID', `${origin} is not valid YAML${where}: ${(e as Error).message}`, {}, { cause: e });
  }
}

export function parseConfigText(text: string, origin = 'config'): Readonly<Config> {
  return validateConfig(parseYamlText(text, origin), origin);
}

/**
 * Read, resolve and validate a config file. Relative paths in it (see CONFIG_PATH_KEYS) are taken
 * against the file's own folder, so a store.yaml means the same wherever the command runs from.
 */
export function loadConfigFile(path: string): Readonly<Config> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError(
      'FS_CONFIG_NOT_FOUND',
      `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { path },
      { cause: e },
    );
  }
  return validateConfig(resolveConfigPaths(parseYamlText(text, path), dirname(resolve(path))), path);
}

/** A local path (no `scheme://`) that is relative. */
function isRelativePath(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(v) && !isAbsolute(v);
}

/** A detector model value that is a file path rather than a manifest name. */
function looksLikeFile(v: string): boolean {
  return v.endsWith('.onnx') || v.includes('/');
}

function resolveAt(obj: unknown, key: string, base: string, only: (v: string) => boolean = () => true): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  const rec = obj as Record<string, unknown>;
  const v = rec[key];
  if (isRelativePath(v) && only(v)) rec[key] = resolve(base, v);
}

/** The keys holding local paths, resolved by resolveConfigPaths (one list, kept beside the rule). */
export const CONFIG_PATH_KEYS = [
  'cameras[].url',
  'storage.path',
  'detector.models_dir',
  'detector.model (an .onnx path)',
  'tracker.reid_model (an .onnx path)',
  'sales.schedule.source',
  'sales.schedule.cache_path',
  'sales.receipts.folder',
] as const;

/**
 * Rewrite the relative local paths of a parsed (not yet validated) config to absolute ones under
 * `baseDir`. URLs (rtsp://, https://, file://) and manifest model names are left alone; values of
 * the wrong type are left for validation to report.
 */
export function resolveConfigPaths(raw: unknown, baseDir: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  if (Array.isArray(r.cameras)) for (const cam of r.cameras) resolveAt(cam, 'url', baseDir);
  resolveAt(r.storage, 'path', baseDir);
  resolveAt(r.detector, 'models_dir', baseDir);
  resolveAt(r.detector, 'model', baseDir, looksLikeFile);
  resolveAt(r.tracker, 'reid_model', baseDir, looksLikeFile);
  const sales = r.sales;
  if (sales !== null && typeof sales === 'object' && !Array.isArray(sales)) {
    const s = sales as Record<string, unknown>;
    resolveAt(s.schedule, 'source', baseDir);
    resolveAt(s.schedule, 'cache_path', baseDir);
    resolveAt(s.receipts, 'folder', baseDir);
  }
  return raw;
}

/** Where a store's config lives on an installed box (install.sh, the systemd unit, `setup`). */
export const SYSTEM_CONFIG_PATH = '/etc/floorsense/store.yaml';

/**
 * The one default config path of every command: $FLOORSENSE_CONFIG when set (the service sets
 * it), else /etc/floorsense/store.yaml when it exists (an installed box), else the embedded demo
 * config/demo.yaml of this installation (a checkout).
 */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, systemPath: string = SYSTEM_CONFIG_PATH): string {
  const fromEnv = env.FLOORSENSE_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (existsSync(systemPath)) return systemPath;
  const demo = join(findRepoRoot(), 'config', 'demo.yaml');
  if (!existsSync(demo)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `no --config given, FLOORSENSE_CONFIG is not set, and neither ${systemPath} nor the embedded ${demo} exists`);
  }
  return demo;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
