import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, isLoopbackHost, ZONE_COLORS, type ApiServer } from '../../agent/src/api/index.js';
import { FailureError } from '../../agent/src/core/errors.js';
import { colorForId } from '../../agent/src/render/index.js';
import { CONSULTATIONS, NOW, REPORT, STATUS, fixtureProvider, type FixtureProvider } from './fixture.js';
import { dataPath, haveData } from '../helpers/shared-data.js';
import { decodeLetterboxed } from '../health/frames.js';

const TOKEN = `${'x'.repeat(8)}secret-token-42`;

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Headers; bytes: Buffer }> {
  const r = await fetch(url, { headers });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, body: bytes.toString('utf8'), headers: r.headers, bytes };
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(url, { method: 'POST', body, headers });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe('binding and auth', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['shop-box.local', false],
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each(['0.0.0.0', '192.168.1.20', '::'])('refuses to bind %s without a token (MisuseError naming api.token)', async (host) => {
    await expect(startApiServer({ host, port: 0, timeZone: 'UTC' }, fixtureProvider())).rejects.toMatchObject({
      kind: 'misuse',
      code: 'FS_CONFIG_INVALID',
      message: expect.stringMatching(/^api\.token: binding the API to ".*" \(not loopback\) requires a token/),
    });
  });

  it('a port in use is a coded failure naming the address', async () => {
    const a = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'UTC' }, fixtureProvider());
    try {
      const err = await startApiServer({ host: '127.0.0.1', port: a.port, timeZone: 'UTC' }, fixtureProvider()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FailureError);
      expect(err).toMatchObject({ code: 'FS_API_LISTEN', message: `the API cannot listen on 127.0.0.1:${a.port}: the port is in use` });
    } finally {
      await a.close();
    }
  });

  describe('off loopback with a token (bound to 0.0.0.0, reached over 127.0.0.1)', () => {
    let srv: ApiServer;
    let base: string;
    beforeAll(async () => {
      srv = await startApiServer({ host: '0.0.0.0', port: 0, token: TOKEN, timeZone: 'Europe/Moscow', nowMs: () => NOW }, fixtureProvider());
      base = `http://127.0.0.1:${srv.port}`;
    });
    afterAll(() => srv.close());

    it.each<[string, string, Record<string, string>, number]>([
      ['no token', '/status', {}, 401],
      ['wrong token', '/status', { authorization: 'Bearer wrong' }, 401],
      ['wrong token of the same length', '/status', { authorization: `Bearer ${TOKEN.slice(0, -1)}X` }, 401],
      ['not a bearer scheme', '/status', { authorization: `Basic ${TOKEN}` }, 401],
      ['no token on liveness either', '/health', {}, 401],
      ['no token on the page', '/', {}, 401],
      ['no token on an unknown route (no probing)', '/nope', {}, 401],
      ['header token', '/status', { authorization: `Bearer ${TOKEN}` }, 200],
      ['scheme in lower case', '/health', { authorization: `bearer ${TOKEN}` }, 200],
      ['query token (browsers)', `/status?token=${TOKEN}`, {}, 200],
      ['wrong query token', '/status?token=nope', {}, 401],
    ])('%s -> %i', async (_n, path, headers, status) => {
      const r = await get(base + path, headers);
      expect(r.status).toBe(status);
      if (status === 401) {
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="floorsense"');
        expect(JSON.parse(r.body)).toEqual({ error: 'missing or wrong token: send Authorization: Bearer <api.token>', status: 401 });
      }
    });
  });
});

describe('endpoints on loopback (no token)', () => {
  let srv: ApiServer;
  let p: FixtureProvider;
  const errors: string[] = [];
  beforeAll(async () => {
    p = fixtureProvider();
    srv = await startApiServer(
      {
        host: '127.0.0.1',
        port: 0,
        timeZone: 'Europe/Moscow',
        nowMs: () => NOW,
        bodyLimitBytes: 4096,
        onError: (e, where) => void errors.push(`${where}: ${String(e)}`),
      },
      p,
    );
  });
  afterAll(() => srv.close());

  it('GET /health', async () => {
    const r = await get(`${srv.url}/health`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, now_ms: NOW });
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /status is the provider status, whole', async () => {
    const r = await get(`${srv.url}/status`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body)).toEqual(STATUS);
  });

  it('GET /api/days lists the held days with the store language; /api/trends checks its parameters', async () => {
    const days = await get(`${srv.url}/api/days`);
    expect(days.status).toBe(200);
    expect(JSON.parse(days.body)).toMatchObject({ store_id: 'msk-01', locale: 'en', days: ['2025-03-05'] });
    expect((await get(`${srv.url}/api/trends?date=2025-03-05&days=30`)).status).toBe(200);
    const bad = await get(`${srv.url}/api/trends?date=2025-03-05&days=0`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/parameter days "0" must be an integer from 1 to 400/);
    const page = await get(`${srv.url}/`);
    expect(page.body).toMatch(/<html lang="en">/);
    const uplot = await get(`${srv.url}/ui/uplot.js`);
    expect(uplot.status).toBe(200);
    expect(uplot.body).toMatch(/uPlot/);
  });

  it('GET /api/kpis?date= returns the day report and camera coverage; no date means today in the store zone', async () => {
    const r = await get(`${srv.url}/api/kpis?date=2025-03-05`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      date: '2025-03-05',
      report: REPORT,
      camera_coverage: { entrance: 0.98, hall: 1, till: 0.61 },
      hourly: [],
      timeline: [],
      heatmap: null,
      camera_heatmaps: [],
      source: null,
    });
    const empty = await get(`${srv.url}/api/kpis?date=2025-03-04`);
    expect(JSON.parse(empty.body)).toEqual({
      date: '2025-03-04',
      report: null,
      camera_coverage: {},
      hourly: [],
      timeline: [],
      heatmap: null,
      camera_heatmaps: [],
      source: null,
    });
    // 21:30 UTC on the 5th is already the 6th in Moscow (UTC+3).
    const late = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'Europe/Moscow', nowMs: () => Date.parse('2025-03-05T21:30:00Z') }, p);
    try {
      expect(JSON.parse((await get(`${late.url}/api/kpis`)).body).date).toBe('2025-03-06');
    } finally {
      await late.close();
    }
  });

  it('GET /api/consultations?date= lists them with ISO times', async () => {
    const r = await get(`${srv.url}/api/consultations?date=2025-03-05`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      date: '2025-03-05',
      consultations: CONSULTATIONS.map((c) => ({
        seller_id: c.sellerId,
        visit_id: c.visitId,
        start: new Date(c.start).toISOString(),
        end: new Date(c.end).toISOString(),
        duration_s: c.durationS,
      })),
    });
  });

  it.each<[string, number, RegExp]>([
    ['/api/kpis?date=2025-02-30', 400, /^parameter date "2025-02-30" is not a calendar date YYYY-MM-DD$/],
    ['/api/kpis?date=2025-3-5', 400, /^parameter date "2025-3-5" is not/],
    ['/api/kpis?date=yesterday', 400, /^parameter date "yesterday" is not/],
    ['/api/kpis?date=', 400, /^parameter date "" is not/],
    ['/api/consultations?date=05.03.2025', 400, /^parameter date "05\.03\.2025" is not/],
    ['/api/kpis?date=2025-03-05&date=2025-03-06', 400, /^parameter date given more than once$/],
    ['/api/kpis?data=2025-03-05', 400, /^unknown query parameter "data"; accepted: date$/],
    ['/status?verbose=1', 400, /^unknown query parameter "verbose"$/],
    ['/api/cameras/nope/snapshot', 404, /^no camera "nope"$/],
    ['/api/cameras/till/snapshot', 503, /^camera "till" has no frame yet$/],
    ['/api/cameras/bad%20id/snapshot', 400, /^parameter id "bad id" is not a camera id/],
    ['/api/cameras/%E0%A4%A/snapshot', 400, /^path parameter id is not valid percent-encoding$/],
    ['/api/cameras//snapshot', 404, /^no such endpoint/],
    ['/api/nothing', 404, /^no such endpoint: \/api\/nothing$/],
    ['/status/', 404, /^no such endpoint/],
  ])('GET %s -> %i with a reason', async (path, status, reason) => {
    const r = await get(srv.url + path);
    expect(r.status).toBe(status);
    const body = JSON.parse(r.body) as { error: string; status: number };
    expect(body.error).toMatch(reason);
    expect(body.status).toBe(status);
  });

  it('a known path with the wrong method is 405 with Allow', async () => {
    const r = await post(`${srv.url}/status`, '{}');
    expect(r.status).toBe(405);
    expect(r.json.error).toBe('method POST not allowed on /status; use GET');
    const g = await get(`${srv.url}/api/receipts`);
    expect(g.status).toBe(405);
    expect(g.headers.get('allow')).toBe('POST');
  });

  describe('POST /api/receipts', () => {
    const one = { receipt_id: 'R-1', timestamp: '2025-03-05T12:31:00+03:00', total: 2480.5, currency: 'RUB', register: 'till-1', seller_code: 'anna' };

    it('stores one receipt (201), hands the provider a parsed Receipt, and reports a repeat as duplicate (200)', async () => {
      const r = await post(`${srv.url}/api/receipts`, JSON.stringify(one));
      expect(r).toEqual({ status: 201, json: { received: 1, stored: 1, duplicates: 0 } });
      expect(p.receipts).toContainEqual({
        receiptId: 'R-1',
        t: Date.parse('2025-03-05T09:31:00Z'),
        total: 2480.5,
        currency: 'RUB',
        register: 'till-1',
        sellerCode: 'anna',
      });
      const again = await post(`${srv.url}/api/receipts`, JSON.stringify([one, { receipt_id: 'R-2', timestamp: '2025-03-05T09:40:00Z', total: 10 }]));
      expect(again).toEqual({ status: 201, json: { received: 2, stored: 1, duplicates: 1 } });
      expect(p.receipts.find((x) => x.receiptId === 'R-2')).toEqual({
        receiptId: 'R-2',
        t: Date.parse('2025-03-05T09:40:00Z'),
        total: 10,
        currency: '',
        register: '',
        sellerCode: null,
      });
      expect(await post(`${srv.url}/api/receipts`, JSON.stringify(one))).toEqual({ status: 200, json: { received: 1, stored: 0, duplicates: 1 } });
    });

    it.each<[string, string, number, RegExp]>([
      ['not JSON', '{"receipt_id": ', 400, /^body is not valid JSON: /],
      ['missing total', JSON.stringify({ ...one, total: undefined }), 400, /^body\.total: /],
      ['negative total', JSON.stringify({ ...one, total: -5 }), 400, /^body\.total: /],
      ['total as text', JSON.stringify({ ...one, total: '12' }), 400, /^body\.total: /],
      ['timestamp without offset', JSON.stringify({ ...one, timestamp: '2025-03-05T12:31:00' }), 400, /^body\.timestamp: expected ISO-8601 with an offset/],
      ['impossible timestamp', JSON.stringify({ ...one, timestamp: '2025-13-45T12:31:00Z' }), 400, /^body\.timestamp: not a real date and time/],
      ['unknown field', JSON.stringify({ ...one, price: 1 }), 400, /^body: .*price/],
      [
        'dated 2099',
        JSON.stringify({ ...one, timestamp: '2099-01-01T10:00:00+03:00' }),
        400,
        /^body\.timestamp: "2099-01-01T10:00:00\+03:00" is \d+ days in the future \(the box's clock says 2025-03-05T09:30:00\.000Z/,
      ],
      [
        'dated an hour ahead, in a batch',
        JSON.stringify([one, { ...one, receipt_id: 'R-8', timestamp: '2025-03-05T10:30:00Z' }]),
        400,
        /^body\[1\]\.timestamp: "2025-03-05T10:30:00Z" is 1 h in the future/,
      ],
      ['bad element of a batch', JSON.stringify([one, { ...one, receipt_id: 'R-9', timestamp: 'noon' }]), 400, /^body\[1\]\.timestamp: /],
      ['empty batch', '[]', 400, /^body: /],
      ['a bare number', '42', 400, /^body: /],
      ['too large', JSON.stringify([...Array(60)].map((_, i) => ({ ...one, receipt_id: `big-${i}` }))), 413, /larger than the 4096-byte limit$/],
    ])('%s -> %i', async (_n, body, status, reason) => {
      const before = p.receipts.length;
      const r = await post(`${srv.url}/api/receipts`, body);
      expect(r.status).toBe(status);
      expect(String(r.json.error)).toMatch(reason);
      expect(p.receipts.length).toBe(before);
    });

    it('wrong content type -> 415', async () => {
      const r = await post(`${srv.url}/api/receipts`, JSON.stringify(one), { 'content-type': 'text/plain' });
      expect(r).toEqual({ status: 415, json: { error: 'content-type must be application/json, got "text/plain"', status: 415 } });
    });
  });

  it('provider failures are 500 without stack traces; coded errors keep their message', async () => {
    p.fail = new Error('secret internals at /srv/agent/src/x.ts:10');
    const r = await get(`${srv.url}/status`);
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toEqual({ error: 'internal error (see the agent log)', status: 500 });
    expect(r.body).not.toMatch(/\/srv|at |\.ts/);
    p.fail = new FailureError('FS_DB', 'the SQLite database at data/fs.db is locked');
    const m = await get(`${srv.url}/metrics`);
    expect(m.status).toBe(500);
    expect(JSON.parse(m.body)).toEqual({ error: 'the SQLite database at data/fs.db is locked', code: 'FS_DB', status: 500 });
    p.fail = null;
    expect(errors.some((e) => e.startsWith('GET /status: Error: secret internals'))).toBe(true);
  });

  it('GET /metrics is Prometheus text: every line parses, every sample has HELP and TYPE first', async () => {
    const r = await get(`${srv.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.body.endsWith('\n')).toBe(true);
    const help = new Set<string>();
    const type = new Map<string, string>();
    const samples = new Map<string, number>();
    const LABEL = String.raw`[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"`;
    const SAMPLE = new RegExp(String.raw`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{${LABEL}(?:,${LABEL})*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$`);
    for (const line of r.body.slice(0, -1).split('\n')) {
      let m: RegExpExecArray | null;
      if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line))) {
        expect(help.has(m[1]!)).toBe(false);
        help.add(m[1]!);
      } else if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$/.exec(line))) {
        expect(help.has(m[1]!)).toBe(true);
        type.set(m[1]!, m[2]!);
      } else {
        m = SAMPLE.exec(line);
        expect(m, `unparsable line: ${line}`).not.toBeNull();
        expect(type.has(m![1]!), `sample before its TYPE: ${line}`).toBe(true);
        samples.set(m![1]! + (m![2] ?? ''), Number(m![3]!));
      }
    }
    for (const [name, t] of type) if (t === 'counter') expect(name.endsWith('_total')).toBe(true);
    expect(samples.get('floorsense_up')).toBe(1);
    expect(samples.get('floorsense_camera_state{camera="hall",state="frozen"}')).toBe(1);
    expect(samples.get('floorsense_camera_state{camera="hall",state="up"}')).toBe(0);
    expect(samples.get('floorsense_camera_frames_total{camera="entrance"}')).toBe(17_640);
    expect(samples.get('floorsense_detector_queue_depth')).toBe(2);
    expect(samples.get('floorsense_sync_backlog_rows')).toBe(124);
    expect(samples.get('floorsense_warnings{source="camera"}')).toBe(2);
    // The disk path has a quote and a backslash: escaped in the label value.
    expect(samples.get(String.raw`floorsense_box_disk_free_bytes{path="/var/lib/floor\"sense\\data"}`)).toBe(40 * 2 ** 30);
    // Unknown readings are absent, not zero.
    expect([...samples.keys()].some((k) => k.startsWith('floorsense_camera_fps{camera="till"}'))).toBe(false);
    expect([...samples.keys()].some((k) => k.startsWith('floorsense_box_cpu_temperature_celsius'))).toBe(false);
    expect(help.has('floorsense_box_cpu_temperature_celsius')).toBe(true);
  });

  it('GET /api/cameras/:id/snapshot is a JPEG of the picture (pad cut away) at source size, with the boxes drawn in source pixels', async () => {
    const r = await get(`${srv.url}/api/cameras/entrance/snapshot`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect([r.bytes[0], r.bytes[1]]).toEqual([0xff, 0xd8]);
    expect([r.bytes.at(-2), r.bytes.at(-1)]).toEqual([0xff, 0xd9]);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', '-'], {
      input: r.bytes,
    })
      .toString()
      .trim();
    // The camera's own 768x432, not the model's 640x360: a point read off it is a zone coordinate.
    expect(probe).toBe('mjpeg,768,432');
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-f', 'mjpeg', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { input: r.bytes });
    expect(rgb.length).toBe(768 * 432 * 3);
    const at = (x: number, y: number): number[] => [...rgb.subarray((y * 768 + x) * 3, (y * 768 + x) * 3 + 3)];
    const near = (a: number[], b: readonly number[]): boolean => a.every((v, i) => Math.abs(v - b[i]!) < 48);
    expect(near(at(160, 300), colorForId(7))).toBe(false); // inside the box: picture
    expect(near(at(140, 399), colorForId(7))).toBe(true); // bottom edge (source y 400)
    expect(near(at(101, 250), colorForId(7))).toBe(true); // left edge (source x 100)
    // The zone "door" is outlined in its kind's colour along its top edge (source y 20).
    expect(near(at(600, 21), ZONE_COLORS.entrance)).toBe(true);
    // overlay=none: the bare picture for the editor, which draws its own.
    const bare = await get(`${srv.url}/api/cameras/entrance/snapshot?overlay=none&t=1`);
    const plain = execFileSync('ffmpeg', ['-v', 'error', '-f', 'mjpeg', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { input: bare.bytes });
    const pat = (x: number, y: number): number[] => [...plain.subarray((y * 768 + x) * 3, (y * 768 + x) * 3 + 3)];
    expect(near(pat(101, 250), colorForId(7))).toBe(false);
    // detail=source from a provider that cannot decode the camera itself: the pipeline's picture, said so.
    const src = await get(`${srv.url}/api/cameras/entrance/snapshot?overlay=none&detail=source`);
    expect([src.status, src.headers.get('x-floorsense-detail')]).toEqual([200, 'pipeline']);
    const refused = await get(`${srv.url}/api/cameras/entrance/snapshot?detail=source`);
    expect([refused.status, JSON.parse(refused.body).error]).toEqual([
      400,
      'detail=source is the bare picture: add overlay=none (the boxes are of another moment)',
    ]);
  });
});

describe.skipIf(!haveData('video/checkout_counter_cashier.mp4'))('snapshot of a real camera frame', () => {
  it('a decoded, letterboxed checkout-counter frame comes back as a 768x432-aspect JPEG with boxes', async () => {
    const [frame] = decodeLetterboxed(dataPath('video/checkout_counter_cashier.mp4'), 768, 432, 640, 2, 1, 25);
    const srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'UTC' }, fixtureProvider(frame!));
    try {
      const t0 = performance.now();
      const r = await get(`${srv.url}/api/cameras/entrance/snapshot`);
      const ms = performance.now() - t0;
      expect(r.status).toBe(200);
      const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-'], { input: r.bytes })
        .toString()
        .trim();
      expect(probe).toBe('768,432');
      expect(r.bytes.length).toBeGreaterThan(5_000); // a real picture, not a flat fill
      console.log(`snapshot 768x432 from a real frame: ${r.bytes.length} bytes in ${ms.toFixed(0)} ms`);
    } finally {
      await srv.close();
    }
  });
});

describe('snapshot load', () => {
  it('encodes at most maxConcurrentSnapshots at once; the rest get 503 with Retry-After', async () => {
    const srv = await startApiServer({ host: '127.0.0.1', port: 0, timeZone: 'UTC', maxConcurrentSnapshots: 1 }, fixtureProvider());
    try {
      const rs = await Promise.all([0, 1, 2].map(() => get(`${srv.url}/api/cameras/entrance/snapshot`)));
      expect(rs.map((r) => r.status).sort()).toEqual([200, 503, 503]);
      const busy = rs.find((r) => r.status === 503)!;
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(JSON.parse(busy.body).error).toBe('snapshot encoder busy (1 in progress); retry shortly');
      expect((await get(`${srv.url}/api/cameras/entrance/snapshot`)).status).toBe(200); // freed again
    } finally {
      await srv.close();
    }
  });
});
