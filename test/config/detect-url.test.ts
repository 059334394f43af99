/** cameras[].detect_url: a substream only beside a live main stream, errors naming the key path. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../agent/src/config/load.js';
import { planCameras } from '../../agent/src/agent/agent.js';

describe('cameras[].detect_url', () => {
  it.each([
    ['a live camera with an RTSP substream', 'rtsp://cam/main', 'rtsp://cam/sub', null],
    ['a substream that is a file', 'rtsp://cam/main', 'sub.mp4', /cameras\[0\]\.detect_url: camera "a": detect_url must be a camera stream URL/],
    ['an archive folder with a substream', 'exports/a', 'rtsp://cam/sub', /cameras\[0\]\.detect_url: camera "a": detect_url is for live cameras/],
    [
      'credentials are masked in the message',
      'rtsp://cam/main',
      'x://u:secret@cam/sub',
      /detect_url must be a camera stream URL \(rtsp:\/\/…\), got "x:\/\/\*\*\*@cam\/sub"/,
    ],
  ])('%s', (_name, url, detectUrl, err) => {
    const text = `store: {id: s1}\ncameras: [{id: a, url: "${url}", detect_url: "${detectUrl}"}]`;
    if (err === null) {
      const cfg = parseConfigText(text);
      expect(planCameras(cfg, '/').live).toEqual([expect.objectContaining({ id: 'a', url, detectUrl })]);
    } else {
      expect(() => parseConfigText(text)).toThrow(err);
    }
  });

  it('is optional: a camera without it detects on its url', () => {
    const cfg = parseConfigText('store: {id: s1}\ncameras: [{id: a, url: "rtsp://cam/main"}]');
    expect(planCameras(cfg, '/').live[0]).not.toHaveProperty('detectUrl');
  });
});

describe('detect_url with region detection', () => {
  it('is refused, naming the camera key path', () => {
    const text =
      'store: {id: s1}\ndetector: {regions: {mode: tiles}}\ncameras: [{id: a, url: "rtsp://cam/main"}, {id: b, url: "rtsp://cam/main2", detect_url: "rtsp://cam/sub"}]';
    expect(() => parseConfigText(text)).toThrow(/cameras\[1\]\.detect_url: camera "b": detect_url cannot be combined with detector.regions.mode tiles/);
  });
});
