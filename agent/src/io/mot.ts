/**
 * MOTChallenge CSV: `frame,id,x,y,w,h,conf,x3d,y3d,z3d` — 1-based frames, top-left box in pixels.
 * Used for ground truth, public detections (id -1) and our tracker output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { FailureError } from '../core/errors.js';

export interface MotRow {
  readonly frame: number;
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly conf: number;
}

/** Parse MOT text. A malformed line throws FS_PARSE naming the origin and line number. */
export function parseMot(text: string, origin = 'MOT text'): MotRow[] {
  const rows: MotRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/[,\s]+/);
    if (parts.length < 6) {
      throw new FailureError('FS_PARSE', `${origin}:${i + 1}: expected at least 6 comma-separated values (frame,id,x,y,w,h), got ${parts.length}: "${line}"`, {
        origin,
        line: i + 1,
      });
    }
    const nums = parts.slice(0, 7).map(Number);
    const bad = nums.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new FailureError('FS_PARSE', `${origin}:${i + 1}: value ${bad + 1} ("${parts[bad]}") is not a number`, { origin, line: i + 1 });
    }
    const [frame, id, x, y, w, h, conf] = nums as [number, number, number, number, number, number, number | undefined];
    if (!Number.isInteger(frame) || frame < 1) {
      throw new FailureError('FS_PARSE', `${origin}:${i + 1}: frame "${parts[0]}" must be an integer >= 1`, { origin, line: i + 1 });
    }
    rows.push({ frame, id, x, y, w, h, conf: conf ?? 1 });
  }
  return rows;
}

export function readMotFile(path: string): MotRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path }, { cause: e });
  }
  return parseMot(text, path);
}

/** Format rows as MOT text, sorted by frame then id, boxes to 2 decimals. */
export function formatMot(rows: readonly MotRow[]): string {
  const sorted = [...rows].sort((a, b) => a.frame - b.frame || a.id - b.id);
  return (
    sorted.map((r) => `${r.frame},${r.id},${fix(r.x)},${fix(r.y)},${fix(r.w)},${fix(r.h)},${fix(r.conf, 4)},-1,-1,-1`).join('\n') + (sorted.length ? '\n' : '')
  );
}

export function writeMotFile(path: string, rows: readonly MotRow[]): void {
  writeFileSync(path, formatMot(rows));
}

/** Group rows by frame number. */
export function groupByFrame(rows: readonly MotRow[]): Map<number, MotRow[]> {
  const m = new Map<number, MotRow[]>();
  for (const r of rows) {
    let a = m.get(r.frame);
    if (!a) {
      a = [];
      m.set(r.frame, a);
    }
    a.push(r);
  }
  return m;
}

function fix(v: number, digits = 2): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}
