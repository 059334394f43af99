/**
 * The label page's strings: every key the page asks for is in both dictionaries, every key of the
 * dictionaries is used (literally, or as role.<role> / event.<kind> for the values events.json allows).
 */
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, ROLES } from '../../agent/src/eval/events/index.js';
import { LABEL_MESSAGES } from '../../agent/src/label/i18n.js';
import { LABEL_HTML, LABEL_JS } from '../../agent/src/label/page.js';

describe('label page dictionary', () => {
  const page = LABEL_HTML('en') + LABEL_JS;
  const used = new Set([...page.matchAll(/(?:data-i18n(?:-label)?="|t\(')([a-z_]+\.[a-z_]+)/g)].map((m) => m[1]!));
  for (const r of ROLES) used.add(`role.${r}`);
  for (const k of EVENT_KINDS) used.add(`event.${k}`);
  // The shared dictionary script (ui/i18n.ts i18nScript, served as /i18n.js) titles the page with it.
  used.add('app.title');
  for (const m of page.matchAll(/'((?:from|role)\.[a-z]+)'/g)) used.add(m[1]!);

  it('has every key the page uses, in Russian and English', () => {
    for (const k of used) {
      expect(LABEL_MESSAGES.en, k).toHaveProperty([k]);
      expect(LABEL_MESSAGES.ru, k).toHaveProperty([k]);
    }
  });
  it('has no key the page does not use', () => {
    expect(Object.keys(LABEL_MESSAGES.en).filter((k) => !used.has(k))).toEqual([]);
  });
  it('the Russian strings are Russian', () => {
    for (const [k, v] of Object.entries(LABEL_MESSAGES.ru)) if (k !== 'app.title') expect(v, k).toMatch(/[а-яё]/i);
  });
});
