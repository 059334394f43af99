import { describe, expect, it } from 'vitest';
import { fileStartTime, timestampFromFileName } from '../../agent/src/agent/file-time.js';

describe('archive file start time', () => {
  // Names are read as store-local wall time: Moscow is UTC+3 all year.
  const cases: Array<[string, string | null]> = [
    ['20261120_090000.mp4', '2026-11-20T06:00:00.000Z'],
    ['cam1_20261120090005.mp4', '2026-11-20T06:00:05.000Z'],
    ['2026-11-20T09-00-00.mp4', '2026-11-20T06:00:00.000Z'],
    ['export 2026-11-20 09:30:15.mp4', '2026-11-20T06:30:15.000Z'],
    ['ch01_2026.11.20_23.59.59.mp4', '2026-11-20T20:59:59.000Z'],
    ['NVR_ch2_main_20261120093000_20261120100000.mp4', '2026-11-20T06:30:00.000Z'],
    ['checkout_counter_cashier.mp4', null],
    ['20261320_090000.mp4', null], // month 13
    ['20260231_090000.mp4', null], // 31 February
    ['20261120_250000.mp4', null], // hour 25
    ['120261120_090000.mp4', null], // digits glued before: not a timestamp
  ];
  it.each(cases)('%s -> %s', (name, iso) => {
    const ms = timestampFromFileName(name, 'Europe/Moscow');
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(iso);
  });

  it('prefers creation_time, then the name, then mtime, and says which', () => {
    const mtimeMs = Date.parse('2026-11-21T00:00:00Z');
    expect(fileStartTime({ creationTimeMs: 1000, name: '20261120_090000.mp4', mtimeMs }, 'UTC')).toEqual({ startMs: 1000, origin: 'creation-time' });
    expect(fileStartTime({ creationTimeMs: undefined, name: '20261120_090000.mp4', mtimeMs }, 'UTC')).toEqual({
      startMs: Date.parse('2026-11-20T09:00:00Z'),
      origin: 'file-name',
    });
    expect(fileStartTime({ creationTimeMs: undefined, name: 'clip.mp4', mtimeMs }, 'UTC')).toEqual({ startMs: mtimeMs, origin: 'mtime' });
  });
});
