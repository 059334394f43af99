/** The chain dashboard, `floorsense hq`: central views in, one page out. */
export { startHqServer, hqRoutes, type HqServerOptions } from './server.js';
export { chainReader, type ChainReader, type ChainView, type ChainSpan, type ChainTrends } from './service.js';
export {
  checkRange,
  checkDatabase,
  per,
  storeKpis,
  sellerKpis,
  coverageOf,
  chainSql,
  STORE_KPIS,
  COVERAGE_WARN_BELOW,
  MAX_RANGE_DAYS,
  type DateRange,
  type StoreKpis,
  type SellerKpis,
  type CameraGap,
} from './chain.js';
export { HQ_MESSAGES } from './i18n.js';
export { HQ_PAGE_JS } from './script.js';
export { hqPageHtml, HQ_PAGE_CSS } from './page.js';
