/**
 * Ingest: video files and camera streams in, sampled letterboxed RGB frames with true timestamps
 * out. One ffmpeg child per source.
 */
export { probeSource, type ProbeOptions } from './probe.js';
export type { SourceInfo } from './source-info.js';
export { openSource, type FrameSource, type IngestStats, type OpenSourceOptions, type SourceState, type TimeOrigin } from './open-source.js';
export { loadImageLetterboxed, type ImageOptions } from './image.js';
export {
  chooseKeyframeMode,
  planDecode,
  DECODE_DEFAULTS,
  DEFAULT_STRIDE,
  type DecodePlan,
  type KeyframeMode,
  type ModelSize,
  type SamplingRequest,
} from './plan.js';
export { decodeArgv, imageArgv, keyframeProbeArgv, probeArgv, LETTERBOX_GREY } from './argv.js';
export { measureDecode, type DecodeMeasurement } from './measure.js';
export { DEFAULT_TOOLS, type ToolPaths } from './tools.js';
export { checkSubstreamAspect, SUBSTREAM_MAX_STRETCH, type PixelSize } from './substream.js';
export { chooseHwDecoder, hwDecodeArgs, HW_DECODERS, type HwChoice, type HwDecoder, type HwDecodePreference } from './hwdecode.js';
