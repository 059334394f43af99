import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCameras } from '../../agent/src/agent/agent.js';
import { validateConfig } from '../../agent/src/config/load.js';
import { main } from '../../agent/src/cli/main.js';
import { isFloorSenseError } from '../../agent/src/core/errors.js';

describe('which cameras run live and which are archive folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-plan-'));
  writeFileSync(join(dir, 'one.mp4'), 'x');
  const cfg = (cameras: unknown[]) => validateConfig({ store: { id: 's' }, cameras });

  it('stream URLs are live, folders (existing or not yet mounted) are archive, disabled ones are skipped', () => {
    const p = planCameras(
      cfg([
        { id: 'a', url: 'rtsp://10.0.0.5/stream1' },
        { id: 'b', url: dir },
        { id: 'c', url: 'exports/cam3' },
        { id: 'd', url: 'rtsp://10.0.0.6/x', enabled: false },
      ]),
      '/srv/fs',
    );
    expect(p.live.map((c) => c.id)).toEqual(['a']);
    expect(p.archive.map((c) => [c.id, c.folder])).toEqual([
      ['b', dir],
      ['c', '/srv/fs/exports/cam3'],
    ]);
  });

  it('a single file is refused, naming the key path', () => {
    let caught: unknown;
    try {
      planCameras(
        cfg([
          { id: 'a', url: 'rtsp://x/y' },
          { id: 'b', url: join(dir, 'one.mp4') },
        ]),
        '/',
      );
    } catch (e) {
      caught = e;
    }
    expect(isFloorSenseError(caught) && caught.code).toBe('FS_CONFIG_INVALID');
    expect((caught as Error).message).toMatch(/^cameras\[1\]\.url: .*one\.mp4 is a file/);
  });
});

describe('floorsense run with a bad config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-run-bad-'));
  const cases: Array<[string, string, RegExp]> = [
    ['bad value', 'store: {id: s}\nagent: {watchdog_s: 0}\n', /agent\.watchdog_s: /],
    ['unknown key', 'store: {id: s}\nagent: {archive_cron_typo: "* * * * *"}\n', /agent\.archive_cron_typo: unknown key/],
    ['bad cron', 'store: {id: s}\nagent: {archive_cron: "at night"}\n', /agent\.archive_cron: not a cron expression/],
    ['reconnect bounds', 'store: {id: s}\nagent: {reconnect_min_s: 10, reconnect_max_s: 5}\n', /agent\.reconnect_min_s: /],
  ];
  it.each(cases)('%s: exits 2 and names the key path', async (_name, yaml, want) => {
    const path = join(dir, `${_name.replace(/ /g, '_')}.yaml`);
    writeFileSync(path, yaml);
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['run', '--config', path])).toBe(2);
      expect(err.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(want);
    } finally {
      err.mockRestore();
    }
  });

  it('old configs without an agent section stay valid (defaults)', () => {
    const c = validateConfig({ store: { id: 's' } });
    expect(c.agent).toMatchObject({ archive_cron: '30 2 * * *', watchdog_s: 30, archive_extensions: ['.mp4'] });
  });
});
