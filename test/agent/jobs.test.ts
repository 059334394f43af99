import { describe, expect, it } from 'vitest';
import { guardedJob } from '../../agent/src/agent/jobs.js';
import type { AgentLogger } from '../../agent/src/agent/logger.js';

function memoryLogger(lines: Array<{ level: string; msg: string }>): AgentLogger {
  const at = (level: string) => (_o: object, msg: string) => void lines.push({ level, msg });
  const l: AgentLogger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: () => l };
  return l;
}

describe('guarded jobs never overlap themselves', () => {
  it('skips and logs a tick while the previous run is still going', async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    let release: () => void = () => {};
    let started = 0;
    const job = guardedJob(
      'archive',
      () => {
        started++;
        return new Promise<void>((r) => (release = r));
      },
      memoryLogger(lines),
      () => 0,
    );
    const first = job.runNow();
    expect(await job.runNow()).toBe(false);
    expect(await job.runNow()).toBe(false);
    expect(job.report()).toMatchObject({ runs: 1, skipped: 2, running: true });
    expect(lines.filter((l) => l.level === 'warn' && /still in progress/.test(l.msg))).toHaveLength(2);
    release();
    expect(await first).toBe(true);
    expect(job.report().running).toBe(false);
    const second = job.runNow();
    release();
    expect(await second).toBe(true);
    expect(started).toBe(2);
  });

  it('logs a failure, keeps it in the report and runs again next time', async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    let fail = true;
    const job = guardedJob(
      'sync',
      async () => {
        if (fail) throw new Error('clickhouse unreachable');
      },
      memoryLogger(lines),
      () => 0,
    );
    expect(await job.runNow()).toBe(true);
    expect(job.report()).toMatchObject({ failures: 1, lastError: 'clickhouse unreachable', running: false });
    expect(lines.some((l) => l.level === 'error' && l.msg.includes('clickhouse unreachable'))).toBe(true);
    fail = false;
    await job.runNow();
    expect(job.report()).toMatchObject({ runs: 2, failures: 1, lastError: null });
  });
});
