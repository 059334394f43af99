/**
 * A small raster library for pictures FloorSense produces itself: boxes, ids and trails on video
 * frames, evaluation plots, contact sheets. No native dependencies.
 *
 *   const c = createCanvas(640, 480, WHITE);          // or asCanvas(frame.width, frame.height, frame.data)
 *   drawRect(c, x, y, w, h, colorForId(id), { thickness: 2 });
 *   drawText(c, x, y - 10, `#${id}`, WHITE, { scale: 1, background: BLACK });
 *   drawPolyline(c, trail, colorForId(id));
 *   writeFileSync('out.png', encodePng(c));
 *
 * Canvas = packed RGB24 (same layout as core/frame.ts Frame). Drawing clips at the edges.
 */
export { createCanvas, asCanvas, fill, setPixel, getPixel, WHITE, BLACK, GREY, type Canvas, type Rgb } from './canvas.js';
export { drawLine, drawRect, fillRect, drawPolyline, type StrokeOptions } from './draw.js';
export { drawText, measureText, glyphFor, CELL_WIDTH, CELL_HEIGHT, type TextOptions } from './font.js';
export { colorForId, hsvToRgb } from './palette.js';
export { blit, resizeNearest } from './image.js';
export { encodePng, crc32 } from './png.js';
export { drawZones, ZONE_COLORS, type DrawnZone } from './zones.js';
