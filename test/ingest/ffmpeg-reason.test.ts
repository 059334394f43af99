/**
 * The text a user sees when ffmpeg stops, and the cause it is filed under, over real ffmpeg 5.1
 * stderr captured here (test/fixtures/ffmpeg-stderr/README.md says how): the error line, never the
 * final statistics ffmpeg prints on every exit.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endFailure, lossCause, reasonLine, type LossCause } from '../../agent/src/ingest/failures.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const sample = (name: string): string[] => readFileSync(join(REPO_ROOT, 'test/fixtures/ffmpeg-stderr', name), 'utf8').split('\n');

describe('reasonLine over captured ffmpeg stderr', () => {
  const table: Array<[string, string]> = [
    ['rtsp-refused.txt', 'rtsp://127.0.0.1:PORT/cam: Connection refused'],
    ['rtsp-stalled.txt', 'rtsp://127.0.0.1:PORT/cam: Connection timed out'],
    ['file-truncated.txt', 'stream 0, offset 0x12bd8d: partial file'],
    // The server was SIGKILLed mid-stream: ffmpeg exits 0 with nothing but its statistics.
    ['rtsp-server-killed.txt', 'no message from ffmpeg'],
  ];
  it.each(table)('%s -> %s', (file, expected) => {
    const text = reasonLine(sample(file));
    expect(text).toBe(expected);
    expect(text).not.toMatch(/muxing overhead|frame=|bitrate=/);
  });

  it('statistics and banner lines alone are no reason', () => {
    expect(
      reasonLine([
        'frame=   71 fps= 42 q=-0.0 Lsize=     479kB time=00:00:02.84 bitrate=1382.4kbits/s speed=1.66x',
        'video:110kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown',
      ]),
    ).toBe('no message from ffmpeg');
    expect(reasonLine(['    encoder         : Lavf59.27.100', 'Error opening output file x'])).toBe('Error opening output file x');
    expect(reasonLine(['rtsp://127.0.0.1:PORT/cam: Connection timed out', '    Last message repeated 2 times'])).toBe(
      'rtsp://127.0.0.1:PORT/cam: Connection timed out',
    );
  });

  it('a live stream that ends without an error says the server closed it', () => {
    const e = endFailure({
      name: 'cam1',
      isLive: true,
      exitCode: 0,
      framesDecoded: 71,
      framesYielded: 71,
      toleranceSec: 1,
      stderrTail: sample('rtsp-server-killed.txt'),
    });
    expect(e?.message).toBe('cam1: stream ended after 71 frames: the server closed the stream (ffmpeg printed no error)');
  });
});

describe('lossCause', () => {
  const table: Array<[string, boolean, LossCause]> = [
    ['cam1: cannot open stream: rtsp://127.0.0.1:PORT/cam: Connection refused', false, 'unreachable'],
    ['cam1: cannot open stream: rtsp://10.0.0.9/cam: Server returned 401 Unauthorized (authorization failed)', false, 'unreachable'],
    ['cam1: stream ended after 72 frames: rtsp://127.0.0.1:PORT/cam: Connection timed out', true, 'stalled'],
    // A timeout before any frame: nothing answers, not a stall.
    ['cam1: cannot open stream: rtsp://10.0.0.9/cam: Connection timed out', false, 'unreachable'],
    ['watchdog: no frame in time', true, 'stalled'],
    ['cam1: ffmpeg exited with code 1 after 3 frames: Invalid data found when processing input', true, 'decode_error'],
    ['cam1: stream ended after 71 frames: the server closed the stream (ffmpeg printed no error)', true, 'ended'],
  ];
  it.each(table)('%s (delivered %s) -> %s', (text, delivered, cause) => {
    expect(lossCause(text, delivered)).toBe(cause);
  });
});
