/**
 * Opening hours in store time. "Pointing at nothing" only means something while the shop is open,
 * and camera coverage for KPIs is measured over the hours the shop trades.
 */
import { localDate, zonedToUtc } from '../core/local-time.js';

export interface OpeningHours {
  /** HH:MM store time; the shop opens and closes on the same local day. */
  readonly open: string;
  readonly close: string;
  /** ISO weekdays the shop is open: 1 = Monday ... 7 = Sunday. */
  readonly days: readonly number[];
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a `YYYY-MM-DD` date; calendar only, no zone. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** [open, close) in UTC milliseconds on a store-local date, or null when the shop is closed that day. */
export function openingIntervalOn(date: string, hours: OpeningHours, timeZone: string): [number, number] | null {
  if (!hours.days.includes(isoWeekday(date))) return null;
  const start = zonedToUtc(date, hours.open, timeZone);
  const end = zonedToUtc(date, hours.close, timeZone);
  return end > start ? [start, end] : null;
}

/** The opening interval that contains instant `ms`, or null when the shop is closed then. */
export function openingIntervalAt(ms: number, hours: OpeningHours, timeZone: string): [number, number] | null {
  const iv = openingIntervalOn(localDate(ms, timeZone), hours, timeZone);
  return iv && ms >= iv[0] && ms < iv[1] ? iv : null;
}
