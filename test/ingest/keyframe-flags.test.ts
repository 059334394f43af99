import { describe, expect, it } from 'vitest';
import { gopFromKeyframes, keyframePtsFromCsvLine } from '../../agent/src/ingest/source-info.js';

// Lines as ffprobe printed them for the test RTSP server (GStreamer, GOP 25 at 25 fps): packets
// after the first carry side data, which adds an empty column after the flags.
describe('keyframe flags from ffprobe packet lines', () => {
  it('reads the flags column, not the last one', () => {
    const lines = ['N/A,N/A,K_', '0.040000,0.040000,__', '1.000000,1.000000,K_', '2.000000,2.000000,K_,', '2.040000,2.040000,__,', '3.000000,3.000000,K_,'];
    const keys = lines.map(keyframePtsFromCsvLine).filter((k): k is number => k !== undefined);
    expect(keys).toEqual([1, 2, 3]);
    expect(gopFromKeyframes(keys)).toBe(1);
  });
});
