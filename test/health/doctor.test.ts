import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../agent/src/store/open.js';
import { pendingRows } from '../../agent/src/store/outbox.js';
import { saveCameraUptime } from '../../agent/src/store/aggregates.js';
import {
  checkOutbox,
  clockRow,
  inputFitRows,
  diskRow,
  gopVerdict,
  modeAllowsWrite,
  nodeVersionRow,
  retentionNeedBytes,
  summarize,
} from '../../agent/src/health/doctor.js';
import { formatDoctorTable } from '../../agent/src/cli/commands/doctor.js';

const MiB = 1024 * 1024;

describe('doctor verdicts', () => {
  it.each([
    ['20.20.2', 'pass'],
    ['20.11.0', 'pass'],
    ['20.10.0', 'fail'],
    ['18.20.4', 'fail'],
    ['21.7.0', 'fail'],
    ['22.3.0', 'pass'],
  ])('node %s: %s', (v, status) => expect(nodeVersionRow(v).status).toBe(status));

  it.each([
    [1, 1, 'pass'],
    [0.96, 1, 'pass'],
    [2, 1, 'warn'],
    [undefined, 1, 'warn'],
    [4, 4, 'pass'],
  ] as const)('GOP %s s at a %s s sampling interval: %s', (gop, interval, status) => {
    const v = gopVerdict(gop, interval);
    expect(v.status).toBe(status);
    expect(v.fix === '').toBe(status === 'pass');
  });

  it('disk: below the floor fails, below floor + retention need warns, else passes', () => {
    expect(diskRow('/var/lib/floorsense', 500 * MiB, 1024 * MiB, 300 * MiB).status).toBe('fail');
    expect(diskRow('/var/lib/floorsense', 1200 * MiB, 1024 * MiB, 300 * MiB).status).toBe('warn');
    expect(diskRow('/var/lib/floorsense', 2000 * MiB, 1024 * MiB, 300 * MiB).status).toBe('pass');
    // 2 cameras at 1 sample/s, 3 days: 2 * 86400 * 10 people * 120 B * 3
    expect(retentionNeedBytes(2, 1, 3)).toBe(2 * 86_400 * 10 * 120 * 3);
  });

  it('clock skew against ClickHouse: up to 5 s passes, up to 60 s warns, beyond fails', () => {
    expect(clockRow('http://ch:8123', 1200).status).toBe('pass');
    expect(clockRow('http://ch:8123', -30_000).status).toBe('warn');
    expect(clockRow('http://ch:8123', -30_000).detail).toContain('behind');
    expect(clockRow('http://ch:8123', 120_000).status).toBe('fail');
  });

  it('the report fails on any fail row, and the table prints each fix under its row', () => {
    const rows = [nodeVersionRow('20.20.2'), nodeVersionRow('18.0.0'), nodeVersionRow('16.0.0')];
    const r = summarize(rows);
    expect(r.ok).toBe(false);
    expect(r.counts).toEqual({ pass: 1, warn: 0, fail: 2 });
    const table = formatDoctorTable('/etc/floorsense/store.yaml', r);
    expect(table).toMatch(/^FAIL {2}node\s+Node 18\.0\.0; FloorSense needs/m);
    expect(table).toMatch(/^\s+fix: install the offline bundle/m);
    expect(table.trim().split('\n').at(-1)).toBe('1 ok, 0 warning(s), 2 failure(s)');
  });

  it.each([
    [{ uid: 999, gid: 995, mode: 0o40750 }, true],
    [{ uid: 0, gid: 0, mode: 0o40755 }, false],
    [{ uid: 0, gid: 995, mode: 0o40775 }, true],
    [{ uid: 0, gid: 0, mode: 0o41777 }, true],
    [{ uid: 999, gid: 995, mode: 0o40550 }, false],
  ])('service user uid 999 gid 995 can write %o: %s', (st, expected) => expect(modeAllowsWrite(st, { uid: 999, gid: 995 })).toBe(expected));
});

describe('doctor: the outbox row, on a real SQLite store file', () => {
  const NOW = Date.UTC(2026, 10, 20, 12);
  const DAY = 86_400_000;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-doctor-outbox-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no database yet passes; nothing waiting passes', () => {
    expect(checkOutbox(join(dir, 'none.db'), NOW)).toMatchObject({ status: 'pass', detail: expect.stringMatching(/no database yet/) });
    const path = join(dir, 'empty.db');
    openStore(path, { nowMs: NOW }).close();
    expect(checkOutbox(path, NOW)).toMatchObject({ status: 'pass', detail: expect.stringMatching(/nothing waiting/) });
  });

  it('a quarantined row warns, naming its type and why; a backlog older than two days warns', () => {
    const path = join(dir, 'q.db');
    const s = openStore(path, { nowMs: NOW });
    saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day: '2026-11-19', upMs: 1, downMs: 0, outages: 0 }], NOW);
    saveCameraUptime(s.db, 's1', [{ cameraId: 'cam1', day: '2026-11-20', upMs: 2, downMs: 0, outages: 0 }], NOW);
    // Fresh backlog: waiting, not yet a concern.
    expect(checkOutbox(path, NOW + 60_000)).toMatchObject({ status: 'pass', detail: expect.stringMatching(/2 aggregate row\(s\) waiting/) });
    expect(checkOutbox(path, NOW + 3 * DAY)).toMatchObject({ status: 'warn', detail: expect.stringMatching(/oldest for 3 days/) });
    // A row tampered with after it was queued fails the whitelist on the way out: quarantined.
    s.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.floor_x', 1.5) WHERE seq = 1").run();
    pendingRows(s.db, 10, NOW + 5);
    s.close();
    const r = checkOutbox(path, NOW + 10);
    expect(r.status).toBe('warn');
    expect(r.detail).toMatch(/1 aggregate row\(s\) quarantined, never sent: #1 camera_uptime: .*floor_x/);
    expect(r.fix).toMatch(/sync --status/);
  });
});

describe('doctor: the detector input against each camera', () => {
  const fitted = { width: 640, height: 384, mode: 'fitted' as const, native: { width: 640, height: 640 }, path: '/x.onnx', precision: 'fp32' as const };
  it('16:9 cameras fit; a taller picture is warned with its own fitted size', () => {
    const rows = inputFitRows(fitted, [
      { id: 'hall', picture: { width: 1920, height: 1080 } },
      { id: 'sub', picture: { width: 640, height: 360 } },
      { id: 'd1', picture: { width: 704, height: 576 } },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      check: 'input',
      subject: 'd1',
      status: 'warn',
      detail: 'camera d1 is 704x576: in the 640x384 detector input people are scaled 0.67, against 0.91 at the native 640x640',
      fix: 'set detector.input: 640x544 (fitted to this camera) or native',
    });
  });
  it('says nothing when the detector runs its native input', () => {
    expect(inputFitRows({ ...fitted, width: 640, height: 640, mode: 'native' }, [{ id: 'd1', picture: { width: 704, height: 576 } }])).toEqual([]);
  });
});
