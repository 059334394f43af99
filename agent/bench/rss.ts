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
}

const MIB = 1024 * 1024;

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

/** Start sampling; the returned stop() gives the peaks seen. */
export function sampleRss(everyMs = 250): { stop(): RssPeak } {
  let self = 0;
  let children = 0;
  let total = 0;
  const take = (): void => {
    const s = process.memoryUsage.rss();
    const c = childrenRssBytes();
    self = Math.max(self, s);
    children = Math.max(children, c);
    total = Math.max(total, s + c);
  };
  take();
  const timer = setInterval(take, everyMs);
  timer.unref();
  return {
    stop() {
      take();
      clearInterval(timer);
      const mb = (b: number): number => Math.round(b / MIB);
      return { selfMb: mb(self), childrenMb: mb(children), totalMb: mb(total) };
    },
  };
}
