/**
 * Store-local dates and times through Intl (no time-zone library). Records carry UTC; the store's
 * zone is used only to say which day something belongs to and to read the schedule.
 */

const formatters = (tz: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function partsAt(fmt: Intl.DateTimeFormat, ms: number): Parts {
  const parts = fmt.formatToParts(new Date(ms));
  const val = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { y: val('year'), mo: val('month'), d: val('day'), h: val('hour'), mi: val('minute'), s: val('second') };
}

/** Offset of the zone from UTC at instant `ms`, in milliseconds (east positive). */
export function zoneOffsetMs(tz: string, ms: number): number {
  const p = partsAt(formatters(tz), ms);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** `YYYY-MM-DD` of instant `ms` in zone `tz`. */
export function localDate(ms: number, tz: string): string {
  const p = partsAt(formatters(tz), ms);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/** `HH:MM:SS` of instant `ms` in zone `tz`. */
export function localTime(ms: number, tz: string): string {
  const p = partsAt(formatters(tz), ms);
  return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/**
 * UTC instant of a local wall-clock time. In a DST gap the time is read with the offset before the
 * gap; in a repeated hour the earlier instant is taken.
 */
export function zonedToUtc(date: string, hhmm: string, tz: string, dayOffset = 0): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d + dayOffset, h, mi, 0);
  let guess = wall - zoneOffsetMs(tz, wall);
  guess = wall - zoneOffsetMs(tz, guess);
  return guess;
}

/** [start, end) of the local day in UTC milliseconds. */
export function localDayBounds(date: string, tz: string): [number, number] {
  return [zonedToUtc(date, '00:00', tz), zonedToUtc(date, '00:00', tz, 1)];
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function isHhMm(s: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  return m !== null && Number(m[1]) <= 24 && Number(m[2]) < 60 && !(Number(m[1]) === 24 && Number(m[2]) !== 0);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISO-8601 with the zone's offset at that instant, e.g. 2025-03-14T10:05:00+01:00. */
export function isoWithOffset(ms: number, tz: string): string {
  const sec = Math.floor(ms / 1000) * 1000;
  const off = zoneOffsetMs(tz, sec);
  const local = new Date(sec + off);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off) / 60000;
  const iso = local.toISOString().slice(0, 19);
  return `${iso}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Whether Intl knows `tz` as a time zone (config validation; the same Intl every helper here uses). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
