/** The API's routes as a table: each a method, a pattern, its accepted query and a thin handler. */
import { MisuseError } from '../core/errors.js';
import {
  CALIBRATION_PAGE_JS,
  I18N_JS,
  MANAGER_PAGE_CSS,
  MANAGER_PAGE_JS,
  STATUS_PAGE_CSS,
  STATUS_PAGE_JS,
  pageHtml,
  uplotScript,
  uplotStyle,
} from '../ui/index.js';
import { HttpError, json, readBody, type Reply } from './http.js';
import { cameraIdParam, dateParam, intParam } from './params.js';
import { CONTENT_TYPE as PROM_TYPE, formatPrometheus } from './prometheus.js';
import type { StatusProvider } from './provider.js';
import { parseReceiptsBody } from './receipt-body.js';
import type { Route } from './router.js';
import { renderSnapshot } from './snapshot.js';
import { statusMetrics } from './status-metrics.js';
import { encodeJpeg } from './jpeg.js';
import type { IncomingMessage } from 'node:http';
import { calibrationIssues } from '../config/edit.js';
import { floorGrid } from '../scene/calibration.js';

export interface RouteDeps {
  readonly provider: StatusProvider;
  readonly nowMs: () => number;
  readonly timeZone: string;
  readonly bodyLimitBytes: number;
  readonly ffmpeg?: string;
  /** Snapshots encoded at once; more get 503 (each is an ffmpeg child on a 2-core box). */
  readonly maxConcurrentSnapshots?: number;
}

/** The page only loads its own script and style; nothing from outside the box. */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const asset = (contentType: string, body: string): Reply => ({ status: 200, contentType, body, headers: { 'content-security-policy': PAGE_CSP } });

export function buildRoutes(d: RouteDeps): Route[] {
  const p = d.provider;
  const maxSnapshots = d.maxConcurrentSnapshots ?? 2;
  // Per server, not per module: two servers in one process do not share the count.
  let snapshotsInFlight = 0;
  return [
    // The store's language goes into <html lang>, so the first paint is already in it.
    { method: 'GET', pattern: '/', handler: async () => asset('text/html; charset=utf-8', pageHtml((await p.days()).locale)) },
    { method: 'GET', pattern: '/ui/i18n.js', handler: async () => asset('text/javascript; charset=utf-8', I18N_JS) },
    { method: 'GET', pattern: '/ui/status.js', handler: async () => asset('text/javascript; charset=utf-8', STATUS_PAGE_JS) },
    { method: 'GET', pattern: '/ui/status.css', handler: async () => asset('text/css; charset=utf-8', STATUS_PAGE_CSS) },
    { method: 'GET', pattern: '/ui/manager.js', handler: async () => asset('text/javascript; charset=utf-8', MANAGER_PAGE_JS) },
    { method: 'GET', pattern: '/ui/calibration.js', handler: async () => asset('text/javascript; charset=utf-8', CALIBRATION_PAGE_JS) },
    { method: 'GET', pattern: '/ui/manager.css', handler: async () => asset('text/css; charset=utf-8', MANAGER_PAGE_CSS) },
    { method: 'GET', pattern: '/ui/uplot.js', handler: async () => asset('text/javascript; charset=utf-8', uplotScript()) },
    { method: 'GET', pattern: '/ui/uplot.css', handler: async () => asset('text/css; charset=utf-8', uplotStyle()) },
    // Browsers ask for it on their own; an empty answer keeps their consoles clean.
    { method: 'GET', pattern: '/favicon.ico', handler: async () => ({ status: 204, contentType: 'image/x-icon', body: '' }) },
    { method: 'GET', pattern: '/health', handler: async () => json({ ok: true, now_ms: d.nowMs() }) },
    { method: 'GET', pattern: '/status', handler: async () => json(await p.status()) },
    {
      method: 'GET',
      pattern: '/metrics',
      handler: async () => ({ status: 200, contentType: PROM_TYPE, body: formatPrometheus(statusMetrics(await p.status())) }),
    },
    {
      method: 'GET',
      pattern: '/api/kpis',
      query: ['date'],
      handler: async ({ query }) => {
        const date = dateParam(query, d.nowMs(), d.timeZone);
        const v = await p.kpis(date);
        return json({
          date,
          report: v.report,
          camera_coverage: v.camera_coverage,
          hourly: v.hourly ?? [],
          timeline: v.timeline ?? [],
          heatmap: v.heatmap ?? null,
          camera_heatmaps: v.camera_heatmaps ?? [],
          source: v.source ?? null,
        });
      },
    },
    { method: 'GET', pattern: '/api/days', handler: async () => json(await p.days()) },
    {
      method: 'GET',
      pattern: '/api/trends',
      query: ['date', 'days'],
      handler: async ({ query }) => {
        const date = dateParam(query, d.nowMs(), d.timeZone);
        return json(await p.trends(date, intParam(query, 'days', 30, 1, 400)));
      },
    },
    {
      method: 'GET',
      pattern: '/api/consultations',
      query: ['date'],
      handler: async ({ query }) => {
        const date = dateParam(query, d.nowMs(), d.timeZone);
        const list = await p.consultations(date);
        return json({
          date,
          consultations: list.map((c) => ({
            seller_id: c.sellerId,
            visit_id: c.visitId,
            start: new Date(c.start).toISOString(),
            end: new Date(c.end).toISOString(),
            duration_s: c.durationS,
          })),
        });
      },
    },
    {
      method: 'GET',
      pattern: '/api/cameras/:id/snapshot',
      // overlay=none: the bare picture, for the calibration editor that draws its own; detail=source
      // (with overlay=none): decoded at the camera's own resolution where a live camera gives one,
      // else the pipeline's frame; t: a cache-buster.
      query: ['overlay', 'detail', 't'],
      handler: async ({ params, query }) => {
        const id = cameraIdParam(params.id);
        const overlay = query.get('overlay') ?? 'all';
        if (overlay !== 'all' && overlay !== 'none') throw new HttpError(400, `parameter overlay "${overlay.slice(0, 20)}" must be all or none`);
        const detail = query.get('detail') ?? 'pipeline';
        if (detail !== 'pipeline' && detail !== 'source') throw new HttpError(400, `parameter detail "${detail.slice(0, 20)}" must be pipeline or source`);
        if (detail === 'source' && overlay !== 'none')
          throw new HttpError(400, 'detail=source is the bare picture: add overlay=none (the boxes are of another moment)');
        if (detail === 'source' && p.sourceStill) {
          const still = await p.sourceStill(id);
          if (still === undefined) throw new HttpError(404, `no camera "${id}"`);
          if (still !== null) return { status: 200, contentType: 'image/jpeg', body: still, headers: { 'x-floorsense-detail': 'source' } };
        }
        if (snapshotsInFlight >= maxSnapshots)
          throw new HttpError(503, `snapshot encoder busy (${maxSnapshots} in progress); retry shortly`, { 'retry-after': '1' });
        snapshotsInFlight++;
        try {
          const snap = await p.snapshot(id);
          if (snap === undefined) throw new HttpError(404, `no camera "${id}"`);
          if (snap === null) throw new HttpError(503, `camera "${id}" has no frame yet`, { 'retry-after': '5' });
          const canvas = renderSnapshot(overlay === 'none' ? { frame: snap.frame, boxes: [] } : snap);
          const jpeg = await encodeJpeg(canvas.width, canvas.height, canvas.data, d.ffmpeg === undefined ? {} : { ffmpeg: d.ffmpeg });
          return { status: 200, contentType: 'image/jpeg', body: jpeg, headers: { 'x-floorsense-detail': 'pipeline' } };
        } finally {
          snapshotsInFlight--;
        }
      },
    },
    {
      method: 'GET',
      pattern: '/api/cameras/:id/calibration',
      handler: async ({ params }) => {
        const id = cameraIdParam(params.id);
        const view = p.calibration ? await p.calibration(id) : undefined;
        if (view === undefined) throw new HttpError(404, `no camera "${id}"`);
        return json(view);
      },
    },
    {
      // Loopback or token only, and behind the Host/Origin guard like every write (auth.ts refuseRequest).
      method: 'PUT',
      pattern: '/api/cameras/:id/calibration',
      handler: async ({ req, params }) => {
        const id = cameraIdParam(params.id);
        const body = parseJson(await jsonBody(req, d.bodyLimitBytes));
        if (!p.saveCalibration) throw new HttpError(404, `no camera "${id}"`);
        try {
          const saved = await p.saveCalibration(id, body);
          if (saved === undefined) throw new HttpError(404, `no camera "${id}"`);
          return json(saved);
        } catch (e) {
          const issues = calibrationIssues(e);
          // Refused: nothing was written. The page lists each key path beside the editor.
          if (issues) return json({ error: (e as Error).message, code: 'FS_CONFIG_INVALID', issues, status: 400 }, 400);
          throw e;
        }
      },
    },
    {
      // The metre grid of point pairs not saved yet: the same fit (scene/homography.ts) the config check and analytics use.
      method: 'POST',
      pattern: '/api/cameras/:id/floor-grid',
      handler: async ({ req, params }) => {
        const id = cameraIdParam(params.id);
        const view = p.calibration ? await p.calibration(id) : undefined;
        if (view === undefined) throw new HttpError(404, `no camera "${id}"`);
        if (view.width === null || view.height === null) throw new HttpError(503, `camera "${id}" has no frame yet`, { 'retry-after': '5' });
        const body = parseJson(await jsonBody(req, d.bodyLimitBytes)) as { image?: unknown; world?: unknown } | null;
        const pts = (v: unknown, what: string): Array<[number, number]> => {
          if (!Array.isArray(v) || !v.every((q) => Array.isArray(q) && q.length === 2 && q.every((n) => typeof n === 'number' && Number.isFinite(n))))
            throw new HttpError(400, `${what}: expected a list of [x, y] number pairs`);
          return v as Array<[number, number]>;
        };
        const image = pts(body?.image, 'image');
        const world = pts(body?.world, 'world');
        try {
          return json(floorGrid(image, world, view.width, view.height));
        } catch (e) {
          if (e instanceof MisuseError) throw new HttpError(400, `floor: ${e.message}`);
          throw e;
        }
      },
    },
    {
      method: 'POST',
      pattern: '/api/receipts',
      handler: async ({ req }) => {
        const receipts = parseReceiptsBody(await jsonBody(req, d.bodyLimitBytes), d.nowMs());
        const outcome = await p.addReceipts(receipts);
        return json({ received: receipts.length, stored: outcome.stored, duplicates: outcome.duplicates }, outcome.stored > 0 ? 201 : 200);
      },
    },
  ];
}

/** The body of a JSON request: 415 for another content type, 413 past the limit. */
async function jsonBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, `content-type must be application/json, got "${type || 'none'}"`);
  return readBody(req, limit);
}

function parseJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `body is not JSON: ${(e as Error).message}`);
  }
}

/** Guards the options once, before anything listens. */
export function checkBodyLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new MisuseError('FS_BAD_ARGUMENT', `API body limit must be a positive integer of bytes, got ${n}`);
  return n;
}
