/**
 * The tray shell's logic (agent/src/ui/tray-state.ts): /status answers to icon states, options,
 * URLs, the menu and the icon PNG (decoded by real ffmpeg). One test polls a real API server the
 * way tray-ui/main.js does, with and without the token.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../agent/src/api/index.js';
import { isFloorSenseError } from '../../agent/src/core/errors.js';
import {
  TOOLTIP_MAX,
  TRAY_COLORS,
  defaultLogsDir,
  statusPageUrl,
  statusRequest,
  targetFromApi,
  targetFromUrl,
  trayIconPng,
  trayMenu,
  trayOptionsFrom,
  trayStateFrom,
  type StatusFetch,
  type TrayLevel,
} from '../../agent/src/ui/tray-state.js';
import { STATUS, fixtureProvider } from '../api/fixture.js';

const cam = (id: string, state: string): { id: string; state: string } => ({ id, state });
const body = (cameras: Array<{ id: string; state: string }>, warnings: string[] = []): unknown => ({
  store_id: 'msk-01',
  cameras,
  warnings: warnings.map((m) => ({ source: 'camera', subject: 'x', message: m, since_ms: null })),
  sync: { backlog_rows: 0 },
});
const ok = (b: unknown, httpStatus = 200): StatusFetch => ({ ok: true, httpStatus, body: b });

describe('tray state from /status', () => {
  it.each<[string, StatusFetch, TrayLevel, RegExp]>([
    ['all up, no warnings', ok(body([cam('hall', 'up'), cam('till', 'up')])), 'ok', /^FloorSense msk-01: 2\/2 cameras up, all well$/],
    ['no cameras yet', ok(body([])), 'ok', /0\/0 cameras up/],
    ['one warning', ok(body([cam('hall', 'up')], ['disk almost full'])), 'warn', /1\/1 camera up, 1 warning · disk almost full$/],
    ['a camera reconnecting, no warning', ok(body([cam('hall', 'up'), cam('till', 'reconnecting')])), 'warn', /1\/2 cameras up \(till reconnecting\)/],
    [
      'every camera down',
      ok(body([cam('hall', 'down'), cam('till', 'down')], ['camera "hall" is down'])),
      'down',
      /0\/2 cameras up, all down · camera "hall" is down/,
    ],
    ['no answer', { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:8787' }, 'down', /not reachable: connect ECONNREFUSED/],
    ['token refused', ok({ error: 'unauthorized' }, 401), 'down', /401/],
    ['server error', ok({}, 500), 'down', /HTTP 500/],
    ['not the agent', ok('<html>router login</html>'), 'down', /unexpected \/status answer/],
    ['cameras missing', ok({ store_id: 's', warnings: [] }), 'down', /unexpected/],
  ])('%s', (_name, r, level, tooltip) => {
    const s = trayStateFrom(r);
    expect(s.level).toBe(level);
    expect(s.color).toEqual(TRAY_COLORS[level]);
    expect(s.tooltip).toMatch(tooltip);
    expect(s.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
  });

  it('shortens a long tooltip visibly to the Windows limit', () => {
    const s = trayStateFrom(ok(body([cam('hall', 'up')], ['x'.repeat(500)])));
    expect(s.tooltip).toHaveLength(TOOLTIP_MAX);
    expect(s.tooltip.endsWith('…')).toBe(true);
    expect(s.warnings[0]!.length).toBe(200);
  });
});

describe('where the tray looks', () => {
  it.each([
    [{ host: '127.0.0.1', port: 8787 }, 'http://127.0.0.1:8787', null],
    [{ host: '0.0.0.0', port: 9000, token: 'a-long-token-0123456789' }, 'http://127.0.0.1:9000', 'a-long-token-0123456789'],
    [{ host: '::', port: 8787 }, 'http://[::1]:8787', null],
    [{ host: '::1', port: 8787 }, 'http://[::1]:8787', null],
    [{ host: '192.168.1.5', port: 80, token: 't0123456789abcdef' }, 'http://192.168.1.5:80', 't0123456789abcdef'],
  ])('api %j -> %s', (api, baseUrl, token) => {
    expect(targetFromApi(api)).toEqual({ baseUrl, token });
  });

  it('refuses port 0 and bad URLs with a coded error naming the key', () => {
    expect(() => targetFromApi({ host: '127.0.0.1', port: 0 })).toThrow(/api\.port 0/);
    expect(() => targetFromUrl('ftp://x', null)).toThrow(/--url ftp:\/\/x: expected http/);
    expect(() => targetFromUrl('not a url', null)).toThrow(/--url not a url: not a URL/);
    expect(targetFromUrl('http://127.0.0.1:8787/status?x=1', 'tok')).toEqual({ baseUrl: 'http://127.0.0.1:8787', token: 'tok' });
  });

  it('puts the token in the page URL (encoded) and in the poll header, never in the poll URL', () => {
    const t = { baseUrl: 'http://127.0.0.1:8787', token: 'a+b/c=d&e-0123456789' };
    expect(statusPageUrl(t)).toBe('http://127.0.0.1:8787/?token=a%2Bb%2Fc%3Dd%26e-0123456789');
    expect(statusPageUrl({ ...t, token: null })).toBe('http://127.0.0.1:8787/');
    const r = statusRequest(t);
    expect(r.url).toBe('http://127.0.0.1:8787/status');
    expect(r.headers.authorization).toBe('Bearer a+b/c=d&e-0123456789');
    expect(statusRequest({ ...t, token: null }).headers).toEqual({ accept: 'application/json' });
  });

  it.each<[string, string[], Record<string, string>, Partial<ReturnType<typeof trayOptionsFrom>>]>([
    ['defaults', [], {}, { configPath: null, url: null, token: null, logsDir: '/var/log/floorsense', pollMs: 5000 }],
    [
      'flags',
      ['--config', '/etc/fs/store.yaml', '--logs=/srv/logs', '--poll-s', '2.5'],
      {},
      { configPath: '/etc/fs/store.yaml', logsDir: '/srv/logs', pollMs: 2500 },
    ],
    [
      'environment',
      [],
      { FLOORSENSE_API_URL: 'http://127.0.0.1:9', FLOORSENSE_TOKEN: 'tok', FLOORSENSE_LOG_DIR: '/l' },
      { url: 'http://127.0.0.1:9', token: 'tok', logsDir: '/l' },
    ],
    ['flags win over the environment', ['--token', 'flag-token'], { FLOORSENSE_TOKEN: 'env-token' }, { token: 'flag-token' }],
  ])('options: %s', (_n, argv, env, want) => {
    expect(trayOptionsFrom(argv, env, 'linux')).toMatchObject(want);
  });

  it.each([
    [['--colour', 'red'], /unknown argument "--colour"/],
    [['--config'], /--config needs a value/],
    [['--poll-s', '0'], /--poll-s 0: expected seconds between 1 and 3600/],
    [['--poll-s', 'soon'], /--poll-s soon/],
  ])('bad options %j are refused', (argv, msg) => {
    let err: unknown = null;
    try {
      trayOptionsFrom(argv, {}, 'linux');
    } catch (e) {
      err = e;
    }
    expect(isFloorSenseError(err) && err.code).toBe('FS_BAD_ARGUMENT');
    expect(String(err)).toMatch(msg);
  });

  it('knows a logs folder per platform', () => {
    expect(defaultLogsDir('win32', { PROGRAMDATA: 'D:\\PD' })).toBe('D:\\PD\\FloorSense\\logs');
    expect(defaultLogsDir('darwin', { HOME: '/Users/m' })).toBe('/Users/m/Library/Logs/FloorSense');
  });
});

describe('tray menu', () => {
  it('says what is wrong, then offers status window, logs folder and quit', () => {
    const s = trayStateFrom(ok(body([cam('hall', 'up')], ['w1', 'w2', 'w3', 'w4', 'w5'])));
    const m = trayMenu(s, '/var/log/floorsense');
    expect(m.map((i) => (i.kind === 'separator' ? '---' : i.label))).toEqual([
      'FloorSense msk-01: 1/1 camera up, 5 warnings',
      '⚠ w1',
      '⚠ w2',
      '⚠ w3',
      '… and 2 more in the status window',
      '---',
      'Open status window',
      'Open logs folder (/var/log/floorsense)',
      '---',
      'Quit tray (the agent keeps running)',
    ]);
    expect(m.flatMap((i) => (i.kind === 'action' ? [i.action] : []))).toEqual(['open-status', 'open-logs', 'quit']);
  });
});

describe('tray icon', () => {
  const decode = (png: Buffer): Buffer =>
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'png_pipe', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { input: png });
  const px = (raw: Buffer, size: number, x: number, y: number): number[] => [...raw.subarray((y * size + x) * 3, (y * size + x) * 3 + 3)];

  it.each<[TrayLevel, number]>([
    ['ok', 16],
    ['warn', 16],
    ['down', 32],
  ])('%s at %i px decodes to its colour, a dark edge and a white mark when not ok', (level, size) => {
    const raw = decode(trayIconPng(level, size));
    expect(raw.length).toBe(size * size * 3);
    const colour = [...TRAY_COLORS[level]];
    expect(px(raw, size, 2, 2)).toEqual(colour);
    expect(px(raw, size, 0, 0)).toEqual(colour.map((v) => Math.round(v * 0.55)));
    let white = 0;
    for (let i = 0; i < raw.length; i += 3) if (raw[i] === 255 && raw[i + 1] === 255 && raw[i + 2] === 255) white++;
    if (level === 'ok') expect(white).toBe(0);
    else expect(white).toBeGreaterThanOrEqual(level === 'warn' ? 6 : 9);
  });

  it('refuses a silly size', () => {
    expect(() => trayIconPng('ok', 3)).toThrow(/tray icon size 3/);
  });
});

describe('the tray polling a real agent API', () => {
  const TOKEN = 'tray-poll-token-0123456789';
  let srv: ApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ host: '127.0.0.1', port: 0, token: TOKEN, timeZone: 'Europe/Moscow', nowMs: () => STATUS.now_ms }, fixtureProvider());
  });
  afterAll(async () => srv.close());

  const poll = async (token: string | null, port = srv.port): Promise<StatusFetch> => {
    const req = statusRequest(targetFromApi({ host: '127.0.0.1', port, token: token ?? undefined }));
    try {
      const res = await fetch(req.url, { headers: req.headers, signal: AbortSignal.timeout(3000) });
      const text = await res.text();
      let b: unknown = text;
      try {
        b = JSON.parse(text);
      } catch {
        // not JSON: trayStateFrom says so
      }
      return { ok: true, httpStatus: res.status, body: b };
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      return { ok: false, error: `${e instanceof Error ? e.message : String(e)}${cause}` };
    }
  };

  it("with the token: warn, with the fixture's warnings in tooltip and menu", async () => {
    const s = trayStateFrom(await poll(TOKEN));
    expect(s.level).toBe('warn');
    expect(s.summary).toMatch(/^FloorSense msk-01: \d+\/\d+ cameras up, 3 warnings$/);
    expect(s.tooltip).toContain('camera "hall" image frozen');
    expect(trayMenu(s, '/l').some((i) => i.kind === 'label' && i.label.includes('camera "till" is down'))).toBe(true);
    // The page the window opens answers too (token in the query, turned into a cookie).
    const page = await fetch(statusPageUrl(targetFromApi({ host: '127.0.0.1', port: srv.port, token: TOKEN })));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('without the token: down, saying why', async () => {
    const s = trayStateFrom(await poll(null));
    expect(s.level).toBe('down');
    expect(s.tooltip).toMatch(/401/);
  });

  it('with the agent gone: down, not reachable', async () => {
    const gone = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow' }, fixtureProvider());
    const port = gone.port;
    await gone.close();
    const s = trayStateFrom(await poll(null, port));
    expect(s.level).toBe('down');
    expect(s.tooltip).toMatch(/not reachable: .*ECONNREFUSED/);
  });
});
