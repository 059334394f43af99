/**
 * Real frames and a detector's boxes on them, for the model-derivation tests (derive, quantize):
 * a derived model is judged by its boxes on the same frames as the source model's.
 */
import type { Xyxy } from '../../agent/src/core/boxes.js';
import type { Frame } from '../../agent/src/core/frame.js';
import type { Detector } from '../../agent/src/detect/detector.js';
import { openSource } from '../../agent/src/ingest/open-source.js';
import { dataPath } from '../helpers/shared-data.js';

/** 1 fps frames of a shared clip (path under the shared data) letterboxed to `size`, through the ffmpeg path the pipeline uses. */
export async function clipFrames(clip: string, size: { width: number; height: number }, seconds: number): Promise<Frame[]> {
  const src = await openSource({ sourceId: clip, url: dataPath(clip), sampling: { fps: 1, keyframes: 'never' }, modelSize: size, limitSec: seconds });
  const out: Frame[] = [];
  for await (const f of src) out.push(f);
  return out;
}

/** Frame index -> the detector's boxes on it (source pixels). */
export async function boxesPerFrame(det: Detector, fs: readonly Frame[]): Promise<Map<number, Xyxy[]>> {
  const m = new Map<number, Xyxy[]>();
  for (const f of fs) {
    const d = await det.detect(f);
    m.set(
      f.index,
      Array.from({ length: d.length }, (_, i) => [d.xyxy[i * 4]!, d.xyxy[i * 4 + 1]!, d.xyxy[i * 4 + 2]!, d.xyxy[i * 4 + 3]!] as Xyxy),
    );
  }
  return m;
}
