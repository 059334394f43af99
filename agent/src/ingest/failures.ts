/**
 * Turning what ffmpeg/ffprobe printed into a coded error that names the source. Pure: the shells
 * pass in stderr lines and counters.
 */
import { FailureError } from '../core/errors.js';

/** Drop ffmpeg's "[demuxer @ 0x55...] " prefix and the input name it repeats. */
export function cleanLine(line: string): string {
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '')
    .replace(/^file:.*?: (?=[A-Z])/, '')
    .trim();
}

/** Lines that mean damaged data rather than chatter. */
const DAMAGE = /partial file|corrupt|Invalid NAL|invalid data|error while decoding|moov atom not found|truncat|End of file|concealing|missing picture/i;
const REASON = /error|invalid|not found|unsupported|no such|denied|refused|timed out|unreachable|could not|cannot|failed|partial file|corrupt|unknown|moov/i;

/**
 * ffmpeg's own bookkeeping, never a reason: the stream/mapping banner, metadata, and the final
 * statistics ("frame= ... speed=", "video:479kB ... muxing overhead: unknown") that it prints on
 * every exit, clean or not, and its "Last message repeated N times". Left in, "muxing overhead: unknown" read as the error.
 */
const CHATTER =
  /^(frame=\s*\d+ |video:\d+kB |Last message repeated \d+ times|Stream mapping:|Stream #\d|Input #\d|Output #\d|Metadata:|Duration: |Press \[q\]|Side data:|[a-z_]+\s+: )/;

export function isChatterLine(cleaned: string): boolean {
  return CHATTER.test(cleaned);
}

/**
 * The line most worth showing a user: the last error-looking line, else the last line that is not
 * ffmpeg's banner or statistics, else a sentence saying ffmpeg gave no reason.
 */
export function reasonLine(lines: readonly string[]): string {
  const cleaned = lines.map(cleanLine).filter((l) => l !== '' && !isChatterLine(l));
  for (let i = cleaned.length - 1; i >= 0; i--) if (REASON.test(cleaned[i]!)) return cleaned[i]!;
  return cleaned[cleaned.length - 1] ?? NO_MESSAGE;
}

export const NO_MESSAGE = 'no message from ffmpeg';

/**
 * Why a live stream was lost, read from the error text (a FailureError message or the watchdog's):
 * unreachable (nothing answers or the server refuses: wrong address, camera off, bad credentials),
 * stalled (connected but no data: socket timeout or the watchdog), decode_error (data arrives but
 * cannot be decoded), ended (the server closed the stream without a reason; ffmpeg exits 0).
 */
export type LossCause = 'unreachable' | 'stalled' | 'decode_error' | 'ended';

const STALLED = /timed out|watchdog|no frame in time/i;
const UNREACHABLE =
  /refused|no route|unreachable|name or service not known|could not resolve|temporary failure in name|server returned|401|403|404|unauthorized|forbidden|cannot open stream|not found/i;
const UNDECODABLE = /invalid data|error while decoding|corrupt|invalid nal|error splitting|concealing|missing picture|decode_slice/i;

/** `delivered`: the session had sent frames; a timeout before any frame is a camera that does not answer. */
export function lossCause(text: string, delivered: boolean): LossCause {
  if (STALLED.test(text)) return delivered ? 'stalled' : 'unreachable';
  if (UNREACHABLE.test(text)) return 'unreachable';
  if (UNDECODABLE.test(text)) return 'decode_error';
  return 'ended';
}

export function isDamageLine(line: string): boolean {
  return DAMAGE.test(line);
}

/**
 * ffprobe could not open the source. `startsLikeMp4` (an ftyp box at byte 4) separates an MP4 cut
 * short before its index (moov at the end, lost with the tail) from a file that is no video at all:
 * ffmpeg says "moov atom not found" for both.
 */
export function probeFailure(name: string, isLive: boolean, stderrLines: readonly string[], startsLikeMp4: boolean): FailureError {
  const reason = reasonLine(stderrLines);
  const text = stderrLines.join('\n');
  if (isLive) return new FailureError('FS_SOURCE_UNREACHABLE', `${name}: cannot open stream: ${reason}`, { source: name, reason });
  if (/No such file or directory/i.test(text)) return new FailureError('FS_FILE_NOT_FOUND', `${name}: file not found`, { source: name, reason });
  if (startsLikeMp4 && /moov atom not found/i.test(text)) {
    return truncatedError(name, { reason: 'moov atom not found (the MP4 index is missing: file cut short?)', framesYielded: 0 });
  }
  return new FailureError('FS_VIDEO_UNSUPPORTED', `${name}: not a video ffmpeg can decode: ${reason}`, { source: name, reason });
}

/** True when the first bytes are an ISO-BMFF (MP4/MOV) file type box. */
export function startsLikeMp4(head: Uint8Array): boolean {
  return head.length >= 8 && String.fromCharCode(head[4]!, head[5]!, head[6]!, head[7]!) === 'ftyp';
}

export function unsupportedInfo(name: string, problem: string): FailureError {
  const what =
    problem === 'no-video-stream'
      ? 'has no video stream'
      : problem === 'no-size'
        ? 'has a video stream without a frame size'
        : 'has a video stream without a frame rate';
  return new FailureError('FS_VIDEO_UNSUPPORTED', `${name}: ${what}`, { source: name, reason: problem });
}

export interface TruncationFacts {
  readonly reason: string;
  readonly framesYielded: number;
  readonly lastYieldedPtsSec?: number;
  readonly lastDecodedPtsSec?: number;
  readonly durationSec?: number;
}

export function truncatedError(name: string, f: TruncationFacts): FailureError {
  const upTo = f.lastDecodedPtsSec === undefined ? 'before the first frame' : `after ${f.lastDecodedPtsSec.toFixed(2)} s`;
  const of = f.durationSec === undefined ? '' : ` of ${f.durationSec.toFixed(2)} s`;
  const last = f.lastYieldedPtsSec === undefined ? '' : `, last good frame at pts ${f.lastYieldedPtsSec.toFixed(2)} s`;
  return new FailureError(
    'FS_VIDEO_TRUNCATED',
    `${name}: video is truncated or corrupt: decoding stopped ${upTo}${of} (${f.framesYielded} frames yielded${last}): ${f.reason}`,
    { source: name, ...f },
  );
}

export interface EndFacts {
  readonly name: string;
  readonly isLive: boolean;
  readonly exitCode: number | null;
  readonly framesDecoded: number;
  readonly framesYielded: number;
  readonly lastDecodedPtsSec?: number;
  readonly lastYieldedPtsSec?: number;
  /** Where decoding should have reached (duration, or the -t limit), seconds from the start. */
  readonly expectedEndSec?: number;
  /** How far before expectedEndSec the last decoded frame may lie and still be "complete". */
  readonly toleranceSec: number;
  readonly stderrTail: readonly string[];
  /** The run was bounded by a -t limit (analyze --limit): a live stream ending there is done. */
  readonly limited?: boolean;
}

/** Decide whether the end of an ffmpeg run was a clean end of file; undefined when it was. */
export function endFailure(f: EndFacts): FailureError | undefined {
  const said = reasonLine(f.stderrTail);
  // A live ffmpeg that exits 0 without an error line read end of stream: the server hung up.
  const reason = f.isLive && said === NO_MESSAGE && f.exitCode === 0 ? 'the server closed the stream (ffmpeg printed no error)' : said;
  if (f.isLive) {
    if (f.limited === true && f.exitCode === 0 && f.framesYielded > 0) return undefined;
    const why = f.exitCode === 0 ? 'stream ended' : `ffmpeg exited with code ${f.exitCode}`;
    return new FailureError('FS_SOURCE_UNREACHABLE', `${f.name}: ${why} after ${f.framesYielded} frames: ${reason}`, {
      source: f.name,
      reason,
      framesYielded: f.framesYielded,
    });
  }
  if (f.exitCode !== 0 && f.framesDecoded === 0) {
    return new FailureError('FS_VIDEO_UNSUPPORTED', `${f.name}: ffmpeg cannot decode it: ${reason}`, { source: f.name, reason });
  }
  const short = f.expectedEndSec !== undefined && (f.lastDecodedPtsSec ?? -Infinity) < f.expectedEndSec - f.toleranceSec;
  if (f.exitCode !== 0 || short) {
    return truncatedError(f.name, {
      reason: f.exitCode !== 0 ? `ffmpeg exited with code ${f.exitCode}: ${reason}` : reason,
      framesYielded: f.framesYielded,
      ...(f.lastYieldedPtsSec !== undefined ? { lastYieldedPtsSec: f.lastYieldedPtsSec } : {}),
      ...(f.lastDecodedPtsSec !== undefined ? { lastDecodedPtsSec: f.lastDecodedPtsSec } : {}),
      ...(f.expectedEndSec !== undefined ? { durationSec: f.expectedEndSec } : {}),
    });
  }
  return undefined;
}
