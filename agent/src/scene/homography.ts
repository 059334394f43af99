/**
 * Image-to-floor homography from four or more point pairs: normalised DLT solved in the least-squares
 * sense (smallest eigenvector of AᵀA), so extra pairs average out clicking errors.
 * Pure maths; errors are MisuseError(FS_BAD_ARGUMENT) and the config layer adds the key path.
 */
import { MisuseError } from '../core/errors.js';
import type { Point } from './geometry.js';

/** Row-major 3x3. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export interface HomographyFit {
  readonly H: Homography;
  /** Root-mean-square distance between mapped image points and their world points (world units). */
  readonly rmsError: number;
}

export function applyHomography(H: Homography, p: Point): Point {
  const [x, y] = p;
  const w = H[6] * x + H[7] * y + H[8];
  return [(H[0] * x + H[1] * y + H[2]) / w, (H[3] * x + H[4] * y + H[5]) / w];
}

/** Denominator sign tells on which side of the horizon an image point lies. */
function projectiveW(H: Homography, p: Point): number {
  return H[6] * p[0] + H[7] * p[1] + H[8];
}

/** Similarity that moves the centroid to 0 and the mean distance to √2 (Hartley normalisation). */
function normaliser(pts: readonly Point[]): { T: Homography; apply: (p: Point) => Point } {
  let cx = 0;
  let cy = 0;
  for (const [x, y] of pts) {
    cx += x;
    cy += y;
  }
  cx /= pts.length;
  cy /= pts.length;
  let md = 0;
  for (const [x, y] of pts) md += Math.hypot(x - cx, y - cy);
  md /= pts.length;
  const s = md > 0 ? Math.SQRT2 / md : 1;
  return { T: [s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1], apply: (p) => [s * (p[0] - cx), s * (p[1] - cy)] };
}

function mul3(a: readonly number[], b: readonly number[]): Homography {
  const r: number[] = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return r as unknown as Homography;
}

function inv3(m: readonly number[]): number[] | null {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** Cyclic Jacobi eigen-decomposition of a symmetric n x n matrix (n = 9 here). */
export function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  const n = m.length;
  const a = m.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = a.map((r, i) => r[i]!);
  const vectors = values.map((_, j) => v.map((r) => r[j]!));
  return { values, vectors };
}

/**
 * Fit H with world ≈ H · image. Throws when pairs are too few, mismatched, non-finite, degenerate
 * (three of four collinear, repeated points) or when the points straddle the horizon.
 */
export function fitHomography(image: readonly Point[], world: readonly Point[]): HomographyFit {
  if (image.length !== world.length)
    throw new MisuseError('FS_BAD_ARGUMENT', `image has ${image.length} points but world has ${world.length}; give one world point per image point`);
  if (image.length < 4) throw new MisuseError('FS_BAD_ARGUMENT', `need at least 4 point pairs, got ${image.length}`);
  for (const [i, p] of [...image, ...world].entries()) {
    if (!p.every(Number.isFinite)) throw new MisuseError('FS_BAD_ARGUMENT', `point ${i % image.length} is not finite: [${p.join(', ')}]`);
  }
  const ni = normaliser(image);
  const nw = normaliser(world);
  const ata = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  for (let k = 0; k < image.length; k++) {
    const [x, y] = ni.apply(image[k]!);
    const [X, Y] = nw.apply(world[k]!);
    const rows = [
      [-x, -y, -1, 0, 0, 0, X * x, X * y, X],
      [0, 0, 0, -x, -y, -1, Y * x, Y * y, Y],
    ];
    for (const r of rows) for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) ata[i]![j]! += r[i]! * r[j]!;
  }
  const { values, vectors } = symmetricEigen(ata);
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const h = vectors[order[0]![1]]!;
  // A second near-zero eigenvalue means the pairs do not pin down one homography.
  const scale = Math.max(...values.map(Math.abs), 1e-300);
  if (Math.abs(order[1]![0]) / scale < 1e-10)
    throw new MisuseError('FS_BAD_ARGUMENT', 'points are degenerate (repeated or collinear); pick four or more spread-out floor points, no three on a line');
  const twInv = inv3(nw.T);
  if (!twInv) throw new MisuseError('FS_BAD_ARGUMENT', 'world points are all the same point');
  const Hn = mul3(mul3(twInv, h), ni.T);
  const s = Hn[8] !== 0 ? Hn[8] : 1;
  const H = Hn.map((v) => v / s) as unknown as Homography;
  if (inv3(H) === null) throw new MisuseError('FS_BAD_ARGUMENT', 'points are degenerate: the fitted mapping is singular');
  const signs = image.map((p) => Math.sign(projectiveW(H, p)));
  if (signs.some((sg) => sg !== signs[0]))
    throw new MisuseError('FS_BAD_ARGUMENT', 'image points lie on both sides of the horizon; are image and world points paired in the same order?');
  let se = 0;
  for (let k = 0; k < image.length; k++) {
    const [X, Y] = applyHomography(H, image[k]!);
    se += (X - world[k]![0]) ** 2 + (Y - world[k]![1]) ** 2;
  }
  return { H, rmsError: Math.sqrt(se / image.length) };
}

/** Map world to image (for the simulator and for drawing). */
export function invertHomography(H: Homography): Homography {
  const inv = inv3(H);
  if (!inv) throw new MisuseError('FS_BAD_ARGUMENT', 'homography is singular');
  const s = inv[8] !== 0 ? inv[8]! : 1;
  return inv.map((v) => v / s) as unknown as Homography;
}
