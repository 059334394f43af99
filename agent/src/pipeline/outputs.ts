/**
 * What `analyze` leaves in its output folder: the interchange layout the analytics read
 * (scene/interchange.ts: `<camera-id>.txt` MOTChallenge rows in source pixels + `<camera-id>.json`
 * with the time base, and `<camera-id>.emb.json` with each track's appearance embedding when the
 * tracker computed any), plus summary.json and preview.png.
 *
 * `analyze` numbers frames by their index in the source (so rows line up with ground truth made on
 * the source), hence the time base's fps is the source's frame rate and only every Nth frame
 * number appears.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FailureError } from '../core/errors.js';
import { writeCameraEmbeddings, writeCameraTracks } from '../scene/interchange.js';
import type { AnalyzeResult } from './analyze.js';

export interface WrittenOutputs {
  readonly tracks: string;
  readonly timeBase: string;
  /** `<camera-id>.emb.json`, or null when no track had an appearance embedding or a torso colour. */
  readonly embeddings: string | null;
  readonly summary: string;
  readonly preview: string | null;
}

export function writeAnalyzeOutputs(outDir: string, r: AnalyzeResult): WrittenOutputs {
  try {
    const id = r.summary.source_id;
    writeCameraTracks(outDir, id, { startMs: Date.parse(r.summary.start), fps: r.info.fps, width: r.info.width, height: r.info.height }, r.rows);
    const embeddings = writeCameraEmbeddings(outDir, id, r.embeddings, r.colors);
    const files: WrittenOutputs = {
      tracks: join(outDir, `${id}.txt`),
      timeBase: join(outDir, `${id}.json`),
      embeddings,
      summary: join(outDir, 'summary.json'),
      preview: r.previewPng ? join(outDir, 'preview.png') : null,
    };
    atomicWrite(files.summary, `${JSON.stringify(r.summary, null, 2)}\n`);
    if (files.preview && r.previewPng) atomicWrite(files.preview, r.previewPng);
    return files;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FailureError(
      code === 'ENOSPC' ? 'FS_DISK_FULL' : 'FS_OUTPUT',
      `cannot write analyze outputs to ${outDir}: ${code ?? (e as Error).message}`,
      { outDir },
      { cause: e },
    );
  }
}

/** Write then rename, so a crash never leaves a half-written file where a good one was. */
function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
