/** Detection stage: frames in, person boxes (source pixels) out. */
export { Detector, describeDetectorInput, type DetectorInput, type DetectorStats } from './detector.js';
export { DetectorQueue, type FrameDetector, type DetectorQueueOptions, type DetectorQueueStats, type SourceQueueStats } from './queue.js';
export { detectorSettings, inputForRegions, type DetectorOptions, type DetectorSettings } from './options.js';
export { DETECTOR_DEFAULTS } from './defaults.js';
export { preprocessInto, allocInput, RGB_0_1, type InputNormalisation } from './preprocess.js';
export { decodeYoloV8 } from './decode-yolov8.js';
export { decodeYoloNms } from './decode-yolo-nms.js';
export { decodeYolox, yoloxAnchorCount, type YoloxGeometry } from './decode-yolox.js';
export type { DecodeOptions } from './decode-options.js';
export { nms, nmsIndices, iouAt, pick, type NmsOptions } from './nms.js';
export { outputLayout, type OutputLayout, type LayoutHints } from './layout.js';
export { classMask } from './classes.js';
export { COCO80 } from './coco80.js';
