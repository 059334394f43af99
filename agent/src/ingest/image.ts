/**
 * Still images (JPEG, PNG, ...) decoded by ffmpeg and letterboxed exactly like video frames, so a
 * detector tested on COCO images sees the same pixels it would see from a camera.
 */
import { basename } from 'node:path';
import { FailureError } from '../core/errors.js';
import { letterboxFor, type Frame } from '../core/frame.js';
import { imageArgv, probeArgv } from './argv.js';
import { probeFailure, reasonLine } from './failures.js';
import { checkModelSize } from './plan.js';
import { checkLocalFile, resolveInput } from './probe.js';
import { parseProbeJson } from './source-info.js';
import { DEFAULT_TOOLS, runTool, type ToolPaths } from './tools.js';

export interface ImageOptions {
  readonly tools?: ToolPaths;
  readonly cwd?: string;
  /** Frame.sourceId; default the file's base name. */
  readonly sourceId?: string;
}

/** Decode one image and letterbox it into width x height (114 grey padding, centred). */
export async function loadImageLetterboxed(path: string, width: number, height: number, opts: ImageOptions = {}): Promise<Frame> {
  checkModelSize({ width, height });
  const tools = opts.tools ?? DEFAULT_TOOLS;
  const src = resolveInput(path, opts.cwd ?? process.cwd(), 0);
  if (src.path === undefined) throw new FailureError('FS_FILE_NOT_FOUND', `${path}: images must be local files`, { source: path });
  await checkLocalFile(src.path);
  const probe = await runTool(tools.ffprobe, probeArgv(src));
  const json = probe.code === 0 ? parseProbeJson(probe.stdout.toString('utf8')) : undefined;
  const stream = json?.streams?.find((s) => s.codec_type === 'video');
  if (!stream?.width || !stream.height) {
    throw json === undefined
      ? probeFailure(src.name, false, probe.stderr.split('\n'), false)
      : new FailureError('FS_VIDEO_UNSUPPORTED', `${src.name}: not an image`, { source: src.name });
  }
  const res = await runTool(tools.ffmpeg, imageArgv(src.input, { kind: 'letterbox', width, height }));
  const bytes = width * height * 3;
  if (res.code !== 0 || res.stdout.byteLength !== bytes) {
    throw new FailureError('FS_VIDEO_UNSUPPORTED', `${src.name}: cannot decode image: ${reasonLine(res.stderr.split('\n'))}`, { source: src.name });
  }
  return {
    sourceId: opts.sourceId ?? basename(src.path),
    index: 0,
    ptsSec: 0,
    timestampMs: 0,
    width,
    height,
    data: new Uint8Array(res.stdout.buffer, res.stdout.byteOffset, res.stdout.byteLength),
    letterbox: letterboxFor(stream.width, stream.height, width, height),
  };
}
