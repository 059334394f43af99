import { describe, expect, it } from 'vitest';
import { FailureError } from '../../agent/src/core/errors.js';
import { letterboxFor } from '../../agent/src/core/frame.js';
import { DecodeLog } from '../../agent/src/ingest/decode-log.js';
import { cleanLine, endFailure, probeFailure, reasonLine, startsLikeMp4, type EndFacts } from '../../agent/src/ingest/failures.js';
import { BufferPool, FrameAssembler } from '../../agent/src/ingest/frame-buffer.js';
import { eventSeconds, parseShowinfoLine } from '../../agent/src/ingest/showinfo.js';
import { gopFromKeyframes, keyframePtsFromCsvLine, parseProbeJson, parseRate, sourceInfoFromProbe } from '../../agent/src/ingest/source-info.js';
import { displayName, ffmpegInput, isLiveUrl, localPath } from '../../agent/src/ingest/source-url.js';

describe('source urls', () => {
  const cases: Array<[string, boolean, string | undefined, string]> = [
    ['clip.mp4', false, '/w/clip.mp4', 'file:/w/clip.mp4'],
    ['/v/a:b.mp4', false, '/v/a:b.mp4', 'file:/v/a:b.mp4'],
    ['file:///v/x%20y.mp4', false, '/v/x y.mp4', 'file:/v/x y.mp4'],
    ['rtsp://u:p@cam/1', true, undefined, 'rtsp://u:p@cam/1'],
    ['RTSPS://cam/1', true, undefined, 'RTSPS://cam/1'],
    ['http://cam/mjpeg', true, undefined, 'http://cam/mjpeg'],
    // A raw TCP stream is live: stamped from the wall clock (it once was archive-like here and 1970 in the agent).
    ['tcp://10.0.0.9:5000', true, undefined, 'tcp://10.0.0.9:5000'],
  ];
  it.each(cases)('%s', (url, live, path, input) => {
    expect(isLiveUrl(url)).toBe(live);
    expect(localPath(url, '/w')).toBe(path);
    expect(ffmpegInput(url, '/w')).toBe(input);
  });
  it('masks credentials in names', () => expect(displayName('rtsp://admin:secret@10.0.0.5/stream')).toBe('rtsp://***@10.0.0.5/stream'));
});

describe('ffprobe output', () => {
  it.each([
    ['25/1', 25],
    ['30000/1001', 30000 / 1001],
    ['0/0', undefined],
    ['N/A', undefined],
    ['15', 15],
  ])('rate %s', (s, want) => expect(parseRate(s)).toBe(want));

  const json = (video: object, format: object = {}) => JSON.stringify({ streams: [{ codec_type: 'video', ...video }], format });
  it('reads the fields SourceInfo needs', () => {
    const probe = parseProbeJson(
      json(
        { codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '0/0', r_frame_rate: '30/1', duration: '10.0', nb_frames: '300' },
        { start_time: '1.400000', duration: '10.5', tags: { creation_time: '2024-10-22T01:58:15.000000Z' } },
      ),
    )!;
    expect(sourceInfoFromProbe('a.mp4', false, probe)).toEqual({
      url: 'a.mp4',
      isLive: false,
      width: 1920,
      height: 1080,
      fps: 30,
      durationSec: 10,
      startTimeSec: 1.4,
      codec: 'h264',
      frameCount: 300,
      creationTimeMs: Date.UTC(2024, 9, 22, 1, 58, 15),
    });
  });
  it('rotation swaps the size; epoch creation time and live duration are dropped', () => {
    const probe = parseProbeJson(
      json(
        { width: 1920, height: 1080, avg_frame_rate: '25/1', side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }], duration: '5' },
        { tags: { creation_time: '1970-01-01T00:00:00.000000Z' } },
      ),
    )!;
    const info = sourceInfoFromProbe('rtsp://c', true, probe);
    expect(info).toMatchObject({ width: 1080, height: 1920, startTimeSec: 0 });
    expect(info).not.toHaveProperty('durationSec');
    expect(info).not.toHaveProperty('creationTimeMs');
  });
  it.each([
    [{ streams: [{ codec_type: 'audio' }] }, 'no-video-stream'],
    [{ streams: [{ codec_type: 'video', avg_frame_rate: '25/1' }] }, 'no-size'],
    [{ streams: [{ codec_type: 'video', width: 2, height: 2, avg_frame_rate: '0/0' }] }, 'no-frame-rate'],
  ])('problem %#', (p, want) => expect(sourceInfoFromProbe('x', false, parseProbeJson(JSON.stringify(p))!)).toBe(want));
  it('rejects non-JSON', () => expect(parseProbeJson('{\n\n')).toBeUndefined());

  it('keyframes from packet csv', () => {
    expect(keyframePtsFromCsvLine('10.000000,9.920000,K_')).toBe(10);
    expect(keyframePtsFromCsvLine('N/A,4.5,K_')).toBe(4.5);
    expect(keyframePtsFromCsvLine('0.160000,-0.040000,__')).toBeUndefined();
    expect(keyframePtsFromCsvLine('')).toBeUndefined();
    expect(gopFromKeyframes([0, 10, 20])).toBe(10);
    expect(gopFromKeyframes([0, 5.338667, 8.3, 8.3, 16.6])).toBeCloseTo(8.3);
    expect(gopFromKeyframes([0])).toBeUndefined();
  });
});

describe('showinfo lines', () => {
  it('time base and frames, tagged by tap', () => {
    expect(parseShowinfoLine('[showinfo@out @ 0x55ab8a8d4e00] config in time_base: 1/12800, frame_rate: 25/1')).toEqual({
      kind: 'timebase',
      tap: 'output',
      num: 1,
      den: 12800,
    });
    expect(
      parseShowinfoLine('[showinfo@dec @ 0x55ab8a8d34c0] n:   2 pts:  25600 pts_time:2       pos:   303128 fmt:yuv420p sar:1/1 s:768x432 i:P iskey:0 type:B '),
    ).toEqual({
      kind: 'frame',
      tap: 'decoded',
      n: 2,
      pts: 25600,
      ptsTime: 2,
    });
    expect(parseShowinfoLine('[showinfo@out @ 0x1] n:   0 pts:NOPTS pts_time:NOPTS pos: 1')).toEqual({
      kind: 'frame',
      tap: 'output',
      n: 0,
      pts: undefined,
      ptsTime: undefined,
    });
    expect(parseShowinfoLine('[showinfo@out @ 0x1] color_range:tv color_space:bt709')).toBeUndefined();
    expect(parseShowinfoLine('[h264 @ 0x1] n: 3 pts: 1 pts_time:1')).toBeUndefined();
  });
  it('uses pts x time base, which keeps precision past 6 digits', () => {
    // 12 h into a file showinfo prints 43200 for 43200.04.
    expect(eventSeconds({ pts: 552960512, ptsTime: 43200 }, { num: 1, den: 12800 })).toBe(43200.04);
    expect(eventSeconds({ pts: 7, ptsTime: 0.07 }, { num: 1, den: 100 })).toBe(0.07);
    // A time base that disagrees with the printed time is not trusted.
    expect(eventSeconds({ pts: 7, ptsTime: 0.07 }, { num: 1, den: 1000 })).toBe(0.07);
    expect(eventSeconds({ pts: 7, ptsTime: 0.07 }, undefined)).toBe(0.07);
  });
});

describe('frame assembly', () => {
  it('cuts a byte stream into fixed frames across any chunking, reusing given-back buffers', () => {
    const pool = new BufferPool(4, 2);
    const asm = new FrameAssembler(pool);
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    const frames = [...asm.push(bytes.subarray(0, 3)), ...asm.push(bytes.subarray(3, 9))];
    expect(frames.map((f) => [...f])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(asm.partialBytes).toBe(1);
    pool.give(frames[0]!);
    expect(pool.take()).toBe(frames[0]);
    const more = asm.push(Uint8Array.of(9, 10, 11));
    expect(more.map((f) => [...f])).toEqual([[8, 9, 10, 11]]);
    expect(more[0]).not.toBe(frames[1]);
  });
});

describe('failure classification', () => {
  it('cleans and picks reason lines', () => {
    expect(cleanLine('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b9] stream 0, offset 0x142aa6: partial file')).toBe('stream 0, offset 0x142aa6: partial file');
    expect(cleanLine('file:/tmp/a.mp4: Invalid data found when processing input')).toBe('Invalid data found when processing input');
    expect(reasonLine(['Input #0, mov', '[h264 @ 0x1] Invalid NAL unit size (72571 > 46275).', 'Stream mapping:'])).toBe(
      'Invalid NAL unit size (72571 > 46275).',
    );
    expect(reasonLine([])).toBe('no message from ffmpeg');
  });
  const ftyp = Uint8Array.from([0, 0, 0, 32, ...Buffer.from('ftypisom')]);
  it('mp4 sniffing', () => {
    expect(startsLikeMp4(ftyp)).toBe(true);
    expect(startsLikeMp4(Buffer.from('hello world\n'))).toBe(false);
  });
  const moov = ['[mov,mp4 @ 0x1] moov atom not found', 'file:/a.mp4: Invalid data found when processing input'];
  it.each([
    ['missing', false, ['file:/a.mp4: No such file or directory'], false, 'FS_FILE_NOT_FOUND', /\/a\.mp4: file not found/],
    ['text renamed', false, moov, false, 'FS_VIDEO_UNSUPPORTED', /\/a\.mp4: not a video ffmpeg can decode: Invalid data found/],
    ['mp4 cut before its index', false, moov, true, 'FS_VIDEO_TRUNCATED', /\/a\.mp4: video is truncated .* before the first frame .*moov atom not found/],
    ['camera down', true, ['rtsp://cam: Connection refused'], false, 'FS_SOURCE_UNREACHABLE', /cannot open stream: rtsp:\/\/cam: Connection refused/],
  ])('probe failure: %s', (_n, live, lines, mp4, code, msg) => {
    const e = probeFailure('/a.mp4', live, lines, mp4);
    expect(e).toBeInstanceOf(FailureError);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(msg);
  });

  const base: EndFacts = {
    name: '/a.mp4',
    isLive: false,
    exitCode: 0,
    framesDecoded: 653,
    framesYielded: 27,
    lastDecodedPtsSec: 26.08,
    lastYieldedPtsSec: 26,
    expectedEndSec: 26.12,
    toleranceSec: 0.58,
    stderrTail: [],
  };
  it.each([
    ['clean end', base, null],
    [
      'exit 0 but short',
      { ...base, lastDecodedPtsSec: 9.96, lastYieldedPtsSec: 9, framesYielded: 10, stderrTail: ['[mov @ 0x1] stream 0, offset 0x1469fc: partial file'] },
      /FS_VIDEO_TRUNCATED: \/a\.mp4: .*stopped after 9\.96 s of 26\.12 s \(10 frames yielded, last good frame at pts 9\.00 s\): stream 0, offset 0x1469fc: partial file/,
    ],
    ['crash after frames', { ...base, exitCode: 1, framesYielded: 3 }, /FS_VIDEO_TRUNCATED: .*ffmpeg exited with code 1/],
    [
      'crash before any frame',
      { ...base, exitCode: 1, framesDecoded: 0, stderrTail: ['Decoder (codec hevc) not found for input stream #0:0'] },
      /FS_VIDEO_UNSUPPORTED: \/a\.mp4: ffmpeg cannot decode it: Decoder \(codec hevc\) not found/,
    ],
    ['live stream ends', { ...base, isLive: true, expectedEndSec: undefined }, /FS_SOURCE_UNREACHABLE: \/a\.mp4: stream ended after 27 frames/],
  ] as Array<[string, EndFacts, RegExp | null]>)('end: %s', (_n, facts, want) => {
    const e = endFailure(facts);
    if (want === null) expect(e).toBeUndefined();
    else expect(`${e?.code}: ${e?.message}`).toMatch(want);
  });
});

describe('letterbox geometry (pure side; the ffmpeg side is in letterbox.test.ts)', () => {
  it.each([
    [768, 432, 640, 640, 0, 140],
    [1920, 1080, 640, 640, 0, 140],
    [480, 270, 640, 640, 0, 140],
    [500, 335, 640, 640, 0, 105], // 428.8 -> 429 rows, (640-429)/2 floored
    [640, 640, 640, 640, 0, 0],
    [432, 768, 640, 640, 140, 0],
  ])('%i x %i into %i x %i', (sw, sh, dw, dh, px, py) => {
    const lb = letterboxFor(sw, sh, dw, dh);
    expect([lb.padX, lb.padY]).toEqual([px, py]);
  });
});

describe('decode log (stderr folded into state)', () => {
  const text = [
    '[showinfo@dec @ 0x55ab8a8d34c0] config in time_base: 1/12800, frame_rate: 25/1',
    '[showinfo@out @ 0x55ab8a8d4e00] config in time_base: 1/12800, frame_rate: 25/1',
    '[showinfo@dec @ 0x55ab8a8d34c0] n:   0 pts:  2048 pts_time:0.16    pos: 1 fmt:yuv420p',
    '[showinfo@dec @ 0x55ab8a8d34c0]   side data - User Data Unregistered:',
    '[showinfo@out @ 0x55ab8a8d4e00] n:   0 pts:  2048 pts_time:0.16    pos: 1 fmt:yuv420p',
    '[showinfo@dec @ 0x55ab8a8d34c0] n:   1 pts:  2560 pts_time:0.2     pos: 2 fmt:yuv420p',
    '[h264 @ 0x55c1364776c0] Invalid NAL unit size (72571 > 46275).',
    'Stream mapping:',
    '[showinfo@out @ 0x55ab8a8d4e00] n:   1 pts:  2560 pts_time:0.2     pos: 2 fmt:yuv420p',
  ].join('\n');
  function feed(log: DecodeLog): void {
    // Split mid-line, as pipes do.
    for (let i = 0; i < text.length; i += 37) log.write(text.slice(i, i + 37));
    log.end();
  }
  it('a file counts from the container start', () => {
    const log = new DecodeLog({ isLive: false, startTimeSec: 0 });
    feed(log);
    expect(log.framesDecoded).toBe(2);
    expect(log.lastDecodedPtsSec).toBeCloseTo(0.2, 12);
    expect(log.takeOutputPts(0)).toBeCloseTo(0.16, 12);
    expect(log.takeOutputPts(0)).toBeUndefined(); // taken once
    expect(log.takeOutputPts(1)).toBeCloseTo(0.2, 12);
    expect(log.warnings).toEqual(['[h264 @ 0x55c1364776c0] Invalid NAL unit size (72571 > 46275).']);
    expect(log.tail).toEqual(['[h264 @ 0x55c1364776c0] Invalid NAL unit size (72571 > 46275).', 'Stream mapping:']);
  });
  it('a live session counts from its own first frame', () => {
    const log = new DecodeLog({ isLive: true, startTimeSec: 5 });
    feed(log);
    expect(log.takeOutputPts(0)).toBe(0);
    expect(log.takeOutputPts(1)).toBeCloseTo(0.04, 12);
  });
});
