/**
 * Where a process tree's CPU time goes, from /proc (Linux): per process and per thread utime +
 * stime, sampled every `everyMs` (bench:store --cpu). CPU seconds do not depend on what else loads
 * the box the way wall seconds do, so they are the figure to compare runs by on a shared machine.
 *
 * Threads are told apart by their name (/proc/PID/task/TID/comm): the agent names its worker
 * threads (runtime/thread-name.ts: `ort:<model>` for each onnxruntime worker, `rollup`), and the
 * intra-op threads onnxruntime starts from a worker inherit that worker's name. The process's own
 * thread (tid = pid) is reported as `main`; unnamed Node threads (V8's platform workers, libuv's
 * pool) keep the name `node`.
 *
 * A sampler: a thread or child that ends loses at most its last interval (the final sample is
 * taken when stop() is called, before the caller reaps the process). The exact total of a child
 * that was waited for is in the parent's cutime + cstime, which `reapedCpuSec` reads.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ; 100 on Linux's common builds). */
const TICKS_PER_SEC = 100;

export interface ThreadCpu {
  /** The process's name (ffmpeg, node) and pid. */
  readonly process: string;
  readonly pid: number;
  /** `main` for the process's own thread, else the thread's comm. */
  readonly thread: string;
  readonly tid: number;
  readonly cpuSec: number;
}

export interface CpuSplit {
  readonly threads: readonly ThreadCpu[];
  /** Summed CPU seconds by process name, then by `process/thread` name, largest first. */
  readonly byProcess: ReadonlyArray<{ readonly name: string; readonly cpuSec: number; readonly count: number }>;
  readonly byThread: ReadonlyArray<{ readonly name: string; readonly cpuSec: number; readonly count: number }>;
  readonly totalSec: number;
}

/** utime + stime of a /proc stat line, in ticks; the comm (field 2) may hold spaces, so split after ')'. */
function statTicks(stat: string): { ticks: number; ppid: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(rest[11]) + Number(rest[12]), ppid: Number(rest[1]) };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // ended between listing and reading
  }
}

/** `pid` and every descendant, from one scan of /proc. */
function tree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const stat = read(`/proc/${e}/stat`);
    if (stat) parent.set(Number(e), statTicks(stat).ppid);
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, pp] of parent) if (pp === out[i]) out.push(p);
  return out;
}

/** Start sampling `pid`'s tree; stop() takes a last sample and returns the split. */
export function sampleCpu(pid: number, everyMs = 200): { stop(): CpuSplit } {
  const seen = new Map<string, { process: string; pid: number; thread: string; tid: number; ticks: number }>();
  const take = (): void => {
    for (const p of tree(pid)) {
      const pname = read(`/proc/${p}/comm`)?.trim();
      if (pname === undefined) continue;
      let tids: string[];
      try {
        tids = readdirSync(`/proc/${p}/task`);
      } catch {
        continue;
      }
      for (const t of tids) {
        const stat = read(`/proc/${p}/task/${t}/stat`);
        const comm = read(`/proc/${p}/task/${t}/comm`)?.trim();
        if (!stat || comm === undefined) continue;
        const tid = Number(t);
        seen.set(`${p}/${t}`, { process: pname, pid: p, thread: tid === p ? 'main' : comm, tid, ticks: statTicks(stat).ticks });
      }
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      take();
      clearInterval(timer);
      const threads = [...seen.values()].map((s) => ({ process: s.process, pid: s.pid, thread: s.thread, tid: s.tid, cpuSec: s.ticks / TICKS_PER_SEC }));
      const group = (key: (t: ThreadCpu) => string) => {
        const m = new Map<string, { name: string; cpuSec: number; count: number }>();
        for (const t of threads) {
          const k = key(t);
          const g = m.get(k) ?? m.set(k, { name: k, cpuSec: 0, count: 0 }).get(k)!;
          g.cpuSec += t.cpuSec;
          g.count++;
        }
        return [...m.values()].sort((a, b) => b.cpuSec - a.cpuSec);
      };
      return {
        threads,
        byProcess: group((t) => t.process),
        byThread: group((t) => `${t.process}/${t.thread}`),
        totalSec: threads.reduce((s, t) => s + t.cpuSec, 0),
      };
    },
  };
}

/** CPU seconds of this process's children that have been waited for (cutime + cstime: them and their own reaped descendants). */
export function reapedCpuSec(): number {
  const rest = readFileSync('/proc/self/stat', 'utf8');
  const f = rest.slice(rest.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / TICKS_PER_SEC;
}

/** Self time per function of a V8 .cpuprofile (node --cpu-prof), largest first. */
export function hottestFunctions(profile: {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}): Array<{ name: string; selfMs: number; share: number }> {
  // Self time from the samples and their time deltas (hitCount alone ignores uneven sampling).
  const byNode = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) byNode.set(samples[i]!, (byNode.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const us = byNode.get(n.id) ?? 0;
    if (us === 0) continue;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(/^.*\/(agent|dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const total = [...byFn.values()].reduce((s, v) => s + v, 0) || 1;
  return [...byFn.entries()].map(([name, us]) => ({ name, selfMs: us / 1000, share: us / total })).sort((a, b) => b.selfMs - a.selfMs);
}
