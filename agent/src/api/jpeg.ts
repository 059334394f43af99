/**
 * RGB24 -> JPEG through ffmpeg's mjpeg encoder: the raw picture goes in on stdin, one JPEG comes
 * out on stdout. JPEG rather than PNG because a snapshot is a camera picture (photographic, ~10x
 * smaller as JPEG), and ffmpeg is already a hard dependency of the agent.
 */
import { spawn } from 'node:child_process';
import { FailureError } from '../core/errors.js';
import { toolSpawnError } from '../ingest/tools.js';

/** The argv, as data (habit 9). Quality 2 (best) .. 31; 4 keeps faces and boxes crisp. */
export function jpegArgv(width: number, height: number, quality = 4): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${width}x${height}`,
    '-i',
    '-',
    '-frames:v',
    '1',
    '-q:v',
    String(quality),
    '-f',
    'mjpeg',
    '-',
  ];
}

export function encodeJpeg(width: number, height: number, rgb: Uint8Array, opts: { ffmpeg?: string; timeoutMs?: number } = {}): Promise<Buffer> {
  const bin = opts.ffmpeg ?? 'ffmpeg';
  return new Promise((resolve, reject) => {
    const child = spawn(bin, jpegArgv(width, height), { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const finish = (e: Error | null, v?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve(v!);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new FailureError('FS_OUTPUT', `ffmpeg did not encode the ${width}x${height} snapshot within ${opts.timeoutMs ?? 10_000} ms`));
    }, opts.timeoutMs ?? 10_000);
    child.on('error', (e) => finish(toolSpawnError(bin, e)));
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // EPIPE when ffmpeg dies early; its exit status and stderr tell the real story below.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 2 && jpeg[0] === 0xff && jpeg[1] === 0xd8) finish(null, jpeg);
      else
        finish(
          new FailureError(
            'FS_OUTPUT',
            `ffmpeg could not encode the ${width}x${height} snapshot (exit ${code}): ${Buffer.concat(err).toString('utf8').trim().slice(0, 300)}`,
          ),
        );
    });
    child.stdin.end(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength));
  });
}
