/**
 * Decode levers as data (habit 9) and against the real ffmpeg: skip_loop_filter only in
 * keyframe-only decoding, decoder threads, hardware decoders behind a trial decode with the CPU
 * as the fallback (this development box has none usable; a GPU box takes the other branch).
 */
import { describe, expect, it } from 'vitest';
import { decodeArgv, decodeInputArgs, type NetworkInput } from '../../agent/src/ingest/argv.js';
import { planDecode } from '../../agent/src/ingest/plan.js';
import { chooseHwDecoder, hwCandidates, hwDecodeArgs, hwTrialArgv, parseDecoders, parseHwaccels } from '../../agent/src/ingest/hwdecode.js';
import { resolveInput } from '../../agent/src/ingest/probe.js';
import { openSource } from '../../agent/src/ingest/open-source.js';
import type { SourceInfo } from '../../agent/src/ingest/source-info.js';
import { dataPath, haveData } from '../helpers/shared-data.js';

const file: NetworkInput = { input: 'file:/v/a.mp4', scheme: undefined, socketTimeoutUs: 5_000_000 };
const rtsp: NetworkInput = { input: 'rtsp://cam/1', scheme: 'rtsp', socketTimeoutUs: 5_000_000 };
const info: SourceInfo = {
  url: '/v/a.mp4',
  isLive: false,
  width: 768,
  height: 432,
  fps: 25,
  durationSec: 26.12,
  startTimeSec: 0,
  codec: 'h264',
  frameCount: 653,
  gopSec: 1,
};

describe('decode input argv', () => {
  it.each([
    [
      'keyframes, loop filter skipped',
      { keyframesOnly: true, skipLoopFilter: true },
      ['-skip_frame', 'nokey', '-skip_loop_filter', 'all', '-i', 'file:/v/a.mp4'],
    ],
    ['all frames: the loop filter is never skipped', { keyframesOnly: false, skipLoopFilter: true }, ['-i', 'file:/v/a.mp4']],
    ['threads', { keyframesOnly: false, decodeThreads: 2 }, ['-threads', '2', '-i', 'file:/v/a.mp4']],
    [
      'NVDEC before the decoder options',
      { keyframesOnly: true, hwDecodeArgs: ['-hwaccel', 'cuda'] },
      ['-hwaccel', 'cuda', '-skip_frame', 'nokey', '-i', 'file:/v/a.mp4'],
    ],
  ])('%s', (_name, over, argv) => {
    expect(decodeInputArgs({ ...file, ...over })).toEqual(argv);
  });

  it('plans the skipped loop filter only where keyframe mode was chosen', () => {
    const key = planDecode(file, info, { sampling: { stride: 25 }, modelSize: { width: 640, height: 640 }, skipLoopFilter: true });
    expect(key.keyframeMode).toBe(true);
    expect(decodeArgv(key.command)).toContain('-skip_loop_filter');
    const all = planDecode(file, { ...info, gopSec: 4 }, { sampling: { stride: 25 }, modelSize: { width: 640, height: 640 }, skipLoopFilter: true });
    expect(all.keyframeMode).toBe(false);
    expect(decodeArgv(all.command)).not.toContain('-skip_loop_filter');
  });
});

describe('hardware decoders as data', () => {
  it.each([
    ['cuda', 'h264', ['-hwaccel', 'cuda']],
    ['vaapi', 'hevc', ['-hwaccel', 'vaapi']],
    ['v4l2m2m', 'h264', ['-c:v', 'h264_v4l2m2m']],
    ['v4l2m2m', 'mjpeg', null],
  ] as const)('%s for %s', (hw, codec, argv) => {
    expect(hwDecodeArgs(hw, codec)).toEqual(argv);
  });

  it('orders candidates by preference', () => {
    expect(hwCandidates('none')).toEqual([]);
    expect(hwCandidates('auto')).toEqual(['cuda', 'vaapi', 'v4l2m2m']);
    expect(hwCandidates('vaapi')).toEqual(['vaapi']);
  });

  it('reads ffmpeg -hwaccels and -decoders output', () => {
    expect(parseHwaccels('Hardware acceleration methods:\nvdpau\ncuda\nvaapi\n\n')).toEqual(['vdpau', 'cuda', 'vaapi']);
    expect(parseHwaccels('nothing here')).toEqual([]);
    const decoders =
      'Decoders:\n V....D = Video\n ------\n VFS..D h264                 H.264\n V..... h264_v4l2m2m         V4L2 mem2mem H.264 decoder wrapper\n A....D aac                  AAC\n';
    expect(parseDecoders(decoders)).toEqual(['h264', 'h264_v4l2m2m']);
  });

  it('trial-decodes one frame, discarded, with the network options first', () => {
    expect(hwTrialArgv(rtsp, ['-hwaccel', 'cuda'])).toEqual([
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-rtsp_transport',
      'tcp',
      '-timeout',
      '5000000',
      '-hwaccel',
      'cuda',
      '-i',
      'rtsp://cam/1',
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ]);
  });
});

const CLIP = 'video/checkout_counter_cashier.mp4';
describe.skipIf(!haveData(CLIP))('hardware decoding on this box (real ffmpeg)', () => {
  it('costs nothing for none and decodes on the CPU', async () => {
    expect(
      await chooseHwDecoder('none', resolveInput(dataPath(CLIP), process.cwd(), 5), 'h264', { tools: { ffmpeg: '/nonexistent/ffmpeg', ffprobe: 'ffprobe' } }),
    ).toMatchObject({ decoder: null, args: [] });
  });

  it('uses a decoder only after it decoded the clip, else falls back to the CPU with a warning naming each reason', async () => {
    const choice = await chooseHwDecoder('auto', resolveInput(dataPath(CLIP), process.cwd(), 5), 'h264');
    const warnings: string[] = [];
    const src = await openSource({
      sourceId: 'hw',
      url: dataPath(CLIP),
      sampling: { stride: 25 },
      modelSize: { width: 640, height: 640 },
      limitSec: 3,
      hwDecode: 'auto',
      warn: (m) => warnings.push(m),
    });
    let frames = 0;
    for await (const _ of src) frames++;
    expect(frames).toBe(3);
    if (choice.decoder === null) {
      expect(choice.rejected.map((r) => r.decoder)).toEqual(['cuda', 'vaapi', 'v4l2m2m']);
      expect(src.argv).not.toContain('-hwaccel');
      expect(warnings.join('\n')).toMatch(/no usable hardware decoder \(cuda: .+; vaapi: .+; v4l2m2m: .+\); decoding on the CPU/);
    } else {
      expect(src.argv).toEqual(expect.arrayContaining([...choice.args]));
      expect(warnings).toEqual([]);
    }
  });
});
