/** The page assets, as strings compiled into the agent (so dist/ needs no extra files) plus uPlot from its package. */
export { STATUS_PAGE_HTML, pageHtml } from './status-page.js';
export { STATUS_PAGE_CSS } from './status-style.js';
export { STATUS_PAGE_JS } from './status-script.js';
export { MANAGER_PAGE_JS } from './manager-script.js';
export { CALIBRATION_PAGE_JS } from './calibration-script.js';
export { MANAGER_PAGE_CSS } from './manager-style.js';
export { I18N_JS, i18nScript, MESSAGES, LOCALES, type Locale, type MessageKey } from './i18n.js';
export { uplotScript, uplotStyle } from './uplot.js';
