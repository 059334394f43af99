/**
 * Replacing the store config file, for `floorsense setup` and the calibration editor alike (one
 * code path): the file may hold camera and ClickHouse passwords, so it is never world-readable.
 * The new text goes to a temporary file beside it (0640, then the old file's mode and, as root, its
 * owner), the old file is kept as `<file>.bak` (also written through a temporary file and a rename,
 * so a `.bak` left by root does not stop the service user's save), and a rename puts the new one
 * in place: a crash leaves the old file or the new one, never half of one.
 */
import { chmodSync, chownSync, copyFileSync, existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface ReplaceOptions {
  /** Checks the written temporary file before anything is replaced (throw to refuse). */
  readonly validate?: (tmpPath: string) => void;
  /** Group for a file that did not exist yet (as root): the service user's. */
  readonly newFileGid?: number;
}

/** Returns the backup path, or undefined when there was no old file. */
export function replaceConfigFile(path: string, text: string, o: ReplaceOptions = {}): string | undefined {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { mode: 0o640 });
  try {
    o.validate?.(tmp);
    let backup: string | undefined;
    if (existsSync(path)) {
      const st = statSync(path);
      try {
        chmodSync(tmp, st.mode & 0o770);
        if (process.getuid?.() === 0) chownSync(tmp, st.uid, st.gid);
      } catch {
        // Keeping the owner is a courtesy; the new file is 0640 whatever happens.
      }
      backup = `${path}.bak`;
      const bakTmp = `${tmp}.bak`;
      copyFileSync(path, bakTmp);
      chmodSync(bakTmp, st.mode & 0o770);
      renameSync(bakTmp, backup);
    } else if (o.newFileGid !== undefined && process.getuid?.() === 0) {
      chownSync(tmp, 0, o.newFileGid);
    }
    renameSync(tmp, path);
    return backup;
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or never written
    }
    throw e;
  }
}
