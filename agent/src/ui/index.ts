/** The status page assets, as strings compiled into the agent (so dist/ needs no extra files). */
export { STATUS_PAGE_HTML } from './status-page.js';
export { STATUS_PAGE_CSS } from './status-style.js';
export { STATUS_PAGE_JS } from './status-script.js';
