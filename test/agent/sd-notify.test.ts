/**
 * READY=1 / WATCHDOG=1 / STOPPING=1 to systemd: the real agent (compiled CLI) started with
 * NOTIFY_SOCKET pointing at a unix datagram socket held by test/helpers/notify_socket.py, which
 * behaves as the manager's end (answers BARRIER=1, reports the sender's pid and parent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchdogInterval } from '../../agent/src/agent/sd-notify.js';
import { dataPath, haveData, REPO_ROOT } from '../helpers/shared-data.js';
import { waitUntil, writeConfig } from './helpers.js';

const CLI = join(REPO_ROOT, 'bin', 'floorsense.js');
// The agent loads its detector at start, cameras or not.
const ok = haveData('models/yolov8n_fp32.onnx');
const MODELS = process.env.FLOORSENSE_MODELS ?? dataPath('models');

interface Note {
  readonly msg: string;
  readonly pid: number | null;
  readonly ppid: number | null;
}

describe('watchdogInterval', () => {
  it('is half of WATCHDOG_USEC, for this process only', () => {
    expect(watchdogInterval({ WATCHDOG_USEC: '60000000' }, 42)).toBe(30_000);
    expect(watchdogInterval({ WATCHDOG_USEC: '60000000', WATCHDOG_PID: '42' }, 42)).toBe(30_000);
    expect(watchdogInterval({ WATCHDOG_USEC: '60000000', WATCHDOG_PID: '7' }, 42)).toBeUndefined();
    expect(watchdogInterval({}, 42)).toBeUndefined();
  });
});

describe.skipIf(!ok)('systemd notification from floorsense run', () => {
  let dir: string;
  let sock: string;
  let receiver: ChildProcess;
  const notes: Note[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-notify-'));
    sock = join(dir, 'notify.sock');
    receiver = spawn('/usr/bin/python3', [join(REPO_ROOT, 'test/helpers/notify_socket.py'), sock], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    let listening = false;
    receiver.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const p of parts) {
        if (p === 'LISTENING') listening = true;
        else if (p.trim() !== '') notes.push(JSON.parse(p) as Note);
      }
    });
    await waitUntil('the notify socket to listen', () => listening, 10_000);
  });

  afterAll(() => {
    receiver?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends READY=1 once up, WATCHDOG=1 at half the interval, STOPPING=1 on SIGTERM, each from a child of the agent', async () => {
    const cfg = writeConfig(join(dir, 'cfg'), { store: { id: 'notify-test' }, cameras: [], storage: { path: 'st.db' }, api: { port: 0 } });
    const agent = spawn(process.execPath, [CLI, 'run', '--config', cfg], {
      env: { ...process.env, FLOORSENSE_MODELS: MODELS, NOTIFY_SOCKET: sock, WATCHDOG_USEC: '400000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    agent.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    agent.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => agent.on('exit', (code) => r(code)));
    try {
      // The log line comes once systemd-notify returned, i.e. after the manager's end answered its barrier.
      await waitUntil('READY=1 and its log line', () => notes.some((n) => n.msg.startsWith('READY=1')) && out.includes('systemd notified: ready'), 30_000);
      // Ready means serving: the API was listening before.
      expect(out.indexOf('local API listening')).toBeGreaterThan(-1);
      expect(out.indexOf('local API listening')).toBeLessThan(out.indexOf('systemd notified: ready'));
      const ready = notes.find((n) => n.msg.startsWith('READY=1'))!;
      expect(ready.msg).toBe('READY=1\nSTATUS=running: 0 camera(s), store notify-test');
      // Sent by systemd-notify, a child of the agent, still alive when the socket read it; run with
      // privileges (root) it sends with the agent's own pid instead. Either way systemd can tell the unit.
      const fromAgent = (n: Note): boolean => n.pid === agent.pid || n.ppid === agent.pid;
      expect(fromAgent(ready)).toBe(true);
      await waitUntil('three watchdog pings', () => notes.filter((n) => n.msg === 'WATCHDOG=1').length >= 3, 10_000);
      expect(notes.filter((n) => n.msg === 'WATCHDOG=1').every(fromAgent)).toBe(true);
      agent.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(notes.some((n) => n.msg === 'STOPPING=1')).toBe(true);
      expect(out).not.toContain('cannot notify systemd');
    } finally {
      agent.kill('SIGKILL');
    }
  }, 60_000);

  it('a socket nobody holds is a warning, not a failure', async () => {
    const cfg = writeConfig(join(dir, 'cfg2'), { store: { id: 'notify-test' }, cameras: [], storage: { path: 'st.db' }, api: { port: 0 } });
    const agent = spawn(process.execPath, [CLI, 'run', '--config', cfg], {
      env: { ...process.env, FLOORSENSE_MODELS: MODELS, NOTIFY_SOCKET: join(dir, 'nobody.sock') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    agent.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => agent.on('exit', (code) => r(code)));
    try {
      // Two log lines, written one after the other: wait for both (under load they arrive apart).
      await waitUntil('the warning and the ready line', () => out.includes('cannot notify systemd') && out.includes('systemd notified: ready'), 30_000);
      agent.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      agent.kill('SIGKILL');
    }
  }, 60_000);
});
