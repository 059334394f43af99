/**
 * The error registry: each code bound to one kind and one HTTP status; the classes take only codes
 * of their kind; HttpError is one more coded error; every code the sources use is registered and
 * every registered code is used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../agent/src/api/http.js';
import { ERROR_CODES, FailureError, FloorSenseError, MisuseError, type ErrorCode, type FailureCode, type MisuseCode } from '../../agent/src/core/errors.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('error registry', () => {
  it.each(codes)('%s: a kind, a status of that kind (misuse 4xx, failure 5xx) and a description', (code) => {
    const spec = ERROR_CODES[code];
    expect(['misuse', 'failure']).toContain(spec.kind);
    expect(spec.kind === 'misuse' ? spec.status >= 400 && spec.status < 500 : spec.status >= 500 && spec.status < 600).toBe(true);
    expect(spec.description.length).toBeGreaterThan(10);
    const e = spec.kind === 'misuse' ? new MisuseError(code as MisuseCode, 'm') : new FailureError(code as FailureCode, 'm');
    expect(e).toBeInstanceOf(spec.kind === 'misuse' ? MisuseError : FailureError);
    expect(e).toMatchObject({ code, kind: spec.kind, status: spec.status, message: 'm' });
  });

  it('a class refuses a code of the other kind (the compiler does, and so does the run time for a cast)', () => {
    // @ts-expect-error FS_DB is a failure code
    expect(() => new MisuseError('FS_DB', 'x')).toThrow(/^MisuseError: FS_DB is a failure code \(core\/errors\.ts\); use FailureError$/);
    expect(() => new FailureError('FS_BAD_ARGUMENT' as FailureCode, 'x')).toThrow(/^FailureError: FS_BAD_ARGUMENT is a misuse code .*use MisuseError$/);
    expect(() => new FailureError('FS_NOPE' as FailureCode, 'x')).toThrow(/^unknown error code "FS_NOPE"; known: FS_CONFIG_INVALID, /);
  });

  it.each<[400 | 401 | 403 | 404 | 405 | 413 | 415 | 421 | 503, ErrorCode, 'misuse' | 'failure']>([
    [400, 'FS_HTTP_BAD_REQUEST', 'misuse'],
    [401, 'FS_HTTP_UNAUTHORIZED', 'misuse'],
    [403, 'FS_HTTP_FORBIDDEN', 'misuse'],
    [404, 'FS_HTTP_NOT_FOUND', 'misuse'],
    [405, 'FS_HTTP_METHOD', 'misuse'],
    [413, 'FS_HTTP_TOO_LARGE', 'misuse'],
    [415, 'FS_HTTP_MEDIA_TYPE', 'misuse'],
    [421, 'FS_HTTP_MISDIRECTED', 'misuse'],
    [503, 'FS_HTTP_BUSY', 'failure'],
  ])('HttpError %i is %s, a %s', (status, code, kind) => {
    const e = new HttpError(status, 'why', { 'retry-after': '1' });
    expect(e).toBeInstanceOf(FloorSenseError);
    expect(e).toMatchObject({ status, code, kind, name: 'HttpError', message: 'why', headers: { 'retry-after': '1' } });
    expect(ERROR_CODES[code].status).toBe(status);
  });

  it("README's error code table is the registry, row for row", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(FS_[A-Z_]+)` \| (misuse|failure) \| (\d{3}) \| (.+) \|$/gm)].map((m) => [m[1], m[2], Number(m[3]), m[4]]);
    expect(rows).toEqual(codes.map((c) => [c, ERROR_CODES[c].kind, ERROR_CODES[c].status, ERROR_CODES[c].description]));
  });

  it('every code the sources name is registered, and every registered code is used', () => {
    const used = new Set<string>();
    for (const f of sources(join(REPO_ROOT, 'agent/src'))) {
      if (f.endsWith(join('core', 'errors.ts'))) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/'(FS_[A-Z_]+)'/g)) used.add(m[1]!);
    }
    expect([...used].filter((c) => !(c in ERROR_CODES)).sort()).toEqual([]);
    expect(codes.filter((c) => !used.has(c))).toEqual([]);
  });
});
