import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../agent/src/core/redact.js';
import { FailureError } from '../../agent/src/core/errors.js';

describe('redactSecrets', () => {
  it.each([
    [
      'cannot open stream: rtsp://admin:secret@127.0.0.1:5599/stream1: Connection refused',
      'cannot open stream: rtsp://***@127.0.0.1:5599/stream1: Connection refused',
    ],
    ['rtsp://admin:p@ss@10.0.0.5/live', 'rtsp://***@10.0.0.5/live'],
    ['rtsp://token@cam.local/s', 'rtsp://***@cam.local/s'],
    ['https://u:pw@ch.chain.local:8443', 'https://***@ch.chain.local:8443'],
    ['{"url":"rtsp://a:b@h/x","msg":"mail me@home"}', '{"url":"rtsp://***@h/x","msg":"mail me@home"}'],
    ['http://cam/snap.cgi?user=admin&password=secret&ch=1', 'http://cam/snap.cgi?user=admin&password=***&ch=1'],
    ['rtsp://10.0.0.5:554/Streaming/Channels/101', 'rtsp://10.0.0.5:554/Streaming/Channels/101'],
    ['two: rtsp://a:x@h1/s and rtsp://b:y@h2/s', 'two: rtsp://***@h1/s and rtsp://***@h2/s'],
  ])('%s', (input, expected) => expect(redactSecrets(input)).toBe(expected));

  it('coded errors never carry the password, in the message or the details', () => {
    const e = new FailureError('FS_SOURCE_UNREACHABLE', 'rtsp://admin:secret@h/s: refused', { source: 'rtsp://admin:secret@h/s', n: 3 });
    expect(e.message).toBe('rtsp://***@h/s: refused');
    expect(e.details).toEqual({ source: 'rtsp://***@h/s', n: 3 });
  });
});
