/**
 * `floorsense setup` with the real CLI (compiled dist/) against real sources: the GStreamer RTSP
 * server serving a 1080p main stream and its 640x360 substream at Hikvision's URLs, a closed
 * port as a dead camera, an archive folder of a short clip, a real ClickHouse for the sync test
 * and a local HTTP server for the schedule URL. Interactive mode is driven through a real
 * pseudo-terminal (test/helpers/pty_drive.py). Every run's stdout and stderr are searched for the
 * passwords.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startRtspServer, type RtspServer } from '../helpers/rtsp.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';
import { freePort, haveClickHouse, startClickHouse, type ClickHouseServer } from '../helpers/clickhouse.js';
import { cutClip } from '../agent/helpers.js';

const CLI = join(REPO_ROOT, 'bin', 'floorsense.js');
const PTY = join(REPO_ROOT, 'test', 'helpers', 'pty_drive.py');
const CAM_PASSWORD = 'Cam-pw-7x2q';
const CH_PASSWORD = 'Ch-pw-wrong-5k';
const ok = haveData('video/street_elevated_pedestrians.mp4', 'video/checkout_counter_cashier.mp4');

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LANG: 'C.UTF-8', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function expectNoSecrets(r: Run | string, ...secrets: string[]): void {
  const text = typeof r === 'string' ? r : `${r.out}\n${r.err}`;
  for (const s of secrets) expect(text).not.toContain(s);
}

/** The parts of a written config the tests look at. */
interface Written {
  readonly store: unknown;
  readonly cameras: unknown;
  readonly sampling: unknown;
  readonly sync: unknown;
  readonly storage: { readonly path: string };
  readonly sales: { readonly schedule: { readonly source: string } };
}

function readWritten(path: string): Written {
  return parse(readFileSync(path, 'utf8')) as Written;
}

/** `floorsense setup --config cfg` on a pseudo-terminal, typing each step's reply once its prompt shows. */
function onTerminal(stepsFile: string, cfg: string, lang: string): Promise<string> {
  return new Promise<string>((resolve) => {
    const child = spawn('/usr/bin/python3', [PTY, stepsFile, '--', process.execPath, CLI, 'setup', '--config', cfg], {
      env: { ...process.env, LANG: lang, TZ: 'Europe/Moscow' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', () => resolve(out));
  });
}

function imageSize(path: string): string {
  return execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0:s=x', path], {
    encoding: 'utf8',
  }).trim();
}

describe.skipIf(!ok)('floorsense setup', () => {
  let dir: string;
  let rtsp: RtspServer;
  let mainUrl: string;
  let deadUrl: string;
  let archive: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-setup-'));
    // A 1080p camera with a 1 s GOP (the clip's own GOP is longer than doctor's probe window) and its substream.
    const street = dataPath('video/street_elevated_pedestrians.mp4');
    const enc = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-an'];
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', street, '-t', '3', ...enc, join(dir, 'main.mp4')]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', street, '-t', '3', '-vf', 'scale=640:360', ...enc, join(dir, 'sub.mp4')]);
    archive = join(dir, 'archive');
    mkdirSync(archive);
    cutClip(dataPath('video/checkout_counter_cashier.mp4'), join(archive, 'till-0001.mp4'), 0, 2);
    rtsp = await startRtspServer({ 'Streaming/Channels/101': join(dir, 'main.mp4'), 'Streaming/Channels/102': join(dir, 'sub.mp4') }, { loop: true });
    mainUrl = `rtsp://admin:${CAM_PASSWORD}@127.0.0.1:${rtsp.port}/Streaming/Channels/101`;
    deadUrl = `rtsp://admin:${CAM_PASSWORD}@127.0.0.1:${await freePort()}/Streaming/Channels/101`;
  }, 60_000);

  afterAll(async () => {
    await rtsp?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function answers(name: string, a: Record<string, unknown>): string {
    const p = join(dir, `${name}.yaml`);
    writeFileSync(p, stringify(a));
    return p;
  }

  const store = { id: 'store-017', timezone: 'Europe/Moscow', locale: 'en', currency: 'RUB' };

  it('a dead camera ends a scripted run naming its answer key; nothing is written', async () => {
    const cfg = join(dir, 'dead', 'store.yaml');
    const a = answers('dead', {
      store,
      cameras: [
        { id: 'entrance', url: mainUrl },
        { id: 'backroom', url: deadUrl },
      ],
    });
    const r = await cli(['setup', '--config', cfg, '--answers', a]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dead\.yaml: cameras\[1\]\.url: camera "backroom": rtsp:\/\/\*\*\*@127\.0\.0\.1:\d+\/Streaming\/Channels\/101: .*Connection refused/);
    expect(r.err).toContain('--allow-unreachable');
    expect(existsSync(cfg)).toBe(false);
    expectNoSecrets(r, CAM_PASSWORD);
  }, 90_000);

  it('--allow-unreachable writes it with a warning; the 1080p camera gets its substream; snapshots at source size; config check passes', async () => {
    const cfg = join(dir, 'box', 'etc', 'floorsense', 'store.yaml');
    const a = answers('allow', {
      store,
      cameras: [
        { id: 'entrance', url: mainUrl },
        { id: 'backroom', url: deadUrl },
        { id: 'till', url: 'archive' },
      ],
    });
    const r = await cli(['setup', '--config', cfg, '--answers', a, '--allow-unreachable']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/WARNING: camera backroom did not answer; written anyway/);
    expect(r.out).toMatch(/entrance: the main stream is 1920x1080; a substream answers at 640x360: rtsp:\/\/\*\*\*@127\.0\.0\.1:\d+\/Streaming\/Channels\/102/);
    expectNoSecrets(r, CAM_PASSWORD);
    const written = readWritten(cfg);
    expect(written.store).toEqual(store);
    expect(written.cameras).toEqual([
      { id: 'entrance', url: mainUrl, detect_url: mainUrl.replace('/101', '/102') },
      { id: 'backroom', url: deadUrl },
      // The archive folder, given relative to the answers file, is written absolute.
      { id: 'till', url: archive },
    ]);
    // Every picture is 16:9: the default detector input (auto) serves them, none is written.
    expect((written as { detector?: unknown }).detector).toBeUndefined();
    // An installed layout keeps its database in <prefix>/var/lib/floorsense (the unit's StateDirectory).
    expect(written.storage.path).toBe(join(dir, 'box', 'var', 'lib', 'floorsense', 'floorsense.db'));
    expect(imageSize(join(dir, 'box', 'etc', 'floorsense', 'snapshots', 'entrance.jpg'))).toBe('1920x1080');
    expect(imageSize(join(dir, 'box', 'etc', 'floorsense', 'snapshots', 'till.jpg'))).toBe('384x216');
    expect(existsSync(join(dir, 'box', 'etc', 'floorsense', 'snapshots', 'backroom.jpg'))).toBe(false);
    const check = await cli(['config', 'check', cfg]);
    expect(check.code, check.err).toBe(0);
    expect(check.out).toContain('ok (store store-017, 3 camera(s))');
    expectNoSecrets(check, CAM_PASSWORD);
  }, 90_000);

  it('a camera taller than 16:9 gets the detector input fitted to it; a config that names an input keeps it', async () => {
    const aisle = join(dir, 'archive43');
    mkdirSync(aisle);
    const enc = ['-an', '-vf', 'scale=640:480', '-c:v', 'libx264', '-preset', 'ultrafast'];
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', dataPath('video/checkout_counter_cashier.mp4'), '-t', '2', ...enc, join(aisle, 'aisle-0001.mp4')]);
    const cfg = join(dir, 'fit', 'store.yaml');
    const a = answers('fit', {
      store,
      cameras: [
        { id: 'entrance', url: mainUrl },
        { id: 'aisle', url: aisle },
      ],
    });
    const r = await cli(['setup', '--config', cfg, '--answers', a]);
    expect(r.code, r.err).toBe(0);
    // 4:3 in the default 640x384 would scale its people 0.8 of what the native 640x640 gives.
    expect(r.out).toContain('detector.input: 640x480, fitted to aisle 640x480 (taller than 16:9');
    const text = readFileSync(cfg, 'utf8');
    expect((parse(text) as { detector: unknown }).detector).toEqual({ input: '640x480' });
    expect(text).toContain('# Written by floorsense setup: aisle 640x480 is taller than 16:9');
    // Run again over it with native chosen by hand: setup leaves the technician's choice alone.
    writeFileSync(cfg, text.replace('input: 640x480', 'input: native'));
    const again = await cli(['setup', '--config', cfg, '--answers', a]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).not.toContain('detector.input:');
    expect((parse(readFileSync(cfg, 'utf8')) as { detector: unknown }).detector).toEqual({ input: 'native' });
  }, 120_000);

  it('an existing config keeps its zones, comments and other sections, and is kept as .bak', async () => {
    const cfgDir = join(dir, 'existing');
    mkdirSync(cfgDir);
    const cfg = join(cfgDir, 'store.yaml');
    const before = [
      '# Store 17, drawn by hand on site',
      'store: {id: old-id, timezone: Europe/Moscow, locale: ru}',
      'cameras:',
      '  - id: till',
      '    url: /nowhere',
      '    # the counter',
      '    zones:',
      '      - {name: counter, kind: staff, polygon: [[10, 10], [300, 10], [300, 200]]}',
      '  - id: gone',
      '    url: /nowhere-else',
      'sampling: {stride: 10}',
      'storage: {path: data/st17.db}',
      '',
    ].join('\n');
    writeFileSync(cfg, before);
    const door = {
      name: 'door',
      kind: 'entrance',
      polygon: [
        [0, 150],
        [384, 150],
        [384, 216],
        [0, 216],
      ],
    };
    const a = answers('existing', {
      store: { id: 'store-017' },
      cameras: [
        { id: 'till', url: archive, detect_url: 'none' },
        { id: 'door', url: archive, zones: [door] },
      ],
    });
    const r = await cli(['setup', '--config', cfg, '--answers', a]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Camera gone of the previous config is left out');
    expect(readFileSync(`${cfg}.bak`, 'utf8')).toBe(before);
    const text = readFileSync(cfg, 'utf8');
    expect(text).toContain('# Store 17, drawn by hand on site');
    expect(text).toContain('# the counter');
    const written = parse(text) as Written;
    // Unasked store fields keep the old config's values; the old storage path is not replaced.
    expect(written.store).toEqual({ id: 'store-017', timezone: 'Europe/Moscow', locale: 'ru' });
    expect(written.cameras).toEqual([
      {
        id: 'till',
        url: archive,
        zones: [
          {
            name: 'counter',
            kind: 'staff',
            polygon: [
              [10, 10],
              [300, 10],
              [300, 200],
            ],
          },
        ],
      },
      { id: 'door', url: archive, zones: [door] },
    ]);
    // Zones from the answers are written one a line, as a person writes them.
    expect(text.split('\n').filter((l) => l.includes('name: door') && l.includes('polygon: [ [ 0, 150 ]'))).toHaveLength(1);
    expect(written.sampling).toEqual({ stride: 10 });
    expect(written.storage).toEqual({ path: 'data/st17.db' });
    const live = await cli(['config', 'check', cfg, '--live']);
    expect(live.code, live.out).toBe(0);
  }, 60_000);

  it('bad answers are refused by key path before anything is probed', async () => {
    const a = answers('bad', { store: { id: 'store 17' }, cameras: [{ id: 'x', url: archive, colour: 'red' }] });
    const r1 = await cli(['setup', '--config', join(dir, 'bad', 'store.yaml'), '--answers', a]);
    expect(r1.code).toBe(2);
    expect(r1.err).toContain('cameras[0].colour: unknown key');
    const b = answers('bad2', { store: { id: 'store 17' }, cameras: [{ id: 'x', url: archive }] });
    const r2 = await cli(['setup', '--config', join(dir, 'bad', 'store.yaml'), '--answers', b]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('bad2.yaml: store.id: "store 17": letters, digits, _ . - only');
    expect(existsSync(join(dir, 'bad', 'store.yaml'))).toBe(false);
  });

  it('a schedule file with the wrong header names schedule.source (the agent would ignore it whole)', async () => {
    const csv = join(dir, 'shifts.csv');
    writeFileSync(csv, 'day,who\n2026-12-01,S1\n');
    const a = answers('sheet-header', { store, cameras: [{ id: 'till', url: archive }], schedule: { source: 'shifts.csv' } });
    const r = await cli(['setup', '--config', join(dir, 'header', 'store.yaml'), '--answers', a]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`sheet-header.yaml: schedule.source: ${csv}: not a schedule CSV, the whole file is ignored (line 1: the header lacks`);
    expect(existsSync(join(dir, 'header', 'store.yaml'))).toBe(false);
  }, 60_000);

  describe.skipIf(!haveClickHouse())('sync and schedule are tested', () => {
    let ch: ClickHouseServer;
    let http: Server;
    let httpBase: string;
    beforeAll(async () => {
      ch = await startClickHouse();
      http = createHttpServer((req, res) => {
        if (req.url === '/schedule.csv') {
          res.writeHead(200, { 'content-type': 'text/csv' });
          res.end('date,seller_id,name,start,end\n2026-12-01,S1,Анна,09:00,18:00\n');
        } else {
          res.writeHead(404);
          res.end('no such sheet');
        }
      });
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
      const addr = http.address();
      httpBase = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    }, 60_000);
    afterAll(async () => {
      await ch?.stop();
      await new Promise((r) => http?.close(r));
    });

    it('a wrong ClickHouse password names sync.password and is never printed; a missing sheet names schedule.source', async () => {
      const cfg = join(dir, 'sync', 'store.yaml');
      const cams = [{ id: 'till', url: archive }];
      const pwFile = join(dir, 'ch-password');
      writeFileSync(pwFile, `${CH_PASSWORD}\n`);
      const bad = answers('sync-bad', { store, cameras: cams, sync: { url: ch.url, password_file: 'ch-password' } });
      const r1 = await cli(['setup', '--config', cfg, '--answers', bad]);
      expect(r1.code).toBe(1);
      expect(r1.err).toMatch(/sync-bad\.yaml: sync\.password: .*password/i);
      expect(existsSync(cfg)).toBe(false);
      expectNoSecrets(r1, CH_PASSWORD);

      const noSheet = answers('sheet-bad', { store, cameras: cams, sync: { url: ch.url, password: '' }, schedule: { source: `${httpBase}/missing.csv` } });
      const r2 = await cli(['setup', '--config', cfg, '--answers', noSheet]);
      expect(r2.code).toBe(1);
      expect(r2.err).toMatch(/sheet-bad\.yaml: schedule\.source: .*404/);
      expect(existsSync(cfg)).toBe(false);

      const good = answers('sync-good', { store, cameras: cams, sync: { url: ch.url, password: '' }, schedule: { source: `${httpBase}/schedule.csv` } });
      const r3 = await cli(['setup', '--config', cfg, '--answers', good]);
      expect(r3.code, r3.err).toBe(0);
      expect(r3.out).toMatch(/ok: ClickHouse 18\.\d+|ok: ClickHouse \d+/);
      // The central tables are not created yet: a warning with the fix, not a failure.
      expect(r3.out).toContain('floorsense sync --init');
      expect(r3.out).toMatch(/ok: .*schedule\.csv: 1 shift/);
      const written = readWritten(cfg);
      expect(written.sync).toEqual({ url: ch.url, username: 'default', password: '', database: 'floorsense' });
      expect(written.sales.schedule.source).toBe(`${httpBase}/schedule.csv`);
    }, 120_000);
  });

  it('interactive on a terminal: a dead URL is explained and asked again, the camera password is read without echo', async () => {
    const cfg = join(dir, 'tty', 'store.yaml');
    const bare = mainUrl.replace(`admin:${CAM_PASSWORD}@`, '');
    const steps: Array<[string, string]> = [
      ['Идентификатор магазина', 'store-018'],
      ['Часовой пояс', ''],
      ['Язык панели', ''],
      ['Валюта', ''],
      ['Камера 1: идентификатор', 'entrance'],
      ['Камера entrance: RTSP', deadUrl.replace(`admin:${CAM_PASSWORD}@`, '')],
      ['пользователь', ''],
      ['Всё равно записать', 'н'],
      ['Камера entrance: RTSP', bare],
      ['пользователь', 'admin'],
      ['пароль', CAM_PASSWORD],
      ['дополнительному потоку', 'д'],
      ['Добавить ещё камеру', 'н'],
      ['Адрес ClickHouse', ''],
      ['График смен', ''],
    ];
    const stepsFile = join(dir, 'steps.json');
    writeFileSync(stepsFile, JSON.stringify(steps));
    const transcript = await onTerminal(stepsFile, cfg, 'ru_RU.UTF-8');
    expect(transcript).toMatch(/EXIT 0\s*$/);
    expect(transcript).toContain('Connection refused');
    expect(transcript).toContain('Введите ещё раз.');
    expect(transcript).toMatch(/основной поток 1920x1080; дополнительный поток отвечает в 640x360/);
    expectNoSecrets(transcript, CAM_PASSWORD);
    const written = readWritten(cfg);
    expect(written.store).toEqual({ id: 'store-018', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' });
    expect(written.cameras).toEqual([{ id: 'entrance', url: mainUrl, detect_url: mainUrl.replace('/101', '/102') }]);
  }, 120_000);

  it('interactive over an existing config: every old value is the default, a kept camera renamed keeps its zones', async () => {
    const cfgDir = join(dir, 'tty-existing');
    mkdirSync(cfgDir);
    const cfg = join(cfgDir, 'store.yaml');
    const zone = {
      name: 'counter',
      kind: 'staff',
      polygon: [
        [0, 0],
        [384, 0],
        [384, 60],
      ],
    };
    writeFileSync(
      cfg,
      stringify({ store: { id: 'store-019', timezone: 'Asia/Yekaterinburg', locale: 'en' }, cameras: [{ id: 'till', url: archive, zones: [zone] }] }),
    );
    const steps: Array<[string, string]> = [
      ['Store id .*\\[store-019\\]', ''],
      ['Time zone .*\\[Asia/Yekaterinburg\\]', ''],
      ['language .*\\[en\\]', ''],
      ['Currency', ''],
      ['Keep camera till', ''],
      ['Camera 1: id \\[till\\]', 'till-1'],
      [`RTSP URL .*\\[${archive}\\]`, ''],
      ['Add another', ''],
      ['ClickHouse URL', ''],
      ['schedule', ''],
    ];
    const stepsFile = join(dir, 'steps-existing.json');
    writeFileSync(stepsFile, JSON.stringify(steps));
    const transcript = await onTerminal(stepsFile, cfg, 'C.UTF-8');
    expect(transcript).toMatch(/EXIT 0\s*$/);
    expect(transcript).not.toContain('left out');
    const written = readWritten(cfg);
    expect(written.store).toEqual({ id: 'store-019', timezone: 'Asia/Yekaterinburg', locale: 'en' });
    expect(written.cameras).toEqual([{ id: 'till-1', url: archive, zones: [zone] }]);
    expect(existsSync(`${cfg}.bak`)).toBe(true);
  }, 60_000);
});
