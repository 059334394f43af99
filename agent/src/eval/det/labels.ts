/**
 * YOLO-format label files: one object per line, `class cx cy w h`, coordinates normalised to the
 * image size (0..1), as Ultralytics datasets ship them. A missing label file means "no objects"
 * (Ultralytics' background images); a malformed line is an FS_PARSE error naming file:line.
 */
import { readFileSync } from 'node:fs';
import { FailureError } from '../../core/errors.js';

export interface YoloLabel {
  readonly cls: number;
  readonly cx: number;
  readonly cy: number;
  readonly w: number;
  readonly h: number;
}

export function parseYoloLabels(text: string, origin = 'YOLO labels'): YoloLabel[] {
  const out: YoloLabel[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${origin}:${i + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 5) {
      // 5+ values with an odd tail are segmentation polygons: not a detection label.
      throw new FailureError('FS_PARSE', `${where}: expected 5 values "class cx cy w h", got ${parts.length}: "${line}"`, { origin, line: i + 1 });
    }
    const nums = parts.map(Number);
    const bad = nums.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new FailureError('FS_PARSE', `${where}: value ${bad + 1} ("${parts[bad]}") is not a number`, { origin, line: i + 1 });
    const [cls, cx, cy, w, h] = nums as [number, number, number, number, number];
    if (!Number.isInteger(cls) || cls < 0) throw new FailureError('FS_PARSE', `${where}: class "${parts[0]}" must be an integer >= 0`, { origin, line: i + 1 });
    const coords = { cx, cy, w, h };
    for (const [k, v] of Object.entries(coords)) {
      if (v < 0 || v > 1) {
        throw new FailureError('FS_PARSE', `${where}: ${k} = ${v} is outside 0..1 (YOLO labels are normalised to the image size)`, { origin, line: i + 1 });
      }
    }
    out.push({ cls, cx, cy, w, h });
  }
  return out;
}

/** Read one label file; a missing file is an image without objects. */
export function readYoloLabelFile(path: string): YoloLabel[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return [];
    throw new FailureError('FS_FILE_NOT_FOUND', `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { path }, { cause: e });
  }
  return parseYoloLabels(text, path);
}

/** Normalised centre boxes to [x1, y1, x2, y2] in pixels of a width x height image. */
export function labelToXyxy(l: YoloLabel, width: number, height: number): [number, number, number, number] {
  return [(l.cx - l.w / 2) * width, (l.cy - l.h / 2) * height, (l.cx + l.w / 2) * width, (l.cy + l.h / 2) * height];
}
