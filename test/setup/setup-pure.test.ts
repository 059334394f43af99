/** The pure parts of `floorsense setup`: substream URL guesses, credentials in URLs, defaults. */
import { describe, expect, it } from 'vitest';
import { substreamCandidates, wantsSubstream } from '../../agent/src/ingest/substream.js';
import { defaultStoragePath, inputForPictures, userinfoOf, withUserinfo } from '../../agent/src/setup/setup.js';
import { pickLang } from '../../agent/src/setup/messages.js';

describe('substreamCandidates', () => {
  it.each([
    ['rtsp://a:b@10.0.0.5:554/Streaming/Channels/101', 'rtsp://a:b@10.0.0.5:554/Streaming/Channels/102'],
    ['rtsp://10.0.0.5/ISAPI/Streaming/channels/301?transportmode=unicast', 'rtsp://10.0.0.5/ISAPI/Streaming/channels/302?transportmode=unicast'],
    ['rtsp://10.0.0.5/h264/ch1/main/av_stream', 'rtsp://10.0.0.5/h264/ch1/sub/av_stream'],
    ['rtsp://u:p@10.0.0.6/cam/realmonitor?channel=1&subtype=0', 'rtsp://u:p@10.0.0.6/cam/realmonitor?channel=1&subtype=1'],
    ['rtsp://10.0.0.7/h264Preview_01_main', 'rtsp://10.0.0.7/h264Preview_01_sub'],
    ['rtsp://10.0.0.8/media/video1', 'rtsp://10.0.0.8/media/video2'],
    ['rtsp://10.0.0.9:554/stream1', 'rtsp://10.0.0.9:554/stream2'],
    ['rtsp://10.0.0.9/live/main', 'rtsp://10.0.0.9/live/sub'],
  ])('%s → %s first', (main, sub) => {
    expect(substreamCandidates(main)[0]).toBe(sub);
  });

  it('proposes nothing for a URL of no known scheme, and never the main URL itself', () => {
    expect(substreamCandidates('rtsp://10.0.0.5/axis-media/media.amp')).toEqual([]);
    expect(substreamCandidates('rtsp://10.0.0.5/Streaming/Channels/102')).not.toContain('rtsp://10.0.0.5/Streaming/Channels/102');
  });

  it('wants a substream from 1080p up', () => {
    expect(wantsSubstream({ width: 1920, height: 1080 })).toBe(true);
    expect(wantsSubstream({ width: 2560, height: 1440 })).toBe(true);
    expect(wantsSubstream({ width: 1280, height: 720 })).toBe(false);
  });
});

describe('credentials in camera URLs', () => {
  it('reads and writes user:password, percent-encoded', () => {
    expect(userinfoOf('rtsp://admin:s%40cret@10.0.0.5/x')).toEqual({ user: 'admin', password: 's@cret' });
    expect(userinfoOf('rtsp://10.0.0.5/x')).toBeUndefined();
    expect(withUserinfo('rtsp://10.0.0.5:554/x?y=1', 'admin', 'p@ss:w/rd')).toBe('rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.5:554/x?y=1');
    expect(withUserinfo('rtsp://old:pw@10.0.0.5/x', 'new', '')).toBe('rtsp://new@10.0.0.5/x');
  });
});

describe('defaults', () => {
  it('an installed layout keeps its database in var/lib/floorsense of the same prefix', () => {
    expect(defaultStoragePath('/etc/floorsense')).toBe('/var/lib/floorsense/floorsense.db');
    expect(defaultStoragePath('/tmp/root/etc/floorsense')).toBe('/tmp/root/var/lib/floorsense/floorsense.db');
    expect(defaultStoragePath('/home/tech/store17')).toBeUndefined();
  });

  it('language: --lang, else LANG', () => {
    expect(pickLang('en', { LANG: 'ru_RU.UTF-8' })).toBe('en');
    expect(pickLang(undefined, { LANG: 'ru_RU.UTF-8' })).toBe('ru');
    expect(pickLang(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(pickLang(undefined, {})).toBe('en');
  });
});

describe('inputForPictures', () => {
  const native = { width: 640, height: 640 };
  it('16:9 and wider pictures need nothing: the default auto input (640x384) serves them at the native scale', () => {
    expect(
      inputForPictures(native, [
        { width: 1920, height: 1080 },
        { width: 640, height: 360 },
        { width: 2560, height: 1080 },
      ]),
    ).toBeUndefined();
  });
  it('the tallest camera taller than 16:9 sets the store input (one detector serves every camera)', () => {
    expect(
      inputForPictures(native, [
        { width: 1920, height: 1080 },
        { width: 640, height: 480 },
      ]),
    ).toEqual({ width: 640, height: 480 });
    expect(
      inputForPictures(native, [
        { width: 1280, height: 960 },
        { width: 2048, height: 2048 },
      ]),
    ).toEqual({ width: 640, height: 640 });
    // 16:10 shrinks 384/400 = 0.96 of native: past the 3 % doctor allows.
    expect(inputForPictures(native, [{ width: 1280, height: 800 }])).toEqual({ width: 640, height: 416 });
  });
});
