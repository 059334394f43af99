/**
 * What `floorsense setup` says, in Russian and English (--lang, else LANG). Prompts show the
 * default in brackets; credentials never appear in a default (core/redact.ts masks URLs).
 */
export type Lang = 'ru' | 'en';

const EN = {
  intro: (path: string) => `FloorSense setup: writes ${path}. Press Enter to keep the value in [brackets].`,
  existing: (path: string) => `An existing config was found: ${path}. Its zones and other sections are kept; the old file is saved as .bak.`,
  storeId: 'Store id (letters, digits, _ . -)',
  timezone: 'Time zone (IANA, e.g. Europe/Moscow)',
  locale: 'Dashboard language (ru/en)',
  currency: 'Currency of the receipts (ISO code, e.g. RUB; empty for none)',
  cameraId: (n: number) => `Camera ${n}: id`,
  cameraUrl: (id: string) => `Camera ${id}: RTSP URL (rtsp://user:password@host/...) or archive folder`,
  cameraUser: (id: string) => `Camera ${id}: user (empty: none)`,
  cameraPassword: (id: string) => `Camera ${id}: password (not shown)`,
  addCamera: 'Add another camera? (y/n)',
  keepOldCamera: (id: string) => `Keep camera ${id} of the existing config? (y/n)`,
  probing: (id: string) => `Probing camera ${id}...`,
  probed: (id: string, detail: string) => `  ${id}: ${detail}`,
  snapshot: (path: string) => `  snapshot saved: ${path}`,
  substreamFound: (id: string, main: string, url: string, size: string) => `  ${id}: the main stream is ${main}; a substream answers at ${size}: ${url}`,
  useSubstream: 'Detect people on the substream (much cheaper to decode)? (y/n)',
  substreamNone: (id: string, main: string) =>
    `  ${id}: the main stream is ${main} and no substream answered at the usual URLs; detection decodes the main stream (set cameras[].detect_url by hand if the camera has one)`,
  substreamRefused: (url: string, why: string) => `  substream ${url} not usable: ${why}`,
  detectorInput: (size: string, cams: string) =>
    `detector.input: ${size}, fitted to ${cams} (taller than 16:9: the default 16:9 input would make its people smaller than the detector was measured at)`,
  detectUrlByHand: 'Substream URL for detection (empty: detect on the main stream)',
  failed: (what: string, why: string) => `${what}: ${why}`,
  fix: (fix: string) => `  fix: ${fix}`,
  reenter: 'Please enter it again.',
  writeAnyway: 'Write this camera anyway (the agent keeps retrying it)? (y/n)',
  unreachableWritten: (id: string) =>
    `camera ${id} did not answer; written anyway (--allow-unreachable): the agent retries it, check it with \`floorsense doctor\``,
  syncUrl: 'ClickHouse URL of the chain (http(s)://host:8123; empty: no sync)',
  syncUser: 'ClickHouse user',
  syncPassword: 'ClickHouse password (not shown)',
  syncPasswordKeep: 'unchanged',
  syncDb: 'ClickHouse database',
  syncTesting: (url: string) => `Testing ClickHouse at ${url}...`,
  scheduleSource: 'Shift schedule: CSV path or published Google Sheets CSV URL (empty: none)',
  scheduleTesting: (src: string) => `Reading the schedule ${src}...`,
  warn: (text: string) => `WARNING: ${text}`,
  ok: (text: string) => `  ok: ${text}`,
  written: (path: string) => `Written: ${path} (passes \`floorsense config check\`)`,
  backup: (path: string) => `Previous config kept as ${path}`,
  dropped: (id: string) => `Camera ${id} of the previous config is left out (it stays in the .bak file)`,
  next: (path: string) => `Next: draw the zones in the Technician page, then \`floorsense doctor --config ${path}\``,
  yes: /^(y|yes|д|да)$/i,
  no: /^(n|no|н|нет)$/i,
};

const RU: typeof EN = {
  intro: (path) => `Настройка FloorSense: будет записан ${path}. Enter оставляет значение в [скобках].`,
  existing: (path) => `Найден конфиг ${path}. Его зоны и остальные разделы сохраняются; старый файл сохранён как .bak.`,
  storeId: 'Идентификатор магазина (латиница, цифры, _ . -)',
  timezone: 'Часовой пояс (IANA, напр. Europe/Moscow)',
  locale: 'Язык панели (ru/en)',
  currency: 'Валюта чеков (код ISO, напр. RUB; пусто — не задана)',
  cameraId: (n) => `Камера ${n}: идентификатор`,
  cameraUrl: (id) => `Камера ${id}: RTSP-адрес (rtsp://логин:пароль@хост/...) или папка архива`,
  cameraUser: (id) => `Камера ${id}: пользователь (пусто — без входа)`,
  cameraPassword: (id) => `Камера ${id}: пароль (не отображается)`,
  addCamera: 'Добавить ещё камеру? (д/н)',
  keepOldCamera: (id) => `Оставить камеру ${id} из прежнего конфига? (д/н)`,
  probing: (id) => `Проверяю камеру ${id}...`,
  probed: (id, detail) => `  ${id}: ${detail}`,
  snapshot: (path) => `  снимок сохранён: ${path}`,
  substreamFound: (id, main, url, size) => `  ${id}: основной поток ${main}; дополнительный поток отвечает в ${size}: ${url}`,
  useSubstream: 'Искать людей по дополнительному потоку (декодировать намного дешевле)? (д/н)',
  substreamNone: (id, main) =>
    `  ${id}: основной поток ${main}, дополнительный поток по обычным адресам не ответил; детекция по основному потоку (cameras[].detect_url можно задать вручную)`,
  substreamRefused: (url, why) => `  дополнительный поток ${url} не подходит: ${why}`,
  detectorInput: (size, cams) =>
    `detector.input: ${size}, по камерам ${cams} (кадр выше, чем 16:9: во входе 16:9 люди на нём были бы мельче, чем при измерении детектора)`,
  detectUrlByHand: 'Адрес дополнительного потока для детекции (пусто — основной поток)',
  failed: (what, why) => `${what}: ${why}`,
  fix: (fix) => `  что сделать: ${fix}`,
  reenter: 'Введите ещё раз.',
  writeAnyway: 'Всё равно записать камеру (агент будет переподключаться)? (д/н)',
  unreachableWritten: (id) => `камера ${id} не ответила; записана (--allow-unreachable): агент будет переподключаться, проверьте \`floorsense doctor\``,
  syncUrl: 'Адрес ClickHouse сети (http(s)://хост:8123; пусто — без синхронизации)',
  syncUser: 'Пользователь ClickHouse',
  syncPassword: 'Пароль ClickHouse (не отображается)',
  syncPasswordKeep: 'без изменений',
  syncDb: 'База ClickHouse',
  syncTesting: (url) => `Проверяю ClickHouse ${url}...`,
  scheduleSource: 'График смен: путь к CSV или ссылка Google Sheets (публикация в CSV; пусто — нет)',
  scheduleTesting: (src) => `Читаю график ${src}...`,
  warn: (text) => `ВНИМАНИЕ: ${text}`,
  ok: (text) => `  ок: ${text}`,
  written: (path) => `Записан: ${path} (проходит \`floorsense config check\`)`,
  backup: (path) => `Прежний конфиг сохранён как ${path}`,
  dropped: (id) => `Камера ${id} прежнего конфига не включена (она остаётся в .bak)`,
  next: (path) => `Дальше: нарисуйте зоны на странице техника, затем \`floorsense doctor --config ${path}\``,
  yes: /^(y|yes|д|да)$/i,
  no: /^(n|no|н|нет)$/i,
};

export type Messages = typeof EN;

export function messages(lang: Lang): Messages {
  return lang === 'ru' ? RU : EN;
}

/** --lang, else the user's LANG / LC_ALL (ru_RU.UTF-8 → ru), else English. */
export function pickLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag === 'ru' || flag === 'en') return flag;
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ru/i.test(l) ? 'ru' : 'en';
}
