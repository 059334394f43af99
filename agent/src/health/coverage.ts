/**
 * Camera coverage of a store day: the share of the day's opening hours the camera was up. This is
 * the figure KPIs state beside their numbers ("counted over 83% of opening hours on camera hall").
 */
import { cameraCoverage, type CameraHealth } from './camera-state.js';
import { openingIntervalOn, type OpeningHours } from './opening-hours.js';

/**
 * Coverage of the opening hours of store-local `date`, up to `nowMs` for the day in progress.
 * null when the shop is closed that day or has not opened yet.
 */
export function openingHoursCoverage(h: CameraHealth, date: string, hours: OpeningHours, timeZone: string, nowMs: number): number | null {
  const iv = openingIntervalOn(date, hours, timeZone);
  return iv ? cameraCoverage(h, iv[0], iv[1], nowMs) : null;
}
