/**
 * Every string the local web UI shows, in Russian and English. The English table defines the keys;
 * the Russian one is typed against it, so a key missing from either fails the build, and
 * test/ui/i18n.test.ts fails on a key no page uses or a key a page uses that is not here.
 * `{name}` marks a value the page fills in. Numbers, dates and money are never written here: the
 * page formats them with Intl for the chosen locale (see I18N_JS).
 */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const EN = {
  'app.title': 'FloorSense',
  'tab.manager': 'Manager',
  'tab.technician': 'Technician',
  'tab.label': 'Views',
  'ui.language': 'Language',
  'ui.updated': 'updated {time} ({zone})',
  'ui.offline': 'cannot reach the agent: {error}',
  'ui.connecting': 'connecting…',
  'day.label': 'Day',
  'day.prev': 'Previous day',
  'day.next': 'Next day',
  'day.no_data': 'No data for this day: the cameras recorded nothing, or the day is older than the box keeps.',
  'day.none': 'The box holds no days with data yet.',
  'day.saved': 'Figures from the day’s saved summary (recomputed when late receipts or video arrive).',
  'coverage.partial': 'Cameras were down for part of this day, so the figures cover only the time they worked: {cameras}.',
  'card.visitors': 'Visitors',
  'card.consulted': 'Consulted',
  'card.buying': 'Buying',
  'card.receipts': 'Receipts',
  'card.revenue': 'Revenue',
  'card.interaction': 'Interaction ratio',
  'card.visitors_per_staff_hour': 'Visitors per staff hour',
  'card.sales_per_staff_hour': 'Sales per staff hour',
  'card.first_contact': 'Time to first contact',
  'chart.hourly': 'Traffic by hour',
  'chart.hour': 'Hour',
  'series.visitors': 'Visitors',
  'series.consultations': 'Consultations',
  'series.receipts': 'Receipts',
  'series.sellers': 'Sellers on the floor',
  'funnel.title': 'Funnel of the day',
  'funnel.visitors': 'Visitors',
  'funnel.consulted': 'Consulted',
  'funnel.bought': 'Bought',
  'sellers.title': 'Sellers',
  'sellers.none': 'No seller was on shift or seen this day.',
  'sellers.unattributed': 'Receipts attributed to no seller: {n}.',
  'col.seller': 'Seller',
  'col.customers': 'Customers on shift',
  'col.consulted': 'Consulted',
  'col.interaction': 'Interaction',
  'col.consultations': 'Consultations',
  'col.successful': 'Successful',
  'col.unsuccessful': 'Unsuccessful',
  'col.conversion': 'Conversion after consultation',
  'col.avg_with': 'Avg purchase with consultation',
  'col.avg_without': 'Avg purchase without consultation',
  'col.attributed': 'Attributed revenue',
  'col.on_floor': 'Time on the floor',
  'col.first_contact': 'Time to first contact',
  'col.trend': 'Last 30 days',
  'trend.metric': 'Trend of',
  'trend.interaction_ratio': 'interaction ratio',
  'trend.consultations': 'consultations',
  'trend.conversion': 'conversion after consultation',
  'trend.revenue': 'attributed revenue',
  'rule.attribution':
    'Attributed revenue: each receipt counts for at most one seller. A receipt of a consulted customer goes to the seller whose consultation ended last; otherwise a receipt whose seller code names a seller goes to that seller; other receipts stay unattributed.',
  'rule.definitions':
    'A consultation is a seller within {distance} m of a customer for {seconds} s or more (service at the till is not counted). Successful: the customer then bought. Interaction ratio: consulted customers / customers. Staff hours: the time sellers were seen on the floor. A seller’s average without consultation covers the customers on that seller’s shift who bought without one.',
  'timeline.title': 'Consultations through the day',
  'timeline.none': 'No consultations this day.',
  'outcome.successful': 'ended in a purchase',
  'outcome.unsuccessful': 'no purchase',
  'heatmap.title': 'Where customers spent time',
  'heatmap.note':
    'Customers’ presence on the floor plan in {cell} m cells, {w} × {h} m, drawn as the floor was calibrated (the first calibration axis to the right); darker is busier. Computed on this box and never sent off it.',
  'heatmap.none': 'No floor plan: the cameras have no floor calibration, so presence cannot be drawn on one plan.',
  'heatmap.pictures':
    'No floor plan (no camera has a floor calibration): customers’ presence is drawn over each camera’s picture instead; darker is busier. Computed on this box and never sent off it.',
  'heatmap.camera': 'Camera {camera}: where customers stood',
  'unit.h': 'h',
  'unit.min': 'min',
  'unit.s': 's',
  'tech.warnings': 'Warnings',
  'tech.none': 'none',
  'tech.cameras': 'Cameras',
  'cal.title': 'Calibration: zones and floor',
  'cal.camera': 'Camera',
  'cal.pick': 'choose a camera…',
  'cal.open_hint': 'or click a camera in the table above',
  'cal.add_zone': 'Draw a zone',
  'cal.kind': 'kind',
  'cal.kind.staff': 'staff only',
  'cal.kind.floor': 'sales floor',
  'cal.kind.till': 'till',
  'cal.kind.entrance': 'entrance',
  'cal.finish': 'Finish the zone',
  'cal.floor_points': 'Floor points',
  'cal.save': 'Save',
  'cal.reset': 'Discard changes',
  'cal.zones': 'Zones',
  'cal.zones_none': 'No zones yet: press “Draw a zone” and click its corners on the picture.',
  'cal.col.name': 'Name',
  'cal.col.kind': 'Kind',
  'cal.col.points': 'Corners',
  'cal.delete': 'Delete',
  'cal.floor_title': 'Floor plan (homography)',
  'cal.col.point': 'Point',
  'cal.col.image': 'Image, px',
  'cal.col.x_m': 'X, m',
  'cal.col.y_m': 'Y, m',
  'cal.grid.need':
    'Click 4 or more floor points (no three on a line) and type where each is on the floor plan, in metres; a 1 m grid is then drawn over the picture.',
  'cal.grid.fit':
    'The dashed lines are the 1 m grid of these points; the points fit within {rms} m. If the grid does not lie on the floor, a point or its metres are wrong.',
  'cal.tracks': 'People seen now',
  'cal.col.track': 'Track',
  'cal.col.foot': 'Foot point, px',
  'cal.col.zone': 'Zone',
  'cal.no_zone': 'no zone',
  'cal.tracks_none': 'Nobody in the latest frame.',
  'cal.hint.idle': 'Drag a corner to move it. Coordinates are in the camera’s own pixels.',
  'cal.hint.draw':
    'Click the corners of the zone on the picture ({n} so far), then “Finish the zone” (or Enter; Backspace takes the last corner back, Escape drops the zone).',
  'cal.hint.floor': 'Click points on the floor, then type their metres in the table below.',
  'cal.unsaved': 'Changes not saved yet.',
  'cal.no_frame': 'The camera has not delivered a frame yet.',
  'cal.size': 'Picture {w} × {h} px (the camera’s own size); saved to {file}',
  'cal.saving': 'Saving…',
  'cal.saved': 'Saved to {file} (the previous version is kept as {backup}); the agent uses the new zones now.',
  'cal.refused': 'Not saved: the file is unchanged. Fix these and save again:',
  'tech.col.camera': 'Camera',
  'tech.col.state': 'State',
  'tech.col.since': 'Since',
  'tech.col.fps': 'FPS',
  'tech.col.frames': 'Frames',
  'tech.col.dropped': 'Dropped',
  'tech.col.coverage': 'Coverage today',
  'tech.col.last_frame': 'Last frame',
  'tech.detector': 'Detector',
  'tech.sync': 'Sync',
  'tech.box': 'Box',
  'tech.queue': 'queue',
  'tech.fps': 'fps',
  'tech.dropped': 'dropped',
  'tech.enabled': 'enabled',
  'tech.yes': 'yes',
  'tech.no': 'no',
  'tech.backlog': 'backlog',
  'tech.rows': '{n} rows',
  'tech.last_success': 'last success',
  'tech.last_error': 'last error',
  'tech.quarantined': 'quarantined',
  'tech.failures': 'failures in a row',
  'tech.next_try': 'next try',
  'tech.quarantine_warning': '{n} outbox rows quarantined: they fail the sync whitelist and are not sent until their record is recomputed. See which with',
  'tech.cpu': 'CPU',
  'tech.memory_free': 'memory free',
  'tech.of': '{a} of {b}',
  'tech.disk_free': 'disk free',
  'tech.cpu_temp': 'CPU temp',
  'tech.not_reported': 'not reported',
  'tech.gpu': 'GPU',
  'tech.not_measured': 'not measured yet',
  'tech.today': 'Today',
  'tech.kpi.store': 'store',
  'tech.kpi.no_data': 'no data yet today',
  'tech.kpi.customers': 'customers',
  'tech.kpi.consulted': 'consulted',
  'tech.kpi.conversion': 'conversion',
  'tech.kpi.revenue': 'revenue',
  'tech.col.seller': 'Seller',
  'tech.col.customers': 'Customers',
  'tech.col.consulted': 'Consulted',
  'tech.col.interaction': 'Interaction',
  'tech.col.consultations': 'Consultations',
  'tech.col.conversion': 'Conversion',
  'tech.col.avg_with': 'Avg with consult.',
  'tech.col.avg_without': 'Avg without',
  'tech.col.revenue': 'Revenue',
  'tech.col.on_floor': 'On floor',
  'state.up': 'up',
  'state.connecting': 'connecting',
  'state.reconnecting': 'reconnecting',
  'state.unreachable': 'unreachable',
  'state.stalled': 'stream stalled',
  'state.decode_error': 'decoding error',
  'state.no_person': 'no person',
  'state.down': 'down',
  'state.frozen': 'frozen',
  'state.black': 'black',
  'state.blank': 'blank',
} as const;

export type MessageKey = keyof typeof EN;

const RU: Record<MessageKey, string> = {
  'app.title': 'FloorSense',
  'tab.manager': 'Менеджер',
  'tab.technician': 'Техник',
  'tab.label': 'Разделы',
  'ui.language': 'Язык',
  'ui.updated': 'обновлено {time} ({zone})',
  'ui.offline': 'нет связи с агентом: {error}',
  'ui.connecting': 'подключение…',
  'day.label': 'День',
  'day.prev': 'Предыдущий день',
  'day.next': 'Следующий день',
  'day.no_data': 'Нет данных за этот день: камеры ничего не записали, или день старше, чем хранит устройство.',
  'day.none': 'На устройстве пока нет ни одного дня с данными.',
  'day.saved': 'Итоги дня из сохранённой сводки (пересчитываются, когда приходят поздние чеки или видео).',
  'coverage.partial': 'Часть дня камеры не работали, поэтому цифры охватывают только время их работы: {cameras}.',
  'card.visitors': 'Посетители',
  'card.consulted': 'С консультацией',
  'card.buying': 'Купили',
  'card.receipts': 'Чеки',
  'card.revenue': 'Выручка',
  'card.interaction': 'Доля консультаций',
  'card.visitors_per_staff_hour': 'Посетителей на час работы продавцов',
  'card.sales_per_staff_hour': 'Продажи на час работы продавцов',
  'card.first_contact': 'Время до первого контакта',
  'chart.hourly': 'Посещаемость по часам',
  'chart.hour': 'Час',
  'series.visitors': 'Посетители',
  'series.consultations': 'Консультации',
  'series.receipts': 'Чеки',
  'series.sellers': 'Продавцы в зале',
  'funnel.title': 'Воронка дня',
  'funnel.visitors': 'Посетители',
  'funnel.consulted': 'С консультацией',
  'funnel.bought': 'Купили',
  'sellers.title': 'Продавцы',
  'sellers.none': 'В этот день ни один продавец не был в смене и не был замечен в зале.',
  'sellers.unattributed': 'Чеков без продавца: {n}.',
  'col.seller': 'Продавец',
  'col.customers': 'Покупателей в смену',
  'col.consulted': 'С консультацией',
  'col.interaction': 'Доля консультаций',
  'col.consultations': 'Консультации',
  'col.successful': 'Успешные',
  'col.unsuccessful': 'Неуспешные',
  'col.conversion': 'Конверсия после консультации',
  'col.avg_with': 'Средний чек с консультацией',
  'col.avg_without': 'Средний чек без консультации',
  'col.attributed': 'Выручка продавца',
  'col.on_floor': 'Время в зале',
  'col.first_contact': 'Время до первого контакта',
  'col.trend': 'Последние 30 дней',
  'trend.metric': 'Динамика',
  'trend.interaction_ratio': 'доли консультаций',
  'trend.consultations': 'консультаций',
  'trend.conversion': 'конверсии после консультации',
  'trend.revenue': 'выручки продавца',
  'rule.attribution':
    'Выручка продавца: каждый чек засчитывается не более чем одному продавцу. Чек покупателя, получившего консультацию, идёт продавцу, чья консультация закончилась последней; иначе чек, в котором код продавца указывает на продавца, идёт этому продавцу; остальные чеки ни за кем не числятся.',
  'rule.definitions':
    'Консультация — продавец находится не дальше {distance} м от покупателя не менее {seconds} с (обслуживание на кассе не считается). Успешная — покупатель затем купил. Доля консультаций — покупатели с консультацией / все покупатели. Часы работы продавцов — время, когда продавцов видно в зале. Средний чек продавца без консультации считается по покупателям его смены, купившим без консультации.',
  'timeline.title': 'Консультации в течение дня',
  'timeline.none': 'В этот день консультаций не было.',
  'outcome.successful': 'завершилась покупкой',
  'outcome.unsuccessful': 'без покупки',
  'heatmap.title': 'Где покупатели проводили время',
  'heatmap.note':
    'Присутствие покупателей на плане зала, клетки {cell} м, {w} × {h} м, в осях калибровки пола (первая ось — вправо); темнее — больше людей. Считается на этом устройстве и никуда не отправляется.',
  'heatmap.none': 'Нет плана зала: у камер нет калибровки пола, поэтому присутствие нельзя показать на одном плане.',
  'heatmap.pictures':
    'Плана зала нет (у камер нет калибровки пола): присутствие покупателей показано поверх изображения каждой камеры; темнее — больше людей. Считается на этом устройстве и никуда не отправляется.',
  'heatmap.camera': 'Камера {camera}: где стояли покупатели',
  'unit.h': 'ч',
  'unit.min': 'мин',
  'unit.s': 'с',
  'tech.warnings': 'Предупреждения',
  'tech.none': 'нет',
  'tech.cameras': 'Камеры',
  'cal.title': 'Калибровка: зоны и пол',
  'cal.camera': 'Камера',
  'cal.pick': 'выберите камеру…',
  'cal.open_hint': 'или щёлкните камеру в таблице выше',
  'cal.add_zone': 'Нарисовать зону',
  'cal.kind': 'тип',
  'cal.kind.staff': 'только персонал',
  'cal.kind.floor': 'торговый зал',
  'cal.kind.till': 'касса',
  'cal.kind.entrance': 'вход',
  'cal.finish': 'Завершить зону',
  'cal.floor_points': 'Точки пола',
  'cal.save': 'Сохранить',
  'cal.reset': 'Отменить изменения',
  'cal.zones': 'Зоны',
  'cal.zones_none': 'Зон пока нет: нажмите «Нарисовать зону» и щёлкните её углы на картинке.',
  'cal.col.name': 'Название',
  'cal.col.kind': 'Тип',
  'cal.col.points': 'Углы',
  'cal.delete': 'Удалить',
  'cal.floor_title': 'План пола (гомография)',
  'cal.col.point': 'Точка',
  'cal.col.image': 'На картинке, пикс.',
  'cal.col.x_m': 'X, м',
  'cal.col.y_m': 'Y, м',
  'cal.grid.need':
    'Щёлкните 4 или больше точек пола (никакие три не на одной прямой) и введите, где каждая на плане, в метрах; затем поверх картинки будет нарисована сетка 1 м.',
  'cal.grid.fit': 'Пунктир — сетка 1 м по этим точкам; точки сходятся с точностью {rms} м. Если сетка не ложится на пол, ошибка в точке или в её метрах.',
  'cal.tracks': 'Кого видно сейчас',
  'cal.col.track': 'Трек',
  'cal.col.foot': 'Точка ног, пикс.',
  'cal.col.zone': 'Зона',
  'cal.no_zone': 'вне зон',
  'cal.tracks_none': 'В последнем кадре никого нет.',
  'cal.hint.idle': 'Перетащите угол, чтобы сдвинуть его. Координаты — в собственных пикселях камеры.',
  'cal.hint.draw': 'Щёлкайте углы зоны на картинке (уже {n}), затем «Завершить зону» (или Enter; Backspace убирает последний угол, Escape отменяет зону).',
  'cal.hint.floor': 'Щёлкните точки на полу, затем введите их метры в таблице ниже.',
  'cal.unsaved': 'Изменения ещё не сохранены.',
  'cal.no_frame': 'Камера ещё не прислала ни одного кадра.',
  'cal.size': 'Картинка {w} × {h} пикс. (собственный размер камеры); сохраняется в {file}',
  'cal.saving': 'Сохраняю…',
  'cal.saved': 'Сохранено в {file} (прежняя версия — {backup}); агент уже работает с новыми зонами.',
  'cal.refused': 'Не сохранено, файл не изменён. Исправьте и сохраните снова:',
  'tech.col.camera': 'Камера',
  'tech.col.state': 'Состояние',
  'tech.col.since': 'С',
  'tech.col.fps': 'Кадр/с',
  'tech.col.frames': 'Кадры',
  'tech.col.dropped': 'Пропущено',
  'tech.col.coverage': 'Покрытие сегодня',
  'tech.col.last_frame': 'Последний кадр',
  'tech.detector': 'Детектор',
  'tech.sync': 'Синхронизация',
  'tech.box': 'Устройство',
  'tech.queue': 'очередь',
  'tech.fps': 'кадр/с',
  'tech.dropped': 'пропущено',
  'tech.enabled': 'включена',
  'tech.yes': 'да',
  'tech.no': 'нет',
  'tech.backlog': 'не отправлено',
  'tech.rows': '{n} строк',
  'tech.last_success': 'последний успех',
  'tech.last_error': 'последняя ошибка',
  'tech.quarantined': 'на карантине',
  'tech.failures': 'ошибок подряд',
  'tech.next_try': 'следующая попытка',
  'tech.quarantine_warning':
    'Строк на карантине: {n}. Они не проходят белый список синхронизации и не отправляются, пока их запись не пересчитана. Какие именно — покажет',
  'tech.cpu': 'ЦП',
  'tech.memory_free': 'свободно памяти',
  'tech.of': '{a} из {b}',
  'tech.disk_free': 'свободно на диске',
  'tech.cpu_temp': 'температура ЦП',
  'tech.not_reported': 'не сообщается',
  'tech.gpu': 'ГП',
  'tech.not_measured': 'ещё не измерено',
  'tech.today': 'Сегодня',
  'tech.kpi.store': 'магазин',
  'tech.kpi.no_data': 'за сегодня данных пока нет',
  'tech.kpi.customers': 'покупатели',
  'tech.kpi.consulted': 'с консультацией',
  'tech.kpi.conversion': 'конверсия',
  'tech.kpi.revenue': 'выручка',
  'tech.col.seller': 'Продавец',
  'tech.col.customers': 'Покупатели',
  'tech.col.consulted': 'С консультацией',
  'tech.col.interaction': 'Доля консультаций',
  'tech.col.consultations': 'Консультации',
  'tech.col.conversion': 'Конверсия',
  'tech.col.avg_with': 'Ср. чек с конс.',
  'tech.col.avg_without': 'Ср. чек без',
  'tech.col.revenue': 'Выручка',
  'tech.col.on_floor': 'В зале',
  'state.up': 'работает',
  'state.connecting': 'подключается',
  'state.reconnecting': 'переподключается',
  'state.unreachable': 'недоступна',
  'state.stalled': 'поток остановился',
  'state.decode_error': 'ошибка декодирования',
  'state.no_person': 'никого нет',
  'state.down': 'не работает',
  'state.frozen': 'изображение застыло',
  'state.black': 'чёрный кадр',
  'state.blank': 'пустой кадр',
};

export const MESSAGES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = Object.freeze({ en: EN, ru: RU });

/**
 * The page's translation and formatting helpers (window.FS), served as /ui/i18n.js before the
 * other scripts. The locale is the viewer's choice (kept in localStorage) or else the store's
 * (the `lang` the agent wrote on <html>). Elements with data-i18n get their text from the table,
 * data-i18n-label their aria-label and title. Plain ES2017; no backticks or dollar-brace inside.
 */
const I18N_TEMPLATE = String.raw`'use strict';
(function () {
  var MESSAGES = __MESSAGES__;
  var KEY = 'floorsense.locale';
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
  var locale = MESSAGES[saved] ? saved : (MESSAGES[root.lang] ? root.lang : 'ru');
  root.lang = locale;
  var listeners = [];

  function t(key, vars) {
    var s = MESSAGES[locale][key];
    if (s === undefined) { console.error('missing UI string ' + key); return key; }
    if (vars) s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] === undefined ? m : String(vars[k]); });
    return s;
  }
  function apply() {
    document.querySelectorAll('[data-i18n]').forEach(function (e) { e.textContent = t(e.dataset.i18n); });
    document.querySelectorAll('[data-i18n-label]').forEach(function (e) { var s = t(e.dataset.i18nLabel); e.setAttribute('aria-label', s); e.title = s; });
    document.title = t('app.title');
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  var DASH = '—';
  var FS = {
    get locale() { return locale; },
    t: t,
    setLocale: function (l) {
      if (!MESSAGES[l] || l === locale) return;
      locale = l;
      root.lang = l;
      try { localStorage.setItem(KEY, l); } catch (e) { /* private window: the choice lasts this page only */ }
      apply();
      listeners.forEach(function (f) { f(l); });
    },
    onLocale: function (f) { listeners.push(f); },
    apply: apply,
    num: function (v, digits) { return isNum(v) ? new Intl.NumberFormat(locale, { maximumFractionDigits: digits || 0 }).format(v) : DASH; },
    pct: function (v) { return isNum(v) ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(v) : DASH; },
    money: function (v, currency) {
      if (!isNum(v)) return DASH;
      var o = currency ? { style: 'currency', currency: currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
      return new Intl.NumberFormat(locale, o).format(v);
    },
    date: function (d) { return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(d + 'T00:00:00Z')); },
    time: function (ms, zone) {
      if (!isNum(ms)) return DASH;
      try { return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: zone }).format(new Date(ms)); }
      catch (e) { return new Date(ms).toLocaleTimeString(locale); }
    },
    dur: function (s) {
      if (!isNum(s)) return DASH;
      if (s < 60) return FS.num(Math.round(s)) + ' ' + t('unit.s');
      var m = Math.round(s / 60);
      return m >= 60 ? Math.floor(m / 60) + ' ' + t('unit.h') + ' ' + (m % 60) + ' ' + t('unit.min') : m + ' ' + t('unit.min');
    }
  };
  window.FS = FS;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', apply); else apply();
})();
`;

/**
 * The same helpers over another dictionary of the same shape (the chain dashboard, agent/src/hq,
 * serves its own table through this one script, so formatting and the language switch are shared).
 */
export function i18nScript(messages: Readonly<Record<Locale, Readonly<Record<string, string>>>>): string {
  return I18N_TEMPLATE.replace('__MESSAGES__', () => JSON.stringify(messages));
}

export const I18N_JS = i18nScript(MESSAGES);
