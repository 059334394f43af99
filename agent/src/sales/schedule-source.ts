/**
 * The shift schedule from where the chain keeps it: a local CSV file, or any http(s) URL serving
 * CSV (a Google Sheets "publish to web" link: .../pub?output=csv). A URL is fetched with a timeout;
 * each good copy is written to a disk cache atomically (temp file + rename), so a store that goes
 * offline keeps the last schedule. Unreachable or unusable source: the cache is used and a warning
 * names the source; no cache either: FailureError FS_REMOTE (URL) or FS_FILE_NOT_FOUND (path).
 */
import { readFile, rename, writeFile, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FailureError } from '../core/errors.js';
import type { RowProblem } from './csv.js';
import { parseScheduleCsv, type Shift } from './schedule.js';

export interface ScheduleSourceOptions {
  /** Local path or http(s) URL. */
  readonly source: string;
  readonly cachePath: string;
  readonly timeoutMs: number;
  readonly timeZone: string;
  /** Injected for tests of exotic transports; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface ScheduleLoad {
  readonly shifts: readonly Shift[];
  /** Bad rows, each with the file or URL and line. */
  readonly problems: readonly RowProblem[];
  /** 'source' when read from the source now, 'cache' when the cached copy was used. */
  readonly from: 'source' | 'cache';
  /** Why the cache was used, naming the source; empty when the source was read. */
  readonly warnings: readonly string[];
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Read the source as text, or throw a FailureError that names it. */
export async function readScheduleSource(o: Pick<ScheduleSourceOptions, 'source' | 'timeoutMs' | 'fetch'>): Promise<string> {
  if (!isUrl(o.source)) {
    try {
      return await readFile(o.source, 'utf8');
    } catch (e) {
      throw new FailureError('FS_FILE_NOT_FOUND', `schedule file ${o.source} cannot be read: ${reason(e)}`, { source: o.source }, { cause: e });
    }
  }
  const doFetch = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(o.source, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    throw new FailureError(
      'FS_REMOTE',
      `schedule URL ${o.source} is unreachable: ${timedOut ? `no answer in ${o.timeoutMs / 1000} s` : reason(e)}`,
      { source: o.source },
      { cause: e },
    );
  }
  let body: string;
  try {
    body = await res.text();
  } catch (e) {
    throw new FailureError('FS_REMOTE', `schedule URL ${o.source}: the answer broke off: ${reason(e)}`, { source: o.source }, { cause: e });
  }
  if (!res.ok)
    throw new FailureError(
      'FS_REMOTE',
      `schedule URL ${o.source} answered HTTP ${res.status}${res.status === 404 ? ' (is the sheet still published to the web as CSV?)' : ''}`,
      { source: o.source, status: res.status },
    );
  return body;
}

/** Write `text` to `path` so that a reader sees the old or the new file, never half of one. */
export async function writeAtomic(path: string, text: string, tag: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${tag}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new FailureError('FS_OUTPUT', `schedule cache ${path} cannot be written: ${reason(e)}`, { path }, { cause: e });
  }
}

/** A whole-file problem means the text is not a schedule at all (an HTML sign-in page, say). */
function unusable(problems: readonly RowProblem[]): RowProblem | null {
  return problems.find((p) => p.scope === 'file') ?? null;
}

/**
 * Load the schedule: the source if it answers with a usable CSV (then cached), else the cache
 * with a warning naming the source. `tag` makes the temp file name unique per writer.
 */
export async function loadSchedule(o: ScheduleSourceOptions, tag = String(process.pid)): Promise<ScheduleLoad> {
  let failure: string;
  try {
    const text = await readScheduleSource(o);
    const parsed = parseScheduleCsv(text, o.source, o.timeZone);
    const bad = unusable(parsed.problems);
    if (!bad) {
      await writeAtomic(o.cachePath, text, tag);
      return { shifts: parsed.rows, problems: parsed.problems, from: 'source', warnings: [] };
    }
    failure = `schedule ${o.source} is not a schedule CSV (line ${bad.line}: ${bad.message})`;
  } catch (e) {
    if (!(e instanceof FailureError) || e.code === 'FS_OUTPUT') throw e;
    failure = e.message;
  }
  let cached: string;
  try {
    cached = await readFile(o.cachePath, 'utf8');
  } catch {
    const code = isUrl(o.source) ? 'FS_REMOTE' : 'FS_FILE_NOT_FOUND';
    throw new FailureError(code, `${failure}; and there is no cached copy at ${o.cachePath} yet, so no shift schedule is known`, {
      source: o.source,
      cache: o.cachePath,
    });
  }
  const parsed = parseScheduleCsv(cached, o.cachePath, o.timeZone);
  return { shifts: parsed.rows, problems: parsed.problems, from: 'cache', warnings: [`${failure}; using the cached copy ${o.cachePath}`] };
}

function reason(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}
