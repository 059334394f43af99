/**
 * When an archive file starts, in UTC ms. In order of trust:
 *   1. the container's creation_time tag (NVRs and Ivideon write it in UTC);
 *   2. a timestamp in the file name, read in the store's time zone (NVR exports name files by
 *      local wall time): 20261120_090000, 20261120090000, 2026-11-20T09-00-00, 2026-11-20_09.00.00,
 *      2026-11-20 09:00:00 (the first match in the name wins);
 *   3. the file's modification time (the export finished then, so this is a poor guess: it is the
 *      END of the recording; used only so nothing is dropped, and logged as a warning).
 * Pure: the caller supplies the probe result, the name and the mtime.
 */
import { zonedToUtc } from '../core/local-time.js';

export type FileTimeOrigin = 'creation-time' | 'file-name' | 'mtime';

export interface FileStart {
  readonly startMs: number;
  readonly origin: FileTimeOrigin;
}

// Year 2000-2099, month, day, then hours, minutes, seconds; separators optional but consistent
// enough for the patterns above. Digits are not allowed directly around the match (no partial ids).
const NAME_PATTERN = /(?<!\d)(20\d{2})[-_.]?(\d{2})[-_.]?(\d{2})[T_ .-]?(\d{2})[-_.:h]?(\d{2})[-_.:m]?(\d{2})(?!\d)/;

/** Local wall time in a file name, as UTC ms in `timeZone`; null when the name has none. */
export function timestampFromFileName(name: string, timeZone: string): number | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = `${String(y)}-${pad(mo)}-${pad(d)}`;
  // Reject 2026-02-31 and the like: the date must survive a round trip.
  if (new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
  return zonedToUtc(date, `${pad(h)}:${pad(mi)}`, timeZone) + s * 1000;
}

export function fileStartTime(
  f: { readonly creationTimeMs: number | undefined; readonly name: string; readonly mtimeMs: number },
  timeZone: string,
): FileStart {
  if (f.creationTimeMs !== undefined && f.creationTimeMs > 0) return { startMs: f.creationTimeMs, origin: 'creation-time' };
  const fromName = timestampFromFileName(f.name, timeZone);
  if (fromName !== null) return { startMs: fromName, origin: 'file-name' };
  return { startMs: Math.round(f.mtimeMs), origin: 'mtime' };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
