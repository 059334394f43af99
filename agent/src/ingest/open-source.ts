/**
 * openSource: one ffmpeg child per source, yielding sampled, letterboxed RGB frames with their true
 * timestamps. The shell around the pure parts: it wires the child's stdout (frames) and stderr
 * (showinfo timestamps, errors) together, applies backpressure or drops, runs the watchdog and
 * stops the child on abort.
 *
 *   const src = await openSource({ sourceId: 'cam1', url, sampling: { stride: 25 }, modelSize: { width: 640, height: 640 } });
 *   for await (const frame of src) { ... }   // src.stats() at any time
 *
 * Files apply backpressure (ffmpeg waits for a slow consumer). Live streams never wait: when the
 * queue is full the oldest queued frame is dropped and counted, so the camera connection stays
 * drained. Frames own their data (see frame-buffer.ts).
 */
import { FailureError, MisuseError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { decodeArgv } from './argv.js';
import { DecodeLog } from './decode-log.js';
import { endFailure } from './failures.js';
import { BufferPool, FrameAssembler } from './frame-buffer.js';
import {
  checkSampling,
  DEFAULT_STRIDE,
  liveGopWindowSec,
  planDecode,
  samplingIntervalSec,
  sourceIndex,
  type DecodePlan,
  type ModelSize,
  type SamplingRequest,
} from './plan.js';
import { PROBE_DEFAULTS, probeGop, probeStreamInfo, resolveInput, type ProbeOptions } from './probe.js';
import type { SourceInfo } from './source-info.js';
import { chooseHwDecoder, type HwDecodePreference } from './hwdecode.js';
import { frameWatchdog, type FrameWatchdog } from './watchdog.js';
import { DEFAULT_TOOLS, spawnTool, stopChild, toolSpawnError, type ToolChild, type ToolPaths } from './tools.js';

export interface OpenSourceOptions {
  /** Camera id from config, or the file name for ad-hoc runs. */
  readonly sourceId: string;
  /** File path, file:// URL or stream URL (rtsp, rtsps, http...). */
  readonly url: string;
  /** Stride or fps, and keyframe mode. Default: stride 25, keyframes auto. */
  readonly sampling?: SamplingRequest;
  /** Letterbox into this size, or null for frames at the source's own size. */
  readonly modelSize: ModelSize | null;
  /** The main stream's size when `url` is its substream (plan.ts PlanRequest.pictureSize). */
  readonly pictureSize?: ModelSize;
  /** UTC epoch ms of pts 0 for files; default the file's creation_time tag, else 0. Ignored for live. */
  readonly startTimeMs?: number;
  readonly signal?: AbortSignal;
  /**
   * No frame in time (while not waiting on the consumer): FS_SOURCE_UNREACHABLE (watchdog.ts). This
   * many seconds once frames flow, or socketTimeoutSec plus the usual gap between frames when that
   * is shorter; longer until the first frame (connectAllowanceSec). The agent's agent.watchdog_s.
   */
  readonly watchdogSec?: number;
  /** Decode at most this many seconds of the source. */
  readonly limitSec?: number;
  /** Frames buffered between ffmpeg and the consumer. Default 2. */
  readonly queueFrames?: number;
  /** Decoder threads; undefined or 0 = ffmpeg's choice. */
  readonly decodeThreads?: number;
  /** Skip the deblocking filter in keyframe-only decoding (argv.ts DecodeInput.skipLoopFilter). */
  readonly skipLoopFilter?: boolean;
  /** Hardware decoding: tried on this source with a one-frame trial, the CPU when unusable (hwdecode.ts). */
  readonly hwDecode?: HwDecodePreference;
  /** Socket I/O timeout for streams, seconds. Default 10. */
  readonly socketTimeoutSec?: number;
  /** Skip the probe when the caller already has it. */
  readonly info?: SourceInfo;
  /** Wall clock for live timestamps, epoch ms. Default Date.now. */
  readonly now?: () => number;
  readonly tools?: ToolPaths;
  readonly cwd?: string;
  /** Warnings such as damaged packets in a file that still decoded to the end. */
  readonly warn?: (message: string) => void;
}

export type SourceState = 'ready' | 'running' | 'ended' | 'aborted' | 'failed';

/** Where Frame.timestampMs comes from. */
export type TimeOrigin = 'wall-clock' | 'start-time-option' | 'creation-time' | 'none';

export interface IngestStats {
  readonly state: SourceState;
  readonly keyframeMode: boolean;
  /** Frames out of the decoder (all frames, or keyframes in keyframe mode). */
  readonly framesDecoded: number;
  /** Frames read from ffmpeg (sampled). */
  readonly framesRead: number;
  readonly framesYielded: number;
  /** Live only: frames dropped because the consumer fell behind. */
  readonly framesDropped: number;
  readonly bytesRead: number;
  readonly lastDecodedPtsSec: number | undefined;
  readonly lastPtsSec: number | undefined;
  readonly pid: number | undefined;
  /** Damage reports from ffmpeg (capped), e.g. corrupt packets that were concealed. */
  readonly warnings: readonly string[];
}

export interface FrameSource extends AsyncIterable<Frame> {
  readonly sourceId: string;
  readonly info: SourceInfo;
  readonly plan: DecodePlan;
  readonly timeOrigin: TimeOrigin;
  /** The ffmpeg argv this source runs (without the binary). */
  readonly argv: readonly string[];
  stats(): IngestStats;
  /**
   * The consumer is done with `frame`'s pixels (nothing reads or keeps `frame.data` any more): its
   * buffer may hold a later frame (frame-buffer.ts). Optional: a frame never handed back is
   * garbage-collected as before.
   */
  recycle(frame: Frame): void;
  /** Stop the child (if running) and end iteration. */
  close(): Promise<void>;
}

export async function openSource(opts: OpenSourceOptions): Promise<FrameSource> {
  const cwd = opts.cwd ?? process.cwd();
  const socketTimeoutSec = opts.socketTimeoutSec ?? PROBE_DEFAULTS.socketTimeoutSec;
  if (opts.watchdogSec !== undefined && !(opts.watchdogSec > 0)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `watchdogSec must be > 0, got ${opts.watchdogSec}`, { watchdogSec: opts.watchdogSec });
  }
  const queueFrames = opts.queueFrames ?? 2;
  if (!(Number.isInteger(queueFrames) && queueFrames >= 1)) {
    throw new MisuseError('FS_BAD_ARGUMENT', `queueFrames must be an integer >= 1, got ${queueFrames}`, { queueFrames });
  }
  const input = resolveInput(opts.url, cwd, socketTimeoutSec);
  const sampling = checkSampling(opts.sampling ?? { stride: DEFAULT_STRIDE, keyframes: 'auto' });
  const info = opts.info ?? (await probe(opts, sampling, cwd, socketTimeoutSec));
  const hw = await chooseHwDecoder(opts.hwDecode ?? 'none', input, info.codec, {
    ...(opts.tools ? { tools: opts.tools } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (opts.hwDecode !== undefined && opts.hwDecode !== 'none' && hw.decoder === null) {
    opts.warn?.(`${input.name}: no usable hardware decoder (${hw.rejected.map((r) => `${r.decoder}: ${r.reason}`).join('; ')}); decoding on the CPU`);
  }
  const plan = planDecode(input, info, {
    sampling,
    modelSize: opts.modelSize,
    ...(opts.pictureSize ? { pictureSize: opts.pictureSize } : {}),
    ...(opts.limitSec !== undefined ? { limitSec: opts.limitSec } : {}),
    ...(opts.decodeThreads ? { decodeThreads: opts.decodeThreads } : {}),
    ...(opts.skipLoopFilter ? { skipLoopFilter: true } : {}),
    ...(hw.args.length > 0 ? { hwDecodeArgs: hw.args } : {}),
  });
  const timeOrigin: TimeOrigin = info.isLive
    ? 'wall-clock'
    : opts.startTimeMs !== undefined
      ? 'start-time-option'
      : info.creationTimeMs !== undefined
        ? 'creation-time'
        : 'none';
  const originMs = opts.startTimeMs ?? info.creationTimeMs ?? 0;
  return new FfmpegFrameSource(opts, input.name, info, plan, decodeArgv(plan.command), timeOrigin, originMs, queueFrames);
}

/** Probe, reading only as much of a live stream's GOP as the keyframe decision needs. */
async function probe(opts: OpenSourceOptions, sampling: SamplingRequest, cwd: string, socketTimeoutSec: number): Promise<SourceInfo> {
  const probeOpts: ProbeOptions = { cwd, socketTimeoutSec, ...(opts.tools ? { tools: opts.tools } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
  const { info, src } = await probeStreamInfo(opts.url, probeOpts);
  const windowSec = info.isLive
    ? liveGopWindowSec(sampling.keyframes ?? 'auto', samplingIntervalSec(sampling, info.fps), PROBE_DEFAULTS.gopWindowSec)
    : PROBE_DEFAULTS.gopWindowSec;
  const gop = await probeGop(src, { ...probeOpts, gopWindowSec: windowSec });
  return Object.freeze({ ...info, ...(gop !== undefined ? { gopSec: gop } : {}) });
}

type End = { readonly error?: FailureError };

class FfmpegFrameSource implements FrameSource {
  private state: SourceState = 'ready';
  private iterated = false;
  private child: ToolChild | undefined;
  private readonly queue: Frame[] = [];
  private end: End | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;
  private readonly stop = new AbortController();
  private watchdog: FrameWatchdog | undefined;
  private readonly pool: BufferPool;
  private framesRead = 0;
  private framesYielded = 0;
  private framesDropped = 0;
  private bytesRead = 0;
  private lastPtsSec: number | undefined;
  private readonly log: DecodeLog;
  private ptsWaiter: (() => void) | undefined;
  private stderrDone = false;

  constructor(
    private readonly opts: OpenSourceOptions,
    private readonly name: string,
    readonly info: SourceInfo,
    readonly plan: DecodePlan,
    readonly argv: readonly string[],
    readonly timeOrigin: TimeOrigin,
    private readonly originMs: number,
    private readonly queueFrames: number,
  ) {
    this.pool = new BufferPool(plan.frameBytes, queueFrames + 1);
    this.log = new DecodeLog(info);
  }

  get sourceId(): string {
    return this.opts.sourceId;
  }

  stats(): IngestStats {
    return {
      state: this.state,
      keyframeMode: this.plan.keyframeMode,
      framesDecoded: this.log.framesDecoded,
      framesRead: this.framesRead,
      framesYielded: this.framesYielded,
      framesDropped: this.framesDropped,
      bytesRead: this.bytesRead,
      lastDecodedPtsSec: this.log.lastDecodedPtsSec,
      lastPtsSec: this.lastPtsSec,
      pid: this.child?.pid,
      warnings: [...this.log.warnings],
    };
  }

  recycle(frame: Frame): void {
    this.pool.give(frame.data);
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.finish({}, 'aborted');
    if (this.child) await stopChild(this.child);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Frame> {
    if (this.iterated) throw new MisuseError('FS_BAD_ARGUMENT', `${this.name}: a FrameSource can be iterated only once; open it again`, { source: this.name });
    this.iterated = true;
    const signal = this.opts.signal;
    const onAbort = (): void => void this.close();
    if (signal?.aborted || this.stop.signal.aborted) {
      this.state = 'aborted';
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      this.start();
      for (;;) {
        if (this.stop.signal.aborted) return;
        const frame = this.queue.shift();
        if (frame !== undefined) {
          this.wakeProducer?.();
          this.framesYielded++;
          yield frame;
          continue;
        }
        if (this.end !== undefined) {
          if (this.end.error) throw this.end.error;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
        this.wakeConsumer = undefined;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.clearWatchdog();
      if (this.state === 'running') this.state = 'aborted';
      this.stop.abort();
      if (this.child) await stopChild(this.child);
    }
  }

  /** Record how the run ended; the first cause wins (a watchdog kill is not later a "truncation"). */
  private finish(end: End, state: SourceState): void {
    if (this.end !== undefined) return;
    this.end = end;
    if (this.state === 'running' || this.state === 'ready') this.state = state;
    this.clearWatchdog();
    this.wakeConsumer?.();
    this.wakeProducer?.();
    this.ptsWaiter?.();
  }

  private start(): void {
    const binary = (this.opts.tools ?? DEFAULT_TOOLS).ffmpeg;
    let child: ToolChild;
    try {
      child = spawnTool(binary, this.argv);
    } catch (e) {
      this.finish({ error: toolSpawnError(binary, e) }, 'failed');
      return;
    }
    this.child = child;
    this.state = 'running';
    const exited = new Promise<number | null>((resolve) => {
      child.on('error', (e) => {
        this.finish({ error: toolSpawnError(binary, e) }, 'failed');
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
    this.readStderr(child);
    this.startWatchdog();
    void this.pump(child, exited);
  }

  private readStderr(child: ToolChild): void {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.log.write(chunk);
      this.ptsWaiter?.();
    });
    child.stderr.on('close', () => {
      this.log.end();
      this.stderrDone = true;
      this.ptsWaiter?.();
    });
  }

  /** pts of output frame n; waits for its showinfo line, which can trail the pixels on the other pipe. */
  private async outputPtsFor(n: number): Promise<number | undefined> {
    for (;;) {
      const pts = this.log.takeOutputPts(n);
      if (pts !== undefined) return pts;
      if (this.stderrDone || this.stop.signal.aborted) return undefined;
      await new Promise<void>((resolve) => (this.ptsWaiter = resolve));
      this.ptsWaiter = undefined;
    }
  }

  private async pump(child: ToolChild, exited: Promise<number | null>): Promise<void> {
    const assembler = new FrameAssembler(this.pool);
    try {
      for await (const chunk of child.stdout) {
        if (!(chunk instanceof Uint8Array)) continue;
        this.bytesRead += chunk.byteLength;
        for (const data of assembler.push(chunk)) {
          const n = this.framesRead++;
          const ptsSec = (await this.outputPtsFor(n)) ?? this.fallbackPts(n);
          if (this.stop.signal.aborted || this.end !== undefined) return;
          await this.enqueue(this.makeFrame(n, ptsSec, data));
          if (this.stop.signal.aborted || this.end !== undefined) return;
        }
      }
    } catch (e) {
      // Our own stop destroys stdout mid-read; anything else is reported through the exit below.
      if (this.stop.signal.aborted || this.end !== undefined) return;
      this.log.note(`reading frames: ${e instanceof Error ? e.message : String(e)}`);
    }
    const code = await exited;
    if (this.stop.signal.aborted || this.end !== undefined) return;
    if (assembler.partialBytes > 0) this.log.note(`output ended inside a frame (${assembler.partialBytes} of ${this.plan.frameBytes} bytes)`);
    const error = endFailure({
      name: this.name,
      isLive: this.info.isLive,
      exitCode: assembler.partialBytes > 0 && code === 0 ? -1 : code,
      framesDecoded: this.log.framesDecoded,
      framesYielded: this.framesRead,
      ...(this.log.lastDecodedPtsSec !== undefined ? { lastDecodedPtsSec: this.log.lastDecodedPtsSec } : {}),
      ...(this.lastPtsSec !== undefined ? { lastYieldedPtsSec: this.lastPtsSec } : {}),
      ...(this.plan.expectedEndSec !== undefined ? { expectedEndSec: this.plan.expectedEndSec } : {}),
      toleranceSec: this.plan.toleranceSec,
      stderrTail: this.log.tail,
      ...(this.opts.limitSec !== undefined ? { limited: true } : {}),
    });
    if (!error && this.log.warnings.length > 0)
      this.opts.warn?.(`${this.name}: decoded to the end with ${this.log.warnings.length} damage report(s), first: ${this.log.warnings[0]}`);
    this.finish(error ? { error } : {}, error ? 'failed' : 'ended');
  }

  /** Without a showinfo line (should not happen): the nominal time of the sample. */
  private fallbackPts(n: number): number {
    this.log.note(`no timestamp for output frame ${n}; using its nominal time`);
    return n * this.plan.intervalSec;
  }

  private makeFrame(n: number, ptsSec: number, data: Uint8Array): Frame {
    // lastPtsSec is "last frame read": enqueue may drop it, but it was decoded and delivered by ffmpeg.
    this.lastPtsSec = ptsSec;
    const timestampMs = this.info.isLive ? (this.opts.now ?? Date.now)() : Math.round(this.originMs + ptsSec * 1000);
    return {
      sourceId: this.opts.sourceId,
      index: sourceIndex(this.plan, n, ptsSec, this.info.fps),
      ptsSec,
      timestampMs,
      width: this.plan.width,
      height: this.plan.height,
      data,
      letterbox: this.plan.letterbox,
    };
  }

  private async enqueue(frame: Frame): Promise<void> {
    this.watchdog?.frame(frame.ptsSec);
    if (this.queue.length >= this.queueFrames) {
      if (this.info.isLive) {
        const old = this.queue.shift();
        if (old) this.pool.give(old.data);
        this.framesDropped++;
      } else {
        // Waiting on the consumer is not the source's fault: the watchdog sleeps meanwhile.
        this.watchdog?.pause();
        while (this.queue.length >= this.queueFrames && this.end === undefined && !this.stop.signal.aborted) {
          await new Promise<void>((resolve) => (this.wakeProducer = resolve));
          this.wakeProducer = undefined;
        }
        if (this.end !== undefined || this.stop.signal.aborted) return;
        this.watchdog?.resume();
      }
    }
    this.queue.push(frame);
    this.wakeConsumer?.();
  }

  private startWatchdog(): void {
    const sec = this.opts.watchdogSec;
    if (sec === undefined) return;
    // The stall allowance uses the caller's socket timeout (rtsp_timeout_s), not the probe's default.
    this.watchdog = frameWatchdog(sec, this.opts.socketTimeoutSec, (reason) => {
      const error = new FailureError(
        'FS_SOURCE_UNREACHABLE',
        `${this.name}: ${reason}; ${this.framesRead} frames read, last pts ${this.lastPtsSec?.toFixed(2) ?? 'none'}`,
        { source: this.name, watchdogSec: sec, framesRead: this.framesRead },
      );
      this.finish({ error }, 'failed');
      if (this.child) void stopChild(this.child);
    });
  }

  private clearWatchdog(): void {
    this.watchdog?.clear();
    this.watchdog = undefined;
  }
}
