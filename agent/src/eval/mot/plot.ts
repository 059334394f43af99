/**
 * Trajectory plot for `eval mot --plot`: for each sequence two panels sharing the frame axis,
 * ground truth above and the tracker below, y = box centre x in pixels, one colour per id.
 * Failures are marked where they happen so a person can find them in the video:
 *   - GT panel: a red cross on every ground-truth box the tracker missed;
 *   - tracker panel: grey squares on false positives;
 *   - both panels: a magenta vertical line at each ID switch.
 */
import type { MotRow } from '../../io/mot.js';
import { blit, createCanvas, colorForId, drawLine, drawRect, drawText, fillRect, measureText, WHITE, type Canvas, type Rgb } from '../../render/index.js';
import { clearEvents } from './clear.js';
import { checkStride, framesFromRows, strideRows } from './frames.js';
import type { MotMetrics } from './metrics.js';

export interface PlotSequence {
  readonly name: string;
  readonly gt: readonly MotRow[];
  readonly pred: readonly MotRow[];
  /** Shown in the title when given. */
  readonly metrics?: MotMetrics;
}

export interface PlotOptions {
  readonly stride?: number;
  readonly iouThreshold?: number;
  /** Image width in pixels. Default 1400. */
  readonly width?: number;
  /** Height of one sequence's block in pixels. Default 900. */
  readonly heightPerSequence?: number;
}

const INK: Rgb = [30, 30, 30];
const AXIS: Rgb = [120, 120, 120];
const GRID: Rgb = [232, 232, 232];
const MISS: Rgb = [220, 0, 0];
const FALSE_POS: Rgb = [150, 150, 150];
const SWITCH: Rgb = [200, 0, 200];
const TEXT = 2; // font scale for labels

/** Render all sequences stacked vertically. */
export function plotTrajectories(seqs: readonly PlotSequence[], opts: PlotOptions = {}): Canvas {
  const width = opts.width ?? 1400;
  const h = opts.heightPerSequence ?? 900;
  const out = createCanvas(width, h * Math.max(1, seqs.length), WHITE);
  seqs.forEach((s, i) => {
    blit(out, plotSequence(s, width, h, opts), 0, i * h);
  });
  return out;
}

interface Pt {
  frame: number;
  cx: number;
}

function plotSequence(seq: PlotSequence, width: number, height: number, opts: PlotOptions): Canvas {
  const stride = checkStride(opts.stride);
  const c = createCanvas(width, height, WHITE);
  const gt = strideRows(seq.gt, stride);
  const pred = strideRows(seq.pred, stride);
  const events = clearEvents(framesFromRows(gt, pred), opts.iouThreshold ?? 0.5);

  const missed = new Set<string>();
  const falsePos = new Set<string>();
  const switchFrames: number[] = [];
  for (const e of events) {
    for (const g of e.missedGtIds) missed.add(`${e.frame}:${g}`);
    for (const p of e.falsePredIds) falsePos.add(`${e.frame}:${p}`);
    if (e.matches.some((m) => m.isSwitch)) switchFrames.push(e.frame);
  }

  const all = [...gt, ...pred];
  const frames = all.map((r) => r.frame);
  const xs = all.map((r) => r.x + r.w / 2);
  const f0 = frames.length ? Math.min(...frames) : 1;
  const f1 = frames.length ? Math.max(...frames, f0 + 1) : 2;
  const pad = xs.length ? Math.max(1, (Math.max(...xs) - Math.min(...xs)) * 0.05) : 1;
  const y0 = xs.length ? Math.min(...xs) - pad : 0;
  const y1 = xs.length ? Math.max(...xs) + pad : 1;

  // Title with the headline metrics.
  const m = seq.metrics;
  const title = m
    ? `${seq.name}  MOTA ${m.MOTA.toFixed(3)}  IDF1 ${m.IDF1.toFixed(3)}  HOTA ${m.HOTA.toFixed(3)}  IDSW ${m.IDSW}  FP ${m.FP}  FN ${m.FN}`
    : seq.name;
  drawText(c, 16, 12, title + (stride > 1 ? `  (STRIDE ${stride})` : ''), INK, { scale: TEXT });

  const left = 110;
  const right = width - 24;
  const top = 50;
  const legendH = 70;
  const gap = 56;
  const panelH = Math.floor((height - top - legendH - gap - 40) / 2);
  const panels = [
    { label: `GROUND TRUTH: ${new Set(gt.map((r) => r.id)).size} IDS`, rows: gt, top, isGt: true },
    { label: `TRACKER: ${new Set(pred.map((r) => r.id)).size} IDS`, rows: pred, top: top + panelH + gap, isGt: false },
  ];
  const fx = (f: number): number => left + ((f - f0) / (f1 - f0)) * (right - left);

  for (const p of panels) {
    const bottom = p.top + panelH;
    const fy = (v: number): number => bottom - ((v - y0) / (y1 - y0)) * panelH;
    drawAxes(c, { left, right, top: p.top, bottom }, [f0, f1], [y0, y1], fx, fy);
    drawText(c, left + 8, p.top + 6, p.label, INK, { scale: TEXT, background: WHITE });
    for (const sf of switchFrames) drawDashedV(c, fx(sf), p.top, bottom, SWITCH);

    const byId = new Map<number, Pt[]>();
    for (const r of p.rows) {
      const a = byId.get(r.id);
      const pt = { frame: r.frame, cx: r.x + r.w / 2 };
      if (a) a.push(pt);
      else byId.set(r.id, [pt]);
    }
    for (const [id, pts] of [...byId.entries()].sort((a, b) => a[0] - b[0])) {
      pts.sort((a, b) => a.frame - b.frame);
      const col = colorForId(id);
      for (let i = 1; i < pts.length; i++) {
        // Break the line where the id is absent, so gaps in a track stay visible.
        if (pts[i]!.frame - pts[i - 1]!.frame > stride) continue;
        drawLine(c, fx(pts[i - 1]!.frame), fy(pts[i - 1]!.cx), fx(pts[i]!.frame), fy(pts[i]!.cx), col, { thickness: 2 });
      }
      for (const pt of pts) {
        const x = fx(pt.frame);
        const y = fy(pt.cx);
        const key = `${pt.frame}:${id}`;
        if (p.isGt && missed.has(key)) {
          drawLine(c, x - 5, y - 5, x + 5, y + 5, MISS, { thickness: 2 });
          drawLine(c, x - 5, y + 5, x + 5, y - 5, MISS, { thickness: 2 });
        } else if (!p.isGt && falsePos.has(key)) {
          fillRect(c, x - 4, y - 4, 9, 9, FALSE_POS);
        } else {
          fillRect(c, x - 2, y - 2, 5, 5, col);
        }
      }
      // Label at the middle of the track: track starts crowd at the first frame.
      const mid = pts[Math.floor(pts.length / 2)]!;
      drawText(c, fx(mid.frame) + 4, fy(mid.cx) - 20, `${p.isGt ? 'G' : 'T'}${id}`, col, { scale: TEXT, background: WHITE });
    }
  }

  const ly = top + 2 * panelH + gap + 44;
  drawText(c, left, ly, 'X: FRAME   Y: BOX CENTRE X (PX)   ONE COLOUR PER ID', INK, { scale: TEXT });
  let lx = left;
  const item = (draw: (x: number, y: number) => void, text: string): void => {
    draw(lx + 6, ly + 30);
    drawText(c, lx + 18, ly + 24, text, INK, { scale: TEXT });
    lx += 18 + measureText(text, TEXT).width + 30;
  };
  item((x, y) => {
    drawLine(c, x - 5, y - 5, x + 5, y + 5, MISS, { thickness: 2 });
    drawLine(c, x - 5, y + 5, x + 5, y - 5, MISS, { thickness: 2 });
  }, 'MISSED GT');
  item((x, y) => fillRect(c, x - 4, y - 4, 9, 9, FALSE_POS), 'FALSE POSITIVE');
  item((x, y) => drawDashedV(c, x, y - 8, y + 8, SWITCH), 'ID SWITCH');
  return c;
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function drawAxes(c: Canvas, b: Box, xr: [number, number], yr: [number, number], fx: (v: number) => number, fy: (v: number) => number): void {
  for (const v of ticks(yr[0], yr[1], 6)) {
    const y = fy(v);
    drawLine(c, b.left, y, b.right, y, GRID);
    const label = String(Math.round(v));
    drawText(c, b.left - 10 - measureText(label, TEXT).width, y - 7, label, INK, { scale: TEXT });
  }
  for (const v of ticks(xr[0], xr[1], 12)) {
    const x = fx(v);
    drawLine(c, x, b.top, x, b.bottom, GRID);
    const label = String(Math.round(v));
    drawText(c, x - measureText(label, TEXT).width / 2, b.bottom + 8, label, INK, { scale: TEXT });
  }
  drawRect(c, b.left, b.top, b.right - b.left + 1, b.bottom - b.top + 1, AXIS);
}

function drawDashedV(c: Canvas, x: number, y0: number, y1: number, col: Rgb): void {
  for (let y = y0; y < y1; y += 10) drawLine(c, x, y, x, Math.min(y + 5, y1), col, { thickness: 2 });
}

/** Round tick values (1, 2, 5 x 10^k steps) covering [lo, hi]. */
export function ticks(lo: number, hi: number, target: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  // Multiply rather than accumulate, so long axes do not drift.
  for (let k = Math.ceil(lo / step); k * step <= hi + 1e-9 * step; k++) out.push(k * step);
  return out;
}
