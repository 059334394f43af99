import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../agent/src/config/load.js';

const withUniform = (uniform: unknown) => validateConfig({ store: { id: 's1' }, analytics: { roles: { uniform } } });

describe('analytics.roles.uniform', () => {
  it('is absent by default and fills tolerance and weight', () => {
    expect(validateConfig({ store: { id: 's1' } }).analytics.roles.uniform).toBeUndefined();
    expect(withUniform({ color: '#C81e28' }).analytics.roles.uniform).toEqual({ color: '#C81e28', tolerance: 60, weight: 1 });
  });

  it.each<[string, unknown, string]>([
    ['a colour name', { color: 'red' }, 'analytics.roles.uniform.color'],
    ['a short hex', { color: '#c12' }, 'analytics.roles.uniform.color'],
    ['no colour', { tolerance: 30 }, 'analytics.roles.uniform.color'],
    ['a zero tolerance', { color: '#c81e28', tolerance: 0 }, 'analytics.roles.uniform.tolerance'],
    ['a negative weight', { color: '#c81e28', weight: -1 }, 'analytics.roles.uniform.weight'],
    ['an unknown key', { color: '#c81e28', hue: 3 }, 'hue'],
  ])('rejects %s naming the key', (_n, uniform, key) => {
    expect(() => withUniform(uniform)).toThrow(expect.objectContaining({ code: 'FS_CONFIG_INVALID', message: expect.stringContaining(key) }));
  });
});
