/**
 * One picture of a source at its own resolution, decoded by ffmpeg: `floorsense doctor` checks a
 * camera decodes and setup saves its snapshot with it, and the local API serves it to the
 * calibration editor. The pipeline itself decodes at model size only (ingest letterboxes inside
 * ffmpeg), so a technician drawing zones on a 1080p camera would otherwise trace them on a 640-wide
 * picture scaled up; this costs one extra short session with the camera, taken only when asked.
 */
import { networkArgs } from './argv.js';
import { resolveInput } from './probe.js';
import { runTool, type ToolPaths } from './tools.js';

export type StillSink = { readonly kind: 'discard' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'jpeg' };

export interface StillResult {
  readonly ok: boolean;
  /** ffmpeg's last error lines when not ok (credentials are the caller's to redact). */
  readonly why: string;
  /** The JPEG, for sink `jpeg`. */
  readonly jpeg?: Buffer;
}

/** Decode the first frame of `url` (RTSP URL or file) within `timeoutSec`; see StillSink. */
export async function grabStill(url: string, timeoutSec: number, tools: ToolPaths, sink: StillSink): Promise<StillResult> {
  const src = resolveInput(url, process.cwd(), timeoutSec);
  const out =
    sink.kind === 'discard'
      ? ['-f', 'null', '-']
      : sink.kind === 'file'
        ? ['-q:v', '3', '-update', '1', '-y', sink.path]
        : ['-q:v', '3', '-f', 'image2pipe', '-c:v', 'mjpeg', '-'];
  const argv = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...networkArgs(src), '-i', src.input, '-map', '0:v:0', '-frames:v', '1', ...out];
  const r = await runTool(tools.ffmpeg, argv, { timeoutMs: timeoutSec * 1000 + 10_000 });
  if (r.code !== 0) return { ok: false, why: r.stderr.trim().split('\n').slice(-2).join(' ') || `ffmpeg exited ${r.code ?? r.signal}` };
  if (sink.kind === 'jpeg' && r.stdout.length === 0) return { ok: false, why: 'ffmpeg wrote no picture' };
  return sink.kind === 'jpeg' ? { ok: true, why: '', jpeg: r.stdout } : { ok: true, why: '' };
}
