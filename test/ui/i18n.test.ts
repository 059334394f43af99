/**
 * The UI dictionary: every key in both languages with a non-empty text, the same {placeholders} in
 * both, every key used by the page or its scripts, and every key they use defined. Pure: reads the
 * compiled page strings, no browser.
 */
import { describe, expect, it } from 'vitest';
import { STATE_SEVERITY } from '../../agent/src/health/camera-state.js';
import { CALIBRATION_PAGE_JS, LOCALES, MESSAGES, MANAGER_PAGE_JS, STATUS_PAGE_HTML, STATUS_PAGE_JS, I18N_JS } from '../../agent/src/ui/index.js';

const SOURCES = [
  STATUS_PAGE_HTML,
  STATUS_PAGE_JS,
  MANAGER_PAGE_JS,
  CALIBRATION_PAGE_JS,
  I18N_JS.slice(0, I18N_JS.indexOf('var MESSAGES')) + I18N_JS.slice(I18N_JS.indexOf('var KEY')),
];

function usedKeys(): Set<string> {
  const used = new Set<string>();
  for (const src of SOURCES) {
    for (const m of src.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) used.add(m[1]!);
    for (const m of src.matchAll(/\bt\('([^']+)'/g)) used.add(m[1]!);
  }
  return used;
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('UI dictionary', () => {
  it('has every key in every language, non-empty, with the same placeholders', () => {
    const en = Object.keys(MESSAGES.en).sort();
    for (const l of LOCALES) {
      expect(Object.keys(MESSAGES[l]).sort(), `keys of ${l}`).toEqual(en);
      for (const k of en) {
        const text = (MESSAGES[l] as Record<string, string>)[k]!;
        expect(text.trim().length, `${l} ${k}`).toBeGreaterThan(0);
        expect(placeholders(text), `${l} ${k}`).toEqual(placeholders((MESSAGES.en as Record<string, string>)[k]!));
      }
    }
  });

  it('defines every key the page uses and has no key the page does not use', () => {
    const used = usedKeys();
    const defined = new Set(Object.keys(MESSAGES.en));
    expect(
      [...used].filter((k) => !defined.has(k)),
      'used but not defined',
    ).toEqual([]);
    expect(
      [...defined].filter((k) => !used.has(k)),
      'defined but unused',
    ).toEqual([]);
  });

  it('really is in Russian: Cyrillic in every Russian text that is a word', () => {
    const latinOnly = Object.entries(MESSAGES.ru).filter(([k, v]) => !/[А-Яа-яЁё]/.test(v) && !['app.title', 'tech.of', 'tech.col.fps'].includes(k));
    expect(latinOnly).toEqual([]);
  });

  it('names every camera state the health module can report, in both languages, and the page maps each', () => {
    for (const st of STATE_SEVERITY) {
      for (const l of LOCALES) expect((MESSAGES[l] as Record<string, string>)[`state.${st}`], `${l} state.${st}`).toBeTruthy();
      expect(STATUS_PAGE_JS, `status page maps ${st}`).toContain(`${st}: t('state.${st}')`);
    }
  });
});
