/**
 * The `--sets` argument of the int8 sensitivity benches (det-int8-sensitivity.ts,
 * reid-int8-sensitivity.ts): `name=pattern,pattern;name2=...` (a bare entry is its own name), each
 * pattern expanded by the bench's own aliases (`@silu`, `@gates`, ...) into keep_float node patterns.
 */
import type { KeepFloat } from '../src/models/quantize.js';

export function parseFloatSets(sets: string, expand: (pattern: string) => string[]): Array<[string, KeepFloat]> {
  return sets.split(';').map((s): [string, KeepFloat] => {
    const [n, list] = s.includes('=') ? (s.split('=') as [string, string]) : [s, s];
    return [n, list === '' ? [] : list.split(',').flatMap(expand)];
  });
}
