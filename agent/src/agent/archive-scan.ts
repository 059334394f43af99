/**
 * Finding archive exports: the video files under a camera's folder (recursively, NVRs file exports
 * by day), in name order, minus files still being written. Each file's job id is derived from the
 * camera and the file's path relative to the folder, so a restart finds the same job again.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { FailureError } from '../core/errors.js';

export interface ArchiveFile {
  readonly path: string;
  /** Path relative to the camera's folder, with forward slashes. */
  readonly rel: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly jobId: string;
}

export function archiveJobId(cameraId: string, rel: string): string {
  return `archive:${cameraId}:${rel}`;
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface ScanOptions {
  readonly extensions: readonly string[];
  /** Files modified after this instant (epoch ms) are skipped: still being copied. */
  readonly modifiedBeforeMs: number;
  /** Told of each empty (0-byte) video file, which is skipped: the caller logs why. */
  readonly onEmpty?: (rel: string) => void;
}

export function scanArchiveFolder(cameraId: string, folder: string, o: ScanOptions): ArchiveFile[] {
  const exts = new Set(o.extensions.map((e) => e.toLowerCase()));
  const out: ArchiveFile[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      throw new FailureError(
        'FS_FILE_NOT_FOUND',
        `archive folder ${dir} (camera ${cameraId}) cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        { camera: cameraId, path: dir },
        { cause: e },
      );
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue; // partial downloads (.foo.mp4.part) and OS clutter
      const path = join(dir, name);
      let st: Stats;
      try {
        st = statSync(path);
      } catch {
        continue; // deleted between readdir and stat
      }
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && exts.has(extname(name).toLowerCase()) && st.mtimeMs <= o.modifiedBeforeMs) {
        const rel = relative(folder, path).split(sep).join('/');
        if (st.size === 0) o.onEmpty?.(rel);
        else out.push({ path, rel, size: st.size, mtimeMs: st.mtimeMs, jobId: archiveJobId(cameraId, rel) });
      }
    }
  };
  walk(folder);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
