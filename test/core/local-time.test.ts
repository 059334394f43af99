import { describe, expect, it } from 'vitest';
import { isoWithOffset, isValidTimeZone, localDate, localDayBounds, zonedToUtc } from '../../agent/src/core/local-time.js';

describe('local time through Intl', () => {
  it.each<[string, string, string, string]>([
    ['Berlin summer', '2025-07-01', '10:00', '2025-07-01T08:00:00.000Z'],
    ['Berlin winter', '2025-01-15', '10:00', '2025-01-15T09:00:00.000Z'],
    ['Moscow', '2025-04-08', '00:00', '2025-04-07T21:00:00.000Z'],
    ['New York', '2025-04-08', '23:30', '2025-04-09T03:30:00.000Z'],
  ])('%s', (_n, date, hhmm, want) => {
    const tz = _n.startsWith('Berlin') ? 'Europe/Berlin' : _n === 'Moscow' ? 'Europe/Moscow' : 'America/New_York';
    expect(new Date(zonedToUtc(date, hhmm, tz)).toISOString()).toBe(want);
  });
  it('a DST day is 23 hours long and dates follow the zone', () => {
    const [a, b] = localDayBounds('2025-03-30', 'Europe/Berlin');
    expect((b - a) / 3600_000).toBe(23);
    expect(localDate(Date.UTC(2025, 3, 7, 22, 30), 'Europe/Berlin')).toBe('2025-04-08');
    expect(localDate(Date.UTC(2025, 3, 7, 22, 30), 'UTC')).toBe('2025-04-07');
    expect(isoWithOffset(Date.UTC(2025, 3, 8, 8, 5, 0), 'Europe/Berlin')).toBe('2025-04-08T10:05:00+02:00');
  });
  it('knows IANA zones and refuses anything else (store.timezone)', () => {
    expect(isValidTimeZone('Europe/Moscow')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('+03:00 Moscow')).toBe(false);
  });
});
