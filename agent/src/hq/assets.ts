/** What hq borrows from the store page (agent/src/ui): the i18n helpers over its own table, uPlot, the base style. */
import { STATUS_PAGE_CSS, i18nScript, uplotScript, uplotStyle } from '../ui/index.js';
import { HQ_MESSAGES } from './i18n.js';

let i18n: string | null = null;
export const I18N_JS_FOR = (): string => (i18n ??= i18nScript(HQ_MESSAGES));
export const STATUS_CSS = STATUS_PAGE_CSS;
export const uplotJs = uplotScript;
export const uplotCss = uplotStyle;
