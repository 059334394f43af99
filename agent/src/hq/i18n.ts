/**
 * The chain dashboard's strings: the store page's dictionary (ui/i18n.ts) for every label the two
 * pages share — seller columns, KPI names, units, the language switch — plus the chain's own.
 * Served through the same window.FS script (ui i18nScript), so formatting and the ru/en switch are
 * one code path. test/hq/i18n.test.ts checks both languages and that every key is used.
 */
import { MESSAGES, type Locale, type MessageKey } from '../ui/i18n.js';

/** Keys borrowed from the store page's dictionary. */
const SHARED = [
  'ui.language',
  'card.visitors',
  'card.consulted',
  'card.buying',
  'card.receipts',
  'card.revenue',
  'card.interaction',
  'col.seller',
  'col.customers',
  'col.consulted',
  'col.interaction',
  'col.consultations',
  'col.successful',
  'col.unsuccessful',
  'col.avg_with',
  'col.avg_without',
  'col.on_floor',
  'unit.h',
  'unit.min',
  'unit.s',
] as const satisfies readonly MessageKey[];

const EN = {
  'app.title': 'FloorSense chain',
  'hq.title': 'Chain dashboard',
  'hq.server': 'ClickHouse {server}, database {database}',
  'hq.offline': 'Cannot reach ClickHouse at {server}: {error}. Retrying every {seconds} s.',
  'hq.connecting': 'connecting to ClickHouse…',
  'hq.unreachable': 'Cannot reach floorsense hq: {error}. Retrying every {seconds} s.',
  'hq.refused': 'The request was refused: {error}',
  'hq.trend_top': 'The top {n} of {total} stores of the ranking.',
  'hq.from': 'From',
  'hq.to': 'To',
  'hq.apply': 'Show',
  'hq.kpi': 'Rank stores by',
  'hq.empty': 'The central views hold no records yet: run `floorsense sync --once` on the boxes.',
  'hq.no_range': 'No store sent records for this range.',
  'hq.range': '{from} – {to}, {days} days',
  'hq.ranking': 'Stores ranked',
  'hq.col.rank': '#',
  'hq.col.store': 'Store',
  'hq.col.days': 'Days',
  'hq.sellers': 'Sellers across stores',
  'hq.sort': 'Sort by this column',
  'hq.trend': 'Last 30 days',
  'hq.day': 'Day',
  'hq.trend_of': '{kpi} by store, {from} – {to}',
  'hq.coverage': 'Camera coverage warnings',
  'hq.coverage.none': 'Every camera that reported worked all day in this range.',
  'hq.coverage.item':
    '{store}, camera {camera}, {day}: worked {ratio} of the day (outages: {outages}, down {down}); that day’s figures cover only the time it worked.',
  'hq.silent': 'No records in this range from: {stores}.',
  'kpi.conversion': 'Conversion',
  'kpi.successful': 'Successful consultations',
  'kpi.unsuccessful': 'Unsuccessful consultations',
  'kpi.consultations': 'Consultations',
  'kpi.avg_with': 'Avg purchase with consultation',
  'kpi.avg_without': 'Avg purchase without consultation',
  'kpi.coverage': 'Camera coverage',
} as const;

type HqKey = keyof typeof EN;

const RU: Record<HqKey, string> = {
  'app.title': 'FloorSense: сеть',
  'hq.title': 'Панель сети',
  'hq.server': 'ClickHouse {server}, база {database}',
  'hq.offline': 'Нет связи с ClickHouse {server}: {error}. Повтор каждые {seconds} с.',
  'hq.connecting': 'подключение к ClickHouse…',
  'hq.unreachable': 'Нет связи с floorsense hq: {error}. Повтор каждые {seconds} с.',
  'hq.refused': 'Запрос отклонён: {error}',
  'hq.trend_top': 'Первые {n} из {total} магазинов рейтинга.',
  'hq.from': 'С',
  'hq.to': 'По',
  'hq.apply': 'Показать',
  'hq.kpi': 'Рейтинг магазинов по',
  'hq.empty': 'В центральных представлениях пока нет записей: запустите `floorsense sync --once` на устройствах.',
  'hq.no_range': 'За этот период ни один магазин не прислал записей.',
  'hq.range': '{from} – {to}, дней: {days}',
  'hq.ranking': 'Рейтинг магазинов',
  'hq.col.rank': '№',
  'hq.col.store': 'Магазин',
  'hq.col.days': 'Дней',
  'hq.sellers': 'Продавцы всех магазинов',
  'hq.sort': 'Сортировать по этому столбцу',
  'hq.trend': 'Последние 30 дней',
  'hq.day': 'День',
  'hq.trend_of': '{kpi} по магазинам, {from} – {to}',
  'hq.coverage': 'Предупреждения о камерах',
  'hq.coverage.none': 'Все камеры, приславшие данные, работали весь день в этом периоде.',
  'hq.coverage.item':
    '{store}, камера {camera}, {day}: работала {ratio} дня (отключений: {outages}, простой {down}); цифры этого дня охватывают только время её работы.',
  'hq.silent': 'Нет записей за этот период от: {stores}.',
  'kpi.conversion': 'Конверсия',
  'kpi.successful': 'Успешные консультации',
  'kpi.unsuccessful': 'Неуспешные консультации',
  'kpi.consultations': 'Консультации',
  'kpi.avg_with': 'Средний чек с консультацией',
  'kpi.avg_without': 'Средний чек без консультации',
  'kpi.coverage': 'Покрытие камер',
};

const pick = (l: Locale): Record<string, string> => Object.fromEntries(SHARED.map((k) => [k, MESSAGES[l][k]]));

export const HQ_MESSAGES: Readonly<Record<Locale, Readonly<Record<string, string>>>> = Object.freeze({
  en: Object.freeze({ ...pick('en'), ...EN }),
  ru: Object.freeze({ ...pick('ru'), ...RU }),
});
