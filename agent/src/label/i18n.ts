/**
 * Every string the label page shows, in Russian and English, the way agent/src/ui/i18n.ts keeps
 * the dashboard's: the English table defines the keys and the Russian one is typed against it, so a
 * key missing from either fails the build. Russian is the default (the store's language), English
 * one click away; the choice is kept under the dashboard's own localStorage key.
 */
import { LOCALES, type Locale } from '../ui/i18n.js';

export { LOCALES, type Locale };

const EN = {
  'app.title': 'FloorSense: labels',
  'ui.language': 'Language',
  'frame.label': 'Frame {frame} ({i} of {n}), {time} s',
  'frame.prev': 'Previous frame (←)',
  'frame.next': 'Next frame (→)',
  'ids.title': 'Identities',
  'ids.frames': 'frames: {n}',
  'role.none': 'no role',
  'role.staff': 'staff',
  'role.customer': 'customer',
  'merge.title': 'Merge identities',
  'merge.from': 'Merge',
  'merge.into': 'into',
  'merge.go': 'Merge',
  'merge.pick': 'Click the box to merge into identity {id} (Esc cancels)',
  'merge.done': 'Identity {from} merged into {into}',
  'merge.clash': 'Cannot merge {from} into {into}: both are on frame {frame}',
  'split.done': 'Identity {id} split: from frame {frame} on it is {new}',
  'event.title': 'Consultations',
  'event.kind': 'Kind',
  'event.consultation': 'consultation',
  'event.checkout': 'checkout (till)',
  'event.seller': 'Seller id',
  'event.customer': 'Customer id',
  'event.start': 'Start frame',
  'event.end': 'End frame',
  'event.set_start': 'Start = this frame ([)',
  'event.set_end': 'End = this frame (])',
  'event.add': 'Add',
  'event.delete': 'Delete',
  'event.bad': 'A consultation needs two different identities with boxes and start ≤ end',
  'event.none': 'None marked yet.',
  'save.go': 'Save (Ctrl+S)',
  'save.done': 'Saved {boxes} boxes of {ids} identities',
  'save.failed': 'Not saved: {error}',
  'from.labels': 'Resumed from the saved labels.',
  'from.tracker': 'Boxes pre-filled by the tracker: correct them.',
  'help.keys':
    'Keys: ←/→ frames · drag a box to move, its corner to resize, empty space to draw a new one · Del deletes the box, Shift+Del the identity · C copies the selected identity’s box from the previous frame · M merges, S splits · 1 staff, 2 customer, 0 no role · [ ] start/end of a consultation · Ctrl+S saves',
} as const;

export type LabelKey = keyof typeof EN;

const RU: Record<LabelKey, string> = {
  'app.title': 'FloorSense: разметка',
  'ui.language': 'Язык',
  'frame.label': 'Кадр {frame} ({i} из {n}), {time} с',
  'frame.prev': 'Предыдущий кадр (←)',
  'frame.next': 'Следующий кадр (→)',
  'ids.title': 'Идентичности',
  'ids.frames': 'кадров: {n}',
  'role.none': 'без роли',
  'role.staff': 'сотрудник',
  'role.customer': 'покупатель',
  'merge.title': 'Объединить идентичности',
  'merge.from': 'Объединить',
  'merge.into': 'в',
  'merge.go': 'Объединить',
  'merge.pick': 'Щёлкните рамку, которую присоединить к {id} (Esc — отмена)',
  'merge.done': 'Идентичность {from} объединена с {into}',
  'merge.clash': 'Нельзя объединить {from} с {into}: обе есть на кадре {frame}',
  'split.done': 'Идентичность {id} разделена: с кадра {frame} это {new}',
  'event.title': 'Консультации',
  'event.kind': 'Вид',
  'event.consultation': 'консультация',
  'event.checkout': 'обслуживание на кассе',
  'event.seller': 'Продавец (id)',
  'event.customer': 'Покупатель (id)',
  'event.start': 'Первый кадр',
  'event.end': 'Последний кадр',
  'event.set_start': 'Начало = этот кадр ([)',
  'event.set_end': 'Конец = этот кадр (])',
  'event.add': 'Добавить',
  'event.delete': 'Удалить',
  'event.bad': 'Нужны две разные идентичности с рамками и начало ≤ конца',
  'event.none': 'Пока ничего не отмечено.',
  'save.go': 'Сохранить (Ctrl+S)',
  'save.done': 'Сохранено рамок: {boxes}, идентичностей: {ids}',
  'save.failed': 'Не сохранено: {error}',
  'from.labels': 'Продолжение сохранённой разметки.',
  'from.tracker': 'Рамки трекера: исправьте их.',
  'help.keys':
    'Клавиши: ←/→ кадры · тащите рамку, чтобы сдвинуть, угол — изменить размер, пустое место — нарисовать новую · Del удаляет рамку, Shift+Del — идентичность · C копирует рамку выбранной идентичности с прошлого кадра · M объединяет, S разделяет · 1 сотрудник, 2 покупатель, 0 без роли · [ ] начало и конец консультации · Ctrl+S сохраняет',
};

export const LABEL_MESSAGES: Readonly<Record<Locale, Readonly<Record<LabelKey, string>>>> = Object.freeze({ en: EN, ru: RU });
