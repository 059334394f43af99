/** Query and path parameter parsing; every refusal names the parameter and the expected form. */
import { isIsoDate, localDate } from '../core/local-time.js';
import { HttpError } from './http.js';

/** `date` as YYYY-MM-DD (a real calendar day); absent means today in the store's zone. */
export function dateParam(query: URLSearchParams, nowMs: number, timeZone: string): string {
  const v = query.get('date');
  if (v === null) return localDate(nowMs, timeZone);
  if (query.getAll('date').length > 1) throw new HttpError(400, 'parameter date given more than once');
  if (!isIsoDate(v)) throw new HttpError(400, `parameter date "${v.slice(0, 40)}" is not a calendar date YYYY-MM-DD`);
  return v;
}

const CAMERA_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export function cameraIdParam(v: string | undefined): string {
  if (v === undefined || !CAMERA_ID.test(v)) throw new HttpError(400, `parameter id "${(v ?? '').slice(0, 70)}" is not a camera id (letters, digits, _ . -)`);
  return v;
}

/** An integer query parameter within [min, max]; absent means `fallback`. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const v = query.get(name);
  if (v === null) return fallback;
  if (query.getAll(name).length > 1) throw new HttpError(400, `parameter ${name} given more than once`);
  const n = Number(v);
  if (!/^[0-9]{1,6}$/.test(v) || n < min || n > max) throw new HttpError(400, `parameter ${name} "${v.slice(0, 20)}" must be an integer from ${min} to ${max}`);
  return n;
}
