/**
 * The agent's local HTTP API and status page (node:http, no framework). The agent implements
 * `StatusProvider` (plain data getters); the server does auth, routing, validation and encoding.
 */
export { startApiServer, serveRoutes, type ApiServer, type ApiServerOptions, type RouteServerOptions } from './server.js';
export type {
  StatusProvider,
  AgentStatus,
  CameraStatus,
  StatusWarning,
  WarningSource,
  KpisView,
  DaysView,
  TrendsView,
  TrendPoint,
  Snapshot,
  SnapshotBox,
  CalibrationSetup,
  CalibrationView,
  CalibrationSaved,
  ReceiptsOutcome,
  MaybePromise,
} from './provider.js';
export { isLoopbackHost, tokenMatches, presentedToken, tokenCookie, TOKEN_COOKIE } from './auth.js';
export {
  formatPrometheus,
  escapeLabelValue,
  escapeHelp,
  CONTENT_TYPE as PROMETHEUS_CONTENT_TYPE,
  type MetricFamily,
  type Sample,
  type MetricType,
} from './prometheus.js';
export { statusMetrics } from './status-metrics.js';
export { renderSnapshot, ZONE_COLORS } from './snapshot.js';
export { encodeJpeg, jpegArgv } from './jpeg.js';
export { parseReceiptsBody, receiptsBody, MAX_RECEIPTS_PER_REQUEST } from './receipt-body.js';
export { cameraStatusOf, cameraWarnings, driftWarnings, boxStatusWarnings, type CameraCounters } from './status-parts.js';
