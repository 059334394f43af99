import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatPrometheus } from '../../agent/src/api/index.js';

describe('Prometheus text exposition', () => {
  it.each([
    ['plain', 'plain'],
    ['back\\slash', 'back\\\\slash'],
    ['a "quote"', 'a \\"quote\\"'],
    ['two\nlines', 'two\\nlines'],
    ['\\n literal', '\\\\n literal'],
  ])('label value %j -> %j', (v, out) => {
    expect(escapeLabelValue(v)).toBe(out);
  });

  it('HELP escapes backslash and newline but not quotes', () => {
    expect(escapeHelp('a "b" \\ c\nd')).toBe('a "b" \\\\ c\\nd');
  });

  it('formats families whole, skipping null samples and writing special values', () => {
    const text = formatPrometheus([
      {
        name: 'x_total',
        help: 'Things.\nCounted.',
        type: 'counter',
        samples: [
          { labels: { cam: 'a"b' }, value: 3 },
          { labels: { cam: 'c' }, value: null },
        ],
      },
      {
        name: 'y',
        help: 'Y.',
        type: 'gauge',
        samples: [{ value: Infinity }, { labels: { k: 'v' }, value: NaN }, { labels: { k: 'w' }, value: -Infinity }, { labels: { k: 'z' }, value: 1.5e-7 }],
      },
      { name: 'empty', help: 'Nothing yet.', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe(
      [
        '# HELP x_total Things.\\nCounted.',
        '# TYPE x_total counter',
        'x_total{cam="a\\"b"} 3',
        '# HELP y Y.',
        '# TYPE y gauge',
        'y +Inf',
        'y{k="v"} NaN',
        'y{k="w"} -Inf',
        'y{k="z"} 1.5e-7',
        '# HELP empty Nothing yet.',
        '# TYPE empty gauge',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['bad metric name', [{ name: '1x', help: 'h', type: 'gauge' as const, samples: [] }], /metric name "1x" is not valid/],
    ['bad label name', [{ name: 'x', help: 'h', type: 'gauge' as const, samples: [{ labels: { 'a-b': '1' }, value: 1 }] }], /label name "a-b" of metric "x"/],
    ['reserved label name', [{ name: 'x', help: 'h', type: 'gauge' as const, samples: [{ labels: { __name__: '1' }, value: 1 }] }], /label name "__name__"/],
    [
      'family twice',
      [
        { name: 'x', help: 'h', type: 'gauge' as const, samples: [] },
        { name: 'x', help: 'h', type: 'gauge' as const, samples: [] },
      ],
      /given twice/,
    ],
  ])('refuses %s', (_n, families, msg) => {
    expect(() => formatPrometheus(families)).toThrow(msg);
  });
});
