/**
 * Peak resident memory while a benchmark step runs, sampled every `everyMs`: this Node process
 * (worker threads and onnxruntime arenas included) and, separately, its child processes (the ffmpeg
 * decoders), read from /proc. A sampler, not a guarantee: a spike shorter than the interval can
 * be missed, so the figures are a lower bound of the true peak (process.resourceUsage().maxRSS
 * gives the process's lifetime peak, which is reported beside it).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface RssPeak {
  /** Peak RSS of this process, MiB. */
  readonly selfMb: number;
  /** Peak of the summed RSS of direct children (ffmpeg), MiB; 0 where /proc is unavailable. */
  readonly childrenMb: number;
  /** Peak of self + children sampled together, MiB. */
  readonly totalMb: number;
  /**
   * Peak of self + children's proportional set size (Pss, /proc/PID/smaps_rollup), MiB: each shared
   * page (ffmpeg's libraries, mapped by every decoder) counted once across the processes, not once
   * per process as the RSS sum does. What the box's memory actually holds; 0 where unavailable.
   */
  readonly totalPssMb: number;
}

const MIB = 1024 * 1024;

/** Direct children of `pid` (Linux /proc; empty elsewhere). */
function childPids(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(e));
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out;
}

/** Pss in bytes of `pid` (0 where /proc/PID/smaps_rollup is unreadable or the process ended). */
function pssBytes(pid: number | 'self'): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Pss of `pid` and its direct children together, bytes. */
export function treePssBytes(pid = process.pid): number {
  return childPids(pid).reduce((sum, c) => sum + pssBytes(c), pssBytes(pid === process.pid ? 'self' : pid));
}

/** RSS in bytes of every direct child of `pid` (Linux /proc; empty elsewhere). */
export function childrenRssBytes(pid = process.pid): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) !== pid) continue;
      // Field 24 (rss, pages) is rest[21].
      total += Number(rest[21]) * 4096;
    } catch {
      // The process ended between readdir and read.
    }
  }
  return total;
}

/** RSS in bytes of `pid` from /proc (0 when it ended or /proc is unavailable). */
function rssBytes(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[21]) * 4096;
  } catch {
    return 0;
  }
}

/**
 * Start sampling `pid` (default this process) and its direct children; the returned stop() gives
 * the peaks seen. Another pid: the agent run as its own process (bench:store --cli).
 */
export function sampleRss(everyMs = 250, pid = process.pid): { stop(): RssPeak } {
  let self = 0;
  let children = 0;
  let total = 0;
  let pss = 0;
  const take = (): void => {
    const s = pid === process.pid ? process.memoryUsage.rss() : rssBytes(pid);
    const c = childrenRssBytes(pid);
    self = Math.max(self, s);
    children = Math.max(children, c);
    total = Math.max(total, s + c);
    pss = Math.max(pss, treePssBytes(pid));
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      take();
      clearInterval(timer);
      const mb = (b: number): number => Math.round(b / MIB);
      return { selfMb: mb(self), childrenMb: mb(children), totalMb: mb(total), totalPssMb: mb(pss) };
    },
  };
}
