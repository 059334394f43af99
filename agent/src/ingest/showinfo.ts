/**
 * Parsing the stderr lines of the two showinfo filters (see argv.ts decodeFilterGraph). Pure.
 * Timestamps are computed from the integer pts and the link's time base, because showinfo prints
 * pts_time with 6 significant digits only (a 12 h file would lose whole seconds).
 */
import { SHOWINFO_DECODED, SHOWINFO_OUTPUT } from './argv.js';

export type ShowinfoTap = 'decoded' | 'output';

export type ShowinfoEvent =
  | { readonly kind: 'timebase'; readonly tap: ShowinfoTap; readonly num: number; readonly den: number }
  | { readonly kind: 'frame'; readonly tap: ShowinfoTap; readonly n: number; readonly pts: number | undefined; readonly ptsTime: number | undefined };

const PREFIX = /^\[(showinfo@\w+) @ 0x[0-9a-fA-F]+\]\s*(.*)$/;
const TIMEBASE = /^config in time_base:\s*(\d+)\/(\d+)/;
const FRAME = /^n:\s*(\d+)\s+pts:\s*(\S+)\s+pts_time:(\S+)/;

/** The filter a line belongs to, or undefined for lines from anything else. */
export function showinfoTap(line: string): ShowinfoTap | undefined {
  const m = PREFIX.exec(line);
  if (!m) return undefined;
  return m[1] === SHOWINFO_DECODED ? 'decoded' : m[1] === SHOWINFO_OUTPUT ? 'output' : undefined;
}

export function parseShowinfoLine(line: string): ShowinfoEvent | undefined {
  const m = PREFIX.exec(line);
  const tap = m ? showinfoTap(line) : undefined;
  if (!m || tap === undefined) return undefined;
  const body = m[2]!;
  const tb = TIMEBASE.exec(body);
  if (tb) return { kind: 'timebase', tap, num: Number(tb[1]), den: Number(tb[2]) };
  const f = FRAME.exec(body);
  if (!f) return undefined;
  const pts = /^-?\d+$/.test(f[2]!) ? Number(f[2]) : undefined;
  const ptsTime = Number.isFinite(Number(f[3])) ? Number(f[3]) : undefined;
  return { kind: 'frame', tap, n: Number(f[1]), pts, ptsTime };
}

/**
 * Seconds for a frame event: pts x time base when both are known and agree with the printed
 * pts_time to its printed precision, else the printed pts_time.
 */
export function eventSeconds(ev: { pts: number | undefined; ptsTime: number | undefined }, tb: { num: number; den: number } | undefined): number | undefined {
  if (ev.pts !== undefined && tb !== undefined && tb.den > 0) {
    const exact = (ev.pts * tb.num) / tb.den;
    if (ev.ptsTime === undefined || Math.abs(exact - ev.ptsTime) <= Math.abs(ev.ptsTime) * 1e-5 + 1e-5) return exact;
  }
  return ev.ptsTime;
}
