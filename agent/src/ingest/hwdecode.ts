/**
 * Hardware video decoding behind a capability check, with the CPU as the fallback. Decoding a
 * 1080p stream is a large share of a small box's CPU; a box with NVDEC (an NVIDIA GPU), a VA-API
 * GPU or a Jetson/Raspberry Pi V4L2 memory-to-memory decoder can hand it off.
 *
 * A decoder counts as usable only when ffmpeg lists it AND a trial decode of the actual source's
 * first frame succeeds with it (a listed `cuda` on a box without a GPU fails at device creation).
 * Frames come back to system memory (no -hwaccel_output_format), so the letterbox filtergraph and
 * everything after it are unchanged. argv as data (habit 9); the probe is the only I/O here.
 */
import type { NetworkInput } from './argv.js';
import { networkArgs } from './argv.js';
import { DEFAULT_TOOLS, runTool, type ToolPaths } from './tools.js';

export const HW_DECODERS = ['cuda', 'vaapi', 'v4l2m2m'] as const;
export type HwDecoder = (typeof HW_DECODERS)[number];
/** Config choice: none (CPU), auto (the first usable in HW_DECODERS order), or one decoder (falls back to the CPU when unusable). */
export type HwDecodePreference = 'none' | 'auto' | HwDecoder;

/** Codecs with a V4L2 M2M decoder in ffmpeg (`<codec>_v4l2m2m`). */
const V4L2M2M_CODECS = new Set(['h264', 'hevc', 'mpeg4', 'vp8', 'vp9']);

/** Input options (before `-i`) that make ffmpeg decode `codec` with `hw`; null when that pair cannot work. */
export function hwDecodeArgs(hw: HwDecoder, codec: string): string[] | null {
  switch (hw) {
    case 'cuda':
      return ['-hwaccel', 'cuda'];
    case 'vaapi':
      return ['-hwaccel', 'vaapi'];
    case 'v4l2m2m':
      // Not an hwaccel but a separate decoder, chosen per codec.
      return V4L2M2M_CODECS.has(codec) ? ['-c:v', `${codec}_v4l2m2m`] : null;
  }
}

/** `ffmpeg -hwaccels` output -> the methods it lists. */
export function parseHwaccels(stdout: string): string[] {
  const lines = stdout.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => /^Hardware acceleration methods:?$/i.test(l));
  return (at >= 0 ? lines.slice(at + 1) : []).filter((l) => /^[a-z0-9_]+$/.test(l));
}

/** `ffmpeg -decoders` output -> decoder names (for the v4l2m2m family, which is not an hwaccel). */
export function parseDecoders(stdout: string): string[] {
  // A legend (" V..... = Video") comes first; the table starts after the " ------" rule.
  const lines = stdout.split('\n');
  const rule = lines.findIndex((l) => /^\s*-{6}\s*$/.test(l));
  return lines.slice(rule + 1).flatMap((l) => {
    const m = /^\s*V[.A-Z]{5}\s+(\S+)/.exec(l);
    return m ? [m[1]!] : [];
  });
}

/** Candidates to try for a preference, in order. */
export function hwCandidates(pref: HwDecodePreference): HwDecoder[] {
  if (pref === 'none') return [];
  return pref === 'auto' ? [...HW_DECODERS] : [pref];
}

/** Trial decode of one frame, discarded: exit 0 means the decoder opened and decoded. */
export function hwTrialArgv(src: NetworkInput, hwArgs: readonly string[]): string[] {
  return ['-hide_banner', '-nostdin', '-v', 'error', ...networkArgs(src), ...hwArgs, '-i', src.input, '-map', '0:v:0', '-frames:v', '1', '-f', 'null', '-'];
}

export interface HwChoice {
  /** The decoder chosen, or null for the CPU. */
  readonly decoder: HwDecoder | null;
  /** Input options for decodeArgv (empty for the CPU). */
  readonly args: readonly string[];
  /** Why each candidate was passed over (for a warning when a configured one is unusable). */
  readonly rejected: ReadonlyArray<{ readonly decoder: HwDecoder; readonly reason: string }>;
}

export const CPU_DECODE: HwChoice = Object.freeze({
  decoder: null,
  args: Object.freeze([]) as readonly string[],
  rejected: Object.freeze([]) as HwChoice['rejected'],
});

/**
 * The first candidate ffmpeg lists and that decodes the source's first frame; the CPU otherwise.
 * Costs one `ffmpeg -hwaccels`/`-decoders` call and a one-frame trial per candidate, and nothing at
 * all for 'none'.
 */
export async function chooseHwDecoder(
  pref: HwDecodePreference,
  src: NetworkInput,
  codec: string,
  opts: { tools?: ToolPaths; signal?: AbortSignal } = {},
): Promise<HwChoice> {
  const candidates = hwCandidates(pref);
  if (candidates.length === 0) return CPU_DECODE;
  const tools = opts.tools ?? DEFAULT_TOOLS;
  const run = (args: string[]) => runTool(tools.ffmpeg, args, { timeoutMs: 20_000, ...(opts.signal ? { signal: opts.signal } : {}) });
  const listed = new Set(parseHwaccels((await run(['-hide_banner', '-hwaccels'])).stdout.toString('utf8')));
  const needDecoders = candidates.includes('v4l2m2m');
  const decoders = new Set(needDecoders ? parseDecoders((await run(['-hide_banner', '-decoders'])).stdout.toString('utf8')) : []);
  const rejected: Array<{ decoder: HwDecoder; reason: string }> = [];
  for (const hw of candidates) {
    const args = hwDecodeArgs(hw, codec);
    if (args === null) {
      rejected.push({ decoder: hw, reason: `no ${hw} decoder for ${codec}` });
      continue;
    }
    const present = hw === 'v4l2m2m' ? decoders.has(`${codec}_v4l2m2m`) : listed.has(hw);
    if (!present) {
      rejected.push({ decoder: hw, reason: 'not built into this ffmpeg' });
      continue;
    }
    const trial = await run(hwTrialArgv(src, args));
    if (trial.code === 0) return { decoder: hw, args, rejected };
    const why =
      trial.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .at(-1) ?? `exit ${trial.code}`;
    rejected.push({ decoder: hw, reason: `trial decode failed: ${why}` });
  }
  return { ...CPU_DECODE, rejected };
}
