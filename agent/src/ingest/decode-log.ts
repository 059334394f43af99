/**
 * What ffmpeg's stderr says during a decode, folded into state: decoded-frame count and last pts
 * (showinfo before the selection), each output frame's pts (showinfo after it), damage reports and
 * the tail of other lines for error messages. Pure: feed it text, read it back.
 */
import { isDamageLine } from './failures.js';
import { eventSeconds, parseShowinfoLine, showinfoTap, type ShowinfoTap } from './showinfo.js';

const MAX_WARNINGS = 20;
const TAIL_LINES = 40;

export interface TimeOriginRule {
  /** Live: seconds count from this session's first decoded frame (each RTSP session restarts its clock). */
  readonly isLive: boolean;
  /** Files: seconds count from the container start time. */
  readonly startTimeSec: number;
}

export class DecodeLog {
  framesDecoded = 0;
  lastDecodedPtsSec: number | undefined;
  readonly warnings: string[] = [];
  readonly tail: string[] = [];
  private readonly outputPts = new Map<number, number>();
  private readonly timebases: Partial<Record<ShowinfoTap, { num: number; den: number }>> = {};
  private sessionOriginSec: number | undefined;
  private pending = '';

  constructor(private readonly rule: TimeOriginRule) {}

  /** Feed a chunk of stderr text (lines may be split across chunks). */
  write(chunk: string): void {
    this.pending += chunk;
    const lines = this.pending.split(/\r?\n|\r/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** The stream closed: take the unterminated last line too. */
  end(): void {
    if (this.pending !== '') this.line(this.pending);
    this.pending = '';
  }

  /** Seconds of output frame n from the origin, removed once taken; undefined until its line came. */
  takeOutputPts(n: number): number | undefined {
    const pts = this.outputPts.get(n);
    if (pts !== undefined) this.outputPts.delete(n);
    return pts;
  }

  /** A note for error messages that did not come from ffmpeg itself. */
  note(line: string): void {
    this.pushTail(line);
  }

  private line(line: string): void {
    const ev = parseShowinfoLine(line);
    if (ev?.kind === 'timebase') {
      this.timebases[ev.tap] = { num: ev.num, den: ev.den };
    } else if (ev?.kind === 'frame') {
      const sec = eventSeconds(ev, this.timebases[ev.tap]);
      if (ev.tap === 'decoded' && this.sessionOriginSec === undefined && sec !== undefined) this.sessionOriginSec = sec;
      const origin = this.rule.isLive ? (this.sessionOriginSec ?? 0) : this.rule.startTimeSec;
      const rel = sec === undefined ? undefined : sec - origin;
      if (ev.tap === 'decoded') {
        this.framesDecoded = Math.max(this.framesDecoded, ev.n + 1);
        if (rel !== undefined) this.lastDecodedPtsSec = Math.max(this.lastDecodedPtsSec ?? rel, rel);
      } else if (rel !== undefined) {
        this.outputPts.set(ev.n, rel);
      }
    } else if (showinfoTap(line) === undefined && line.trim() !== '') {
      this.pushTail(line);
      if (isDamageLine(line) && this.warnings.length < MAX_WARNINGS) this.warnings.push(line.trim());
    }
  }

  private pushTail(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  }
}
