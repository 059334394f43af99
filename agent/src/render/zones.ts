/**
 * Zones drawn over a camera picture: outline in the kind's colour and the name, the same on the
 * API snapshot and on analyze's preview.png (the page's editor takes the colours from the API).
 */
import type { ZoneKind } from '../config/sections/zones.js';
import { BLACK, type Canvas, type Rgb } from './canvas.js';
import { drawPolyline } from './draw.js';
import { drawText } from './font.js';

export const ZONE_COLORS: Readonly<Record<ZoneKind, Rgb>> = {
  staff: [230, 60, 200],
  floor: [60, 200, 90],
  till: [250, 190, 30],
  entrance: [40, 170, 250],
};

export interface DrawnZone {
  readonly name: string;
  readonly kind: ZoneKind;
  /** Source pixels. */
  readonly polygon: ReadonlyArray<readonly [number, number]>;
}

/** `scale`: canvas pixels per source pixel (1 on a source-size snapshot, less on a preview tile). */
export function drawZones(c: Canvas, zones: readonly DrawnZone[], scale = 1): void {
  for (const z of zones) {
    if (z.polygon.length < 2) continue;
    const color = ZONE_COLORS[z.kind];
    const pts = z.polygon.map(([x, y]) => [x * scale, y * scale] as const);
    drawPolyline(c, [...pts, pts[0]!], color, { thickness: 2 });
    drawText(c, pts[0]![0] + 3, pts[0]![1] + 3, scale < 1 ? z.name : `${z.name} (${z.kind})`, BLACK, { background: color });
  }
}
