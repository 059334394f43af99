/**
 * `floorsense config check FILE --live`: what the schema cannot know. Each enabled camera is
 * probed with doctor's camera probe (one code path: reach, codec, picture size, a frame decoded),
 * and every zone polygon point and floor homography image point must lie inside the picture the
 * source decodes to, in source pixels: a polygon drawn on a 1536-wide snapshot of a 768-wide
 * camera would otherwise pass and silently never contain anyone.
 */
import type { CameraConfig, Config } from '../config/schema.js';
import { DEFAULT_TOOLS, type ToolPaths } from '../ingest/tools.js';
import { probeCamera, type DoctorStatus } from './doctor.js';

export interface LiveProblem {
  /** Key path in the config file, e.g. cameras[0].zones[1].polygon[2]. */
  readonly path: string;
  readonly message: string;
}

export interface LiveCamera {
  readonly id: string;
  /** Index in the config's cameras list (disabled cameras keep their index). */
  readonly index: number;
  /** fail on any problem; warn when the source answered nothing to check against (an empty archive folder). */
  readonly status: DoctorStatus;
  /** What the probe saw (credentials redacted by doctor's rows). */
  readonly detail: string;
  readonly fix: string;
  readonly picture?: { readonly width: number; readonly height: number };
  readonly problems: readonly LiveProblem[];
}

export interface LiveReport {
  readonly ok: boolean;
  readonly cameras: readonly LiveCamera[];
}

/**
 * Points of the camera's zones and floor homography outside a width x height picture. The edges
 * themselves are inside: a zone reaching the border of the picture is drawn to x = width.
 */
export function pictureBoundsProblems(cam: CameraConfig, index: number, width: number, height: number): LiveProblem[] {
  const out: LiveProblem[] = [];
  const check = (path: string, what: string, [x, y]: readonly [number, number]): void => {
    const bad = [...(x < 0 || x > width ? [`x=${x}`] : []), ...(y < 0 || y > height ? [`y=${y}`] : [])];
    if (bad.length > 0)
      out.push({ path, message: `${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} outside the ${width}x${height} picture (${what} of camera "${cam.id}")` });
  };
  for (const [z, zn] of cam.zones.entries())
    for (const [i, p] of zn.polygon.entries()) check(`cameras[${index}].zones[${z}].polygon[${i}]`, `zone "${zn.name}"`, p);
  for (const [i, p] of (cam.floor?.image ?? []).entries()) check(`cameras[${index}].floor.image[${i}]`, 'floor homography', p);
  return out;
}

export interface LiveOptions {
  readonly tools?: ToolPaths;
}

export async function checkConfigLive(cfg: Readonly<Config>, opts: LiveOptions = {}): Promise<LiveReport> {
  const tools = opts.tools ?? DEFAULT_TOOLS;
  const enabled = cfg.cameras.map((cam, index) => ({ cam, index })).filter(({ cam }) => cam.enabled);
  const cameras = await Promise.all(
    enabled.map(async ({ cam, index }): Promise<LiveCamera> => {
      // No GOP window: reach and picture size are what a config needs; doctor measures the GOP.
      const { row, picture } = await probeCamera(cfg, cam, tools, 0);
      const problems: LiveProblem[] = [];
      if (row.status === 'fail') problems.push({ path: `cameras[${index}].url`, message: `camera "${cam.id}": ${row.detail}` });
      if (picture) problems.push(...pictureBoundsProblems(cam, index, picture.width, picture.height));
      const status: DoctorStatus = problems.length > 0 ? 'fail' : row.status;
      const pointsNote = picture ? `; ${countPoints(cam)} zone/floor point(s) inside the picture` : '';
      const outside = picture !== undefined && problems.length > 0 && row.status !== 'fail';
      const fix = outside
        ? `zones and floor points are in source pixels: read them off a picture of this camera at ${picture.width}x${picture.height} (the Technician page's snapshot)`
        : row.fix;
      return Object.freeze({
        id: cam.id,
        index,
        status,
        detail: `${row.detail}${status === 'fail' ? '' : pointsNote}`,
        fix,
        ...(picture ? { picture } : {}),
        problems: Object.freeze(problems),
      });
    }),
  );
  return Object.freeze({ ok: cameras.every((c) => c.status !== 'fail'), cameras: Object.freeze(cameras) });
}

function countPoints(cam: CameraConfig): number {
  return cam.zones.reduce((n, z) => n + z.polygon.length, 0) + (cam.floor?.image.length ?? 0);
}

const MARK = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** The report as a technician reads it: one line per camera, then each problem by key path. */
export function formatLiveReport(file: string, storeId: string, r: LiveReport): string {
  const lines = [`${file}: schema ok (store ${storeId}); live check of ${r.cameras.length} enabled camera(s):`];
  const w = Math.max(0, ...r.cameras.map((c) => c.id.length));
  for (const c of r.cameras) {
    const problems = c.problems.filter((p) => !p.path.endsWith('.url'));
    const head = c.problems.length > problems.length ? c.problems[0]!.message.replace(`camera "${c.id}": `, '') : c.detail;
    lines.push(`${MARK[c.status]}  ${c.id.padEnd(w)}  ${head}`);
    for (const p of problems) lines.push(`${' '.repeat(6 + w + 2)}${p.path}: ${p.message}`);
    if (c.fix && c.status !== 'pass') lines.push(`${' '.repeat(6 + w + 2)}fix: ${c.fix}`);
  }
  const n = r.cameras.reduce((k, c) => k + c.problems.length, 0);
  lines.push(r.ok ? `${file}: ok` : `${file}: ${n} problem(s)`);
  return `${lines.join('\n')}\n`;
}
