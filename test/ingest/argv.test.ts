import { describe, expect, it } from 'vitest';
import {
  decodeArgv,
  decodeFilterGraph,
  decodeInputArgs,
  imageArgv,
  keyframeProbeArgv,
  networkArgs,
  probeArgv,
  selectFilters,
  sizeFilters,
  type NetworkInput,
  type Selection,
} from '../../agent/src/ingest/argv.js';

const file: NetworkInput = { input: 'file:/v/a.mp4', scheme: undefined, socketTimeoutUs: 5_000_000 };
const rtsp: NetworkInput = { input: 'rtsp://cam/1', scheme: 'rtsp', socketTimeoutUs: 5_000_000 };

describe('network input args', () => {
  const cases: Array<[string | undefined, string[]]> = [
    [undefined, []],
    ['rtsp', ['-rtsp_transport', 'tcp', '-timeout', '5000000']],
    ['rtsps', ['-rtsp_transport', 'tcp', '-timeout', '5000000']],
    ['http', ['-timeout', '5000000']],
    ['https', ['-timeout', '5000000']],
    ['udp', ['-rw_timeout', '5000000']],
  ];
  it.each(cases)('%s', (scheme, argv) => {
    expect(networkArgs({ input: 'x', scheme, socketTimeoutUs: 5_000_000 })).toEqual(argv);
  });
});

describe('decode input args', () => {
  const cases: Array<[string, Parameters<typeof decodeInputArgs>[0], string[]]> = [
    ['file, all frames', { ...file, keyframesOnly: false }, ['-i', 'file:/v/a.mp4']],
    [
      'file, keyframes, 8 s, 1 thread',
      { ...file, keyframesOnly: true, limitSec: 8, decodeThreads: 1 },
      ['-skip_frame', 'nokey', '-threads', '1', '-t', '8', '-i', 'file:/v/a.mp4'],
    ],
    ['rtsp, keyframes', { ...rtsp, keyframesOnly: true }, ['-rtsp_transport', 'tcp', '-timeout', '5000000', '-skip_frame', 'nokey', '-i', 'rtsp://cam/1']],
  ];
  it.each(cases)('%s', (_n, spec, argv) => expect(decodeInputArgs(spec)).toEqual(argv));
});

describe('selection filters', () => {
  const cases: Array<[string, Selection, string[]]> = [
    ['all', { kind: 'all' }, []],
    ['stride 1 needs no filter', { kind: 'stride', stride: 1 }, []],
    ['stride 25', { kind: 'stride', stride: 25 }, ['select=not(mod(n\\,25))']],
    [
      'bucket 0.5 s from the first frame',
      { kind: 'bucket', intervalSec: 0.5 },
      ['select=isnan(prev_selected_t)+gt(floor((t-start_t)/0.5+0.000001)\\,floor((prev_selected_t-start_t)/0.5+0.000001))'],
    ],
  ];
  it.each(cases)('%s', (_n, sel, f) => expect(selectFilters(sel)).toEqual(f));
});

describe('size filters', () => {
  it('letterboxes in rgb24 with 114 grey, centred', () => {
    expect(sizeFilters({ kind: 'letterbox', width: 640, height: 640 })).toEqual([
      'scale=640:640:force_original_aspect_ratio=decrease:flags=bilinear',
      'format=rgb24',
      'pad=640:640:(ow-iw)/2:(oh-ih)/2:color=0x727272',
    ]);
  });
  it('native size still pins the size', () => {
    expect(sizeFilters({ kind: 'native', width: 768, height: 432 })).toEqual(['scale=768:432:flags=bilinear', 'format=rgb24']);
  });
});

describe('whole command lines', () => {
  it('stride 25 on a file, letterboxed', () => {
    expect(
      decodeArgv({ ...file, keyframesOnly: false, selection: { kind: 'stride', stride: 25 }, size: { kind: 'letterbox', width: 640, height: 640 } }),
    ).toEqual([
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-loglevel',
      'info',
      '-i',
      'file:/v/a.mp4',
      '-map',
      '0:v:0',
      '-vf',
      'showinfo@dec=checksum=0,select=not(mod(n\\,25)),showinfo@out=checksum=0,scale=640:640:force_original_aspect_ratio=decrease:flags=bilinear,format=rgb24,pad=640:640:(ow-iw)/2:(oh-ih)/2:color=0x727272',
      '-fps_mode',
      'passthrough',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
  });
  it('keyframes of an RTSP camera at native size', () => {
    expect(
      decodeArgv({ ...rtsp, keyframesOnly: true, selection: { kind: 'bucket', intervalSec: 1 }, size: { kind: 'native', width: 1920, height: 1080 } }),
    ).toEqual([
      '-hide_banner',
      '-nostdin',
      '-nostats',
      '-loglevel',
      'info',
      '-rtsp_transport',
      'tcp',
      '-timeout',
      '5000000',
      '-skip_frame',
      'nokey',
      '-i',
      'rtsp://cam/1',
      '-map',
      '0:v:0',
      '-vf',
      'showinfo@dec=checksum=0,select=isnan(prev_selected_t)+gt(floor((t-start_t)/1+0.000001)\\,floor((prev_selected_t-start_t)/1+0.000001)),showinfo@out=checksum=0,scale=1920:1080:flags=bilinear,format=rgb24',
      '-fps_mode',
      'passthrough',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
  });
  it('showinfo taps sit either side of the selection', () => {
    const g = decodeFilterGraph({ kind: 'all' }, { kind: 'native', width: 2, height: 2 });
    expect(g).toBe('showinfo@dec=checksum=0,showinfo@out=checksum=0,scale=2:2:flags=bilinear,format=rgb24');
  });
  it('probes', () => {
    expect(probeArgv(rtsp)).toEqual([
      '-hide_banner',
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '-select_streams',
      'v:0',
      '-rtsp_transport',
      'tcp',
      '-timeout',
      '5000000',
      '-i',
      'rtsp://cam/1',
    ]);
    expect(keyframeProbeArgv(file, 12)).toEqual([
      '-hide_banner',
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'packet=pts_time,dts_time,flags',
      '-of',
      'csv=p=0',
      '-read_intervals',
      '%+12',
      '-i',
      'file:/v/a.mp4',
    ]);
  });
  it('image', () => {
    expect(imageArgv('file:/i.jpg', { kind: 'letterbox', width: 320, height: 320 })).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      'file:/i.jpg',
      '-frames:v',
      '1',
      '-vf',
      'scale=320:320:force_original_aspect_ratio=decrease:flags=bilinear,format=rgb24,pad=320:320:(ow-iw)/2:(oh-ih)/2:color=0x727272',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
  });
});
